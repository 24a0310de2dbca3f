//! How the command line talks to a person: colour on a terminal only (`--color`,
//! `NO_COLOR`), and the diagnostics painted the way compilers paint them.

use std::io::IsTerminal;

use clap::ValueEnum;

use rotative::diag::{Diagnostic, Severity};

/// `--color`: when to colour the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (no-color.org).
    #[default]
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to standard error. An explicit `--color always` wins
    /// over `NO_COLOR`, as the convention asks.
    pub(crate) fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[1;36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// A diagnostic as text, coloured when `color`: the file position in bold, `error[kind]`
/// in red, `warning[kind]` in yellow, `note[kind]` in cyan, the caret in the same colour, `help` in cyan.
pub(crate) fn diagnostic(d: &Diagnostic, color: bool) -> String {
    let text = d.to_string();
    if !color {
        return text;
    }
    let (label, paint) = match d.severity {
        Severity::Error => ("error", RED),
        Severity::Warning => ("warning", YELLOW),
        Severity::Note => ("note", CYAN),
    };
    let tag = format!("{label}[{}]", d.kind);
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let painted = if index == 0 {
            match line.find(&tag) {
                Some(at) => {
                    let (position, rest) = line.split_at(at);
                    let position = if position.is_empty() {
                        String::new()
                    } else {
                        format!("{BOLD}{position}{RESET}")
                    };
                    format!("{position}{paint}{tag}{RESET}{}", &rest[tag.len()..])
                }
                None => line.to_string(),
            }
        } else if let Some(hint) = line.strip_prefix("  = help:") {
            format!("  = {CYAN}help{RESET}:{hint}")
        } else if line.trim_end().ends_with('^') && line.contains(" | ") {
            line.replacen('^', &format!("{paint}^{RESET}"), 1)
        } else {
            line.to_string()
        };
        out.push(painted);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_only_when_asked() {
        let d = Diagnostic::error("unknown-field", "unknown field `titel`")
            .hint("did you mean `title`?");
        assert_eq!(diagnostic(&d, false), d.to_string());
        let painted = diagnostic(&d, true);
        assert!(painted.contains("\x1b[1;31merror[unknown-field]\x1b[0m"), "{painted:?}");
        assert!(painted.contains("\x1b[1;36mhelp\x1b[0m"), "{painted:?}");
        assert!(!ColorChoice::Never.enabled());
        assert!(ColorChoice::Always.enabled());
    }
}
