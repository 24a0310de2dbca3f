//! Column decisions a typographer makes (issue 16, item 3), read back from built PDFs with
//! `pdftotext -bbox`: a pull quote too deep for the rest of a column floats to the next one
//! while the text fills the column; no hyphenated line above a jump line; no headline or
//! intertitle ending on a lone short word; lists justified with a hanging indent.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Body size and leading of the default style, points.
const BODY: f64 = 9.5;
const LEADING: f64 = 11.5;
/// Lines a column may end short of its neighbours by the widow and orphan rule: two lines
/// kept together at a column's foot or head.
const WIDOW_ORPHAN_LINES: f64 = 2.0;

/// A word of a page as `pdftotext -bbox` gives it.
#[derive(Debug, Clone)]
struct Word {
    page: u32,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// Every word of `pdf` with its box.
fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let mut words = Vec::new();
    let mut page = 0;
    for piece in html.split('<').skip(1) {
        if piece.starts_with("page ") {
            page += 1;
        } else if let Some(tag) = piece.strip_prefix("word ") {
            let (head, text) = tag.split_once('>').unwrap();
            words.push(Word {
                page,
                x0: attr(head, "xMin"),
                y0: attr(head, "yMin"),
                x1: attr(head, "xMax"),
                y1: attr(head, "yMax"),
                text: text.to_string(),
            });
        }
    }
    words
}

/// Whether `word` is set in the body size (pdftotext's box is about 1.11 em high).
fn body_size(word: &Word) -> bool {
    ((word.y1 - word.y0) - BODY * 1.11).abs() < 0.4
}

/// The foot (lowest box bottom) of each of the `columns` columns of body words on `page`,
/// columns told apart by where a word starts across the body's width.
fn column_feet(words: &[Word], page: u32, columns: usize) -> Vec<f64> {
    let body: Vec<&Word> = words.iter().filter(|w| w.page == page && body_size(w)).collect();
    let left = body.iter().map(|w| w.x0).fold(f64::MAX, f64::min);
    let right = body.iter().map(|w| w.x1).fold(f64::MIN, f64::max);
    let pitch = (right - left) / columns as f64;
    let mut feet = vec![0.0f64; columns];
    for word in body {
        let column = (((word.x0 - left) / pitch) as usize).min(columns - 1);
        feet[column] = feet[column].max(word.y1);
    }
    feet
}

