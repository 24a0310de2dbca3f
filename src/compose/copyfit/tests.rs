//! Unit tests of the copyfit's photo step.

use super::photo::resize_photo;
use super::*;
use crate::color::Color;
use crate::compose::display::Item;
use crate::compose::flow::BlockPiece;
use crate::geom::Rect;

/// A lead block: a 300 x 200 pt photo and a rule under it (standing for its caption).
fn lead() -> BlockPiece {
    lead_of(200.0)
}

/// A lead block with a photo 300 pt wide and `depth` deep, the rule 5 pt under it.
fn lead_of(depth: f32) -> BlockPiece {
    let frame = Rect::new(0.0, 0.0, 300.0, depth);
    BlockPiece {
        height: depth + 30.0,
        items: vec![
            Item::Image {
                frame,
                clip: frame,
                placement: frame,
                path: "photo.jpg".into(),
                pixels: (1500, 1000),
            },
            Item::Rule {
                from: (0.0, depth + 5.0),
                to: (300.0, depth + 5.0),
                width: 1.0,
                color: Color::BLACK,
            },
        ],
        space_before: 0.0,
        floats: false,
    }
}

/// The house limits, and a crop share narrower than them.
const HOUSE: PhotoLimits = PhotoLimits { max_crop: 0.1, house: true, own_shape: false };

#[test]
fn a_photo_changes_depth_within_its_crop_limits_and_its_caption_follows() {
    let resize = |lead: &BlockPiece, delta| resize_photo(lead, delta, (0.5, 0.5), HOUSE);
    let shallower = resize(&lead(), -22.0).expect("within 16:9");
    assert_eq!(shallower.height, 208.0);
    let Item::Image { frame, clip, placement, .. } = &shallower.items[0] else { panic!() };
    assert_eq!((frame.height, clip.height), (178.0, 178.0));
    assert!(placement.y <= 0.0 && placement.bottom() >= 178.0, "still covers: {placement:?}");
    let Item::Rule { from, .. } = &shallower.items[1] else { panic!() };
    assert_eq!(from.1, 183.0, "the caption moves up with the photo's foot");
    // Past 16:9 (169 pt deep) or past square (300 pt), the crop would lose the picture.
    assert!(resize(&lead(), -40.0).is_none());
    assert!(resize(&lead(), 101.0).is_none());
    assert!(resize(&lead(), 100.0).is_some());
}

#[test]
fn within_its_crop_share_a_photo_keeps_what_the_share_allows() {
    let strict = PhotoLimits { max_crop: 0.2, house: false, own_shape: true };
    let resize = |lead: &BlockPiece, delta| resize_photo(lead, delta, (0.5, 0.5), strict);
    // The 3:2 photo 230 pt deep loses 13 % of its width; square, a third.
    assert!(resize(&lead(), 30.0).is_some());
    assert!(resize(&lead(), 100.0).is_none(), "square crops a third");
    assert!(resize(&lead(), -39.0).is_some(), "161 pt loses under a fifth of its height");
    // A portrait photo in a frame of its own shape changes depth within the share,
    // though it is deeper than the house's square.
    let mut portrait = lead_of(450.0);
    if let Item::Image { pixels, .. } = &mut portrait.items[0] {
        *pixels = (1000, 1500);
    }
    assert!(resize(&portrait, -60.0).is_some(), "390 pt loses 13 % of its height");
    assert!(resize(&portrait, -100.0).is_none(), "350 pt loses 22 % of its height");
    assert!(resize_photo(&portrait, -60.0, (0.5, 0.5), HOUSE).is_none(), "past 10 %");
    // Only when nothing else fits may it come back toward the house shape, its own.
    let back = PhotoLimits { own_shape: true, ..HOUSE };
    assert!(resize_photo(&portrait, -200.0, (0.5, 0.5), back).is_some(), "250 pt");
    assert!(resize_photo(&portrait, -300.0, (0.5, 0.5), back).is_none(), "past 16:9");
}

#[test]
fn a_photo_sized_past_its_crop_limits_keeps_its_depth() {
    // 330 pt deep on 300 wide, as a page plan may size it: taller than square.
    let tall = lead_of(330.0);
    let resize = |delta| resize_photo(&tall, delta, (0.5, 0.5), HOUSE);
    assert!(resize(-11.0).is_none(), "still past square");
    assert!(resize(-44.0).is_none(), "not even into the limits");
    assert!(resize(11.0).is_none());
}
