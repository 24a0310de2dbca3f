//! Microtypography read back from a built PDF: the example issue's body set with character
//! protrusion and font expansion hangs its line-final full stops and hyphens into the
//! margin by the table's amounts, draws its expanded lines with `Tz` within the bound, and
//! extracts to the same words as when set without either.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Body size of the example issue, points, and the advances of Liberation Serif's full
/// stop (and comma) and hyphen, em: what the table's thousandths apply to.
const BODY: f64 = 9.5;
const PERIOD_EM: f64 = 0.25;
const HYPHEN_EM: f64 = 0.333;
const HANG: f64 = 0.7;
/// A comma's share, the same width as a full stop in it.
const COMMA_HANG: f64 = 0.5;

/// Builds a copy of the example issue with `microtype` in place of its `issue.yaml`'s own
/// `microtype:` block.
fn build(name: &str, microtype: &str) -> PathBuf {
    let issue = copy_example(name);
    let yaml = issue.join("issue.yaml");
    let mut text = String::new();
    let mut in_block = false;
    for line in std::fs::read_to_string(&yaml).unwrap().lines() {
        in_block = line.starts_with("microtype:") || (in_block && line.starts_with(' '));
        if !in_block {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(microtype);
    std::fs::write(&yaml, text).unwrap();
    let out = issue.join("out");
    let run = rotative(&["build", issue.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    pdfs_in(&out).remove(0)
}

/// The words of `pdf`'s text, a word broken at a line's end joined again and hyphens left
/// out (a build may break a word where another does not); and the first words of its
/// blocks, where a word broken at a column's foot goes on elsewhere in reading order.
fn words(pdf: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = pdftotext(pdf).expect("pdftotext");
    let (mut words, mut starts) = (BTreeSet::new(), BTreeSet::new());
    let mut carry = String::new();
    let mut block_start = true;
    for line in text.lines() {
        if line.trim().is_empty() {
            // The rest of a word broken here is not in the next line: leave both out.
            carry.clear();
            block_start = true;
            continue;
        }
        let mut tokens = line.split_whitespace().peekable();
        while let Some(token) = tokens.next() {
            if std::mem::take(&mut block_start) {
                starts.insert(token.replace('-', ""));
            }
            let mut word = std::mem::take(&mut carry);
            word.push_str(token);
            if tokens.peek().is_none() && word.ends_with('-') {
                carry = word;
            } else {
                words.insert(word.replace('-', ""));
            }
        }
    }
    (words, starts)
}

/// Per body line (words of `BODY` pt height), its right end and last word, from
/// `pdftotext -bbox-layout`, by page.
fn line_ends(pdf: &Path) -> Vec<(u32, f64, String)> {
    let out = Command::new("pdftotext").args(["-bbox-layout"]).arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let mut ends = Vec::new();
    let mut page = 0;
    for piece in html.split('<').skip(1) {
        if piece.starts_with("page ") {
            page += 1;
        } else if let Some(tag) = piece.strip_prefix("word ") {
            let (head, word) = tag.split_once('>').unwrap();
            let height = attr(head, "yMax") - attr(head, "yMin");
            if (height - BODY * 1.2).abs() < BODY * 0.2 {
                ends.push((page, attr(head, "xMax"), word.to_string()));
            }
        } else if piece.starts_with("/line>") {
            ends.push((page, f64::NAN, String::new()));
        }
    }
    // Keep each line's last word: the one before a line's end marker.
    ends.windows(2).filter(|w| w[1].1.is_nan() && !w[0].1.is_nan()).map(|w| w[0].clone()).collect()
}

#[test]
fn protruded_and_expanded_lines_hang_out_draw_tz_and_extract_the_same_words() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let set = build("microtype-on", "\nmicrotype:\n  expansion: 2\n  protrusion: 100\n");
    let plain = build("microtype-off", "\nmicrotype:\n  expansion: 0\n  protrusion: 0\n");
    let ((on, on_starts), (off, off_starts)) = (words(&set), words(&plain));
    let differ: Vec<&String> = on
        .symmetric_difference(&off)
        .filter(|w| !on_starts.contains(*w) && !off_starts.contains(*w))
        .collect();
    assert!(differ.is_empty(), "words extracted differently: {differ:?}");
    assert!(on.len() > 500, "{} words", on.len());

    // Tz: only within ±2 %, and some lines do use it.
    let doc = lopdf::Document::load(&set).unwrap();
    let mut scales = Vec::new();
    for (_, id) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(id)).unwrap();
        for op in content.operations.iter().filter(|op| op.operator == "Tz") {
            scales.push(op.operands[0].as_float().unwrap());
        }
    }
    assert!(scales.iter().any(|&s| s != 100.0), "no line is expanded");
    assert!(scales.iter().all(|&s| (98.0..=102.0).contains(&s)), "{scales:?}");

    // Column edges: the most common right end of the lines on each page, to 0.1 pt.
    let ends = line_ends(&set);
    let mut counts: BTreeMap<(u32, i64), usize> = BTreeMap::new();
    for (page, x, _) in &ends {
        *counts.entry((*page, (x * 10.0).round() as i64)).or_default() += 1;
    }
    let edges: Vec<(u32, f64)> =
        counts.iter().filter(|e| *e.1 >= 5).map(|(&(p, x), _)| (p, x as f64 / 10.0)).collect();
    let mut checked = 0;
    for (page, x, word) in &ends {
        let (share, em) = match word.chars().last() {
            Some('.') => (HANG, PERIOD_EM),
            Some(',') => (COMMA_HANG, PERIOD_EM),
            Some('-') => (HANG, HYPHEN_EM),
            _ => continue,
        };
        let hang = share * em * BODY;
        // The edge this line ends past: the nearest one to its left.
        let Some(edge) = edges
            .iter()
            .filter(|(p, e)| p == page && *e < *x + 0.05 && *x - *e < 3.0)
            .map(|&(_, e)| e)
            .reduce(f64::max)
        else {
            continue;
        };
        // A paragraph's last line ends anywhere; a justified one past the edge by the hang,
        // give or take the line's expansion.
        if *x - edge > 0.3 {
            assert!((*x - edge - hang).abs() < 0.1 + 0.02 * em * BODY, "{word} {x} {edge}");
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} protruding line ends found");
}
