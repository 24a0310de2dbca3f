//! Planned make-up: the pages of an issue's page plan, each frame filled with its story,
//! briefs or ad. Stories are fitted to their frames ([`super::copyfit`]); a story that
//! jumps ends its first frame on a jump line and resumes under a jump head in a frame of a
//! later page.
//!
//! Every frame is cut from the page's baseline grid (its top and bottom are whole lines
//! under the page's band), so the lines of all frames of a page line up.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::article::{HouseAd, Setter, ascent};
use super::copyfit::{
    CUT_SLACK, FrameFit, JumpFrames, Resets, fit_continuation, fit_jump, fit_story, misfit,
    remaining_lines,
};
use super::display::{Item, Page};
use super::flow::{Cursor, line_items};
use super::{
    ArticleParts, ArticlePlacement, ArticleStart, Frame, Headline, Layout, PlacedPart, furniture,
    labels, place_article,
};
use crate::color::Color;
use crate::diag::Diagnostic;
use crate::geom::{Rect, to_mm};
use crate::model::{AdFile, FrameContent, InlineRun, IssueConfig, PagePlan, PlannedFrame};
use crate::text::TextEngine;

/// Weight of the rule that opens a frame lower on the page, points: as between articles.
const FRAME_RULE_WIDTH: f32 = 1.0;

/// Weight of an ad placeholder's outline and cross, points: heavy enough to be seen as the
/// frame's edge on a proof, light beside the text.
const PLACEHOLDER_STROKE: f32 = 1.0;

/// Tint of an ad placeholder: the slot reads as taken (grey, as layout programs show an
/// ad's space), not as a hole in the page.
const PLACEHOLDER_TINT: Color = Color::Cmyk(0.0, 0.0, 0.0, 0.3);

/// Fewest lines a column of a story's first part should hold before the story jumps:
/// fewer, and the jump reads as a mistake (the trade's rule of about six).
const MIN_JUMP_LINES: u32 = 6;

/// Lines of air between two briefs.
const BRIEF_GAP_LINES: f32 = 1.0;

/// The planned pages and where each article went.
#[derive(Debug, Clone)]
pub struct PlannedComposition {
    /// Pages 1 to the plan's length.
    pub pages: Vec<Page>,
    /// Per article of the issue (by index), where it went; `None` for an article the plan
    /// does not place or that was left out.
    pub articles: Vec<Option<ArticlePlacement>>,
    /// Findings about the plan and the furniture (placeholders, the folio's text).
    pub warnings: Vec<Diagnostic>,
    /// Every frame as placed, for proof marks.
    pub frames: Vec<ProofFrame>,
}

/// A frame as placed, for the proof marks of [`proof_marks`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProofFrame {
    /// Its page.
    pub page: u32,
    /// Its rectangle on the page.
    pub rect: Rect,
    /// Its name (`p1/2`).
    pub name: String,
    /// Lines over (positive) or under (negative) after fitting.
    pub misfit: i32,
}

/// Colour of proof marks: process cyan, which no page element uses.
const PROOF_COLOR: crate::color::Color = crate::color::Color::Cmyk(1.0, 0.0, 0.0, 0.0);
/// Colour of the overset marker: process magenta, the proofreader's red.
const OVERSET_COLOR: crate::color::Color = crate::color::Color::Cmyk(0.0, 1.0, 1.0, 0.0);
/// Size of the proof labels, points.
const PROOF_LABEL_SIZE: f32 = 7.0;

