//! The copyfit's photo step: a lead photo made deeper or shallower by whole lines within
//! its crop limits, its credit and caption moved with its foot.

use super::super::ArticleParts;
use super::super::article::cover;
use super::super::display::Item;
use super::super::flow::{BlockPiece, offset};
use crate::geom::crop_share;

/// Shallowest and deepest a lead photo may be cropped to, as height over width, when the
/// crop share alone does not fit the story: from a wide 16:9 to a square, either side of
/// the nominal 3:2. A photo the page plan sized outside them is left as sized: the editor
/// chose that crop.
pub(super) const PHOTO_DEPTH_LIMITS: (f32, f32) = (9.0 / 16.0, 1.0);

/// Depths the photo step tries at least, in grid lines.
const MIN_PHOTO_TRIALS: u32 = 3;

/// The depths the photo step may give a photo.
#[derive(Debug, Clone, Copy)]
pub(super) struct PhotoLimits {
    /// Largest share of the photo's width or height a depth may crop away.
    pub(super) max_crop: f32,
    /// Whether depths within the house limits ([`PHOTO_DEPTH_LIMITS`]) are allowed too,
    /// whatever they crop.
    pub(super) house: bool,
    /// Whether the photo's frame has its own shape: the house limits then reach it, so a
    /// story that fits no other way may bring the photo back toward the house shape.
    pub(super) own_shape: bool,
}

/// Pixels per inch the lead block's photo prints at (its pixels over the width it is
/// scaled to); infinite without a photo.
pub(super) fn effective_ppi(lead: &BlockPiece) -> f32 {
    lead.items
        .iter()
        .find_map(|item| match item {
            Item::Image { placement, pixels, .. } => {
                Some(pixels.0 as f32 * 72.0 / placement.width.max(f32::EPSILON))
            }
            _ => None,
        })
        .unwrap_or(f32::INFINITY)
}

/// `parts` with its photo `fewer` lines shallower, its credit and caption moved up with its
/// foot, and the photo's size then (columns, lines): `None` without a photo or past the
/// limits the copyfit's photo step allows it (its crop share, else the house limits, up to
/// its own shape when it has one).
pub fn photo_trimmed(
    parts: &ArticleParts,
    fewer: u32,
    baseline: f32,
    max_crop: f32,
) -> Option<(ArticleParts, (u32, u32))> {
    let lead = parts.lead.as_ref()?;
    let lines = photo_lines(lead, baseline)?.checked_sub(fewer).filter(|l| *l > 0)?;
    let limits = PhotoLimits { max_crop, house: true, own_shape: parts.own_photo.is_some() };
    let delta = -(fewer as f32) * baseline;
    let lead = resize_photo(lead, delta, parts.lead_focus, limits)?;
    let size = (parts.lead_columns, lines);
    let own_photo = parts.own_photo.map(|_| size);
    Some((ArticleParts { lead: Some(lead), own_photo, ..parts.clone() }, size))
}

/// The depths the photo step tries for a story `misfit` lines over (its photo shallower)
/// or under (deeper), nearest first, as (lines, the lead block with its photo resized):
/// within `limits`, never deeper past the resolution print wants (`warn_ppi`), and at
/// least [`MIN_PHOTO_TRIALS`] lines however small the misfit (an overset of a line or two
/// may come from a corner QR block under the photo, which moves up only with its foot).
/// Each is resized from the photo as set, not from the last one tried.
pub(super) fn photo_trials(
    lead: &BlockPiece,
    (focus, limits): ((f32, f32), PhotoLimits),
    misfit: i32,
    baseline: f32,
    warn_ppi: f32,
) -> impl Iterator<Item = (u32, BlockPiece)> {
    let direction = if misfit > 0 { -1.0 } else { 1.0 };
    (1..=misfit.unsigned_abs().max(MIN_PHOTO_TRIALS)).map_while(move |lines| {
        let resized = resize_photo(lead, direction * lines as f32 * baseline, focus, limits)?;
        // A deeper crop enlarges the photo.
        let sharp = direction < 0.0 || effective_ppi(&resized) >= warn_ppi;
        sharp.then_some((lines, resized))
    })
}

/// How far a misfit leaves the photo step from its goal: an overset counts double, as the
/// paragraphs lengthen more easily than they shorten, so a depth that leaves the story a
/// little short is the better start.
pub(super) fn photo_cost(misfit: i32) -> i32 {
    if misfit > 0 { 2 * misfit } else { -misfit }
}

/// The photo step's record for a photo `lines` deeper or shallower (for a story that was
/// `misfit` lines over: shallower).
pub(super) fn photo_detail(lines: u32, misfit: i32) -> String {
    let way = if misfit > 0 { "shallower" } else { "deeper" };
    let s = if lines == 1 { "" } else { "s" };
    format!("photo {lines} line{s} {way}")
}

/// The depth of the lead block's photo in grid lines; `None` without a photo.
pub(super) fn photo_lines(lead: &BlockPiece, baseline: f32) -> Option<u32> {
    lead.items.iter().find_map(|item| match item {
        Item::Image { frame, .. } => Some((frame.height / baseline).round() as u32),
        _ => None,
    })
}

/// The lead block with its photo `delta` points deeper (negative: shallower), cover-fitted
/// again around `focus`, and the credit and caption moved with its foot; `None` past the
/// `limits` (the old depth and the new within the crop share, or both within the house
/// limits when they are allowed), for a photo set outside them, or without a photo.
pub(super) fn resize_photo(
    lead: &BlockPiece,
    delta: f32,
    focus: (f32, f32),
    limits: PhotoLimits,
) -> Option<BlockPiece> {
    let (index, frame, pixels) =
        lead.items.iter().enumerate().find_map(|(i, item)| match item {
            Item::Image { frame, pixels, .. } => Some((i, *frame, *pixels)),
            _ => None,
        })?;
    let height = frame.height + delta;
    let cropped = |h: f32| crop_share(frame.width, h, pixels) <= limits.max_crop;
    let (mut lowest, mut deepest) = PHOTO_DEPTH_LIMITS;
    if limits.own_shape {
        let own = frame.height / frame.width;
        (lowest, deepest) = (lowest.min(own), deepest.max(own));
    }
    let house = |h: f32| limits.house && (lowest..=deepest).contains(&(h / frame.width));
    let within_share = cropped(frame.height) && cropped(height);
    let within_house = house(frame.height) && house(height);
    if !within_share && !within_house {
        return None;
    }
    let foot = frame.bottom();
    let mut items: Vec<Item> = lead
        .items
        .iter()
        .map(|item| {
            // The credit and caption are under the photo: they follow its foot.
            let below = match item {
                Item::Text { y, .. } => *y > foot,
                Item::Rule { from, .. } => from.1 >= foot,
                _ => false,
            };
            if below { offset(item, 0.0, delta) } else { item.clone() }
        })
        .collect();
    if let Item::Image { frame: f, clip, placement, .. } = &mut items[index] {
        f.height = height;
        *clip = *f;
        *placement = cover(*f, pixels, focus);
    }
    Some(BlockPiece {
        height: lead.height + delta,
        items,
        space_before: lead.space_before,
        floats: false,
    })
}
