//! Taking a faulty entry out of a YAML text so that the rest of it can still be read: the
//! line-level surgery behind [`super::yaml::Fragment::parse_all`], which reports a wrong
//! value and goes on, as a compiler does, instead of stopping at the first.
//!
//! The text is handled line by line, by indentation, as block YAML is written by hand. An
//! entry is a `key:` line (or a `- ` item of a list) with the lines of its value below it;
//! taking it out blanks those lines, so every other line keeps its number and the
//! diagnostics found afterwards point into the file as it is.

use std::ops::Range;

/// The indentation of a line, in spaces.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a line carries nothing (blank, or only a comment).
fn is_empty(line: &str) -> bool {
    let body = line.trim();
    body.is_empty() || body.starts_with('#')
}

/// Whether a line opens an item of a block list (`- x`, or `-` alone).
fn is_item(line: &str) -> bool {
    let body = line.trim_start();
    body == "-" || body.starts_with("- ")
}

/// The key of a line and the column it starts at (0-based), past any list dashes:
/// `  - file: x` gives `("file", 4)`.
pub(super) fn key_of(line: &str) -> Option<(&str, usize)> {
    let mut at = indent(line);
    let mut body = &line[at..];
    while let Some(rest) = body.strip_prefix("- ") {
        let rest_start = rest.trim_start_matches(' ');
        at += body.len() - rest_start.len();
        body = rest_start;
    }
    let (key, after) = body.split_once(':')?;
    let key = key.trim_end().trim_matches(['"', '\'']);
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some((key, at))
}

/// The line that opens the entry line `index` belongs to: itself when it holds a key or a
/// list item, else the nearest line above it indented less (a line inside a block scalar or
/// a flow collection written over several lines).
pub(super) fn entry_head(lines: &[&str], index: usize) -> Option<usize> {
    let line = lines.get(index)?;
    if !is_empty(line) && (key_of(line).is_some() || is_item(line)) {
        return Some(index);
    }
    let own = if is_empty(line) { usize::MAX } else { indent(line) };
    (0..index).rev().find(|&i| !is_empty(lines[i]) && indent(lines[i]) < own)
}

/// The lines of the entry opened at `head`: the line itself and its value's lines below
/// (indented more, or a list written at the key's own indentation).
pub(super) fn entry_span(lines: &[&str], head: usize) -> Range<usize> {
    let opening = lines[head];
    let at = indent(opening);
    let keyed_list = !is_item(opening);
    let end = (head + 1..lines.len())
        .find(|&i| {
            let line = lines[i];
            !is_empty(line)
                && (indent(line) < at || (indent(line) == at && !(keyed_list && is_item(line))))
        })
        .unwrap_or(lines.len());
    // Trailing blank lines stay: they belong to no entry.
    let last = (head + 1..end).rev().find(|&i| !is_empty(lines[i])).map_or(head + 1, |i| i + 1);
    head..last
}

/// The entry that holds the one opened at `head`: the nearest line above indented less
/// (for a key inside a list item, the item).
pub(super) fn parent_head(lines: &[&str], head: usize) -> Option<usize> {
    let own = key_of(lines[head]).map_or_else(|| indent(lines[head]), |(_, at)| at);
    (0..head).rev().find(|&i| !is_empty(lines[i]) && indent(lines[i]) < own)
}

/// The dotted path of keys down to the key of line `head` (`qr.placement`), for messages;
/// list items add no part of their own.
pub(super) fn key_path(lines: &[&str], head: usize) -> Option<String> {
    let (key, mut at) = key_of(lines[head])?;
    let mut parts = vec![key];
    for line in lines[..head].iter().rev() {
        if at == 0 {
            break;
        }
        if is_empty(line) {
            continue;
        }
        if let Some((key, key_at)) = key_of(line)
            && key_at < at
        {
            parts.push(key);
            at = key_at;
        } else if indent(line) < at && !is_item(line) {
            // A line indented less that holds no key ends the search: this is not block
            // YAML the path can be read from.
            break;
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

/// The scalar written at `column` (1-based, in characters) of `line`, for messages: up to
/// the end of the line or of the flow item. `None` for a mapping or a list.
pub(super) fn value_at(line: &str, column: usize) -> Option<&str> {
    let start = line.char_indices().nth(column.checked_sub(1)?).map(|(at, _)| at)?;
    let rest = &line[start..];
    let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
    let value = rest[..end].trim();
    let scalar = !value.is_empty() && !value.starts_with(['{', '[', '-']) && !value.ends_with(':');
    scalar.then_some(value)
}

/// `yaml` with the lines of `span` blanked (their line breaks kept).
pub(super) fn blank(yaml: &str, span: Range<usize>) -> String {
    yaml.split_inclusive('\n')
        .enumerate()
        .map(
            |(i, line)| {
                if span.contains(&i) { if line.ends_with('\n') { "\n" } else { "" } } else { line }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE: &str = "page:\n  width: wide\n  height: 470\nqr:\n  placment: head\n  ec: Q\n\
                         boilerplate:\n  - title: A\n    text: |\n      one\n      two\n  - title: B\n\
                         keywords:\n- a\n- b\nlast: 1\n";

    fn lines() -> Vec<&'static str> {
        ISSUE.lines().collect()
    }

    #[test]
    fn an_entry_is_its_line_and_its_value_below() {
        let lines = lines();
        assert_eq!(entry_span(&lines, 0), 0..3, "page and its mapping");
        assert_eq!(entry_span(&lines, 1), 1..2, "one nested key");
        assert_eq!(entry_span(&lines, 7), 7..11, "a list item with its block scalar");
        assert_eq!(entry_span(&lines, 12), 12..15, "a list at the key's own indentation");
        // A line inside a block scalar belongs to the key above it.
        assert_eq!(entry_head(&lines, 9), Some(8));
    }

    #[test]
    fn paths_and_parents_follow_the_indentation() {
        let lines = lines();
        assert_eq!(key_path(&lines, 4).as_deref(), Some("qr.placment"));
        assert_eq!(key_path(&lines, 8).as_deref(), Some("boilerplate.text"));
        assert_eq!(key_path(&lines, 15).as_deref(), Some("last"));
        assert_eq!(parent_head(&lines, 1), Some(0));
        assert_eq!(parent_head(&lines, 8), Some(7));
        assert_eq!(parent_head(&lines, 7), Some(6));
    }

    #[test]
    fn the_value_at_a_column_is_the_scalar_written_there() {
        assert_eq!(value_at("  width: wide", 10), Some("wide"));
        assert_eq!(value_at("margins: { top: x, bottom: 2 }", 17), Some("x"));
        assert_eq!(value_at("page:", 1), None);
    }

    #[test]
    fn blanking_keeps_every_other_line_where_it_was() {
        let out = blank(ISSUE, 1..2);
        assert_eq!(out.lines().count(), ISSUE.lines().count());
        assert!(out.starts_with("page:\n\n  height: 470\n"));
    }
}
