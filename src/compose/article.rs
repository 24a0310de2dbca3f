//! Sets an article's parts with the `text` stage: the head (kicker, headline, meta line,
//! keywords), the QR block, the lead (photo, credit, caption, standfirst) and the body
//! pieces that flow through the columns. Runs in parallel, one article per task: nothing
//! here depends on where the article lands on the page.

use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::{BlockPiece, ColumnSlot, Cursor, LinesPiece, Piece, flow, line_items};
use crate::compose::labels::{self, ResolvedLabels};
use crate::diag::Diagnostic;
use crate::geom::Rect;
use crate::model::{
    Access, Align, Article, Block, BlockKind, Emphasis, FontRole, InlineRun, IssueConfig, Lang,
    TextStyle,
};
use crate::qr::PreparedQr;
use crate::text::{Line, ParagraphStyle, TextEngine};

/// An article with every part set, ready to be placed on pages.
#[derive(Debug, Clone)]
pub struct ArticleParts {
    /// The article's language (for labels placed at composition, like the jump line).
    pub lang: Lang,
    /// Kicker, headline, meta line and keywords, spanning the head width.
    pub head: BlockPiece,
    /// The same with a smaller headline, for an article that starts under another one:
    /// the page's hierarchy puts the first article's headline above the others.
    pub head_secondary: BlockPiece,
    /// The QR block for the head of the article, at the top right.
    pub qr_head: Option<BlockPiece>,
    /// The QR block reserved at the foot of the last column of the first page.
    pub qr_corner: Option<BlockPiece>,
    /// Photo with its credit and caption, over the last columns.
    pub lead: Option<BlockPiece>,
    /// Columns spanned by the lead.
    pub lead_columns: u32,
    /// Body pieces in reading order.
    pub pieces: Vec<Piece>,
    /// Warnings from setting the text, located in the article file.
    pub warnings: Vec<Diagnostic>,
}

/// Sets text for one article.
pub struct Setter<'a> {
    engine: &'a TextEngine,
    config: &'a IssueConfig,
    grid: &'a Grid,
    lang: Lang,
    labels: ResolvedLabels,
    warnings: Vec<Diagnostic>,
    file: std::path::PathBuf,
    line: usize,
}

/// Space between the items of a list in a sidebar, points.
const LIST_ITEM_GAP: f32 = 1.5;

/// Headline size of an article that starts under another one, relative to the lead's.
const SECONDARY_HEADLINE: f32 = 0.75;

/// Space between the photo and its credit, and similar small gaps, in points.
const SMALL_GAP: f32 = 2.0;

impl<'a> Setter<'a> {
    /// A setter for text in `lang`, reporting against `file`.
    pub fn new(
        engine: &'a TextEngine,
        config: &'a IssueConfig,
        grid: &'a Grid,
        lang: Lang,
        file: &std::path::Path,
    ) -> Self {
        Setter {
            engine,
            config,
            grid,
            lang,
            labels: labels::labels(config, lang),
            warnings: Vec::new(),
            file: file.to_path_buf(),
            line: 1,
        }
    }

    /// The paragraph style of a text style.
    pub fn paragraph_style(&self, style: &TextStyle) -> ParagraphStyle {
        let fonts = self.engine.fonts();
        let family = match style.role {
            FontRole::Body => fonts.body,
            FontRole::Heading => fonts.heading,
            FontRole::Kicker => fonts.kicker,
            FontRole::Caption => fonts.caption,
        };
        ParagraphStyle {
            family,
            emphasis: style.emphasis,
            size: style.size,
            align: style.align,
            first_indent: 0.0,
            lang: self.lang,
            hyphenate: style.align == Align::Justify,
            looseness: 0,
            uppercase: style.uppercase,
            tracking: 0.0,
        }
    }

    /// Sets spans in a style at a width, keeping the warnings (located at the current line).
    pub fn set_with(
        &mut self,
        spans: &[InlineRun],
        style: &ParagraphStyle,
        width: f32,
    ) -> Vec<Line> {
        let set = self.engine.set_paragraph(spans, style, width);
        let (file, line) = (self.file.clone(), self.line);
        self.warnings.extend(set.warnings.into_iter().map(|w| {
            let w = if w.file.is_none() { w.in_file(&file) } else { w };
            if w.line.is_none() { w.at(line, 0) } else { w }
        }));
        set.lines
    }

