//! The head of an article: kicker, headline, meta line (author, date, reading time, access)
//! and keywords, stacked across the head's width.

use super::Setter;
use crate::compose::flow::{BlockPiece, offset};
use crate::compose::labels;
use crate::diag::Diagnostic;
use crate::model::{Access, Article, Emphasis, InlineRun, Lang, TextStyle};

/// Headline size of an article that starts under another one, relative to the lead's: the
/// page's hierarchy puts the first article's headline above the others.
pub(super) const SECONDARY_HEADLINE_SCALE: f32 = 0.75;

/// Most of the type area's height a headline may take. A long title shrinks until it fits
/// within this share, so it wraps and gets smaller but never runs off the page; a title
/// with a word wider than the head shrinks until the word fits, and is broken between its
/// characters only at the smallest size.
const HEADLINE_MAX_SHARE: f32 = 0.45;

/// Smallest headline size, points, whatever the body size: below it a headline no longer
/// reads as one.
const HEADLINE_MIN_SIZE: f32 = 8.0;

/// Between keywords and between the facts of the meta line: a no-break space before the
/// dot ties it to the item it follows, so a wrapped line never starts with "·".
const SEPARATOR: &str = "\u{a0}· ";

/// Where a head runs around a block at its top right (the QR block): the head's parts that
/// start above `until` are set `width` wide, those under it across the whole head.
#[derive(Debug, Clone, Copy)]
pub(super) struct Runaround {
    /// Width beside the block, points.
    pub width: f32,
    /// Foot of the block, from the head's top, points.
    pub until: f32,
}

/// What a head holds and how it is laid out.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeadOptions {
    /// Kicker and headline only (a brief).
    pub compact: bool,
    /// With the kicker (not a brief in a frame of briefs, under the frame's label).
    pub kicker: bool,
    /// With the standfirst under the headline and the meta line and keywords under it, as
    /// the byline follows the standfirst (a planned frame); without, the standfirst is the
    /// body's first block.
    pub standfirst: bool,
    /// The block the head runs around, if any.
    pub runaround: Option<Runaround>,
}