/// Builds `body` under `title` as a lone article (the default A4 page in three columns) and returns its
/// PDF.
fn build_note(name: &str, title: &str, body: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    write_files(&dir, &[("note.md", &article(&format!("title: {title}"), body))]);
    let run = rotative(&["build", dir.join("note.md").to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    dir.join("out/note.pdf")
}

/// `french_text` from another word, so paragraphs do not all start alike.
fn paragraph(words: usize, from: usize) -> String {
    let text = french_text(words + from);
    text.split(' ').skip(from).collect::<Vec<_>>().join(" ")
}

/// A pull quote some twelve lines deep that comes a few lines above the foot of the first
/// column: the text after it fills that column, and the quote tops the next one. Every
/// column of the full first page ends within the widow/orphan allowance of the deepest.
#[test]
fn a_pull_quote_too_deep_for_the_rest_of_a_column_does_not_leave_it_short() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let quote = format!("> « {} »", paragraph(45, 3));
    let mut blocks = vec![paragraph(20, 0)];
    blocks.extend((0..3).map(|i| paragraph(110, i)));
    blocks.push(quote);
    blocks.extend((0..8).map(|i| paragraph(110, i + 5)));
    let pdf = build_note("float-quote", "Une citation", &blocks.join("\n\n"));
    let words = words(&pdf);
    assert!(words.iter().any(|w| w.page == 2), "the story goes on to page 2");
    // The quote stays on the page, in its own size.
    let quote_start = words.iter().find(|w| w.text == "«").expect("the quote's guillemet");
    assert!(quote_start.page == 1 && !body_size(quote_start), "{quote_start:?}");
    let feet = column_feet(&words, 1, 3);
    let deepest = feet.iter().copied().fold(f64::MIN, f64::max);
    for (column, foot) in feet.iter().enumerate() {
        // The last column also holds the jump line under its text.
        let jump = if column == 2 { 1.0 } else { 0.0 };
        assert!(
            deepest - foot <= (WIDOW_ORPHAN_LINES + jump) * LEADING + 0.5,
            "column {} of page 1 ends {:.1} lines short: {feet:?}",
            column + 1,
            (deepest - foot) / LEADING
        );
    }
}

/// The last body line above each "Suite page N" jump line of `words`, as its words, in
/// columns `column` points wide or a little less.
fn lines_before_jumps(words: &[Word], column: f64) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    for (i, jump) in words.iter().enumerate() {
        let [_, page, number] = &words[i..(i + 3).min(words.len())] else { continue };
        if jump.text != "Suite" || page.text != "page" {
            continue;
        }
        // The jump line ends flush right in its column: the column's words lie left of
        // its end, within a column's width, and above it.
        let right = number.x1 + 1.0;
        let column: Vec<&Word> = words
            .iter()
            .filter(|w| w.page == jump.page && body_size(w) && w.y1 < jump.y0 + 0.5)
            .filter(|w| w.x1 <= right && w.x0 >= right - column)
            .collect();
        let foot = column.iter().map(|w| w.y1).fold(f64::MIN, f64::max);
        let mut line: Vec<&&Word> = column.iter().filter(|w| (w.y1 - foot).abs() < 1.0).collect();
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        lines.push(line.iter().map(|w| w.text.clone()).collect());
    }
    lines
}

/// A story that turns the page ends the page's last column, above "Suite page 2", on a
/// whole word: with lead paragraphs of 6, 34 and 56 words that line was hyphenated
/// ("l’exten-", "cy-", "munici-") before the flow learnt to move it on.
#[test]
fn no_hyphenated_line_before_a_jump_line() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    for lead in [6, 20, 34, 56] {
        let mut blocks = vec![paragraph(lead, 0)];
        blocks.extend((0..12).map(|i| paragraph(150, i)));
        let pdf = build_note(&format!("jump-hyphen-{lead}"), "Une coupure", &blocks.join("\n\n"));
        let words = words(&pdf);
        let lines = lines_before_jumps(&words, 170.0);
        assert_eq!(lines.len(), 1, "one jump line in {}", pdf.display());
        let last = lines[0].last().expect("a line above the jump");
        assert!(!last.ends_with('-'), "lead {lead}: {:?}", lines[0]);
        // The column still ends within the widow/orphan allowance.
        let feet = column_feet(&words, 1, 3);
        let deepest = feet.iter().copied().fold(f64::MIN, f64::max);
        let short = |column: usize| (deepest - feet[column]) / LEADING;
        assert!(short(0).max(short(1)) <= WIDOW_ORPHAN_LINES + 0.05, "{feet:?}");
        assert!(short(2) <= WIDOW_ORPHAN_LINES + 1.0 + 0.05, "the jump's column: {feet:?}");
    }
}

/// A planned story that jumps from a frame of three columns of an A5 page to page 2 ends
/// the frame's last column, above "Suite page 2", on a whole word: at frame depths of 14
/// and 24 lines that line was hyphenated ("ré-", "pro-") before.
#[test]
fn no_hyphenated_line_before_a_planned_jump() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let story = vec![french_text(90); 8].join("\n\n");
    for depth in [14, 24] {
        let dir = temp_dir(&format!("planned-jump-{depth}"));
        let yaml = format!(
            "publication: Le Petit Quotidien
date: 2026-03-05
lang: fr
page: a5
margins: 12
columns: 3
gutter: 4
baseline: 11
qr:
  placement: off
pages:
  - frames:
      - columns: 1-3
        depth: {depth}
        story: articles/long.md
        head: lead
        continues: 2
  - frames:
      - columns: 1-3
        depth: foot
        story: articles/long.md
"
        );
        let story = article("title: Long", &story);
        write_files(&dir, &[("issue.yaml", &yaml), ("articles/long.md", &story)]);
        let out = dir.join("out");
        let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        // An A5 column of this grid is some 110 pt wide.
        let lines = lines_before_jumps(&words(&pdfs_in(&out)[0]), 115.0);
        assert_eq!(lines.len(), 1, "one jump line at depth {depth}");
        let last = lines[0].last().expect("a line above the jump");
        assert!(!last.ends_with('-'), "depth {depth}: {:?}", lines[0]);
    }
}