    /// Sets spans in a text style at a width.
    pub fn set(&mut self, spans: &[InlineRun], style: &TextStyle, width: f32) -> Vec<Line> {
        let paragraph = self.paragraph_style(style);
        self.set_with(spans, &paragraph, width)
    }

    /// Sets plain text.
    pub fn set_text(&mut self, text: &str, style: &TextStyle, width: f32) -> Vec<Line> {
        self.set(&[InlineRun::plain(text)], style, width)
    }

    /// Stacks lines at `y` (top of the first slot), moving `y` down; returns the items.
    fn stack(
        &self,
        lines: &[Line],
        style: &TextStyle,
        x: f32,
        y: &mut f32,
        width: f32,
    ) -> Vec<Item> {
        let mut items = Vec::new();
        for line in lines {
            let baseline = *y + ascent(style);
            let dx = match style.align {
                Align::Center => (width - line.width) / 2.0,
                _ => 0.0,
            };
            items.extend(line_items(line, x + dx, baseline, style.color));
            *y += style.leading;
        }
        items
    }

    /// Lines as a breakable piece of the body.
    fn piece(&self, lines: Vec<Line>, style: &TextStyle, space_before: f32) -> LinesPiece {
        LinesPiece {
            lines,
            leading: style.leading,
            ascent: ascent(style),
            color: style.color,
            space_before,
            keep_with_next: false,
            indent: 0.0,
            first_line_extras: Vec::new(),
        }
    }
}

/// From the top of a line slot to the baseline: the slot's half-leading plus the ascent of
/// capitals and ascenders (about 0.8 em in text faces).
pub fn ascent(style: &TextStyle) -> f32 {
    (style.leading - style.size) / 2.0 + 0.8 * style.size
}

/// Rounds `value` up to a whole number of `grid` steps, so what follows stays on the
/// baseline grid.
pub fn snap_up(value: f32, grid: f32) -> f32 {
    if grid <= 0.0 {
        return value;
    }
    (value / grid - 1e-3).ceil() * grid
}

/// Sets every part of an article. Errors only for content that cannot be placed at all.
pub fn set_article(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    article: &Article,
    qr: Option<&PreparedQr>,
) -> Result<ArticleParts, Vec<Diagnostic>> {
    let mut setter = Setter::new(engine, config, grid, article.lang, &article.path);
    // Readers read the headline and standfirst too.
    let words = count_words(&article.body)
        + article.title.split_whitespace().count()
        + article.standfirst.as_deref().map_or(0, |s| s.split_whitespace().count());

    // QR block: its width is one column (or the block at the article's end).
    let qr_block = qr.map(|q| qr_block(&mut setter, q, grid.column_width));
    let (qr_head, qr_end, qr_corner) = match (config.qr.placement, qr_block) {
        (crate::model::QrPlacement::Head, Some(b)) => (Some(b), None, None),
        (crate::model::QrPlacement::End, Some(b)) => (None, Some(b), None),
        (crate::model::QrPlacement::Corner, Some(b)) => (None, None, Some(b)),
        _ => (None, None, None),
    };

    let head_width = match &qr_head {
        Some(_) => grid.area.width - grid.column_width - grid.gutter,
        None => grid.area.width,
    };
    let head = head_block(&mut setter, article, head_width, words, 1.0)?;
    let secondary_warnings = setter.warnings.len();
    let head_secondary = head_block(&mut setter, article, head_width, words, SECONDARY_HEADLINE)?;
    // The secondary head repeats the first one's findings: keep them once.
    setter.warnings.truncate(secondary_warnings);

    let lead_columns = article
        .photo
        .as_ref()
        .and_then(|p| p.columns)
        .unwrap_or(config.photo.columns)
        .clamp(1, grid.columns);
    let lead = lead_block(&mut setter, article, grid.span(lead_columns));

    let mut pieces = Vec::new();
    if let Some(standfirst) = &article.standfirst {
        pieces.push(Piece::Block(standfirst_block(&mut setter, standfirst, grid.column_width)));
    }
    pieces.extend(body_pieces(&mut setter, &article.body, grid.column_width));
    if let Some(block) = qr_end {
        pieces.push(Piece::Block(block));
    }
    Ok(ArticleParts {
        lang: article.lang,
        head,
        head_secondary,
        qr_head,
        qr_corner,
        lead,
        lead_columns,
        pieces,
        warnings: setter.warnings,
    })
}

