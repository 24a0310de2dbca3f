//! The `pages:` list of `issue.yaml`: the page plan, checked against the column grid.
//!
//! Each frame is resolved to whole columns and whole lines of its page's baseline grid;
//! a frame off the grid, outside the type area, overlapping another frame, or naming its
//! content twice is an error at its line, naming the other frame and its line too.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::{ArticleRef, Resolver, text};
use crate::diag::Diagnostic;
use crate::geom::mm;
use crate::load::yaml::Text;
use crate::model::{
    AdFile, FitStepKind, FrameContent, FramePhoto, HeadClass, IssueConfig, PlannedFrame,
    PlannedPage,
};

/// How far (points) a length in mm may miss a line of the grid and still count as on it:
/// mm values are rounded by whoever wrote them.
const GRID_SLACK: f32 = 0.5;

/// One page of `pages`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlanPage {
    section: Option<Spanned<Text>>,
    frames: Vec<Spanned<RawFrame>>,
}

/// One frame, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrame {
    name: Option<Spanned<Text>>,
    columns: Spanned<Text>,
    top: Option<Spanned<Text>>,
    depth: Spanned<Text>,
    story: Option<Spanned<Text>>,
    head: Option<Spanned<Text>>,
    continues: Option<Spanned<u32>>,
    briefs: Option<Vec<Spanned<Text>>>,
    label: Option<Spanned<Text>>,
    ad: Option<Spanned<Text>>,
    photo: Option<Spanned<RawPhoto>>,
}

impl RawFrame {
    /// An ad's frame as `auto.ads` writes it (columns, depth, file), at the page's top: the
    /// caller moves it to the foot.
    pub(super) fn ad(columns: Spanned<Text>, depth: Spanned<Text>, ad: Spanned<Text>) -> RawFrame {
        RawFrame {
            name: None,
            columns,
            top: None,
            depth,
            story: None,
            head: None,
            continues: None,
            briefs: None,
            label: None,
            ad: Some(ad),
            photo: None,
        }
    }
}

/// A story frame's `photo`, as written: a word (`none`) or its size.
#[derive(Debug)]
pub(super) enum RawPhoto {
    /// `photo: none` (anything else written as one scalar is an error at resolution).
    Word(String),
    /// `photo: { columns: 2, depth: 18 }` (boxed: its spanned fields are far larger than a word).
    Size(Box<RawPhotoSize>),
}

/// The size of a frame's photo, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPhotoSize {
    columns: Option<Spanned<Text>>,
    depth: Option<Spanned<Text>>,
    beside_head: Option<Spanned<Text>>,
}