/// The lines of `words` on `page` whose words' boxes are `height` high (within 0.4 pt), each
/// as its words left to right.
fn lines_of(words: &[Word], page: u32, height: f64) -> Vec<Vec<&Word>> {
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for word in words.iter().filter(|w| w.page == page && ((w.y1 - w.y0) - height).abs() < 0.4) {
        // Words of one line follow one another in pdftotext's order, on one baseline and
        // no more than a word space apart.
        match lines.last_mut() {
            Some(line)
                if line.last().is_some_and(|l| {
                    (l.y1 - word.y1).abs() < 0.5 && word.x0 > l.x1 && word.x0 - l.x1 < 8.0
                }) =>
            {
                line.push(word)
            }
            _ => lines.push(vec![word]),
        }
    }
    lines
}

/// A headline and two intertitles whose last line held one short word ("l’année",
/// "demain", "écoles") are set at a narrower measure: the same number of lines, and two
/// words or more on the last.
#[test]
fn no_heading_ends_on_a_lone_short_word() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let title = "La ville rénove ses écoles et étend ses pistes cyclables avant la fin de l’année";
    let body = [
        paragraph(80, 0),
        "## Les écoles du nord seront rénovées demain".to_string(),
        paragraph(80, 4),
        "## Ce que prévoit le budget pour les écoles".to_string(),
        paragraph(80, 8),
    ];
    let pdf = build_note("lone-word", title, &body.join("\n\n"));
    let words = words(&pdf);
    // pdftotext's boxes are about 1.11 em high: the headline at 28 pt, intertitles at 10.5.
    for (size, lines_expected) in [(28.0, 3), (10.5, 4)] {
        let lines = lines_of(&words, 1, size * 1.11);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(lines.len(), lines_expected, "{text:?}");
        // The last line of each heading: the one with no line of its heading under it.
        for (i, line) in lines.iter().enumerate() {
            let next_under = lines.get(i + 1).is_some_and(|n| {
                (n[0].x0 - line[0].x0).abs() < 1.0 && n[0].y1 - line[0].y1 < size * 1.6
            });
            if !next_under {
                assert!(line.len() >= 2, "a heading ends on one word: {text:?}");
            }
        }
    }
}

/// A story opening with a paragraph and a list of three items of 45 words, then ten long
/// paragraphs: the list stands in the first column of page 1.
fn list_story() -> String {
    let mut blocks = vec![paragraph(30, 0)];
    blocks.push(
        (0..3).map(|i| format!("- {}", paragraph(45, 3 * i + 1))).collect::<Vec<_>>().join("\n"),
    );
    blocks.extend((0..10).map(|i| paragraph(150, i)));
    blocks.join("\n\n")
}

