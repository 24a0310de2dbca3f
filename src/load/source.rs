//! Reading input files: size limits, UTF-8 validation, and the line arithmetic every
//! message needs (byte offset to line and column, the offending line as a snippet).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Largest article file accepted. A long feature is about 60 KiB; anything near this limit
/// is a mistake (a pasted PDF, a log file), and refusing it early keeps memory bounded.
pub const MAX_ARTICLE_BYTES: u64 = 2 * 1024 * 1024;

/// Largest `issue.yaml` accepted; a real one is a few KiB.
pub const MAX_ISSUE_BYTES: u64 = 256 * 1024;

/// A text file read into memory, with its path for messages.
#[derive(Debug)]
pub struct Source {
    /// The path as given (used in messages).
    pub path: PathBuf,
    /// The text, without a leading byte-order mark.
    pub text: String,
}

impl Source {
    /// Wraps text already in memory (tests, stdin).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let text = match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        Source { path: path.into(), text }
    }

    /// The text of 1-based `line`, without its line ending; empty past the end.
    pub fn line(&self, line: usize) -> &str {
        line_text(&self.text, line)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        position(&self.text, offset)
    }

    /// A diagnostic located at `line`/`column` of this file, with that line as snippet.
    pub fn error_at(
        &self,
        kind: &'static str,
        message: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        self.locate(Diagnostic::error(kind, message), line, column)
    }

    /// A warning located at `line`/`column` of this file, with that line as snippet.
    pub fn warning_at(
        &self,
        kind: &'static str,
        message: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        self.locate(Diagnostic::warning(kind, message), line, column)
    }

    /// Adds file, position and snippet to a diagnostic.
    pub fn locate(&self, diagnostic: Diagnostic, line: usize, column: usize) -> Diagnostic {
        diagnostic.in_file(&self.path).at(line, column).snippet(self.line(line).trim_end())
    }

    /// The text without its C0 and C1 control characters (tab and line ends excepted),
    /// and a warning per line that had some, naming them; `None` when there were none.
    /// Pasted from a web page or a word processor, they are invisible in an editor, no
    /// font draws them, and a PDF reader would extract them as they are.
    pub fn without_controls(&self) -> Option<(Source, Vec<Diagnostic>)> {
        let is_stray = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        if !self.text.contains(is_stray) {
            return None;
        }
        let mut text = String::with_capacity(self.text.len());
        // (line, column of the first, codes), line by line.
        let mut found: Vec<(usize, usize, Vec<char>)> = Vec::new();
        for (index, line) in self.text.split_inclusive('\n').enumerate() {
            let mut column = 1;
            for c in line.chars() {
                if !is_stray(c) {
                    text.push(c);
                    column += 1;
                    continue;
                }
                match found.last_mut() {
                    Some((l, _, codes)) if *l == index + 1 => codes.push(c),
                    _ => found.push((index + 1, column, vec![c])),
                }
            }
        }
        let clean = Source { path: self.path.clone(), text };
        let warnings = found
            .into_iter()
            .map(|(line, column, codes)| {
                let listed: Vec<String> =
                    codes.iter().map(|&c| format!("U+{:04X}", u32::from(c))).collect();
                clean
                    .warning_at(
                        "control-character",
                        format!(
                            "control character{} {} removed from the text",
                            if codes.len() > 1 { "s" } else { "" },
                            listed.join(", ")
                        ),
                        line,
                        column,
                    )
                    .hint("such characters come from pasted text; they print nothing")
            })
            .collect();
        Some((clean, warnings))
    }

    /// Finds where `key:` is written as a mapping key, searching from line `from`
    /// (1-based) on; returns its line and column. Used to place errors that the YAML
    /// library reports without a position, and to point at a field's line.
    pub fn find_key(&self, key: &str, from: usize) -> Option<(usize, usize)> {
        self.text.lines().enumerate().skip(from.saturating_sub(1)).find_map(|(i, text)| {
            let body = text.trim_start();
            // A key may follow a list dash (`- file: x`) or a flow brace (`{ file: x`).
            let body = body.trim_start_matches(['-', '{', ' ']);
            let unquoted = body.trim_start_matches(['"', '\'']);
            let rest = unquoted.strip_prefix(key)?;
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if !rest.starts_with(':') {
                return None;
            }
            let column = text[..text.len() - unquoted.len()].chars().count() + 1;
            Some((i + 1, column))
        })
    }
}

