//! Sets an article's parts with the `text` stage: the head (kicker, headline, meta line,
//! keywords), the QR block, the lead (photo, credit, caption, standfirst) and the body that
//! flows through the columns. Runs in parallel, one article per task: nothing here depends
//! on where the article lands on the page.
//!
//! Files: `setter.rs` (text through the `text` stage, warnings located in the article),
//! then one file per part: `head.rs`, `lead.rs`, `qr_block.rs`, `body.rs`, and
//! `boilerplate.rs` for the publication's band, set once per issue, and `house_ad.rs` for
//! the publication's own ad made of it.

mod body;
mod boilerplate;
mod head;
mod house_ad;
mod lead;
mod qr_block;
mod setter;

pub use boilerplate::{BoilerplateBand, band_width, boilerplate_blocks};
pub use house_ad::HouseAd;
pub use lead::cover;
pub use setter::{Setter, ascent, snap_up};

use crate::compose::Grid;
use crate::compose::display::Item;
use crate::compose::flow::{BlockPiece, Flowable};
use crate::diag::Diagnostic;
use crate::model::{
    Article, Block, BlockKind, FramePhoto, HeadClass, InlineRun, IssueConfig, Lang, QrPlacement,
};
use crate::qr::PreparedQr;
use crate::text::TextEngine;

/// The frame a planned story is set for: its width in columns, its head class and its
/// photo. The head spans the frame, the photo is at most as wide, and the body's paragraphs
/// keep what they were set from, so copyfitting can set them again one line longer or
/// shorter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryShape {
    /// Columns of the frame that takes the story's head.
    pub columns: u32,
    /// Its depth in grid lines: a photo sized from its own shape stays well inside it.
    pub depth: u32,
    /// Its head class.
    pub head: HeadClass,
    /// Whether it is set in a frame of briefs: the frame's label stands over them once, so
    /// a brief's head there is its headline alone, without a kicker (which would repeat
    /// the label, or stack a second label under it).
    pub in_briefs: bool,
    /// The photo's size the plan asks for in this frame, or none.
    pub photo: FramePhoto,
}

/// Narrowest frame, in columns, whose head keeps the QR block at its top right: in fewer,
/// the head would be squeezed into a column or two, so the block goes after the text.
const QR_HEAD_MIN_COLUMNS: u32 = 3;

/// An article with every part set, ready to be placed on pages.
#[derive(Debug, Clone)]
pub struct ArticleParts {
    /// The article's language (for labels placed at composition, like the jump line).
    pub lang: Lang,
    /// Kicker, headline, meta line and keywords, spanning the head width.
    pub head: BlockPiece,
    /// The same with a smaller headline, for an article that starts under another one:
    /// the page's hierarchy puts the first article's headline above the others. For a
    /// planned story, its head one size step down (copyfit), when its class has one.
    pub head_secondary: BlockPiece,
    /// For a planned story whose class has a larger one, its head one size step up
    /// (copyfit, to fill a frame the story leaves short).
    pub head_larger: Option<BlockPiece>,
    /// The QR block for the head of the article, at the top right.
    pub qr_head: Option<BlockPiece>,
    /// The QR block reserved at the foot of the last column of the first page.
    pub qr_corner: Option<BlockPiece>,
    /// Photo with its credit and caption, over the last columns.
    pub lead: Option<BlockPiece>,
    /// Whether the lead stands beside the head, from the frame's top in its last columns
    /// (the head then spans the others), rather than under a head across the frame.
    pub photo_beside_head: bool,
    /// Columns spanned by the lead.
    pub lead_columns: u32,
    /// The photo's focal point (copyfit crops it again around it).
    pub lead_focus: (f32, f32),
    /// The photo's frame (columns, lines) when it took its own shape rather than the house
    /// 3:2 or a depth the plan gave: copyfit may bring it back toward the house shape, past
    /// its crop share, when the story fits no other way.
    pub own_photo: Option<(u32, u32)>,
    /// What flows through the columns, in reading order: the standfirst, the body, and the
    /// QR block when it goes at the end.
    pub body: Vec<Flowable>,
    /// Warnings from setting the text, located in the article file.
    pub warnings: Vec<Diagnostic>,
    /// The module size the QR code is printed at, points: the issue's, or smaller when the
    /// symbol did not fit its column at that size (the QR report gives the printed one).
    pub qr_module: Option<f32>,
    /// For the placeholder of a failed story set in the flow: the place that story took in
    /// the last build, which the placeholder keeps (`None` for a story of its own).
    pub held: Option<HeldPlace>,
}