/// Adds proof marks to `page`: each frame's outline and name, and where a story is overset,
/// a heavy rule along the frame's foot with the lines left over. For proofs only: the
/// labels may sit over the page's text, which the overlap check would refuse.
pub fn proof_marks(
    engine: &TextEngine,
    config: &IssueConfig,
    frames: &[ProofFrame],
    page: &mut Page,
) {
    let layout = Layout::new(engine, config);
    let mut setter =
        Setter::new(engine, config, &layout.grid, config.lang, std::path::Path::new("issue.yaml"));
    let mut style = config.styles.meta.clone();
    style.size = PROOF_LABEL_SIZE;
    style.leading = PROOF_LABEL_SIZE * 1.2;
    for frame in frames.iter().filter(|f| f.page == page.number) {
        page.items.push(Item::Rect {
            rect: frame.rect,
            fill: None,
            stroke: Some((PROOF_COLOR, 0.5)),
        });
        let label = match frame.misfit {
            0 => frame.name.clone(),
            n if n > 0 => format!("{} · +{n}", frame.name),
            n => format!("{} · {n}", frame.name),
        };
        let color = if frame.misfit > 0 { OVERSET_COLOR } else { PROOF_COLOR };
        if let Some(line) = setter.set(&[InlineRun::plain(label)], &style, frame.rect.width).first()
        {
            let x = frame.rect.right() - line.width - 1.0;
            page.items.extend(line_items(line, x, frame.rect.y + PROOF_LABEL_SIZE, color));
        }
        if frame.misfit > 0 {
            let y = frame.rect.bottom();
            page.items.push(Item::Rule {
                from: (frame.rect.x, y),
                to: (frame.rect.right(), y),
                width: 2.0,
                color: OVERSET_COLOR,
            });
        }
    }
}

/// Makes up the pages of `plan`. `articles[i]` is the set article `i` of the issue, `None`
/// when it failed (its frames stay empty).
pub fn make_up(
    engine: &TextEngine,
    config: &IssueConfig,
    plan: &PagePlan,
    articles: &[Option<&ArticleParts>],
) -> PlannedComposition {
    let layout = Layout::new(engine, config);
    let mut made = MakeUp {
        layout: &layout,
        plan,
        articles,
        placements: vec![None; articles.len()],
        jumps: BTreeMap::new(),
        refitted: BTreeMap::new(),
        warnings: Vec::new(),
        proof: Vec::new(),
    };
    let mut pages = Vec::new();
    for (index, planned) in plan.pages.iter().enumerate() {
        let number = index as u32 + 1;
        let mut found = Vec::new();
        let mut page = furniture::new_page(
            &layout,
            number,
            planned.section.as_deref(),
            layout.planned_grid_top(number),
            &mut found,
        );
        made.warn(found);
        for frame in &planned.frames {
            made.frame(&mut page, frame);
        }
        pages.push(page);
    }
    super::finish_pages(&mut pages, layout.engine.fonts(), config.output.bleed);
    PlannedComposition {
        pages,
        articles: made.placements,
        warnings: made.warnings,
        frames: made.proof,
    }
}

/// The state of the make-up across pages.
struct MakeUp<'a> {
    layout: &'a Layout<'a>,
    plan: &'a PagePlan,
    articles: &'a [Option<&'a ArticleParts>],
    placements: Vec<Option<ArticlePlacement>>,
    /// Stories that jumped: where their body resumes, and the page they jumped from.
    jumps: BTreeMap<usize, (Cursor, u32)>,
    /// Stories whose first frame was set again for their rest ([`fit_jump`]): every frame
    /// of theirs is set from these parts.
    refitted: BTreeMap<usize, Rc<ArticleParts>>,
    warnings: Vec<Diagnostic>,
    proof: Vec<ProofFrame>,
}

