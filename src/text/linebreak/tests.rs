//! Tests of the line breaker: examples, and properties over generated paragraphs.

use super::*;

fn params() -> Params {
    Params {
        tolerance: 200.0,
        line_penalty: 10.0,
        double_hyphen_demerits: 10000.0,
        final_hyphen_demerits: 5000.0,
        adj_demerits: 10000.0,
        looseness: 0,
        max_consecutive: 2,
        rag: 0.0,
        final_pass: false,
        river_demerits: 0.0,
        river_tolerance: 0.0,
    }
}

/// Words of the given widths separated by 3-pt spaces (stretching by 1.5 pt, shrinking by
/// 1 pt), then the paragraph end.
pub(super) fn para(words: &[f32]) -> Vec<Element> {
    let mut elements = Vec::new();
    for (i, &w) in words.iter().enumerate() {
        if i > 0 {
            elements.push(Element::Glue { width: 3.0, stretch: 1.5, shrink: 1.0, breakable: true });
        }
        elements.push(Element::Box { width: w, stretch: 0.0, shrink: 0.0, left: 0.0, right: 0.0 });
    }
    elements.push(Element::Penalty { width: 0.0, penalty: INFINITE_PENALTY, flagged: false });
    elements.push(Element::Glue { width: 0.0, stretch: FIL, shrink: 0.0, breakable: false });
    elements.push(Element::Penalty { width: 0.0, penalty: -INFINITE_PENALTY, flagged: false });
    elements
}

#[test]
fn breakpoints_are_glue_after_boxes_and_finite_penalties() {
    let elements = para(&[10.0, 10.0]);
    let points: Vec<usize> = breakpoints(&elements).collect();
    assert_eq!(points, vec![1, 5]);
}

#[test]
fn exact_fit_breaks_where_expected() {
    // Two lines of exactly 23 pt: "10 + 3 + 10".
    let elements = para(&[10.0, 10.0, 10.0, 10.0]);
    let breaks = optimise(&elements, 23.0, &params()).expect("feasible");
    assert_eq!(breaks.positions, vec![3, elements.len() - 1]);
    assert!(!breaks.overfull);
}

#[test]
fn infeasible_without_final_pass_and_overfull_with_it() {
    let elements = para(&[50.0, 10.0]);
    assert!(optimise(&elements, 20.0, &params()).is_none());
    let last = Params { final_pass: true, ..params() };
    let breaks = optimise(&elements, 20.0, &last).expect("final pass always succeeds");
    assert!(breaks.overfull);
    assert_eq!(*breaks.positions.last().expect("a line"), elements.len() - 1);
}

#[test]
fn letters_stretch_up_to_their_maximum_then_spaces_alone() {
    let flex = Flex { stretch: 2.0, letter_stretch: 1.0, shrink: 1.5 };
    assert_eq!(adjustment(1.5, flex), (0.5, 0.5));
    assert_eq!(adjustment(3.0, flex), (1.0, 1.0));
    // 5 pt short: letters give their 1 pt, spaces the other 4 (ratio 2).
    assert_eq!(adjustment(5.0, flex), (2.0, 1.0));
    assert_eq!(adjustment(-0.75, flex), (-0.5, -0.5));
    assert_eq!(adjustment(0.0, flex), (0.0, 0.0));
    // No word space: the line cannot be filled.
    let word = Flex { stretch: 0.0, ..flex };
    assert_eq!(adjustment(2.0, word), (f32::INFINITY, 1.0));
}

#[test]
fn a_line_ending_in_a_comma_gets_its_protrusion_as_room() {
    // "10 10" is 23 pt, 1.5 pt over 21.5 pt lines, and its space shrinks by 1 pt only: no
    // line holds two words, and a word alone cannot fill one. When the second word ends
    // with a comma hanging 1 pt into the margin, the line needs 0.5 pt of shrink and fits.
    let mut elements = para(&[10.0, 10.0, 10.0]);
    assert!(optimise(&elements, 21.5, &params()).is_none());
    if let Element::Box { right, .. } = &mut elements[2] {
        *right = 1.0;
    }
    let breaks = optimise(&elements, 21.5, &params()).expect("feasible with protrusion");
    assert_eq!(breaks.positions, vec![3, elements.len() - 1]);
    // Room at the start of a line counts the same: the first line ends on a comma, the
    // second starts with a quote that hangs 1 pt out.
    let set = |edges: &[(usize, bool)]| {
        let mut elements = para(&[10.0; 5]);
        for &(i, at_left) in edges {
            if let Element::Box { left, right, .. } = &mut elements[i] {
                *(if at_left { left } else { right }) = 1.0;
            }
        }
        optimise(&elements, 21.5, &params()).map(|b| b.positions)
    };
    assert_eq!(set(&[(2, false), (4, true)]), Some(vec![3, 7, 11]));
    assert_eq!(set(&[(2, false)]), None, "the second line has no room");
    assert_eq!(set(&[(2, false), (6, true)]), None, "room at its end is not at its start");
}

#[test]
fn letter_stretch_makes_a_paragraph_feasible() {
    // Four 10-pt words, 3-pt spaces, 26-pt lines: "10 10" is 3 pt short and its space
    // gives 1.5 pt at ratio 1 (badness 800 > 200). With 1 pt of letter spacing per
    // word the line reaches ratio 0.86 and the paragraph sets in two lines.
    let mut elements = para(&[10.0, 10.0, 10.0, 10.0]);
    assert!(optimise(&elements, 26.0, &params()).is_none());
    for element in &mut elements {
        if let Element::Box { stretch, .. } = element {
            *stretch = 1.0;
        }
    }
    let breaks = optimise(&elements, 26.0, &params()).expect("feasible with letter spacing");
    assert_eq!(breaks.positions, vec![3, elements.len() - 1]);
}
