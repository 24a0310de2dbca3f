//! What the automatic make-up chose, for people and scripts: the report's `makeup` section,
//! and `--plan-out`, the chosen plan written in the `pages:` syntax of `issue.yaml` so a
//! layout person can take it and adjust it by hand.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::compose::AutoOutcome;
use crate::model::{FrameContent, FramePhoto, HeadClass, Issue, PagePlan, PlannedFrame};

/// The report's `makeup` section.
#[derive(Debug, Clone, Serialize)]
pub struct MakeupReport {
    /// Per page, its frames and its white space.
    pub pages: Vec<MakeupPage>,
    /// Stories no page took (files), in priority order: they are not in the issue.
    pub unplaced: Vec<String>,
    /// Seconds the search took (measuring the shapes included).
    pub seconds: f64,
}

/// One page of the automatic make-up.
#[derive(Debug, Clone, Serialize)]
pub struct MakeupPage {
    /// Page number.
    pub page: u32,
    /// Section name in the folio.
    pub section: Option<String>,
    /// Its frames, in reading order.
    pub frames: Vec<MakeupFrame>,
    /// Area of the type area left white, mm².
    pub white_mm2: f32,
    /// The same as a share of the type area, %.
    pub white_percent: f32,
}

/// One frame the automatic make-up placed.
#[derive(Debug, Clone, Serialize)]
pub struct MakeupFrame {
    /// Its name (`p3/2`).
    pub name: String,
    /// Grid columns, 1-based (`1-3`).
    pub columns: String,
    /// Top line under the page's band.
    pub top: u32,
    /// Depth in lines.
    pub depth: u32,
    /// The story's file, or the ad's (`placeholder` for an empty slot, `house` for the
    /// house ad).
    pub content: String,
    /// `story`, `jump` (its head, continued later), `continued`, `ad` or `house-ad`.
    pub kind: &'static str,
    /// Head class of a story (`lead`, `secondary`, `tertiary`, `brief`).
    pub head: Option<&'static str>,
    /// Whether a story is set with its photo.
    pub photo: Option<bool>,
}

/// The report's section for `outcome`.
pub fn makeup_report(outcome: &AutoOutcome, issue: &Issue) -> MakeupReport {
    let mut seen = Vec::new();
    let pages = outcome
        .plan
        .pages
        .iter()
        .zip(&outcome.pages)
        .map(|(page, white)| MakeupPage {
            page: white.number,
            section: page.section.clone(),
            frames: page.frames.iter().map(|f| frame_report(f, issue, &mut seen)).collect(),
            white_mm2: (white.white_mm2() * 10.0).round() / 10.0,
            white_percent: (white.white_percent() * 100.0).round() / 100.0,
        })
        .collect();
    MakeupReport {
        pages,
        unplaced: outcome.unplaced.iter().map(|i| file_of(issue, *i)).collect(),
        seconds: (outcome.seconds * 1000.0).round() / 1000.0,
    }
}

fn frame_report(frame: &PlannedFrame, issue: &Issue, seen: &mut Vec<usize>) -> MakeupFrame {
    let columns = columns(frame);
    let (content, kind, head, photo) = match &frame.content {
        FrameContent::Story { article, head, continues, photo } => {
            let kind = if seen.contains(article) {
                "continued"
            } else if continues.is_some() {
                "jump"
            } else {
                "story"
            };
            seen.push(*article);
            (
                file_of(issue, *article),
                kind,
                Some(head_name(*head)),
                Some(*photo != FramePhoto::Off),
            )
        }
        FrameContent::Ad { file } => {
            (ad_name(file.as_ref().map(|f| f.path.as_path()), issue), "ad", None, None)
        }
        FrameContent::House => (String::from("house"), "house-ad", None, None),
        FrameContent::Briefs { .. } => (String::new(), "briefs", None, None),
    };
    MakeupFrame {
        name: frame.name.clone(),
        columns,
        top: frame.top,
        depth: frame.depth,
        content,
        kind,
        head,
        photo,
    }
}