impl MakeUp<'_> {
    /// Keeps findings not already kept.
    fn warn(&mut self, found: Vec<Diagnostic>) {
        for warning in found {
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
    }

    /// The frame on the page grid; a frame lower on the page opens with a rule in its first
    /// line, which its content starts under.
    fn rect(&self, page: &mut Page, planned: &PlannedFrame) -> Frame {
        let frame = self.frame_on_grid(page.number, planned);
        if opens_with_rule(planned) {
            let grid = &self.layout.grid;
            let y = frame.top - 0.5 * grid.baseline;
            page.items.push(Item::Rule {
                from: (frame.left(grid), y),
                to: (frame.right(grid), y),
                width: FRAME_RULE_WIDTH,
                color: self.layout.config.styles.rule_color,
            });
        }
        frame
    }

    /// The frame `planned` on page `number`'s grid, its content under its opening rule (see
    /// [`Self::rect`], which draws the rule).
    fn frame_on_grid(&self, number: u32, planned: &PlannedFrame) -> Frame {
        let grid = &self.layout.grid;
        let grid_top = self.layout.planned_grid_top(number);
        let rule = if opens_with_rule(planned) { 1 } else { 0 };
        Frame {
            first_column: planned.first_column,
            columns: planned.columns,
            top: grid_top + (planned.top + rule) as f32 * grid.baseline,
            bottom: grid_top + (planned.top + planned.depth) as f32 * grid.baseline,
            grid_top,
        }
    }

    /// Fills one frame of `page`.
    fn frame(&mut self, page: &mut Page, planned: &PlannedFrame) {
        let frame = self.rect(page, planned);
        let grid = &self.layout.grid;
        let grid_top = self.layout.planned_grid_top(page.number);
        let top = grid_top + planned.top as f32 * grid.baseline;
        self.proof.push(ProofFrame {
            page: page.number,
            rect: Rect::new(
                frame.left(grid),
                top,
                frame.right(grid) - frame.left(grid),
                frame.bottom - top,
            ),
            name: planned.name.clone(),
            misfit: 0,
        });
        match &planned.content {
            FrameContent::Story { article, continues, .. } => {
                self.story(page, planned, &frame, *article, *continues);
            }
            FrameContent::Briefs { label, articles } => {
                self.briefs(page, planned, &frame, label.as_deref(), articles);
            }
            FrameContent::Ad { file } => self.ad(page, planned, &frame, file.as_ref()),
            FrameContent::House => self.house_ad(page, &frame),
        }
    }

    /// Adds what an article drew on `page` (items from `first`) to its placement.
    fn record(
        &mut self,
        article: usize,
        page: &Page,
        first: usize,
        fit: Option<FrameFit>,
        overset: bool,
    ) {
        let placement = self.placements[article].get_or_insert_with(|| ArticlePlacement {
            pages: Vec::new(),
            overset: false,
            underset: 0.0,
            drawn: Vec::new(),
            fits: Vec::new(),
        });
        if placement.pages.last() != Some(&page.number) {
            placement.pages.push(page.number);
        }
        placement.drawn.push((page.number, first..page.items.len()));
        placement.overset |= overset;
        if let (Some(fit), Some(proof)) = (&fit, self.proof.last_mut()) {
            // Briefs: the frame is off when any of them is; overset shows first.
            proof.misfit = if fit.after > 0 || proof.misfit > 0 {
                proof.misfit.max(0) + fit.after.max(0)
            } else {
                fit.after
            };
        }
        if let Some(fit) = fit {
            placement.underset = (-fit.after).max(0) as f32 * self.layout.grid.baseline;
            placement.fits.push(fit);
        }
    }

    /// A story's frame: its head and first part, fitted; or, when it jumped here, the
    /// rest of it under a jump head.
    fn story(
        &mut self,
        page: &mut Page,
        planned: &PlannedFrame,
        frame: &Frame,
        article: usize,
        continues: Option<u32>,
    ) {
        let Some(base) = self.articles.get(article).copied().flatten() else { return };
        let mut refitted = self.refitted.get(&article).cloned();
        let mut fitted_for_rest = Vec::new();
        let first_frame = refitted.is_none() && !self.jumps.contains_key(&article);
        if let (Some(to), true) = (continues, first_frame)
            && let Some((parts, steps)) = self.fit_for_rest(base, frame, article, to)
        {
            let parts = Rc::new(parts);
            self.refitted.insert(article, parts.clone());
            (refitted, fitted_for_rest) = (Some(parts), steps);
        }
        let parts: &ArticleParts = refitted.as_deref().unwrap_or(base);
        let first = page.items.len();
        let baseline = self.layout.grid.baseline;
        if let Some((cursor, from)) = self.jumps.remove(&article) {
            let mut frame = *frame;
            self.jump_head(page, parts, &frame, from);
            frame.top += JUMP_HEAD_LINES * baseline;
            if let Some(to) = continues {
                // The middle of a story longer than two pages: it fills this frame as set
                // and jumps again.
                let start = ArticleStart::Continued(cursor);
                let part = place_article(parts, &frame, start, Some(to), self.layout);
                let lines = match part.next {
                    Some(ArticleStart::Continued(next)) => {
                        self.jumps.insert(article, (next, page.number));
                        0
                    }
                    _ => misfit(parts, &part, frame.bottom, baseline),
                };
                let mut fit = FrameFit::measured(&planned.name, page.number, lines, parts);
                self.place(page, part, frame.bottom, &mut fit, parts);
                self.record(article, page, first, Some(fit), false);
                return;
            }
            let (part, mut fit) = fit_continuation(
                parts,
                &frame,
                cursor,
                (&planned.name, page.number),
                &self.plan.fit_steps,
                self.layout,
                &mut Resets::default(),
            );
            self.place(page, part, frame.bottom, &mut fit, parts);
            self.record(article, page, first, Some(fit), false);
            return;
        }
        if let Some(to) = continues {
            let part = place_article(
                parts,
                frame,
                ArticleStart::Head(Headline::Main),
                Some(to),
                self.layout,
            );
            // A story that fits its first frame after all does not jump: it is measured here.
            let lines = match part.next {
                Some(ArticleStart::Continued(cursor)) => {
                    self.jumps.insert(article, (cursor, page.number));
                    let shortest = part.column_lines.iter().copied().min().unwrap_or(0);
                    if shortest < MIN_JUMP_LINES {
                        self.warnings.push(
                            Diagnostic::warning(
                                "short-jump",
                                format!(
                                    "the story of frame {} jumps after only {shortest} lines in a column (at least {MIN_JUMP_LINES} read well)",
                                    planned.name
                                ),
                            )
                            .in_file(crate::load::ISSUE_FILE)
                            .at(planned.line, 1)
                            .field("pages.frames.continues")
                            .hint("make the first frame deeper, or its head smaller"),
                        );
                    }
                    0
                }
                _ => misfit(parts, &part, frame.bottom, baseline),
            };
            let mut fit = FrameFit::measured(&planned.name, page.number, lines, parts);
            fit.steps.extend(fitted_for_rest);
            self.place(page, part, frame.bottom, &mut fit, parts);
            self.record(article, page, first, Some(fit), false);
            return;
        }
        let name = (planned.name.as_str(), page.number);
        let steps = &self.plan.fit_steps;
        let (part, mut fit) =
            fit_story(parts, frame, name, steps, self.layout, &mut Resets::default());
        self.place(page, part, frame.bottom, &mut fit, parts);
        self.record(article, page, first, Some(fit), false);
    }

    /// The story's parts with paragraphs of its first `frame` (jumping to page `to`) set again
    /// so that its rest fills its frame there ([`fit_jump`]), when that frame is its last
    /// and the rest alone cannot.
    fn fit_for_rest(
        &self,
        parts: &ArticleParts,
        frame: &Frame,
        article: usize,
        to: u32,
    ) -> Option<(ArticleParts, Vec<super::copyfit::FitStep>)> {
        let rest = self.plan.pages.get(to as usize - 1)?.frames.iter().find(
            |f| matches!(f.content, FrameContent::Story { article: a, .. } if a == article),
        )?;
        if let FrameContent::Story { continues: Some(_), .. } = rest.content {
            return None;
        }
        // Under its jump head, as `story` cuts it.
        let mut rest_frame = self.frame_on_grid(to, rest);
        rest_frame.top += JUMP_HEAD_LINES * self.layout.grid.baseline;
        let frames = JumpFrames { first: frame, to, rest: &rest_frame };
        let mut resets = Resets::default();
        let (parts, steps, _) =
            fit_jump(parts, frames, &self.plan.fit_steps, self.layout, &mut resets)?;
        Some((parts, steps))
    }

    /// Draws `part` on `page` cut at the frame's `bottom` (the overset is never printed),
    /// and counts what was cut in `fit`'s overset.
    fn place(
        &mut self,
        page: &mut Page,
        mut part: PlacedPart,
        bottom: f32,
        fit: &mut FrameFit,
        parts: &ArticleParts,
    ) {
        let cut = cut_at(&mut part.items, bottom, self.layout.grid.baseline);
        fit.add_cut(cut, parts);
        page.items.extend(part.items);
        self.warn(part.warnings);
    }

    /// "Suite de la page 1" across the top of a continuation frame, in the story's language.
    fn jump_head(&mut self, page: &mut Page, parts: &ArticleParts, frame: &Frame, from: u32) {
        let config = self.layout.config;
        let grid = &self.layout.grid;
        let text = labels::continued_from(parts.lang).replace("{page}", &from.to_string());
        let mut style = config.styles.intertitle.clone();
        style.emphasis.italic = true;
        let mut setter = Setter::new(
            self.layout.engine,
            config,
            grid,
            parts.lang,
            std::path::Path::new("issue.yaml"),
        );
        let width = frame.right(grid) - frame.left(grid);
        let lines = setter.set(&[InlineRun::plain(text)], &style, width);
        let found = setter.take_issue_warnings(Some("pages"));
        self.warn(found);
        if let Some(line) = lines.first() {
            let baseline = frame.top + ascent(&style);
            page.items.extend(line_items(line, frame.left(grid), baseline, style.color));
        }
    }

    /// A frame of briefs: the label, then each brief under a small head, one under the
    /// other; what does not fit is measured as overset on the last brief.
    fn briefs(
        &mut self,
        page: &mut Page,
        planned: &PlannedFrame,
        frame: &Frame,
        label: Option<&str>,
        articles: &[usize],
    ) {
        let config = self.layout.config;
        let grid = &self.layout.grid;
        let baseline = grid.baseline;
        let style = config.styles.sidebar_title.clone();
        let lang = articles
            .iter()
            .find_map(|a| self.articles.get(*a).copied().flatten())
            .map_or(config.lang, |p| p.lang);
        let text = label.unwrap_or(labels::briefs(lang));
        let mut setter =
            Setter::new(self.layout.engine, config, grid, lang, std::path::Path::new("issue.yaml"));
        let lines =
            setter.set(&[InlineRun::plain(text)], &style, frame.right(grid) - frame.left(grid));
        let found = setter.take_issue_warnings(Some("pages.label"));
        self.warn(found);
        let mut y = frame.top;
        for line in &lines {
            page.items.extend(line_items(line, frame.left(grid), y + ascent(&style), style.color));
            y += style.leading;
        }
        y = frame.top + super::article::snap_up(y - frame.top, baseline);
        let placed: Vec<usize> = articles
            .iter()
            .copied()
            .filter(|a| self.articles.get(*a).copied().flatten().is_some())
            .collect();
        for (n, &article) in placed.iter().enumerate() {
            let Some(parts) = self.articles[article] else { continue };
            let first = page.items.len();
            let sub = Frame { top: y, ..*frame };
            let part =
                place_article(parts, &sub, ArticleStart::Head(Headline::Main), None, self.layout);
            let last = n + 1 == placed.len();
            let lines = match part.next {
                Some(ArticleStart::Continued(c)) => remaining_lines(&parts.body, c, baseline),
                // Only the last brief can leave empty lines at the frame's foot.
                _ if last => -(part.empty_lines as i32),
                _ => 0,
            };
            y = frame.top
                + super::article::snap_up(part.bottom - frame.top, baseline)
                + BRIEF_GAP_LINES * baseline;
            let mut fit = FrameFit::measured(&planned.name, page.number, lines, parts);
            self.place(page, part, frame.bottom, &mut fit, parts);
            self.record(article, page, first, Some(fit), false);
        }
    }

    /// The publication's house ad, set for the frame's width and spaced down its depth.
    fn house_ad(&mut self, page: &mut Page, frame: &Frame) {
        let grid = &self.layout.grid;
        let (left, right) = (frame.left(grid), frame.right(grid));
        let rect = Rect::new(left, frame.top, right - left, frame.bottom - frame.top);
        let ad = HouseAd::for_frame(
            self.layout.engine,
            self.layout.config,
            grid,
            rect.width,
            rect.height,
        );
        self.warn(ad.warnings.clone());
        page.items.extend(ad.draw(rect));
    }

    /// An ad: the file scaled to fit the frame whole and centred in it (an ad is never
    /// cropped), or a placeholder box marked with its size, which `--strict` refuses
    /// through its warning.
    fn ad(
        &mut self,
        page: &mut Page,
        planned: &PlannedFrame,
        frame: &Frame,
        file: Option<&AdFile>,
    ) {
        let config = self.layout.config;
        let grid = &self.layout.grid;
        let (left, right) = (frame.left(grid), frame.right(grid));
        let rect = Rect::new(left, frame.top, right - left, frame.bottom - frame.top);
        if let Some(file) = file {
            let scale = (rect.width / file.size.0).min(rect.height / file.size.1);
            let (width, height) = (file.size.0 * scale, file.size.1 * scale);
            let placement = Rect::new(
                rect.x + (rect.width - width) / 2.0,
                rect.y + (rect.height - height) / 2.0,
                width,
                height,
            );
            page.items.push(Item::Image {
                frame: placement,
                clip: placement,
                placement,
                path: file.path.clone(),
                pixels: (file.size.0.round() as u32, file.size.1.round() as u32),
            });
            return;
        }
        let size = format!("{} col. × {:.0} mm", planned.columns, to_mm(rect.height));
        self.warnings.push(
            Diagnostic::warning(
                "ad-placeholder",
                format!(
                    "frame {} on page {} is an ad placeholder ({size}): no ad file yet",
                    planned.name, page.number
                ),
            )
            .in_file(crate::load::ISSUE_FILE)
            .at(planned.line, 1)
            .field("pages.frames.ad"),
        );
        page.items.push(Item::Rect {
            rect,
            fill: Some(PLACEHOLDER_TINT),
            stroke: Some((config.styles.rule_color, PLACEHOLDER_STROKE)),
        });
        // The cross layout programs draw in an empty frame: the slot reads as reserved,
        // not as a hole in the page.
        for (from, to) in [
            ((rect.x, rect.y), (rect.right(), rect.bottom())),
            ((rect.x, rect.bottom()), (rect.right(), rect.y)),
        ] {
            page.items.push(Item::Rule {
                from,
                to,
                width: PLACEHOLDER_STROKE,
                color: config.styles.rule_color,
            });
        }
        let style = config.styles.meta.clone();
        let mut setter = Setter::new(
            self.layout.engine,
            config,
            grid,
            config.lang,
            std::path::Path::new("issue.yaml"),
        );
        let text = format!("{} · {size}", labels::advertisement(config.lang));
        let lines = setter.set(&[InlineRun::plain(text)], &style, rect.width);
        let found = setter.take_issue_warnings(Some("pages.frames.ad"));
        self.warn(found);
        if let Some(line) = lines.first() {
            let x = rect.x + (rect.width - line.width) / 2.0;
            let y = rect.y + rect.height / 2.0;
            // Paper under the label, so the cross does not run through it.
            let pad = style.size / 2.0;
            page.items.push(Item::Rect {
                rect: Rect::new(
                    x - pad,
                    y - ascent(&style) - pad / 2.0,
                    line.width + 2.0 * pad,
                    style.leading + pad,
                ),
                fill: Some(Color::PAPER),
                stroke: None,
            });
            page.items.extend(line_items(line, x, y, style.color));
        }
    }
}

