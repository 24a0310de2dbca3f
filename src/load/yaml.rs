//! YAML parsing with serde-saphyr: safe budgets, and library errors turned into our
//! [`Diagnostic`]s (file, line, column, snippet, field, suggestion).
//!
//! Also the small scalar types the raw (tier-one) structs share: [`Text`] accepts any scalar
//! as a string, so `number: 1719` or `title: 1984` do not fail on a type technicality.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use serde_saphyr::{Error, MessageFormatter, Spanned, UserMessageFormatter};

use super::recover;
use super::source::Source;
use crate::diag::{Diagnostic, closest};

/// A piece of YAML inside a source file: the text and the number of lines before it (front
/// matter starts after its `---` line).
pub struct Fragment<'a> {
    /// The file the YAML comes from.
    pub source: &'a Source,
    /// The YAML text.
    pub yaml: &'a str,
    /// Lines of the file before the YAML text.
    pub line_offset: usize,
}

impl Fragment<'_> {
    /// The file line of a span's location (saphyr lines are 1-based within the fragment).
    pub fn line_of<T>(&self, spanned: &Spanned<T>) -> usize {
        spanned.referenced.line() as usize + self.line_offset
    }

    /// A diagnostic pointing at a spanned value.
    pub fn error<T>(
        &self,
        kind: &'static str,
        message: impl Into<String>,
        field: &str,
        at: &Spanned<T>,
    ) -> Diagnostic {
        let line = self.line_of(at);
        let column = at.referenced.column() as usize;
        self.source.error_at(kind, message, line, column).field(field)
    }

    /// A warning pointing at a spanned value.
    pub fn warning<T>(
        &self,
        kind: &'static str,
        message: impl Into<String>,
        field: &str,
        at: &Spanned<T>,
    ) -> Diagnostic {
        let line = self.line_of(at);
        let column = at.referenced.column() as usize;
        self.source.warning_at(kind, message, line, column).field(field)
    }

    /// [`Self::parse_all`], except that a fragment of nothing but blank lines and comments
    /// is `T`'s default (the YAML parser would read it as null, not as an empty mapping).
    pub fn parse_all_or_default<T: DeserializeOwned + Default>(
        &self,
    ) -> (Option<T>, Vec<Diagnostic>) {
        let blank = self.yaml.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        });
        if blank { (Some(T::default()), Vec::new()) } else { self.parse_all() }
    }

    /// Parses the fragment into `T` under the budget, reporting every wrong value rather
    /// than the first: an entry whose value does not fit (a word where a number goes, an
    /// unknown key of a nested mapping) is reported, taken out, and the rest parsed again,
    /// so that `T` holds every other value for the checks that follow. Gives `None` only
    /// when the YAML itself is broken (a quote left open), which stops the reading there.
    pub fn parse_all<T: DeserializeOwned>(&self) -> (Option<T>, Vec<Diagnostic>) {
        // Broken YAML is found first, over the whole text: a value read before the break
        // could otherwise fail on a type ("a sequence, expected text" for `title: [`) and
        // hide the real fault.
        if let Err(error) = serde_saphyr::from_str_with_options::<IgnoredAny>(self.yaml, options())
            && !is_value_error(&error)
        {
            return (None, vec![self.diagnose(&error)]);
        }
        // The structure (heads, parents, paths) is read from the text as written; only what
        // is parsed again has entries blanked.
        let lines: Vec<&str> = self.yaml.lines().collect();
        let mut yaml = self.yaml.to_string();
        let mut errors: Vec<Diagnostic> = Vec::new();
        // The entries taken out: their head line in the fragment and their key.
        let mut taken: Vec<(usize, &str)> = Vec::new();
        loop {
            let error = match serde_saphyr::from_str_with_options::<T>(&yaml, options()) {
                Ok(value) => return (Some(value), errors),
                Err(error) => error,
            };
            let mut diagnostic = self.diagnose(&error);
            let index = diagnostic
                .line
                .filter(|_| is_value_error(&error) && taken.len() < MAX_TAKEN)
                .and_then(|line| line.checked_sub(self.line_offset + 1));
            let at = index.and_then(|i| recover::entry_head(&lines, i));
            // A required field reported missing because its wrong value was taken out is
            // no news, nor an error said again after its entry went: the mapping that holds
            // them goes instead, unreported.
            let consequence = match inner_error(&error) {
                Error::SerdeMissingField { field, .. } => {
                    taken.iter().find(|(_, key)| key == field).map(|(head, _)| *head)
                }
                _ => None,
            }
            .or_else(|| {
                let again =
                    |d: &Diagnostic| (&d.message, d.line) == (&diagnostic.message, diagnostic.line);
                at.filter(|_| errors.iter().any(again))
            });
            let head = match consequence {
                Some(taken_head) => recover::parent_head(&lines, taken_head),
                None => at,
            };
            let span = head.map(|h| recover::entry_span(&lines, h));
            let blanked = span.map(|span| recover::blank(&yaml, span)).filter(|b| *b != yaml);
            let (Some(head), Some(blanked)) = (head, blanked) else {
                if consequence.is_none() {
                    errors.push(diagnostic);
                }
                return (None, errors);
            };
            if consequence.is_none() {
                if let Some(path) = recover::key_path(&lines, head).filter(|p| p.contains('.')) {
                    if diagnostic.kind == "unknown-field" {
                        diagnostic.message = format!("unknown field `{path}`");
                    }
                    diagnostic.field = Some(path);
                }
                errors.push(diagnostic);
            }
            yaml = blanked;
            taken.push((head, recover::key_of(lines[head]).map_or("", |(key, _)| key)));
        }
    }

    /// Turns a serde-saphyr error into a located diagnostic.
    fn diagnose(&self, error: &Error) -> Diagnostic {
        let inner = inner_error(error);
        let location = error.location().filter(|l| l.line() > 0);
        let mut position =
            location.map(|l| (l.line() as usize + self.line_offset, l.column() as usize));
        let mut field = None;
        let mut hint = None;
        let (kind, message) = match inner {
            Error::SerdeUnknownField { field: name, expected, .. } => {
                // Point at the key itself: the library's fallback position may be the
                // value after it, or unknown.
                let from = position.map_or(self.line_offset + 1, |(line, _)| line);
                if let Some(found) = self
                    .source
                    .find_key(name, from)
                    .or_else(|| self.source.find_key(name, self.line_offset + 1))
                {
                    position = Some(found);
                }
                field = Some(name.clone());
                hint = Some(match closest(name, expected.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("known fields: {}", expected.join(", ")),
                });
                ("unknown-field", format!("unknown field `{name}`"))
            }
            Error::SerdeUnknownVariant { variant, expected, .. } => {
                hint = Some(match closest(variant, expected.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("expected one of: {}", expected.join(", ")),
                });
                ("invalid-value", format!("unknown value `{variant}`"))
            }
            Error::Budget { .. } => (
                "too-large",
                format!(
                    "YAML refused: {} (limits guard against alias bombs and runaway nesting)",
                    UserMessageFormatter.format_message(inner)
                ),
            ),
            Error::AliasReplayLimitExceeded { .. }
            | Error::AliasExpansionLimitExceeded { .. }
            | Error::AliasReplayStackDepthExceeded { .. } => (
                "too-large",
                format!(
                    "YAML refused: {} (aliases expand too much)",
                    UserMessageFormatter.format_message(inner)
                ),
            ),
            // A key written twice is a slip of the YAML's own rules, whose kind it keeps.
            _ if is_value_error(inner) && !matches!(inner, Error::DuplicateMappingKey { .. }) => {
                let value = position
                    .and_then(|(line, column)| recover::value_at(self.source.line(line), column));
                let message = match (inner, value) {
                    (Error::InvalidScalar { ty, .. }, Some(value)) => {
                        format!("`{value}` is not {}", scalar_kind(ty))
                    }
                    (Error::InvalidScalar { ty, .. }, None) => {
                        format!("expected {}", scalar_kind(ty))
                    }
                    _ => {
                        let text = UserMessageFormatter.format_message(inner).into_owned();
                        match value {
                            Some(value) if !text.contains(value) => format!("`{value}`: {text}"),
                            _ => text,
                        }
                    }
                };
                ("invalid-value", message)
            }
            _ => {
                let text = UserMessageFormatter.format_message(inner).into_owned();
                if text.contains("mapping values are not allowed") {
                    hint = Some(
                        "a value containing `: ` must be put in quotes: title: \"A: B\"".into(),
                    );
                } else if text.contains("quoted scalar") || text.contains("unclosed") {
                    hint = Some("check that every opening quote or bracket is closed".into());
                } else if text.contains("tab") {
                    hint = Some("indent YAML with spaces, not tabs".into());
                    // The parser points past the tab, or at the end of the line before it;
                    // the tab itself is what to fix.
                    if let Some((line, column)) = &mut position {
                        let tab_at = |l: usize| self.source.line(l).chars().position(|c| c == '\t');
                        if let Some((l, tab)) =
                            [*line, *line + 1].into_iter().find_map(|l| Some((l, tab_at(l)?)))
                        {
                            (*line, *column) = (l, tab + 1);
                        }
                    }
                }
                ("yaml", text)
            }
        };
        let mut diagnostic = match position {
            Some((line, column)) => self.source.error_at(kind, message, line, column),
            None => Diagnostic::error(kind, message).in_file(&self.source.path),
        };
        if field.is_none() {
            field = position.and_then(|(line, _)| key_on_line(self.source.line(line)));
        }
        if let Some(field) = field {
            diagnostic = diagnostic.field(field);
        }
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        diagnostic
    }
}