/// The text of 1-based `line` in `text`, without its line ending.
pub fn line_text(text: &str, line: usize) -> &str {
    text.split('\n')
        .nth(line.saturating_sub(1))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or("")
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Reads `path` as UTF-8 text of at most `limit` bytes. `what` names the file in messages
/// ("article", "issue.yaml").
pub fn read(path: &Path, limit: u64, what: &str) -> Result<Source, Diagnostic> {
    let bytes = read_regular_file(path, limit).map_err(|why| {
        let kind = if why.starts_with("is ") && why.contains("limit") { "too-large" } else { "io" };
        let d = Diagnostic::error(kind, format!("cannot read {what} {}: it {why}", path.display()))
            .in_file(path);
        if kind == "too-large" { d.hint("is this really the right file?") } else { d }
    })?;
    decode(path, bytes, what)
}

/// Reads `path` whole if it is a regular file (links followed) of at most `limit` bytes.
/// Checked before opening: opening a named pipe would block until a writer comes.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot be opened: {e}"))?;
    if !metadata.is_file() {
        return Err(format!("is not a regular file ({})", file_kind(&metadata)));
    }
    if metadata.len() > limit {
        return Err(format!(
            "is {}, over the limit of {}",
            size_text(metadata.len()),
            size_text(limit)
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The bound holds even if the file grows between the check and the read.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("grew past the limit of {} while being read", size_text(limit)));
    }
    Ok(bytes)
}

/// A size for messages: KiB under a MiB, else MiB.
fn size_text(bytes: u64) -> String {
    if bytes < 1 << 20 { format!("{} KiB", bytes >> 10) } else { format!("{} MiB", bytes >> 20) }
}

/// A word for what a non-regular file is, for messages.
pub fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a plain file"
}

/// Decodes bytes as UTF-8, reporting the first invalid byte with its offset and line.
pub fn decode(path: &Path, bytes: Vec<u8>, what: &str) -> Result<Source, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(path, text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..offset]);
            let (line, column) = position(&valid, offset);
            let line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let line_end = bytes[offset..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| offset + i);
            let snippet = String::from_utf8_lossy(&bytes[line_start..line_end]);
            Err(Diagnostic::error(
                "invalid-utf8",
                format!(
                    "{what} is not valid UTF-8: byte 0x{:02X} at offset {offset}",
                    bytes[offset]
                ),
            )
            .in_file(path)
            .at(line, column)
            .snippet(snippet.trim_end())
            .hint("save the file as UTF-8 (it may be Latin-1 or Windows-1252)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_with_a_warning_per_line() {
        let source = Source::new("a.md", "title\n\tun\u{8F}e pho\u{1}to\r\nfin\u{7F}\n");
        let (clean, warnings) = source.without_controls().expect("controls found");
        assert_eq!(clean.text, "title\n\tune photo\r\nfin\n");
        let at: Vec<_> = warnings.iter().map(|w| (w.line, w.column)).collect();
        assert_eq!(at, [(Some(2), Some(4)), (Some(3), Some(4))]);
        assert!(warnings[0].message.contains("U+008F, U+0001"), "{}", warnings[0].message);
        assert!(warnings.iter().all(|w| w.kind == "control-character"));
        assert!(Source::new("b.md", "plain\ttext\r\n").without_controls().is_none());
    }

    #[test]
    fn invalid_utf8_reports_byte_offset_and_line() {
        // "é" in Latin-1 (0xE9) on line 2.
        let bytes = b"title: ok\nkicker: caf\xE9\n".to_vec();
        let d = decode(Path::new("a.md"), bytes, "article").unwrap_err();
        assert_eq!(d.kind, "invalid-utf8");
        assert!(d.message.contains("offset 21"), "{}", d.message);
        assert!(d.message.contains("0xE9"));
        assert_eq!(d.line, Some(2));
        assert_eq!(d.column, Some(12));
        assert_eq!(d.snippet.as_deref(), Some("kicker: caf\u{FFFD}"));
    }

    #[test]
    fn positions_count_characters() {
        let text = "ab\nçé: x\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 3), (2, 1));
        // After "çé" (4 bytes) we are at column 3.
        assert_eq!(position(text, 7), (2, 3));
    }

    #[test]
    fn finds_keys_in_block_and_flow_style() {
        let src = Source::new("a.yaml", "photo:\n  file: a.jpg\nlist:\n  - { file: b }\n");
        assert_eq!(src.find_key("file", 1), Some((2, 3)));
        assert_eq!(src.find_key("file", 3), Some((4, 7)));
        assert_eq!(src.find_key("nope", 1), None);
    }

    #[test]
    fn refuses_oversized_files() {
        let dir = std::env::temp_dir().join("rotative-load-source-test");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.md");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        let d = read(&path, 1024, "article").unwrap_err();
        assert_eq!(d.kind, "too-large");
    }
}