/// Grid lines a jump head ("Suite de la page N") takes at the top of a rest's frame.
const JUMP_HEAD_LINES: f32 = 2.0;

/// Whether `planned` opens with a rule in its first line: a story or briefs frame lower on
/// the page (an ad brings its own edge).
fn opens_with_rule(planned: &PlannedFrame) -> bool {
    planned.top > 0 && !matches!(planned.content, FrameContent::Ad { .. } | FrameContent::House)
}

/// Cuts what a placement drew in `items` at the frame's `bottom`: text whose baseline is
/// below it, rules and QR codes below it are dropped, boxes and photos are cut at it. The
/// overset of a planned frame is not printed, whatever forced it there (a brief with no
/// room left, a photo or head taller than the frame). Returns the lines cut: each text
/// line dropped, and a photo's or box's lost depth in grid lines.
fn cut_at(items: &mut Vec<Item>, bottom: f32, baseline: f32) -> i32 {
    let limit = bottom + CUT_SLACK;
    let mut lines: Vec<(i32, i32)> = Vec::new();
    let mut depth = 0.0f32;
    items.retain_mut(|item| match item {
        Item::Text { x, y, .. } => {
            let keep = *y <= limit;
            let line = ((*x * 10.0).round() as i32, (*y * 10.0).round() as i32);
            if !keep && !lines.contains(&line) {
                lines.push(line);
            }
            keep
        }
        Item::Rule { from, to, .. } => from.1.min(to.1) <= limit,
        Item::Rect { rect, .. } => {
            if rect.y >= bottom {
                return false;
            }
            if rect.bottom() > limit {
                depth = depth.max(rect.bottom() - bottom);
                rect.height = bottom - rect.y;
            }
            true
        }
        Item::Image { frame, clip, .. } => {
            if frame.y >= bottom {
                return false;
            }
            if frame.bottom() > limit {
                depth = depth.max(frame.bottom() - bottom);
                frame.height = bottom - frame.y;
            }
            if clip.bottom() > bottom {
                clip.height = (bottom - clip.y).max(0.0);
            }
            true
        }
        Item::Qr { y, module, symbol, .. } => *y + *module * symbol.width as f32 <= limit,
    });
    lines.len() as i32 + (depth / baseline).ceil() as i32
}