/// How many entries one fragment may have taken out before the reading stops: a file
/// that wrong is better fixed from its first errors.
const MAX_TAKEN: usize = 50;

/// The error that says what went wrong, inside the wrappers of aliases and snippets.
fn inner_error(error: &Error) -> &Error {
    let mut inner = error;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = inner {
        inner = error;
    }
    inner
}

/// Whether an error is about one value (its type, a field missing or unknown), after which
/// the rest of the YAML can be read with that entry taken out; a syntax error is not.
fn is_value_error(error: &Error) -> bool {
    matches!(
        inner_error(error),
        Error::Message { .. }
            | Error::Unexpected { .. }
            | Error::InvalidScalar { .. }
            | Error::NullIntoString { .. }
            | Error::InvalidBooleanStrict { .. }
            | Error::NonFiniteFloat { .. }
            | Error::DuplicateMappingKey { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeInvalidLength { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::SerdeUnknownField { .. }
            | Error::SerdeMissingField { .. }
    )
}

/// What a scalar of the library's type name `ty` is, in words for the message.
fn scalar_kind(ty: &str) -> String {
    match ty {
        "floating point" => "a number".into(),
        "boolean" => "`true` or `false`".into(),
        _ if ty.starts_with('u') => "a whole number (0 or more)".into(),
        _ if ty.starts_with('i') => "a whole number".into(),
        _ => format!("a {ty}"),
    }
}

/// The key written on a YAML line (`  title: x` gives `title`), for messages.
fn key_on_line(line: &str) -> Option<String> {
    let body = line.trim_start().trim_start_matches(['-', ' ']);
    let (key, _) = body.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then(|| key.to_string())
}

/// The key of a top-level `key: value` line (unquoted, at column 1).
pub fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-', '"', '\'', '{', '[']) {
        return None;
    }
    let colon = line.find(':')?;
    let key = &line[..colon];
    let after = &line[colon + 1..];
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(key)
}

