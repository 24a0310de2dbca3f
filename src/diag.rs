//! Diagnostics: the errors and warnings every stage reports, each pointing at a file, a line
//! and, when known, a column and a field, so layout staff can go straight to the fault.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information: something was done as asked (a draft left out); never a failure,
    /// not even under `--strict`.
    Note,
    /// The output is produced but someone should look.
    Warning,
    /// The article (or the issue) cannot be produced.
    Error,
}

/// A finding about the input or the output, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable identifier of the kind of finding (`yaml`, `unknown-field`,
    /// `missing-photo`, `overfull-line`, `low-resolution`, ...), used to group warnings.
    pub kind: &'static str,
    /// The file the finding is about, if any.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column in that line.
    pub column: Option<usize>,
    /// The YAML field or front-matter key concerned (`photo.file`, `title`).
    pub field: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending source line, shown under the message.
    pub snippet: Option<String>,
    /// A suggestion ("did you mean `title`?").
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error of the given kind.
    pub fn error(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, kind, message)
    }

    /// A new note of the given kind.
    pub fn note(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, kind, message)
    }

    /// A new warning of the given kind.
    pub fn warning(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, kind, message)
    }

    fn new(severity: Severity, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity,
            kind,
            file: None,
            line: None,
            column: None,
            field: None,
            message: message.into(),
            snippet: None,
            hint: None,
        }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets line and column (1-based; 0 means unknown).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        // Line 0 is no line: a frame the automatic make-up placed was written nowhere.
        self.line = (line > 0).then_some(line);
        self.column = (column > 0).then_some(column);
        self
    }

    /// Sets the field concerned.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets the source line to show.
    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    /// Sets a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Points at `line` of `file` for a finding made after loading (a URL, a photo's
    /// resolution): re-reads that line to show it, with the column of the value after the
    /// line's `key:`. Only called on the error path, so the extra read costs nothing.
    pub fn at_source_line(self, file: &Path, line: usize) -> Self {
        let text = std::fs::read_to_string(file).ok();
        let Some(source) = text.as_deref().and_then(|t| t.lines().nth(line.saturating_sub(1)))
        else {
            return self.in_file(file).at(line, 0);
        };
        let column = source
            .find(':')
            .map(|colon| {
                colon + 1 + (source[colon + 1..].len() - source[colon + 1..].trim_start().len())
            })
            .map_or(0, |byte| source[..byte].chars().count() + 1);
        self.in_file(file).at(line, column).snippet(source)
    }

    /// Whether this is a note.
    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// Renders as `file:line:column: error[kind]: message (field `x`)`, then the source
    /// line with a caret under the column, then the hint: the shape compilers use, which
    /// editors and terminals turn into links.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{label}[{}]: {}", self.kind, self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.map(|l| l.to_string()).unwrap_or_default();
            write!(f, "\n {gutter} | {snippet}")?;
            if let Some(column) = self.column {
                let pad = " ".repeat(gutter.len());
                let before: String = snippet.chars().take(column.saturating_sub(1)).collect();
                let indent: String =
                    before.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                write!(f, "\n {pad} | {indent}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Returns the candidate closest to `word` by edit distance, if it is close enough to be a
/// plausible typo (at most a third of the word's length, and at least one edit allowed).
/// The distance is optimal string alignment: swapping two neighbours counts as one edit,
/// since "titel" or "tilte" for "title" is the typical typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field_names() {
        let fields = ["title", "kicker", "standfirst", "keywords"];
        assert_eq!(closest("titel", fields), Some("title"));
        assert_eq!(closest("keyword", fields), Some("keywords"));
        assert_eq!(closest("zzz", fields), None);
    }

    #[test]
    fn a_transposition_is_one_edit() {
        let fields = ["title", "kicker", "standfirst", "keywords"];
        // Plain Levenshtein counts two edits here, over the limit of one for five letters.
        assert_eq!(closest("tilte", fields), Some("title"));
    }

    #[test]
    fn located_after_loading_shows_the_line_and_value_column() {
        let file = std::env::temp_dir().join(format!("rotative-diag-{}.md", std::process::id()));
        std::fs::write(&file, "---\ntitle: Lien\nurl: https://https://x.fr/1\n---\n").unwrap();
        let d = Diagnostic::error("invalid-url", "twice").at_source_line(&file, 3);
        assert_eq!((d.line, d.column), (Some(3), Some(6)));
        assert_eq!(d.snippet.as_deref(), Some("url: https://https://x.fr/1"));
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn renders_location_snippet_and_hint() {
        let d = Diagnostic::error("unknown-field", "unknown field `titel`")
            .in_file("a.md")
            .at(3, 1)
            .snippet("titel: Bonjour")
            .hint("did you mean `title`?");
        let text = d.to_string();
        assert!(text.starts_with("a.md:3:1: error[unknown-field]: unknown field `titel`"));
        assert!(text.contains(" 3 | titel: Bonjour\n   | ^"));
        assert!(text.ends_with("= help: did you mean `title`?"));
    }
}