/// The list items of the first column of page 1 of `pdf`, each as its lines of words, with
/// the column's left and right edges (the right one where most of its lines end). The
/// wrapped lines of every item start at its hanging indent, under the first line's text,
/// which stands a word space after the dash.
fn list_items(pdf: &Path) -> (f64, Vec<Vec<Vec<Word>>>) {
    let words = words(pdf);
    let lines = lines_of(&words, 1, BODY * 1.11);
    let left = lines.iter().map(|l| l[0].x0).fold(f64::MAX, f64::min);
    let column: Vec<&Vec<&Word>> = lines.iter().filter(|l| l[0].x0 < left + 100.0).collect();
    let mut ends: Vec<i64> =
        column.iter().map(|l| (l[l.len() - 1].x1 * 10.0).round() as i64).collect();
    ends.sort_unstable();
    let edge = ends
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .map(|run| run[0] as f64 / 10.0)
        .unwrap();
    // The items: from a line that starts with the dash to the next, or to a line that
    // starts at the column's left edge (the paragraph after the list).
    let mut items: Vec<Vec<Vec<Word>>> = Vec::new();
    for line in &column {
        let owned: Vec<Word> = line.iter().map(|w| (*w).clone()).collect();
        if line[0].text == "–" {
            items.push(vec![owned]);
        } else if line[0].x0 > left + 2.0 {
            if let Some(item) = items.last_mut() {
                item.push(owned);
            }
        } else if !items.is_empty() {
            break;
        }
    }
    assert_eq!(items.len(), 3, "three list items in the first column");
    for item in &items {
        assert!(item.len() >= 3, "each item wraps: {} lines", item.len());
        let text_x = item[0][1].x0;
        // A word space after the dash, not a hole: the text's turnover lines align with it.
        let gap = text_x - item[0][0].x1;
        assert!(
            (0.2 * BODY..0.45 * BODY).contains(&gap),
            "the dash is {gap:.2} pt from its text, not about a word space"
        );
        for line in &item[1..] {
            assert!((line[0].x0 - text_x).abs() < 0.6, "{} vs {text_x}", line[0].x0);
        }
    }
    (edge, items)
}

/// How far short of the column's right `edge` each line but the last of each item ends
/// (negative past it), with the line's words.
fn item_line_ends(edge: f64, items: &[Vec<Vec<Word>>]) -> Vec<(f64, Vec<String>)> {
    let mut ends = Vec::new();
    for item in items {
        for line in &item[..item.len() - 1] {
            let last = &line[line.len() - 1];
            ends.push((edge - last.x1, line.iter().map(|w| w.text.clone()).collect()));
        }
    }
    ends
}

/// A list in the body is justified like it: its items' lines but the last end flush with
/// the column's right edge, and their wrapped lines start at the hanging indent, under the
/// text of the first line, not under the dash.
#[test]
fn list_items_are_justified_with_a_hanging_indent() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let pdf = build_note("justified-list", "Une liste", &list_story());
    let (edge, items) = list_items(&pdf);
    for (short, line) in item_line_ends(edge, &items) {
        // Flush, or past the edge by a hyphen's or a comma's hang.
        let hang = if line.last().unwrap().ends_with(['-', ',', '.']) { 2.5 } else { 0.3 };
        assert!(
            short < 0.3 && -short < hang,
            "a line of an item ends {short:.1} pt short of the column's edge: {line:?}"
        );
    }
}

/// `styles: { list: { align: left } }` in `issue.yaml` sets the lists ragged right again,
/// with the same hanging indent, while the body stays justified.
#[test]
fn list_items_can_be_set_ragged_as_a_style() {
    if !have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        return;
    }
    let dir = temp_dir("ragged-list");
    let yaml = "publication: Essai\ndate: 2026-01-01\nstyles:\n  list:\n    align: left\n";
    let story = article("title: Une liste", &list_story());
    write_files(&dir, &[("issue.yaml", yaml), ("articles/note.md", &story)]);
    let run = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let (edge, items) = list_items(&pdfs_in(&dir.join("out"))[0]);
    let ends = item_line_ends(edge, &items);
    assert!(ends.iter().all(|(short, _)| *short > -0.3), "none past the edge: {ends:?}");
    let ragged = ends.iter().filter(|(short, _)| *short > 3.0).count();
    assert!(ragged * 2 >= ends.len(), "most lines end short of the edge: {ends:?}");
}