/// Whether a line goes on the value of the top-level key above it: an indented line, a
/// blank line, a comment, or a block sequence written at the key's own indentation.
pub fn continues_value(line: &str) -> bool {
    line.is_empty() || line.starts_with([' ', '\t', '#', '-'])
}

/// Takes the top-level keys of `yaml` that are not `known` out of it (their lines blanked,
/// so every other key keeps its line), and returns each with its line in the file (the
/// YAML's first line being line `line_offset + 1`). Parsing can then go on and find the
/// file's other mistakes in the same run, instead of stopping at the first unknown key.
/// The keys of a block mapping under a top-level key named in `nested` are checked against
/// its list the same way, and returned as `parent.key`.
pub fn take_unknown_keys(
    yaml: &str,
    line_offset: usize,
    known: &[&str],
    nested: &[(&str, &[&str])],
) -> (String, Vec<(String, usize)>) {
    let mut out = String::with_capacity(yaml.len());
    let mut unknown = Vec::new();
    let mut blanking = false;
    // The block mapping being checked: its key, its known keys, and its keys' indentation
    // once seen; and the indentation of an unknown nested key being blanked.
    let mut block: Option<(&str, &[&str], Option<usize>)> = None;
    let mut blanking_nested: Option<usize> = None;
    for (index, line) in yaml.split_inclusive('\n').enumerate() {
        let ending = if line.ends_with('\n') { "\n" } else { "" };
        let body = line.trim_end_matches(['\n', '\r']);
        if blanking && continues_value(body) {
            out.push_str(ending);
            continue;
        }
        blanking = false;
        let indent = body.len() - body.trim_start_matches(' ').len();
        if indent > 0 && !body.trim().is_empty() {
            if blanking_nested.is_some_and(|at| indent > at) {
                out.push_str(ending);
                continue;
            }
            blanking_nested = None;
            if let Some((parent, children, at)) = &mut block {
                let at = *at.get_or_insert(indent);
                match top_level_key(body.trim_start()) {
                    Some(key) if indent == at && !children.contains(&key) => {
                        unknown.push((format!("{parent}.{key}"), line_offset + index + 1));
                        blanking_nested = Some(indent);
                        out.push_str(ending);
                    }
                    _ => out.push_str(line),
                }
                continue;
            }
        }
        if indent == 0 && !body.trim().is_empty() {
            block = None;
            blanking_nested = None;
        }
        match top_level_key(body) {
            Some(key) if !known.contains(&key) => {
                unknown.push((key.to_string(), line_offset + index + 1));
                blanking = true;
                out.push_str(ending);
            }
            Some(key) => {
                // Only a block mapping (nothing after the colon) has keys to check.
                let value = body[key.len() + 1..].trim();
                block = nested
                    .iter()
                    .find(|(parent, _)| *parent == key)
                    .filter(|_| value.is_empty() || value.starts_with('#'))
                    .map(|(parent, children)| (*parent, *children, None));
                out.push_str(line);
            }
            None => out.push_str(line),
        }
    }
    (out, unknown)
}

