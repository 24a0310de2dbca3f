//! `pages: auto` and the `auto:` block of `issue.yaml`: what the automatic make-up is given
//! besides the stories (the page budget, the ads of each page, section names, and hints per
//! story), checked against the grid like a page plan's frames.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::plan::{RawFrame, ResolvedPlan};
use super::{Resolver, text};
use crate::load::yaml::Text;
use crate::model::{FitStepKind, IssueConfig, PlannedFrame, StoryHint};

/// `auto:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuto {
    /// A number of pages, or `as_needed`.
    pages: Option<Spanned<Text>>,
    multiple_of: Option<Spanned<u32>>,
    sections: Option<Vec<Spanned<Text>>>,
    ads: Option<Vec<Spanned<RawAutoAd>>>,
    stories: Option<BTreeMap<String, Spanned<RawHint>>>,
    house_ad: Option<Spanned<bool>>,
}

/// One ad of `auto.ads`: on its page, built up from the foot.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAutoAd {
    page: Spanned<u32>,
    columns: Spanned<Text>,
    depth: Spanned<Text>,
    ad: Spanned<Text>,
}

/// One story's hints, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHint {
    priority: Option<Spanned<Text>>,
    min_columns: Option<Spanned<u32>>,
    max_columns: Option<Spanned<u32>>,
    page: Option<Spanned<u32>>,
    section: Option<Spanned<Text>>,
    with_photo: Option<Spanned<bool>>,
}

/// The `auto:` block resolved; story hints are keyed by the file as written, for the loader
/// to match with the articles once their list is known.
#[derive(Debug, Default)]
pub struct ResolvedAuto {
    /// `pages: auto`: the issue is made up automatically (else only `--auto` does).
    pub on: bool,
    /// Pages to make up, `None` for as many as needed.
    pub pages: Option<u32>,
    /// Round the page count up to a multiple of this.
    pub multiple_of: u32,
    /// Section names by page.
    pub sections: Vec<Option<String>>,
    /// The ads, with their page.
    pub ads: Vec<(u32, PlannedFrame)>,
    /// Hints per story file as written, with the line they are on.
    pub hints: Vec<(String, StoryHint, usize)>,
    /// The copyfit steps allowed.
    pub fit_steps: Vec<FitStepKind>,
    /// Fill the last page's white with the house ad.
    pub house_ad: bool,
}

impl Resolver<'_> {
    /// Resolves `auto` (absent: the defaults) for an issue whose `pages` is `auto` (`on`).
    pub(super) fn auto(
        &mut self,
        raw: Option<&RawAuto>,
        on: bool,
        fit_steps: Vec<FitStepKind>,
        c: &IssueConfig,
    ) -> ResolvedAuto {
        let empty = RawAuto::default();
        let raw = raw.unwrap_or(&empty);
        let pages = raw.pages.as_ref().and_then(|at| {
            let written = at.value.0.trim();
            match written.parse::<u32>() {
                Ok(n) if n >= 1 => Some(n),
                _ if written == "as_needed" => None,
                _ => {
                    let d = self.error(
                        "invalid-value",
                        format!(
                            "`auto.pages` must be a number of pages or `as_needed`, not `{written}`"
                        ),
                        "auto.pages",
                        at,
                    );
                    d.hint = Some(String::from("auto: { pages: 12 }, or pages: as_needed"));
                    None
                }
            }
        });
        let multiple_of = match &raw.multiple_of {
            Some(at) if at.value == 0 => {
                self.error(
                    "invalid-value",
                    "`auto.multiple_of` must be 1 or more",
                    "auto.multiple_of",
                    at,
                );
                1
            }
            Some(at) => at.value,
            None => 1,
        };
        let sections = raw
            .sections
            .iter()
            .flatten()
            .map(|at| Some(at.value.0.trim().to_string()).filter(|s| !s.is_empty()))
            .collect();
        let mut ads = Vec::new();
        for (n, at) in raw.ads.iter().flatten().enumerate() {
            let ad = &at.value;
            let page = ad.page.value;
            if page == 0 || pages.is_some_and(|budget| page > budget) {
                self.error(
                    "invalid-value",
                    format!("ad {} is on page {page}, outside the issue's pages", n + 1),
                    "auto.ads.page",
                    &ad.page,
                );
                continue;
            }
            let raw_frame = RawFrame::ad(ad.columns.clone(), ad.depth.clone(), ad.ad.clone());
            let line = self.fragment.line_of(at);
            let mut scratch = ResolvedPlan::default();
            let name = format!("ad {}", n + 1);
            let Some(mut frame) = self.frame(&raw_frame, name, line, page, c, &mut scratch) else {
                continue;
            };
            // Ads are built up from the foot of their page.
            frame.top = c.text_lines(page).saturating_sub(frame.depth);
            ads.push((page, frame));
        }
        let mut hints = Vec::new();
        for (file, at) in raw.stories.iter().flatten() {
            let hint = &at.value;
            let lead = match &hint.priority {
                Some(p) if p.value.0.trim() == "lead" => true,
                Some(p) if p.value.0.trim() == "normal" => false,
                Some(p) => {
                    let d = self.error(
                        "invalid-value",
                        format!("unknown priority `{}`", p.value.0.trim()),
                        "auto.stories.priority",
                        p,
                    );
                    d.hint = Some(String::from("priority: lead, or leave it out"));
                    false
                }
                None => false,
            };
            let columns = c.page.columns.max(1);
            let mut width = |at: &Option<Spanned<u32>>, field: &str| {
                let at = at.as_ref()?;
                if (1..=columns).contains(&at.value) {
                    return Some(at.value);
                }
                let d = self.error(
                    "invalid-value",
                    format!(
                        "`{field}` must be from 1 to {columns} (the grid's columns), not {}",
                        at.value
                    ),
                    &format!("auto.stories.{field}"),
                    at,
                );
                d.hint = Some(format!("{field}: 2"));
                None
            };
            let min_columns = width(&hint.min_columns, "min_columns");
            let max_columns = width(&hint.max_columns, "max_columns");
            hints.push((
                file.trim().to_string(),
                StoryHint {
                    lead,
                    min_columns,
                    max_columns: max_columns.map(|m| m.max(min_columns.unwrap_or(1))),
                    page: hint.page.as_ref().map(|p| p.value),
                    section: text(&hint.section),
                    with_photo: hint.with_photo.as_ref().map(|p| p.value),
                },
                self.fragment.line_of(at),
            ));
        }
        let house_ad = match &raw.house_ad {
            Some(at) if at.value && c.boilerplate.is_empty() => {
                let d = self.error(
                    "invalid-value",
                    "`auto.house_ad` fills the pages' holes with the publication's boilerplate, \
                     and `boilerplate` is empty",
                    "auto.house_ad",
                    at,
                );
                d.hint = Some(String::from(
                    "give the blocks it prints: boilerplate: [{ title: Abonnez-vous, text: ... }]",
                ));
                false
            }
            Some(at) => at.value,
            None => false,
        };
        ResolvedAuto { on, pages, multiple_of, sections, ads, hints, fit_steps, house_ad }
    }
}