/// Kicker, headline at `scale` of its style's size, then (unless `compact`) the standfirst
/// when asked, the meta line and keywords, `full` wide or less beside a runaround block.
/// Errors when the headline cannot fit on a page even at its smallest size.
pub(super) fn head_block(
    setter: &mut Setter<'_>,
    article: &Article,
    full: f32,
    words: usize,
    scale: f32,
    options: HeadOptions,
) -> Result<BlockPiece, Vec<Diagnostic>> {
    let HeadOptions { compact, kicker, runaround, .. } = options;
    let config = setter.config;
    let styles = &config.styles;
    let mut items = Vec::new();
    let mut y = 0.0;
    setter.line = 1;
    // The measure of a part of the head that starts at `y`.
    let width_at = |y: f32| match runaround {
        Some(r) if y < r.until => r.width,
        _ => full,
    };
    let width = width_at(y);

    if let Some(kicker) = article.kicker.as_ref().filter(|_| kicker) {
        let lines = setter.set_text(kicker, &styles.kicker, width);
        items.extend(setter.stack(&lines, &styles.kicker, 0.0, &mut y));
        y += styles.kicker.space_after;
    }

    let width = width_at(y);
    let max_height = HEADLINE_MAX_SHARE * setter.grid.area.height;
    let mut base = styles.headline.clone();
    base.size *= scale;
    base.leading *= scale;
    let base = &base;
    let min_size = config.styles.body.size.max(HEADLINE_MIN_SIZE);
    let mut style = base.clone();
    let before = setter.warnings.len();
    let mut lines = setter.set_text(&article.title, &style, width);
    while lines.len() as f32 * style.leading > max_height && style.size > min_size {
        style = smaller(base, &style, min_size);
        // Keep only the findings of the size finally used.
        setter.warnings.truncate(before);
        lines = setter.set_text(&article.title, &style, width);
    }
    // A word wider than the head: smaller, until it fits; if it does not even at the
    // smallest size, it is broken between characters at the size the height allowed.
    let too_wide = |setter: &Setter<'_>| {
        setter.warnings[before..]
            .iter()
            .any(|w| matches!(w.kind, "emergency-break" | "overfull-line"))
    };
    if too_wide(setter) {
        let tall = style.clone();
        while too_wide(setter) && style.size > min_size {
            style = smaller(base, &style, min_size);
            setter.warnings.truncate(before);
            lines = setter.set_text(&article.title, &style, width);
        }
        if too_wide(setter) && style.size < tall.size {
            style = tall;
            setter.warnings.truncate(before);
            lines = setter.set_text(&article.title, &style, width);
        }
    }
    let title = [InlineRun::plain(article.title.clone())];
    let lines = setter.rebreak_lone_word(&title, &style, width, lines);
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
    items.extend(setter.stack(&lines, &style, 0.0, &mut y));
    y += style.space_after;

    if compact {
        return Ok(BlockPiece { height: y, items, space_before: 0.0, floats: false });
    }
    if let Some(text) = article.standfirst.as_deref().filter(|_| options.standfirst) {
        let width = width_at(y);
        let block = super::lead::standfirst_block(setter, text, width);
        items.extend(block.items.iter().map(|i| offset(i, 0.0, y)));
        y += block.height;
    }
    let (byline, facts) = meta_parts(setter, article, words);
    let keywords = (!article.keywords.is_empty()).then(|| {
        let label = format!("{} : ", setter.labels.keywords);
        // French puts a space before the colon; the other languages do not.
        let label = if article.lang == Lang::Fr { label } else { label.replace(" : ", ": ") };
        vec![
            InlineRun {
                text: label,
                emphasis: Emphasis { bold: true, italic: false },
                verbatim: false,
            },
            InlineRun::plain(article.keywords.join(SEPARATOR)),
        ]
    });
    let width = width_at(y);
    // Under a standfirst (a planned frame) the meta line is a bar across the head: the
    // byline (or, without one, the keywords) flush left, the date and reading time flush
    // right, when both fit on a line.
    let bar = if options.standfirst {
        let left = match (&byline, &keywords) {
            (Some(byline), _) => Some((setter.set_text(byline, &styles.meta, width), &styles.meta)),
            (None, Some(runs)) => {
                Some((setter.set(runs, &styles.keywords, width), &styles.keywords))
            }
            (None, None) => None,
        };
        let right = setter.set_text(&facts.join(SEPARATOR), &styles.meta, width);
        left.and_then(|(left, style)| match (left.as_slice(), right.as_slice()) {
            ([l], [r]) if l.width + r.width + styles.meta.size * 2.0 <= width => {
                Some((l.clone(), style, r.clone()))
            }
            _ => None,
        })
    } else {
        None
    };
    let keywords_in_bar = bar.is_some() && byline.is_none();
    if let Some((left, left_style, right)) = bar {
        let mut right_y = y;
        items.extend(setter.stack(
            std::slice::from_ref(&right),
            &styles.meta,
            width - right.width,
            &mut right_y,
        ));
        items.extend(setter.stack(&[left], left_style, 0.0, &mut y));
    } else {
        let meta: Vec<String> = byline.into_iter().chain(facts).collect();
        let lines = setter.set_text(&meta.join(SEPARATOR), &styles.meta, width);
        items.extend(setter.stack(&lines, &styles.meta, 0.0, &mut y));
    }
    if let Some(runs) = keywords.filter(|_| !keywords_in_bar) {
        let width = width_at(y);
        let lines = setter.set(&runs, &styles.keywords, width);
        items.extend(setter.stack(&lines, &styles.keywords, 0.0, &mut y));
    }
    y += styles.meta.space_after;
    Ok(BlockPiece { height: y, items, space_before: 0.0, floats: false })
}

/// `style` a point smaller (leading in proportion to `base`), never under `min_size`.
fn smaller(base: &TextStyle, style: &TextStyle, min_size: f32) -> TextStyle {
    let size = (style.size - 1.0).max(min_size);
    TextStyle { size, leading: base.leading * size / base.size, ..style.clone() }
}

/// The meta line's parts: the byline ("Par Claire Lebreton") and the facts ("Mise à jour le
/// 11 septembre 2025", "Temps de lecture : 3 minutes", "Accès abonné").
fn meta_parts(
    setter: &Setter<'_>,
    article: &Article,
    words: usize,
) -> (Option<String>, Vec<String>) {
    let labels = &setter.labels;
    let byline =
        article.author.as_ref().map(|author| labels::fill(&labels.by, &[("author", author)]));
    let mut parts = Vec::new();
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
    (byline, parts)
}