/// The error for an unknown top-level key found by [`take_unknown_keys`].
pub fn unknown_key_error(
    source: &Source,
    key: &str,
    line: usize,
    known: &[&str],
    nested: &[(&str, &[&str])],
) -> Diagnostic {
    // A nested key (`photo.captoin`) is compared with its block's keys.
    let (name, known) = match key.split_once('.') {
        Some((parent, child)) => {
            (child, nested.iter().find(|(p, _)| *p == parent).map_or(known, |(_, c)| *c))
        }
        None => (key, known),
    };
    let text = source.line(line);
    let column = text.len() - text.trim_start().len() + 1;
    let hint = match closest(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("known fields: {}", known.join(", ")),
    };
    source
        .error_at("unknown-field", format!("unknown field `{key}`"), line, column)
        .field(key)
        .hint(hint)
}

/// Parser options: the library's defaults tightened for hand-written files. A front matter
/// or `issue.yaml` has a few hundred nodes; these limits leave a wide margin while making an
/// alias bomb ("billion laughs") or a deeply nested file fail fast with a clear message.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 100_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 32,
            max_documents: 1,
            max_nodes: 50_000,
            max_total_scalar_bytes: 4 * 1024 * 1024,
            max_merge_keys: 1_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        with_snippet: false,
    }
}

