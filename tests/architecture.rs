//! The shape of the code, checked: dependencies between the pipeline's stages point one way,
//! no stage reaches into another's internals, no source file grows past 700 lines, and the
//! external-reader switch of the test harness works.
//!
//! The rules, read off every `crate::…` path in `src/` (in `use` lines and in code):
//! - the stages run `load -> text -> compose -> render -> check`; a stage may use an earlier
//!   stage, never a later one;
//! - it uses another stage only through that stage's root (`crate::text::TextEngine`), or
//!   through the data modules a stage declares as its output (`compose::display`), never
//!   through its internals (`crate::text::linebreak::…`);
//! - the shared modules (`model`, `geom`, `color`, `diag`, `fonts`, `qr`, `raster`) use no
//!   stage;
//! - the drivers (`pipeline`, `batch`) use the stages through their roots too.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The stages in pipeline order.
const STAGES: &[&str] = &["load", "text", "compose", "render", "check"];
/// Modules every stage may use.
const SHARED: &[&str] = &["model", "geom", "color", "diag", "fonts", "qr", "raster", "cache"];
/// Submodules that are a stage's published output data, usable like its root.
const DATA_MODULES: &[(&str, &str)] = &[("compose", "display")];
/// The drivers around the stages.
const DRIVERS: &[&str] = &["pipeline", "batch"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/text/shape.rs` -> `text`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its comments (line comments and doc comments).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string literal (a URL) is rare in paths we care about; a cut
            // line only loses text after it.
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path named after `crate::` in `code`, as its lowercase segments:
/// `use crate::compose::{self, display::{Item, Page}}` gives `[compose]` and
/// `[compose, display]`; `crate::geom::to_mm(x)` gives `[geom]`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let tail = &rest[at + "crate::".len()..];
        collect_tree(tail, Vec::new(), &mut paths);
        rest = tail;
    }
    paths
}

/// Reads one path (possibly a `{…}` tree) from the start of `text` after `prefix`.
fn collect_tree(text: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut segments = prefix;
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let word = &text[start..i];
        if !word.is_empty() && word != "self" && word.starts_with(|c: char| c.is_ascii_lowercase())
        {
            segments.push(word.to_string());
        }
        let after = text[i..].trim_start();
        let skipped = text.len() - i - after.len();
        if let Some(next) = after.strip_prefix("::") {
            let next_trimmed = next.trim_start();
            i += skipped + 2 + (next.len() - next_trimmed.len());
            if next_trimmed.starts_with('{') {
                // A tree: each comma-separated branch continues this path.
                let mut offset = 0;
                let inner_start = i + 1;
                loop {
                    let branch = &text[inner_start + offset..];
                    let trimmed = branch.trim_start();
                    offset += branch.len() - trimmed.len();
                    if trimmed.starts_with('}') {
                        offset += 1;
                        break;
                    }
                    offset += collect_tree(trimmed, segments.clone(), out);
                    let after_branch = &text[inner_start + offset..];
                    let t = after_branch.trim_start();
                    offset += after_branch.len() - t.len();
                    if t.starts_with(',') {
                        offset += 1;
                    } else if t.starts_with('}') {
                        offset += 1;
                        break;
                    } else {
                        break;
                    }
                }
                out.push(segments);
                return inner_start + offset;
            }
            continue;
        }
        // `as Alias` after a path.
        out.push(segments);
        let trimmed = text[i..].trim_start();
        if let Some(alias) = trimmed.strip_prefix("as ") {
            let alias = alias.trim_start();
            let len = alias.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(0);
            return text.len() - alias.len() + len;
        }
        return i;
    }
}

/// The part of `path` that names modules, found in the source tree: `geom::to_mm` is the
/// module `geom`, `compose::display::dump` the module `compose::display`.
fn module_part(src: &Path, path: &[String]) -> Vec<String> {
    let mut modules = Vec::new();
    let mut folder = src.to_path_buf();
    for segment in path {
        let file = folder.join(format!("{segment}.rs"));
        let dir = folder.join(segment);
        if !(file.is_file() || dir.join("mod.rs").is_file()) {
            break;
        }
        modules.push(segment.clone());
        folder = dir;
    }
    modules
}

/// Which rule `from` breaks by naming `path`, if any.
fn violation(from: &str, path: &[String]) -> Option<String> {
    let target = path.first()?.as_str();
    if target == from {
        return None;
    }
    let stage_index = |m: &str| STAGES.iter().position(|s| *s == m);
    let is_data_module = |stage: &str, sub: Option<&String>| {
        sub.is_some_and(|sub| DATA_MODULES.contains(&(stage, sub)))
    };
    if SHARED.contains(&from) {
        return stage_index(target)
            .or(DRIVERS.iter().position(|d| *d == target))
            .map(|_| format!("shared module `{from}` uses `{target}`"));
    }
    if let Some(to) = stage_index(target) {
        if let Some(me) = stage_index(from)
            && to > me
        {
            return Some(format!("stage `{from}` uses the later stage `{target}`"));
        }
        if path.len() > 1 && !is_data_module(target, path.get(1)) {
            return Some(format!("`{from}` reaches into `{}`", path.join("::")));
        }
    }
    if DRIVERS.contains(&target) && !DRIVERS.contains(&from) {
        return Some(format!("`{from}` uses the driver `{target}`"));
    }
    None
}

#[test]
fn dependencies_point_one_way_and_through_stage_roots() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = BTreeSet::new();
    for file in &files {
        if file.parent() == Some(src.as_path())
            && ["lib.rs", "main.rs"].contains(&file.file_name().unwrap().to_str().unwrap())
        {
            continue;
        }
        let from = module_of(&src, file);
        if from == "cli" {
            // The binary's own modules use the library like any other program.
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for path in crate_paths(&code) {
            if let Some(problem) = violation(&from, &module_part(&src, &path)) {
                let relative = file.strip_prefix(common::root()).unwrap();
                problems.insert(format!("{}: {problem}", relative.display()));
            }
        }
    }
    assert!(problems.is_empty(), "dependency rules broken:\n{}", {
        let list: Vec<String> = problems.into_iter().collect();
        list.join("\n")
    });
}

#[test]
fn the_path_reader_sees_trees_and_inline_paths() {
    let code = "use crate::compose::{self, Grid, display::{Item, Page}};\n\
                let x = crate::geom::to_mm(1.0);\nuse crate::text::linebreak::Breaks as B;";
    let src = common::root().join("src");
    let paths: Vec<String> =
        crate_paths(code).iter().map(|p| module_part(&src, p).join("::")).collect();
    assert!(paths.contains(&"compose".to_string()), "{paths:?}");
    assert!(paths.contains(&"compose::display".to_string()), "{paths:?}");
    assert!(paths.contains(&"geom".to_string()), "{paths:?}");
    assert!(paths.contains(&"text::linebreak".to_string()), "{paths:?}");
    let path = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert!(violation("render", &path("text::linebreak")).is_some());
    assert!(violation("text", &path("compose")).is_some());
    assert!(violation("model", &path("load")).is_some());
    assert!(violation("render", &path("compose::display")).is_none());
    assert!(violation("compose", &path("text")).is_none());
}

#[test]
fn no_source_file_is_over_700_lines() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 700).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 700 lines: {long:?}");
}

#[test]
fn a_required_reader_that_is_missing_fails_the_test() {
    assert!(!common::have_or_fail("rotative-no-such-reader", false));
    let missing =
        std::panic::catch_unwind(|| common::have_or_fail("rotative-no-such-reader", true));
    assert!(missing.is_err(), "ROTATIVE_REQUIRE_TOOLS must turn a missing reader into a failure");
    assert!(common::have_or_fail("sh", true));
}