/// Words of the body, for the reading time.
fn count_words(blocks: &[Block]) -> usize {
    let spans_words = |spans: &[InlineRun]| -> usize {
        spans.iter().map(|s| s.text.split_whitespace().count()).sum()
    };
    blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(s) | BlockKind::Intertitle(s) | BlockKind::Quote(s) => {
                spans_words(s)
            }
            BlockKind::List(items) => items.iter().map(|i| spans_words(i)).sum(),
            BlockKind::Sidebar { title, blocks } => spans_words(title) + count_words(blocks),
        })
        .sum()
}

/// Kicker, headline, meta line, keywords, and the rule under them.
fn head_block(
    setter: &mut Setter<'_>,
    article: &Article,
    width: f32,
    words: usize,
    scale: f32,
) -> Result<BlockPiece, Vec<Diagnostic>> {
    let config = setter.config;
    let styles = &config.styles;
    let mut items = Vec::new();
    let mut y = 0.0;
    setter.line = 1;

    if let Some(kicker) = &article.kicker {
        let lines = setter.set_text(kicker, &styles.kicker, width);
        items.extend(setter.stack(&lines, &styles.kicker, 0.0, &mut y, width));
        y += styles.kicker.space_after;
    }

    // The headline shrinks until it takes at most 45 % of the type area: a long title
    // wraps and gets smaller, it never runs off the page.
    let max_height = 0.45 * setter.grid.area.height;
    let mut base = styles.headline.clone();
    base.size *= scale;
    base.leading *= scale;
    let base = &base;
    let min_size = config.styles.body.size.max(8.0);
    let mut style = base.clone();
    let before = setter.warnings.len();
    let mut lines = setter.set_text(&article.title, &style, width);
    while lines.len() as f32 * style.leading > max_height && style.size > min_size {
        let size = (style.size - 1.0).max(min_size);
        style.leading = base.leading * size / base.size;
        style.size = size;
        // Keep only the findings of the size finally used.
        setter.warnings.truncate(before);
        lines = setter.set_text(&article.title, &style, width);
    }
    let needed = lines.len() as f32 * style.leading;
    if needed > max_height {
        return Err(vec![
            Diagnostic::error(
                "headline-too-long",
                format!(
                    "the headline needs {} lines ({:.0} mm) even at {:.1} pt and cannot fit on a page",
                    lines.len(),
                    crate::geom::to_mm(needed),
                    style.size
                ),
            )
            .in_file(&article.path)
            .field("title")
            .hint("shorten the title; put the rest in the standfirst"),
        ]);
    }
    if style.size < base.size {
        setter.warnings.push(
            Diagnostic::warning(
                "long-title",
                format!(
                    "headline set at {:.1} pt instead of {:.1} pt to fit ({} lines)",
                    style.size,
                    base.size,
                    lines.len()
                ),
            )
            .in_file(&article.path)
            .field("title"),
        );
    }
    items.extend(setter.stack(&lines, &style, 0.0, &mut y, width));
    y += style.space_after;

    let meta = meta_line(setter, article, words);
    if !meta.is_empty() {
        let lines = setter.set_text(&meta, &styles.meta, width);
        items.extend(setter.stack(&lines, &styles.meta, 0.0, &mut y, width));
    }
    if !article.keywords.is_empty() {
        let label = format!("{} : ", setter.labels.keywords);
        let label = if article.lang == Lang::Fr { label } else { label.replace(" : ", ": ") };
        let spans = vec![
            InlineRun {
                text: label,
                emphasis: Emphasis { bold: true, italic: false },
                verbatim: false,
            },
            InlineRun::plain(article.keywords.join(" · ")),
        ];
        let lines = setter.set(&spans, &styles.keywords, width);
        items.extend(setter.stack(&lines, &styles.keywords, 0.0, &mut y, width));
    }
    y += styles.meta.space_after;
    Ok(BlockPiece { height: y, items, space_before: 0.0 })
}

