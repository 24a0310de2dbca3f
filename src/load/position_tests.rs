//! Every error points at the right 1-based line and column, whatever comes before it in
//! the file: nothing at all, blank lines, comments, a byte order mark, CRLF line endings,
//! flow mappings spread over lines, tabs.

use super::*;

/// Writes `issue.yaml` (when given) and `articles/a.md` into a fresh folder and loads it;
/// returns the first error's kind, line and column.
fn first_error(
    name: &str,
    issue_yaml: Option<&str>,
    article: &str,
) -> (&'static str, usize, usize) {
    let dir =
        std::env::temp_dir().join(format!("rotative-positions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    if let Some(yaml) = issue_yaml {
        std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    }
    std::fs::write(dir.join("articles/a.md"), article).unwrap();
    let loaded = load_issue(&dir, &LoadOptions::default());
    let _ = std::fs::remove_dir_all(&dir);
    let errors = match loaded {
        Err(errors) => errors,
        Ok(issue) => issue.articles.into_iter().filter_map(|a| a.article.err()).flatten().collect(),
    };
    let d = errors.first().unwrap_or_else(|| panic!("{name}: no error"));
    (d.kind, d.line.unwrap_or(0), d.column.unwrap_or(0))
}

const ARTICLE: &str = "---\ntitle: A\n---\n\nDu texte.\n";

#[test]
fn article_errors_point_at_their_line_and_column() {
    let cases: &[(&str, &str, (&str, usize, usize))] = &[
        ("empty", "", ("missing-title", 1, 1)),
        ("blank-first", "\n\n---\ntitle: A\n---\n\nTexte.\n", ("missing-title", 3, 1)),
        // At the bracket left open (the syntax is checked before any value's type).
        ("comments", "---\n# c\n# c\ntitle: [\n---\n\nTexte.\n", ("yaml", 4, 8)),
        ("bom", "\u{feff}---\n# c\ntitle: A\nfoo: 3\n---\n\nTexte.\n", ("unknown-field", 4, 1)),
        (
            "crlf",
            "---\r\n# c\r\ntitle: A\r\nfoo: 3\r\n---\r\n\r\nTexte.\r\n",
            ("unknown-field", 4, 1),
        ),
        (
            "bom-crlf",
            "\u{feff}---\r\n# c\r\ntitle: A\r\ndate: 2025-13-45\r\n---\r\n\r\nTexte.\r\n",
            ("invalid-value", 4, 7),
        ),
        ("empty-title", "---\n# c\ntitle:\n---\n\nTexte.\n", ("missing-title", 3, 1)),
        (
            "photo-comment",
            "---\ntitle: A\nphoto:\n  # c\n  credit: B\n---\n\nTexte.\n",
            ("invalid-value", 3, 1),
        ),
        ("tab", "---\ntitle: A\nphoto:\n\tfile: x.jpg\n---\n\nTexte.\n", ("yaml", 4, 1)),
        // At the bracket closed by the wrong one, not at the mapping's type.
        ("flow", "---\ntitle: A\nkicker: {a: [}\n---\n\nTexte.\n", ("yaml", 3, 13)),
        (
            "flow-lines",
            "---\ntitle: A\nphoto: {\n  # c\n  file: x.jpg }\n---\n\nTexte.\n",
            ("missing-photo", 5, 9),
        ),
    ];
    for (name, article, expected) in cases {
        let found = first_error(name, None, article);
        assert_eq!(found.0, expected.0, "{name}: {found:?}");
        assert_eq!((found.1, found.2), (expected.1, expected.2), "{name}: {found:?}");
    }
}

#[test]
fn issue_yaml_errors_point_at_their_line_and_column() {
    let cases: &[(&str, &str, (&str, usize, usize))] = &[
        ("comments", "# c\n\n# c\npublication: X\ncolumns: 0\n", ("invalid-value", 5, 10)),
        ("crlf", "publication: X\r\n# c\r\ncolumns: 0\r\n", ("invalid-value", 3, 10)),
        ("bom", "\u{feff}# c\npublication: X\ncolumns: 0\n", ("invalid-value", 3, 10)),
        (
            "flow-lines",
            "publication: X\nphoto: {\n  warn_ppi: 200,\n  # c\n  min_ppi: -1 }\n",
            ("invalid-value", 5, 12),
        ),
        ("flow-syntax", "publication: X\nqr: {module_mm: [}\n", ("yaml", 2, 17)),
        ("tab", "publication: X\nphoto:\n\twarn_ppi: 200\n", ("yaml", 3, 1)),
        ("tab-crlf", "# c\r\nphoto:\r\n  min_ppi: 50\r\n\twarn_ppi: 200\r\n", ("yaml", 4, 1)),
    ];
    for (name, yaml, expected) in cases {
        let found = first_error(name, Some(yaml), ARTICLE);
        assert_eq!(found.0, expected.0, "{name}: {found:?}");
        assert_eq!((found.1, found.2), (expected.1, expected.2), "{name}: {found:?}");
    }
}

#[test]
fn an_empty_or_comment_only_issue_yaml_is_the_defaults() {
    for yaml in ["", "# nothing yet\n", "\u{feff}", "# c\r\n\r\n"] {
        let dir =
            std::env::temp_dir().join(format!("rotative-positions-quiet-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("articles")).unwrap();
        std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
        std::fs::write(dir.join("articles/a.md"), ARTICLE).unwrap();
        let loaded = load_issue(&dir, &LoadOptions::default());
        let _ = std::fs::remove_dir_all(&dir);
        let issue = loaded.unwrap_or_else(|e| panic!("{yaml:?}: {e:?}"));
        assert!(issue.articles[0].article.is_ok(), "{yaml:?}");
    }
}