/// A string scalar; numbers and booleans are taken as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// Parses `YYYY-MM-DD`, checking it is a real calendar date.
pub fn parse_date(text: &str) -> Result<crate::model::Date, String> {
    let bad = || format!("`{text}` is not a date written YYYY-MM-DD");
    let mut parts = text.trim().splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(bad());
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("`{text}`: there is no month {month}")),
    };
    if day == 0 || day > days {
        return Err(format!("`{text}`: that month has {days} days"));
    }
    Ok(crate::model::Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        title: Option<Spanned<Text>>,
        kicker: Option<Text>,
    }

    fn fragment(src: &Source) -> Fragment<'_> {
        Fragment { source: src, yaml: &src.text, line_offset: 0 }
    }

    /// The first error of parsing `src` as `T`.
    fn first_error<T: DeserializeOwned>(src: &Source) -> Diagnostic {
        fragment(src).parse_all::<T>().1.remove(0)
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert_eq!(parse_date("2024-02-29"), Ok(Date { year: 2024, month: 2, day: 29 }));
        assert!(parse_date("2025-02-29").is_err());
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("2025-9-1").is_err());
        assert!(parse_date("11/09/2025").is_err());
    }

    #[test]
    fn unknown_field_points_at_the_key_with_a_suggestion() {
        let src = Source::new("a.yaml", "kicker: K\ntitel: Bonjour\n");
        let d = first_error::<Small>(&src);
        assert_eq!(d.kind, "unknown-field");
        assert_eq!(d.message, "unknown field `titel`");
        assert_eq!((d.line, d.column), (Some(2), Some(1)));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(d.snippet.as_deref(), Some("titel: Bonjour"));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        size: Option<Size>,
        count: Option<u32>,
        title: Option<Text>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Size {
        width: f32,
        height: f32,
    }

    #[test]
    fn every_wrong_value_is_reported_and_the_rest_still_read() {
        let yaml = "size:\n  width: wide\n  height: 4\n  depth: 3\ncount: many\ntitle: Bonjour\n";
        let src = Source::new("a.yaml", yaml);
        let (parsed, errors) = fragment(&src).parse_all::<Nested>();
        let found: Vec<(Option<usize>, &str, Option<&str>)> =
            errors.iter().map(|d| (d.line, d.kind, d.field.as_deref())).collect();
        // The missing `width` once its wrong value is taken out is not an error of its own.
        assert_eq!(
            found,
            [
                (Some(2), "invalid-value", Some("size.width")),
                (Some(4), "unknown-field", Some("size.depth")),
                (Some(5), "invalid-value", Some("count")),
            ]
        );
        assert_eq!(errors[0].message, "`wide` is not a number");
        assert_eq!(errors[2].message, "`many` is not a whole number (0 or more)");
        let parsed = parsed.expect("the rest was read");
        assert_eq!(parsed.title, Some(Text("Bonjour".into())));
        assert!(parsed.size.is_none() && parsed.count.is_none());
    }

    #[test]
    fn unclosed_quote_gives_a_line() {
        let src = Source::new("a.yaml", "kicker: K\ntitle: \"Bonjour\nfoo\n");
        let d = first_error::<Small>(&src);
        assert_eq!(d.kind, "yaml");
        assert!(d.line.is_some_and(|l| l >= 2), "{d}");
    }

    #[test]
    fn numbers_are_accepted_as_text() {
        let src = Source::new("a.yaml", "title: 1984\n");
        let small = fragment(&src).parse_all::<Small>().0.unwrap();
        assert_eq!(small.title.map(|t| t.value.0), Some("1984".to_string()));
    }

    #[test]
    fn alias_bomb_is_refused_by_the_budget() {
        let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
            let refs = vec![format!("*{prev}"); 10].join(", ");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let src = Source::new("bomb.yaml", yaml);
        let d = first_error::<std::collections::BTreeMap<String, serde_json::Value>>(&src);
        assert_eq!(d.kind, "too-large", "{d}");
    }
}