/// "Mise à jour le 11 septembre 2025 · Temps de lecture : 3 minutes · Accès abonné".
fn meta_line(setter: &Setter<'_>, article: &Article, words: usize) -> String {
    let labels = &setter.labels;
    let mut parts = Vec::new();
    if let Some(author) = &article.author {
        parts.push(labels::fill(&labels.by, &[("author", author)]));
    }
    if let Some(updated) = article.updated {
        let date = labels::long_date(updated, article.lang);
        parts.push(labels::fill(&labels.updated, &[("date", &date)]));
    } else if let Some(date) = article.date {
        let date = labels::long_date(date, article.lang);
        parts.push(labels::fill(&labels.published, &[("date", &date)]));
    }
    let minutes = article
        .reading_time
        .unwrap_or_else(|| labels::reading_minutes(words, setter.config.words_per_minute));
    parts.push(if minutes == 1 {
        labels.reading_time_one.clone()
    } else {
        labels::fill(&labels.reading_time, &[("minutes", &minutes.to_string())])
    });
    match article.access {
        Some(Access::Subscribers) => parts.push(labels.subscribers.clone()),
        Some(Access::Free) => parts.push(labels.free.clone()),
        None => {}
    }
    parts.join(" · ")
}

/// The standfirst (chapô) at the head of the first column, as an unbreakable block whose
/// height keeps the body that follows on the baseline grid.
fn standfirst_block(setter: &mut Setter<'_>, text: &str, width: f32) -> BlockPiece {
    let style = setter.config.styles.standfirst.clone();
    setter.line = 1;
    let lines = setter.set_text(text, &style, width);
    let mut y = 0.0;
    let items = setter.stack(&lines, &style, 0.0, &mut y, width);
    BlockPiece {
        height: snap_up(y + style.space_after, setter.grid.baseline),
        items,
        space_before: 0.0,
    }
}

/// The photo (cover-fit in its frame around the focal point), its credit and caption.
fn lead_block(setter: &mut Setter<'_>, article: &Article, width: f32) -> Option<BlockPiece> {
    let styles = &setter.config.styles;
    let grid = setter.grid.baseline;
    let mut items = Vec::new();
    let mut y = 0.0;
    if let Some(photo) = &article.photo {
        setter.line = photo.line.unwrap_or(1);
        let height = snap_up(width * 2.0 / 3.0, grid);
        let frame = Rect::new(0.0, 0.0, width, height);
        items.push(Item::Image {
            frame,
            placement: cover(frame, (photo.width_px, photo.height_px), photo.focus),
            path: photo.path.clone(),
            pixels: (photo.width_px, photo.height_px),
        });
        y = height + SMALL_GAP;
        if let Some(credit) = &photo.credit {
            let lines = setter.set_text(credit, &styles.credit, width);
            for line in &lines {
                let baseline = y + ascent(&styles.credit);
                // Credits sit flush right under the photo, as agencies ask.
                items.extend(line_items(line, width - line.width, baseline, styles.credit.color));
                y += styles.credit.leading;
            }
        }
        if let Some(caption) = &photo.caption {
            let lines = setter.set_text(caption, &styles.caption, width);
            items.extend(setter.stack(&lines, &styles.caption, 0.0, &mut y, width));
        }
        y += styles.caption.space_after;
    }
    if items.is_empty() {
        return None;
    }
    Some(BlockPiece { height: snap_up(y, grid), items, space_before: 0.0 })
}

/// Where a photo of `pixels` lands so that it covers `frame` with its focal point as near
/// the frame's centre as the crop allows.
pub fn cover(frame: Rect, pixels: (u32, u32), focus: (f32, f32)) -> Rect {
    let (pw, ph) = (pixels.0.max(1) as f32, pixels.1.max(1) as f32);
    let scale = (frame.width / pw).max(frame.height / ph);
    // Float rounding can leave the scaled side a hair short of the frame: never smaller.
    let (w, h) = ((pw * scale).max(frame.width), (ph * scale).max(frame.height));
    // max-then-min rather than clamp: clamp panics if rounding ever crossed the bounds.
    let x = (frame.x + frame.width / 2.0 - focus.0.clamp(0.0, 1.0) * w)
        .max(frame.right() - w)
        .min(frame.x);
    let y = (frame.y + frame.height / 2.0 - focus.1.clamp(0.0, 1.0) * h)
        .max(frame.bottom() - h)
        .min(frame.y);
    Rect::new(x, y, w, h)
}