/// `plan` in the `pages:` syntax of `issue.yaml`, with a header saying how to use it and
/// the stories it could not place.
pub fn plan_yaml(plan: &PagePlan, outcome: &AutoOutcome, issue: &Issue) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The page plan rotative's automatic make-up chose. To adjust it by hand, put this"
    );
    let _ = writeln!(
        out,
        "# `pages:` list in issue.yaml in place of `pages: auto` (see docs/page-plan.md)."
    );
    for story in &outcome.unplaced {
        let _ = writeln!(out, "# Not placed: {}", file_of(issue, *story));
    }
    let _ = writeln!(out, "pages:");
    let mut seen = Vec::new();
    for page in &plan.pages {
        let frames = if page.frames.is_empty() { " []" } else { "" };
        match &page.section {
            Some(section) => {
                let _ = writeln!(out, "  - section: {}", quoted(section));
                let _ = writeln!(out, "    frames:{frames}");
            }
            None => {
                let _ = writeln!(out, "  - frames:{frames}");
            }
        }
        for frame in &page.frames {
            let _ = writeln!(out, "      - columns: {}", columns(frame));
            let _ = writeln!(out, "        top: {}", frame.top);
            let _ = writeln!(out, "        depth: {}", frame.depth);
            match &frame.content {
                FrameContent::Story { article, head, continues, photo } => {
                    let _ = writeln!(out, "        story: {}", quoted(&file_of(issue, *article)));
                    // The head and photo go with a story's first frame only.
                    if !seen.contains(article) {
                        let _ = writeln!(out, "        head: {}", head_name(*head));
                        match photo {
                            FramePhoto::Off => {
                                let _ = writeln!(out, "        photo: none");
                            }
                            FramePhoto::Sized { columns, depth, beside_head } => {
                                let mut size = Vec::new();
                                size.extend(columns.map(|c| format!("columns: {c}")));
                                size.extend(depth.map(|d| format!("depth: {d}")));
                                if *beside_head {
                                    size.push(String::from("beside_head: true"));
                                }
                                let _ = writeln!(out, "        photo: {{ {} }}", size.join(", "));
                            }
                            FramePhoto::AsSet => {}
                        }
                    }
                    if let Some(page) = continues {
                        let _ = writeln!(out, "        continues: {page}");
                    }
                    seen.push(*article);
                }
                FrameContent::Ad { file } => {
                    let name = ad_name(file.as_ref().map(|f| f.path.as_path()), issue);
                    let _ = writeln!(out, "        ad: {}", quoted(&name));
                }
                FrameContent::House => {
                    let _ = writeln!(out, "        ad: house");
                }
                FrameContent::Briefs { articles, .. } => {
                    let files: Vec<String> =
                        articles.iter().map(|a| quoted(&file_of(issue, *a))).collect();
                    let _ = writeln!(out, "        briefs: [{}]", files.join(", "));
                }
            }
        }
    }
    out
}

/// Columns of `frame` as written: `1-3`, or `2` for one.
fn columns(frame: &PlannedFrame) -> String {
    let first = frame.first_column + 1;
    let last = frame.first_column + frame.columns;
    if first == last { first.to_string() } else { format!("{first}-{last}") }
}

fn head_name(head: HeadClass) -> &'static str {
    HeadClass::NAMES.iter().find(|(_, h)| *h == head).map_or("secondary", |(n, _)| n)
}

/// An article's file as `issue.yaml` names it: relative to the issue folder.
fn file_of(issue: &Issue, article: usize) -> String {
    issue.articles.get(article).map_or_else(String::new, |e| relative(&e.path, issue))
}

fn ad_name(path: Option<&Path>, issue: &Issue) -> String {
    path.map_or_else(|| String::from("placeholder"), |p| relative(p, issue))
}

fn relative(path: &Path, issue: &Issue) -> String {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = canonical.strip_prefix(&issue.root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// A YAML scalar in double quotes, so a section or file name with `:` or `#` reads back
/// as written.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
