//! The command line's conventions, driven through the binary: shell completions and the
//! man page, `--color` and `NO_COLOR`, `-v`, global flags on either side of the
//! subcommand, `--help` with examples and exit codes, `init` without questions, and
//! "did you mean" for a missing file or a mistyped URL.

mod common;

use common::*;

const RED_ERROR: &str = "\x1b[1;31merror[";

#[test]
fn completions_and_man_page_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        let run = rotative(&["completions", shell]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let script = stdout(&run);
        assert!(script.contains("rotative"), "{shell}");
        assert!(script.contains("watch") && script.contains("png"), "{shell}: every command");
    }
    let run = rotative(&["completions", "tcsh"]);
    assert_eq!(run.status.code(), Some(2), "an unknown shell is a usage error");
    let man = rotative(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(page.starts_with(".ie") || page.contains(".TH rotative 1"), "{page}");
    assert!(page.contains("Exit codes"), "the man page has the exit codes");
}

#[test]
fn help_has_examples_and_exit_codes() {
    let run = rotative(&["--help"]);
    assert_eq!(run.status.code(), Some(0));
    let help = stdout(&run);
    for wanted in ["Examples:", "rotative watch", "--png", "Exit codes:", "2  usage errors"] {
        assert!(help.contains(wanted), "--help lacks {wanted:?}:\n{help}");
    }
}

/// An issue whose one article names a photo that is not there (but one spelt nearly so is).
fn issue_with_missing_photo(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let photo = std::fs::read(example_issue().join("photos/wood-grey.jpg")).unwrap();
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    std::fs::write(dir.join("photos/calligraphie.jpg"), photo).unwrap();
    let front = "title: Atelier\nphoto:\n  file: ../photos/caligraphie.jpg\n  credit: X";
    write_files(&dir, &[("articles/a.md", &article(front, &french_text(60)))]);
    dir
}

#[test]
fn a_missing_photo_suggests_the_nearest_file_and_colour_follows_the_flags() {
    let dir = issue_with_missing_photo("suggest");
    let input = dir.to_str().unwrap();
    // Not a terminal: no colour by default.
    let plain = rotative(&["check", input]);
    assert_eq!(plain.status.code(), Some(1));
    let text = stderr(&plain);
    assert!(text.contains("did you mean `../photos/calligraphie.jpg`?"), "{text}");
    assert!(!text.contains('\x1b'), "no escape codes into a pipe: {text:?}");
    // `--color always` before the subcommand (a global flag), and it wins over NO_COLOR.
    let always = rotative_env(&["--color", "always", "check", input], &[("NO_COLOR", "1")]);
    assert!(stderr(&always).contains(RED_ERROR), "{:?}", stderr(&always));
    // After the subcommand too.
    let after = rotative(&["check", input, "--color=always"]);
    assert!(stderr(&after).contains(RED_ERROR));
    let never = rotative(&["check", input, "--color", "never"]);
    assert!(!stderr(&never).contains('\x1b'));
}

#[test]
fn a_mistyped_url_scheme_gets_a_suggestion() {
    let dir = temp_dir("url-typo");
    let front = "title: Un titre\nurl: htps://veilleur.example/12";
    write_files(&dir, &[("articles/a.md", &article(front, &french_text(60)))]);
    let run = rotative(&["check", dir.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(1));
    let text = stderr(&run);
    assert!(text.contains("did you mean https://veilleur.example/12?"), "{text}");
}

#[test]
fn verbose_prints_every_stage_and_flags_go_before_the_subcommand() {
    let dir = copy_example("verbose");
    let out = dir.join("out");
    let run = rotative(&["-v", "-q", "build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let text = stderr(&run);
    let stages = text.lines().find(|l| l.starts_with("stages: ")).expect(&text);
    for stage in ["load", "text", "compose", "render", "write"] {
        assert!(stages.contains(&format!("{stage} ")), "{stage} in {stages}");
    }
    assert!(!text.contains("build: "), "-q before the subcommand still silences the summary");
}

#[test]
fn init_writes_a_clean_issue_that_builds() {
    let dir = temp_dir("init");
    let folder = dir.join("veilleur");
    let f = folder.to_str().unwrap();
    let args = ["init", f, "--name", "Le Veilleur", "--number", "42", "--date", "2026-01-08"];
    let run = rotative(&[&args[..], &["--format", "berliner", "--language", "en"]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let yaml = std::fs::read_to_string(folder.join("issue.yaml")).unwrap();
    for wanted in ["publication: \"Le Veilleur\"", "number: \"42\"", "date: 2026-01-08"] {
        assert!(yaml.contains(wanted), "{wanted} in:\n{yaml}");
    }
    assert!(yaml.contains("page: berliner") && yaml.contains("lang: en"), "{yaml}");
    // Nothing of the example issue.
    let all: Vec<_> = walk(&folder);
    assert!(all.iter().all(|p| !p.to_string_lossy().contains("kazakhstan")), "{all:?}");
    assert!(!yaml.contains("Liberté"), "{yaml}");
    let build = rotative(&["build", f, "-q"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    let pdf = pdfs_in(&folder.join("out")).into_iter().next().unwrap();
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Le Veilleur") && text.contains("42"), "{text}");
    }
    // A second init into the same folder, or a bad value, is a usage error.
    assert_eq!(rotative(&["init", f]).status.code(), Some(2));
    let bad = rotative(&["init", dir.join("b").to_str().unwrap(), "--date", "2026-02-30"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--date 2026-02-30"), "{}", stderr(&bad));
    let bad = rotative(&["init", dir.join("c").to_str().unwrap(), "--language", "xx"]);
    assert_eq!(bad.status.code(), Some(2));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