/// Body blocks to flow pieces.
fn body_pieces(setter: &mut Setter<'_>, blocks: &[Block], width: f32) -> Vec<Piece> {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let mut pieces = Vec::new();
    let mut indent_next = false;
    for block in blocks {
        setter.line = block.line;
        match &block.kind {
            BlockKind::Paragraph(spans) => {
                let mut style = setter.paragraph_style(&styles.body);
                // First paragraphs and those after an intertitle are not indented.
                if indent_next {
                    style.first_indent = styles.body.size;
                }
                let lines = setter.set_with(spans, &style, width);
                // Text that sets to nothing (only soft hyphens, say) takes no room.
                if !lines.is_empty() {
                    pieces.push(Piece::Lines(setter.piece(lines, &styles.body, 0.0)));
                    indent_next = true;
                }
            }
            BlockKind::Intertitle(spans) => {
                let lines = setter.set(spans, &styles.intertitle, width);
                let mut piece = setter.piece(
                    lines,
                    &styles.intertitle,
                    snap_up(styles.intertitle.space_before, grid),
                );
                piece.keep_with_next = true;
                pieces.push(Piece::Lines(piece));
                indent_next = false;
            }
            BlockKind::List(items) => {
                pieces.extend(list_pieces(setter, items, &styles.body, width));
                indent_next = false;
            }
            BlockKind::Quote(spans) => {
                pieces.push(Piece::Block(quote_block(setter, spans, width)));
                indent_next = false;
            }
            BlockKind::Sidebar { title, blocks } => {
                pieces.push(Piece::Block(sidebar_block(setter, title, blocks, width)));
                indent_next = false;
            }
        }
    }
    pieces
}

/// Bulleted list items as pieces with a hanging indent.
fn list_pieces(
    setter: &mut Setter<'_>,
    items: &[Vec<InlineRun>],
    style: &TextStyle,
    width: f32,
) -> Vec<Piece> {
    let indent = style.size;
    let bullet = setter.set_text("–", style, width);
    items
        .iter()
        .map(|spans| {
            let mut paragraph = setter.paragraph_style(style);
            paragraph.align = Align::Left;
            let lines = setter.set_with(spans, &paragraph, width - indent);
            let mut piece = setter.piece(lines, style, 0.0);
            piece.indent = indent;
            piece.first_line_extras =
                bullet.iter().take(1).flat_map(|l| line_items(l, 0.0, 0.0, style.color)).collect();
            Piece::Lines(piece)
        })
        .collect()
}

/// A pull quote between two rules.
fn quote_block(setter: &mut Setter<'_>, spans: &[InlineRun], width: f32) -> BlockPiece {
    let style = setter.config.styles.quote.clone();
    let grid = setter.grid.baseline;
    let rule = setter.config.styles.rule_color;
    let mut items =
        vec![Item::Rule { from: (0.0, 1.0), to: (width, 1.0), width: 1.0, color: rule }];
    let mut y = 6.0;
    let lines = setter.set(spans, &style, width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y, width));
    y += 4.0;
    items.push(Item::Rule { from: (0.0, y), to: (width, y), width: 1.0, color: rule });
    BlockPiece { height: snap_up(y + 2.0, grid), items, space_before: grid }
}