impl<'de> Deserialize<'de> for RawPhoto {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PhotoVisitor;
        impl<'de> Visitor<'de> for PhotoVisitor {
            type Value = RawPhoto;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`none` or a size such as { columns: 2, depth: 18 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPhoto, E> {
                Ok(RawPhoto::Word(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPhoto, E> {
                Ok(RawPhoto::Word(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPhoto, E> {
                Ok(RawPhoto::Word(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawPhoto, E> {
                Ok(RawPhoto::Word(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPhoto, A::Error> {
                // The map's own deserializer, so its values keep their positions.
                RawPhotoSize::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|size| RawPhoto::Size(Box::new(size)))
            }
        }
        deserializer.deserialize_any(PhotoVisitor)
    }
}

/// The plan with its story files, in the order they first appear.
#[derive(Debug, Default)]
pub struct ResolvedPlan {
    /// The pages; article indices point into `stories`.
    pub pages: Vec<PlannedPage>,
    /// The copyfit steps allowed, in cascade order.
    pub fit_steps: Vec<FitStepKind>,
    /// Every story and brief file the plan names, once each.
    pub stories: Vec<ArticleRef>,
    /// A warning per story frame that sizes a photo, located at its `photo`, for the loader
    /// to give when the story (index into `stories`) turns out to have none: the articles
    /// are read after the plan.
    pub photo_checks: Vec<(usize, Diagnostic)>,
}

/// A frame's rectangle in (columns, lines), with where it was written, for overlap messages.
struct Placed {
    name: String,
    line: usize,
    columns: std::ops::Range<u32>,
    lines: std::ops::Range<u32>,
}

impl Resolver<'_> {
    /// Resolves `pages` against the grid of `config`.
    pub(super) fn plan(
        &mut self,
        raw: &[Spanned<RawPlanPage>],
        steps: Option<&[Spanned<Text>]>,
        c: &IssueConfig,
    ) -> ResolvedPlan {
        let fit_steps = self.fit_steps(steps);
        let mut plan = ResolvedPlan {
            pages: Vec::new(),
            fit_steps,
            stories: Vec::new(),
            photo_checks: Vec::new(),
        };
        for (index, page) in raw.iter().enumerate() {
            let number = index as u32 + 1;
            let mut placed: Vec<Placed> = Vec::new();
            let mut frames = Vec::new();
            for (n, frame) in page.value.frames.iter().enumerate() {
                let name =
                    text(&frame.value.name).unwrap_or_else(|| format!("p{number}/{}", n + 1));
                let line = self.fragment.line_of(frame);
                let Some(resolved) = self.frame(&frame.value, name, line, number, c, &mut plan)
                else {
                    continue;
                };
                let rect = Placed {
                    name: resolved.name.clone(),
                    line,
                    columns: resolved.first_column..resolved.first_column + resolved.columns,
                    lines: resolved.top..resolved.top + resolved.depth,
                };
                if let Some(other) = placed.iter().find(|o| overlaps(o, &rect)) {
                    let d = self.error(
                        "frame-overlap",
                        format!(
                            "frame {} (issue.yaml:{}) overlaps frame {} (issue.yaml:{})",
                            rect.name, rect.line, other.name, other.line
                        ),
                        "pages.frames",
                        frame,
                    );
                    d.hint = Some(String::from(
                        "frames of a page may touch but not overlap: move one down (`top`) or to other columns",
                    ));
                }
                placed.push(rect);
                frames.push(resolved);
            }
            plan.pages.push(PlannedPage { section: text(&page.value.section), frames });
        }
        self.check_jumps(&plan);
        plan
    }

    /// The copyfit steps `copyfit:` allows (all of them when it is not given).
    pub(super) fn fit_steps(&mut self, steps: Option<&[Spanned<Text>]>) -> Vec<FitStepKind> {
        match steps {
            Some(list) => list
                .iter()
                .map(|at| {
                    let at = Some(at.clone());
                    self.choice(&at, "copyfit", &FitStepKind::ALL, FitStepKind::Looseness)
                })
                .collect(),
            None => FitStepKind::ALL.iter().map(|(_, k)| *k).collect(),
        }
    }

    /// One frame on page `number`; `None` (with an error recorded) when it cannot be placed.
    pub(super) fn frame(
        &mut self,
        raw: &RawFrame,
        name: String,
        line: usize,
        number: u32,
        c: &IssueConfig,
        plan: &mut ResolvedPlan,
    ) -> Option<PlannedFrame> {
        let grid_columns = c.page.columns.max(1);
        let (first_column, columns) = self.columns(&raw.columns, &name, grid_columns)?;
        let lines = c.text_lines(number);
        let top = match &raw.top {
            Some(at) => self.lines(at, "top", &name, c, false, lines)?,
            None => 0,
        };
        let depth = match self.lines(&raw.depth, "depth", &name, c, true, lines)? {
            // `foot`: down to the foot of the type area.
            0 => lines.saturating_sub(top),
            depth => depth,
        };
        if depth == 0 || top + depth > lines {
            let d = self.error(
                "frame-outside",
                format!(
                    "frame {name} goes below the type area: lines {}-{} of a page of {lines} lines",
                    top + 1,
                    top + depth
                ),
                "pages.frames.depth",
                &raw.depth,
            );
            d.hint = Some(format!("top + depth must be at most {lines} lines on page {number}"));
            return None;
        }
        let content = self.content(raw, &name, (columns, depth), (c, lines), plan)?;
        Some(PlannedFrame { name, line, first_column, columns, top, depth, content })
    }

    /// `columns: 1-4` or `columns: 3`: 1-based columns of the grid, as (first 0-based, span).
    fn columns(&mut self, at: &Spanned<Text>, name: &str, grid: u32) -> Option<(u32, u32)> {
        let written = at.value.0.trim();
        let parse = |s: &str| s.trim().parse::<u32>().ok();
        let range = match written.split_once('-') {
            Some((a, b)) => parse(a).zip(parse(b)),
            None => parse(written).map(|a| (a, a)),
        };
        match range {
            Some((a, b)) if a >= 1 && a <= b && b <= grid => Some((a - 1, b - a + 1)),
            Some((a, b)) if a >= 1 && a <= b => {
                let d = self.error(
                    "frame-outside",
                    format!(
                        "frame {name} takes columns {a}-{b}, outside the type area's {grid} columns"
                    ),
                    "pages.frames.columns",
                    at,
                );
                d.hint = Some(format!("columns are numbered 1 to {grid}"));
                None
            }
            _ => {
                let d = self.error(
                    "invalid-value",
                    format!("frame {name}: `columns` must be a column or a range, not `{written}`"),
                    "pages.frames.columns",
                    at,
                );
                d.hint = Some(String::from("columns: 1-4 (columns 1 to 4), or columns: 5"));
                None
            }
        }
    }

    /// A `top` or `depth`: whole lines (`12`), millimetres on the grid (`42.3mm`), or (a
    /// depth only) `foot`, returned as 0.
    fn lines(
        &mut self,
        at: &Spanned<Text>,
        field: &str,
        name: &str,
        c: &IssueConfig,
        depth: bool,
        page_lines: u32,
    ) -> Option<u32> {
        let written = at.value.0.trim().to_lowercase();
        let field_path = format!("pages.frames.{field}");
        if depth && written == "foot" {
            return Some(0);
        }
        let baseline = c.page.baseline;
        let lines = if let Some(value) = written.strip_suffix("mm") {
            value.trim().parse::<f32>().ok().filter(|v| v.is_finite() && *v >= 0.0).map(|v| {
                let points = mm(v);
                let lines = (points / baseline).round();
                (lines, (points - lines * baseline).abs())
            })
        } else {
            written.parse::<u32>().ok().map(|v| (v as f32, 0.0))
        };
        match lines {
            Some((lines, miss)) if miss <= GRID_SLACK => Some(lines as u32),
            Some((lines, _)) => {
                let below = (lines - 1.0).max(0.0);
                let d = self.error(
                    "frame-off-grid",
                    format!(
                        "frame {name}: `{field}` {written} is not on the baseline grid ({baseline} pt lines)"
                    ),
                    &field_path,
                    at,
                );
                d.hint = Some(format!(
                    "write lines, or a length on the grid: {below:.0} lines = {:.2}mm, {lines:.0} lines = {:.2}mm",
                    crate::geom::to_mm(below * baseline),
                    crate::geom::to_mm(lines * baseline)
                ));
                None
            }
            None => {
                let d = self.error(
                    "invalid-value",
                    format!("frame {name}: `{field}` must be lines or mm, not `{written}`"),
                    &field_path,
                    at,
                );
                d.hint = Some(format!(
                    "{field}: 12 (lines), {field}: 42.3mm{} (the page has {page_lines} lines)",
                    if depth { ", or depth: foot" } else { "" }
                ));
                None
            }
        }
    }

    /// What goes in the frame of `size` (columns, lines) on a page of `page_lines`: exactly
    /// one of `story`, `briefs`, `ad`.
    fn content(
        &mut self,
        raw: &RawFrame,
        name: &str,
        size: (u32, u32),
        (c, page_lines): (&IssueConfig, u32),
        plan: &mut ResolvedPlan,
    ) -> Option<FrameContent> {
        let given = [raw.story.is_some(), raw.briefs.is_some(), raw.ad.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            let d = self.error(
                "invalid-value",
                format!("frame {name} must hold exactly one of `story`, `briefs` or `ad`"),
                "pages.frames",
                &raw.columns,
            );
            d.hint = Some(String::from(
                "story: articles/x.md, briefs: [articles/a.md], or ad: placeholder",
            ));
            return None;
        }
        if let Some(at) = &raw.story {
            let article = self.story(at, plan);
            let head = self.choice(
                &raw.head,
                "pages.frames.head",
                &HeadClass::NAMES,
                HeadClass::Secondary,
            );
            let continues = raw.continues.as_ref().map(|c| c.value);
            let photo = match &raw.photo {
                Some(at) => {
                    let photo = self.frame_photo(at, name, size, c, page_lines)?;
                    if matches!(photo, FramePhoto::Sized { .. }) {
                        let d = self.fragment.warning(
                            "photo-missing",
                            format!("frame {name} sizes a photo, but its story has none"),
                            "pages.frames.photo",
                            at,
                        );
                        plan.photo_checks.push((
                            article,
                            d.hint("give the article a `photo:` in its front matter, or remove the frame's `photo`"),
                        ));
                    }
                    photo
                }
                None => FramePhoto::AsSet,
            };
            return Some(FrameContent::Story { article, head, continues, photo });
        }
        if let Some(at) = &raw.photo {
            self.error(
                "invalid-value",
                format!(
                    "frame {name}: `photo` sizes the photo of a story frame, not of briefs or an ad"
                ),
                "pages.frames.photo",
                at,
            );
            return None;
        }
        if let Some(list) = &raw.briefs {
            let articles = list.iter().map(|at| self.story(at, plan)).collect();
            return Some(FrameContent::Briefs { label: text(&raw.label), articles });
        }
        let at = raw.ad.as_ref()?;
        let written = at.value.0.trim();
        if matches!(written, "placeholder" | "none" | "") {
            return Some(FrameContent::Ad { file: None });
        }
        if written == "house" {
            if c.boilerplate.is_empty() {
                let d = self.error(
                    "invalid-value",
                    format!(
                        "frame {name}: `ad: house` prints the publication's boilerplate, and \
                         `boilerplate` is empty"
                    ),
                    "pages.frames.ad",
                    at,
                );
                d.hint = Some(String::from(
                    "give the blocks it prints: boilerplate: [{ title: Abonnez-vous, text: ... }]",
                ));
                return None;
            }
            return Some(FrameContent::House);
        }
        let path = self.root.join(written);
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let pdf = match ext.as_deref() {
            Some("pdf") => true,
            Some("jpg" | "jpeg" | "png") => false,
            _ => {
                let d = self.error(
                    "invalid-value",
                    format!("frame {name}: an ad is a PDF, JPEG or PNG file, not `{written}`"),
                    "pages.frames.ad",
                    at,
                );
                d.hint = Some(String::from("ad: ads/garage.pdf, ad: placeholder, or ad: house"));
                return None;
            }
        };
        let size = match std::fs::read(&path) {
            Err(e) => Err(format!("cannot be read ({e}; looked for {})", path.display())),
            Ok(bytes) if pdf => super::super::ad::pdf_page_size(&bytes),
            Ok(bytes) => crate::load::photo::inspect_photo(&bytes, u64::from(u32::MAX))
                .map(|f| (f.width_px as f32, f.height_px as f32))
                .map_err(|f| f.message),
        };
        match size {
            Ok(size) => Some(FrameContent::Ad { file: Some(AdFile { path, size, pdf }) }),
            Err(why) => {
                self.error(
                    "bad-ad",
                    format!("frame {name}: ad `{written}` {why}"),
                    "pages.frames.ad",
                    at,
                );
                None
            }
        }
    }

    /// A story frame's `photo` in a frame of `(columns, depth)`: `none`, or its columns (1
    /// to the frame's) and its depth in lines or mm on the grid (1 to the frame's).
    fn frame_photo(
        &mut self,
        at: &Spanned<RawPhoto>,
        name: &str,
        (frame_columns, frame_depth): (u32, u32),
        c: &IssueConfig,
        page_lines: u32,
    ) -> Option<FramePhoto> {
        let size = match &at.value {
            RawPhoto::Word(word) if word.trim().eq_ignore_ascii_case("none") => {
                return Some(FramePhoto::Off);
            }
            RawPhoto::Word(word) => {
                let d = self.error(
                    "invalid-value",
                    format!("frame {name}: `photo` must be `none` or a size, not `{word}`"),
                    "pages.frames.photo",
                    at,
                );
                d.hint = Some(String::from("photo: { columns: 2, depth: 18 }, or photo: none"));
                return None;
            }
            RawPhoto::Size(size) => size,
        };
        // Both checked, so one run reports both mistakes. `Some(None)`: not given.
        let columns = match &size.columns {
            Some(at) => {
                let written = at.value.0.trim();
                match written.parse::<u32>() {
                    Ok(n) if (1..=frame_columns).contains(&n) => Some(Some(n)),
                    _ => {
                        let d = self.error(
                            "invalid-value",
                            format!(
                                "frame {name}: `photo.columns` must be from 1 to {frame_columns} (the frame's columns), not `{written}`"
                            ),
                            "pages.frames.photo.columns",
                            at,
                        );
                        d.hint = Some(String::from("a photo is at most as wide as its frame"));
                        None
                    }
                }
            }
            None => Some(None),
        };
        let depth = match &size.depth {
            Some(at) => match self.lines(at, "photo.depth", name, c, false, page_lines) {
                Some(depth) if depth == 0 || depth > frame_depth => {
                    let d = self.error(
                        "invalid-value",
                        format!(
                            "frame {name}: `photo.depth` must be from 1 to {frame_depth} lines (the frame's depth), not {depth}"
                        ),
                        "pages.frames.photo.depth",
                        at,
                    );
                    d.hint = Some(String::from("a photo is at most as deep as its frame"));
                    None
                }
                depth => depth.map(Some),
            },
            None => Some(None),
        };
        // Beside the head, the photo takes the frame's last columns from its top and the
        // head the others: it needs its width, and at least one column left to the head.
        let beside_head = match &size.beside_head {
            Some(at) => {
                match at.value.0.trim() {
                    "true" => match columns {
                        Some(Some(n)) if n < frame_columns => Some(true),
                        Some(given) => {
                            let d = self.error(
                            "invalid-value",
                            format!(
                                "frame {name}: a photo beside the head needs `photo.columns` from 1 to {} (the head takes the frame's other columns), not {}",
                                frame_columns.saturating_sub(1),
                                given.map_or_else(|| String::from("none given"), |n| n.to_string())
                            ),
                            "pages.frames.photo.beside_head",
                            at,
                        );
                            d.hint = Some(String::from(
                                "photo: { columns: 1, beside_head: true } in a frame of two columns or more",
                            ));
                            None
                        }
                        None => None,
                    },
                    "false" => Some(false),
                    other => {
                        self.error(
                        "invalid-value",
                        format!("frame {name}: `photo.beside_head` must be true or false, not `{other}`"),
                        "pages.frames.photo.beside_head",
                        at,
                    );
                        None
                    }
                }
            }
            None => Some(false),
        };
        Some(FramePhoto::Sized { columns: columns?, depth: depth?, beside_head: beside_head? })
    }

    /// The index of a story file in the plan's list, adding it on first mention.
    fn story(&mut self, at: &Spanned<Text>, plan: &mut ResolvedPlan) -> usize {
        let written = at.value.0.trim().to_string();
        if let Some(i) = plan.stories.iter().position(|s| s.written == written) {
            return i;
        }
        plan.stories.push(ArticleRef {
            path: self.root.join(&written),
            written,
            line: self.fragment.line_of(at),
            column: at.referenced.column() as usize,
        });
        plan.stories.len() - 1
    }

    /// A story in two frames is a jump: the first frame says `continues:` with the page of
    /// the second, which comes later. Anything else is a mistake in the plan.
    fn check_jumps(&mut self, plan: &ResolvedPlan) {
        // (article, page, continues, line) of each story frame, in plan order.
        let mut seen: Vec<(usize, u32, Option<u32>, usize)> = Vec::new();
        for (p, page) in plan.pages.iter().enumerate() {
            let number = p as u32 + 1;
            for frame in &page.frames {
                let FrameContent::Story { article, continues, photo, .. } = frame.content else {
                    continue;
                };
                let written = &plan.stories[article].written;
                if photo != FramePhoto::AsSet && seen.iter().any(|(a, ..)| *a == article) {
                    // The photo is set with the head, in the story's first frame.
                    self.error_at_line(
                        "invalid-value",
                        format!(
                            "story `{written}` continues in frame {}: its `photo` goes in the story's first frame",
                            frame.name
                        ),
                        "pages.frames.photo",
                        frame.line,
                    );
                }
                let later = |to: u32| {
                    (to <= number || to as usize > plan.pages.len()).then(|| {
                        format!(
                            "`continues: {to}` must name a later page of the plan (2 to {})",
                            plan.pages.len()
                        )
                    })
                };
                // The story's last frame so far: a rest may jump again.
                let problem = match seen.iter().rev().find(|(a, ..)| *a == article) {
                    Some((_, _, Some(to), _)) if *to == number => continues.and_then(later),
                    Some((_, _, Some(to), _)) => Some(format!(
                        "story `{written}` continues on page {to}, not on page {number}"
                    )),
                    Some((_, from, None, line)) => Some(format!(
                        "story `{written}` is already on page {from} (issue.yaml:{line}): give that frame `continues: {number}` to jump here"
                    )),
                    None => continues.and_then(later),
                };
                if let Some(message) = problem {
                    self.error_at_line(
                        "invalid-value",
                        message,
                        "pages.frames.continues",
                        frame.line,
                    );
                }
                seen.push((article, number, continues, frame.line));
            }
        }
        for &(article, _, to, line) in &seen {
            if let Some(to) = to
                && !seen.iter().any(|(a, page, ..)| *a == article && *page == to)
            {
                let written = &plan.stories[article].written;
                self.error_at_line(
                    "invalid-value",
                    format!(
                        "story `{written}` continues on page {to}, but no frame there names it"
                    ),
                    "pages.frames.continues",
                    line,
                );
            }
        }
    }

    /// Records an error at the start of `line` of `issue.yaml`.
    fn error_at_line(&mut self, kind: &'static str, message: String, field: &str, line: usize) {
        let d = self.fragment.source.error_at(kind, message, line, 1).field(field);
        self.errors.push(d);
    }
}

/// Whether two frames share any column and line.
fn overlaps(a: &Placed, b: &Placed) -> bool {
    a.columns.start < b.columns.end
        && b.columns.start < a.columns.end
        && a.lines.start < b.lines.end
        && b.lines.start < a.lines.end
}