/// The place a story took in the sequential make-up: enough for a placeholder standing in
/// for it to end where it ended, so that the stories after it start where they started.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeldPlace {
    /// How many pages it was on.
    pub pages: u32,
    /// The space it left at the foot of its last page, points.
    pub underset: f32,
}

/// Sets every part of an article: for the whole type area's width, or for the frame of a
/// page plan (`shape`). Errors only for content that cannot be placed at all.
pub fn set_article(
    engine: &TextEngine,
    config: &IssueConfig,
    grid: &Grid,
    article: &Article,
    qr: Option<&PreparedQr>,
    shape: Option<StoryShape>,
) -> Result<ArticleParts, Vec<Diagnostic>> {
    let mut setter = Setter::new(engine, config, grid, article.lang, &article.path);
    setter.keep_sources = shape.is_some();
    // Readers read the headline and standfirst too.
    let words = count_words(&article.body)
        + article.title.split_whitespace().count()
        + article.standfirst.as_deref().map_or(0, |s| s.split_whitespace().count());

    // QR block: its width is one column (or the block at the article's end).
    let qr_block = qr
        .map(|q| qr_block::qr_block(&mut setter, q, grid.column_width, article.url_line))
        .transpose()
        .map_err(|e| vec![e])?;
    let qr_module = qr_block.as_ref().and_then(|block| {
        block.items.iter().find_map(|item| match item {
            Item::Qr { module, .. } => Some(*module),
            _ => None,
        })
    });
    let (planned_columns, planned_depth, beside_head) = match shape.map(|s| s.photo) {
        Some(FramePhoto::Sized { columns, depth, beside_head }) => (columns, depth, beside_head),
        _ => (None, None, false),
    };
    let room = shape.map_or(grid.columns, |s| s.columns.clamp(1, grid.columns));
    let asked = article.photo.as_ref().and_then(|p| p.columns);
    if let (Some(photo), Some(asked), None) = (&article.photo, asked, planned_columns)
        && asked > room
    {
        // Said, not silently narrowed: the photo will print smaller than the article asks.
        let d = Diagnostic::warning(
            "photo-columns",
            format!(
                "the photo asks for {asked} columns, but its frame has {room}: it spans {room}"
            ),
        )
        .in_file(&article.path)
        .field("photo.columns")
        .hint(format!("write `columns: {room}` or less"));
        setter.warnings.push(match photo.line {
            Some(line) => d.at_source_line(&article.path, line),
            None => d,
        });
    }
    let lead_columns = planned_columns.or(asked).unwrap_or(config.photo.columns).clamp(1, room);
    let photo_beside_head = beside_head && article.photo.is_some();
    // The head's own columns: the frame's, less the photo's when it stands beside the head.
    let head_columns =
        shape.map(|s| if photo_beside_head { s.columns - lead_columns } else { s.columns });
    let placement = match shape {
        // A brief is too small for a QR block of its own.
        Some(StoryShape { head: HeadClass::Brief, .. }) => QrPlacement::Off,
        Some(_)
            if head_columns.is_some_and(|c| c < QR_HEAD_MIN_COLUMNS)
                && config.qr.placement == QrPlacement::Head =>
        {
            QrPlacement::End
        }
        _ => config.qr.placement,
    };
    let (qr_head, qr_end, qr_corner) = match (placement, qr_block) {
        (QrPlacement::Head, Some(b)) => (Some(b), None, None),
        (QrPlacement::End, Some(b)) => (None, Some(b), None),
        (QrPlacement::Corner, Some(b)) => (None, None, Some(b)),
        _ => (None, None, None),
    };

    let head_area = head_columns.map_or(grid.area.width, |c| grid.span(c));
    let head_width = match &qr_head {
        Some(_) => head_area - grid.column_width - grid.gutter,
        None => head_area,
    };
    // In a planned frame the head runs around the QR block: what starts under the block
    // goes across the frame, so the block's column holds no hole under it. The sequential
    // make-up keeps the whole head beside the block.
    let (full_width, runaround) = match (&qr_head, shape) {
        (Some(block), Some(_)) => {
            (head_area, Some(head::Runaround { width: head_width, until: block.height }))
        }
        _ => (head_width, None),
    };
    let compact = shape.is_some_and(|s| s.head == HeadClass::Brief);
    let kicker = !shape.is_some_and(|s| s.in_briefs);
    let (scale, smaller, larger) = match shape {
        Some(s) => (
            s.head.scale(),
            s.head.smaller().unwrap_or(s.head).scale(),
            s.head.larger().map(|class| class.scale()),
        ),
        None => (1.0, head::SECONDARY_HEADLINE_SCALE, None),
    };
    // In a planned frame the standfirst goes in the head, across it: a frame's first column
    // may be too short under a tall head for a standfirst set one column wide.
    let options = head::HeadOptions { compact, kicker, standfirst: shape.is_some(), runaround };
    let head = head::head_block(&mut setter, article, full_width, words, scale, options)?;
    let secondary_warnings = setter.warnings.len();
    let head_secondary =
        head::head_block(&mut setter, article, full_width, words, smaller, options)?;
    let head_larger = match larger {
        Some(scale) => {
            Some(head::head_block(&mut setter, article, full_width, words, scale, options)?)
        }
        None => None,
    };
    // The other heads repeat the first one's findings: keep them once.
    setter.warnings.truncate(secondary_warnings);

    // A depth the page plan gives is kept as given (the check warns of its crop); without
    // one, a photo the 3:2 frame would crop too much takes its own shape, under the head
    // (whose depth is known now), and one column unless its columns were given.
    let (lead_columns, lead_depth) = match &article.photo {
        Some(photo) if planned_depth.is_none() => {
            let depth = shape.map_or(grid.area.height, |s| s.depth as f32 * grid.baseline);
            let pixels = (photo.width_px, photo.height_px);
            let under_head = (depth - head.height).max(grid.baseline);
            let columns = (lead_columns, planned_columns.is_none() && asked.is_none());
            lead::own_shape(pixels, columns, grid, config.photo.max_crop, under_head)
        }
        _ => (lead_columns, planned_depth),
    };
    // A photo the house frame would crop too much has its own shape, even at a depth the
    // plan gives (the automatic plan gives the one it measured).
    let suits_house = article.photo.as_ref().is_none_or(|photo| {
        let pixels = (photo.width_px, photo.height_px);
        lead::suits_house(pixels, lead_columns, grid, config.photo.max_crop)
    });
    let lead = if shape.is_some_and(|s| s.photo == FramePhoto::Off) {
        None
    } else {
        lead::lead_block(&mut setter, article, grid.span(lead_columns), lead_depth)
    };

    let mut body = Vec::new();
    // Elsewhere (a brief's compact head has none) it is the body's first block.
    if let Some(standfirst) = article.standfirst.as_ref().filter(|_| !options.standfirst || compact)
    {
        body.push(Flowable::Block(lead::standfirst_block(
            &mut setter,
            standfirst,
            grid.column_width,
        )));
    }
    body.extend(body::body_flowables(&mut setter, &article.body, grid.column_width));
    if let Some(block) = qr_end {
        body.push(Flowable::Block(block));
    }
    Ok(ArticleParts {
        lang: article.lang,
        head,
        head_secondary,
        head_larger,
        qr_head,
        qr_corner,
        lead,
        lead_columns,
        photo_beside_head,
        lead_focus: article.photo.as_ref().map_or((0.5, 0.5), |p| p.focus),
        own_photo: lead_depth
            .filter(|_| planned_depth.is_none() || !suits_house)
            .map(|d| (lead_columns, d)),
        body,
        warnings: setter.into_warnings(),
        qr_module,
        held: None,
    })
}

/// Words of the body, for the reading time.
pub fn count_words(blocks: &[Block]) -> usize {
    let words = |runs: &[InlineRun]| -> usize {
        runs.iter().map(|s| s.text.split_whitespace().count()).sum()
    };
    blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(s) | BlockKind::Intertitle(s) | BlockKind::Quote(s) => words(s),
            BlockKind::List(items) => items.iter().map(|i| words(i)).sum(),
            BlockKind::Sidebar { title, blocks } => words(title) + count_words(blocks),
        })
        .sum()
}