/// The boxed sidebar (encadré): a tinted box with a title and its content.
fn sidebar_block(
    setter: &mut Setter<'_>,
    title: &[InlineRun],
    blocks: &[Block],
    width: f32,
) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let pad = 5.0;
    let inner = width - 2.0 * pad;
    let mut content = Vec::new();
    let mut y = pad;
    let lines = setter.set(title, &styles.sidebar_title, inner);
    content.extend(setter.stack(&lines, &styles.sidebar_title, pad, &mut y, inner));
    y += styles.sidebar_title.space_after;
    for block in blocks {
        setter.line = block.line;
        match &block.kind {
            BlockKind::List(items) => {
                // The list flows in one endless column inside the box, as in the body.
                let mut pieces = list_pieces(setter, items, &styles.sidebar, inner);
                for piece in pieces.iter_mut().skip(1) {
                    if let Piece::Lines(p) = piece {
                        p.space_before = LIST_ITEM_GAP;
                    }
                }
                let column = ColumnSlot { x: pad, width: inner, top: y, reserve: 0.0 };
                let flowed = flow(&pieces, Cursor::default(), &[column], f32::MAX);
                content.extend(flowed.items(&pieces));
                y = flowed.bottom + LIST_ITEM_GAP;
            }
            BlockKind::Paragraph(spans)
            | BlockKind::Quote(spans)
            | BlockKind::Intertitle(spans) => {
                let lines = setter.set(spans, &styles.sidebar, inner);
                content.extend(setter.stack(&lines, &styles.sidebar, pad, &mut y, inner));
                y += 2.0;
            }
            BlockKind::Sidebar { .. } => {}
        }
    }
    let height = snap_up(y + pad, grid) - 0.5 * grid;
    let mut items = vec![
        Item::Rect {
            rect: Rect::new(0.0, 0.0, width, height),
            fill: Some(styles.sidebar_tint),
            stroke: None,
        },
        Item::Rule { from: (0.0, 0.0), to: (width, 0.0), width: 1.5, color: styles.rule_color },
    ];
    items.extend(content);
    BlockPiece { height: height + 0.5 * grid, items, space_before: grid }
}

/// The publication's boilerplate blocks (subscription, donation), set once per issue; the
/// composer puts them side by side in the free foot of a page.
pub fn boilerplate_blocks(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
) -> Vec<BlockPiece> {
    let mut setter =
        Setter::new(engine, config, grid, config.lang, std::path::Path::new("issue.yaml"));
    // Side by side across the type area: a low band fits the foot of more pages.
    let width = band_width(grid, config.boilerplate.len());
    config.boilerplate.iter().map(|item| boilerplate_block(&mut setter, item, width)).collect()
}

/// Width of each of `count` blocks set side by side across the type area.
pub fn band_width(grid: &Grid, count: usize) -> f32 {
    let count = count.max(1) as f32;
    (grid.area.width - grid.gutter * (count - 1.0)) / count
}

/// A boilerplate block (subscription, donation) under a rule.
fn boilerplate_block(
    setter: &mut Setter<'_>,
    item: &crate::model::Boilerplate,
    width: f32,
) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let grid = setter.grid.baseline;
    let mut items = vec![Item::Rule {
        from: (0.0, 0.0),
        to: (width, 0.0),
        width: 0.75,
        color: styles.rule_color,
    }];
    let mut y = 3.0;
    let lines = setter.set_text(&item.title, &styles.boilerplate_title, width);
    items.extend(setter.stack(&lines, &styles.boilerplate_title, 0.0, &mut y, width));
    // The call to action runs in at the end of the text, in bold: one line less in the band.
    let mut spans = item.text.clone();
    if let Some(action) = &item.action {
        let bold = Emphasis { bold: true, ..Emphasis::default() };
        spans.push(InlineRun { text: format!(" {action}"), emphasis: bold, verbatim: false });
    }
    let lines = setter.set(&spans, &styles.boilerplate, width);
    items.extend(setter.stack(&lines, &styles.boilerplate, 0.0, &mut y, width));
    BlockPiece { height: snap_up(y, grid), items, space_before: grid }
}

/// The printed address (scheme dropped), broken only after `/` or `.` so that no reader
/// takes a line-end hyphen for part of the address.
fn address_lines(setter: &mut Setter<'_>, url: &str, style: &TextStyle, width: f32) -> Vec<Line> {
    let (address, breaks) = crate::qr::display_address(url);
    let mut paragraph = setter.paragraph_style(style);
    paragraph.align = Align::Left;
    paragraph.hyphenate = false;
    let piece = |text: &str| {
        [InlineRun { text: text.to_string(), emphasis: Emphasis::default(), verbatim: true }]
    };
    let fits =
        |setter: &Setter<'_>, text: &str| setter.engine.measure(&piece(text), &paragraph) <= width;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < address.len() {
        // The longest run of whole segments that fits; at least one segment per line.
        let mut end = address.len();
        if !fits(setter, &address[start..]) {
            let candidates: Vec<usize> = breaks.iter().copied().filter(|&b| b > start).collect();
            end = candidates
                .iter()
                .copied()
                .take_while(|&b| fits(setter, &address[start..b]))
                .last()
                .or_else(|| candidates.first().copied())
                .unwrap_or(address.len());
        }
        // Each segment is set on its own line at an unbounded measure: it never breaks.
        lines.extend(
            setter.set_with(&piece(&address[start..end]), &paragraph, f32::MAX).into_iter().take(1),
        );
        start = end;
    }
    lines
}

/// The QR block: symbol on the right with its quiet zone, caption and address on the left.
fn qr_block(setter: &mut Setter<'_>, qr: &PreparedQr, width: f32) -> BlockPiece {
    let styles = setter.config.styles.clone();
    let module = setter.config.qr.module;
    let symbol_side = qr.symbol.width as f32 * module;
    let quiet = 4.0 * module;
    let outer = symbol_side + 2.0 * quiet;
    let text_width = (width - outer).max(width * 0.3);
    let mut items =
        vec![Item::Qr { x: width - outer + quiet, y: quiet, module, symbol: qr.symbol.clone() }];
    let publication = setter.config.publication.clone();
    let caption = setter.labels.qr_caption.clone();
    let address_label = labels::fill(&setter.labels.qr_address, &[("publication", &publication)]);
    let mut y = quiet;
    let mut style = styles.qr.clone();
    let lines = setter.set_text(&caption, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y, text_width));
    y += 2.0;
    let lines = setter.set_text(&address_label, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y, text_width));
    style.emphasis.bold = true;
    let lines = address_lines(setter, &qr.address, &style, text_width);
    items.extend(setter.stack(&lines, &style, 0.0, &mut y, text_width));
    BlockPiece { height: y.max(outer), items, space_before: setter.grid.baseline }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontBook;
    use crate::load::default_config;

    fn line_text(line: &Line) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn printed_address_breaks_only_after_slash_or_dot() {
        let config = default_config();
        let engine = TextEngine::new(FontBook::new(&config.fonts).unwrap(), &config.hyphenation);
        let grid = Grid::new(&config);
        let mut setter =
            Setter::new(&engine, &config, &grid, Lang::Fr, std::path::Path::new("a.md"));
        let url =
            "https://www.liberte-actus.fr/international/asie-centrale/2025/09/kazakhstan-brics";
        let lines = address_lines(&mut setter, url, &config.styles.qr, 60.0);
        assert!(lines.len() > 2, "a long address wraps in a narrow block");
        let texts: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(texts.concat(), &url["https://".len()..]);
        for text in &texts[..texts.len() - 1] {
            assert!(text.ends_with('/') || text.ends_with('.'), "{texts:?}");
        }
        let short =
            address_lines(&mut setter, "https://liberte-actus.fr/1719", &config.styles.qr, 200.0);
        assert_eq!(short.iter().map(line_text).collect::<Vec<_>>(), ["liberte-actus.fr/1719"]);
    }

    #[test]
    fn cover_fit_keeps_the_focal_point_and_covers_the_frame() {
        let frame = Rect::new(10.0, 20.0, 300.0, 200.0);
        // A wide photo: height fits, the sides are cropped around the focus.
        let placed = cover(frame, (3000, 1000), (0.8, 0.5));
        assert!((placed.height - 200.0).abs() < 1e-3);
        assert!(placed.x <= frame.x && placed.right() >= frame.right());
        // The focus (80 % across) is as near the frame centre as the crop allows.
        let focus_x = placed.x + 0.8 * placed.width;
        assert!(focus_x > frame.x + frame.width / 2.0 - 1.0);
        // Portrait photos of every width never trip on rounding (this once panicked).
        let column = Rect::new(0.0, 0.0, 345.3, 230.2);
        for width in 300..1200 {
            let placed = cover(column, (width, width * 3 / 2), (0.5, 0.0));
            assert!(placed.x <= column.x && placed.right() >= column.right());
            assert!(placed.y <= column.y && placed.bottom() >= column.bottom());
        }
        // Centre focus on a tall photo: cropped top and bottom equally.
        let tall = cover(frame, (1000, 3000), (0.5, 0.5));
        assert!((tall.y - frame.y + (tall.height - frame.height) / 2.0).abs() < 1e-3);
    }
}
