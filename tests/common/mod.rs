//! A small harness for driving the real `rotative` binary, ripgrep-style: temporary issue
//! folders, runs with captured output, and readers for the PDFs it writes.
#![allow(dead_code)] // each test file uses a different part of the harness

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Builds `issue` into `out` with `extra` arguments, quietly, asserts it succeeded with one
/// output file, and returns its JSON report and that file's SHA-256.
pub fn build_reported(issue: &Path, out: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let report = out.with_extension("json");
    let mut args = vec!["build", issue.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];
    args.extend_from_slice(&["--report", report.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let run = rotative(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let outputs = report["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 1, "{report}");
    let sha256 = outputs[0]["sha256"].as_str().unwrap().to_string();
    (report, sha256)
}

/// Repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example issue folder.
pub fn example_issue() -> PathBuf {
    root().join("issues/liberte-actus-1719")
}

/// A fresh empty temporary folder, unique per test.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rotative-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with `args`.
pub fn rotative(args: &[&str]) -> Output {
    rotative_env(args, &[])
}

/// Runs the binary with `args` and extra environment variables.
pub fn rotative_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rotative"));
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the rotative binary runs")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `files` (relative path, contents) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

/// Copies the example issue into a temporary folder.
pub fn copy_example(name: &str) -> PathBuf {
    copy_issue(&example_issue(), name)
}

/// Copies the issue folder `issue` into a temporary folder, without its output.
pub fn copy_issue(issue: &Path, name: &str) -> PathBuf {
    let dir = temp_dir(name);
    copy_tree(issue, &dir);
    let _ = std::fs::remove_dir_all(dir.join("out"));
    dir
}

/// The pages of `pdf` as Ghostscript separates them for a press (CMYK at 72 dpi, a pixel a
/// point), written into `dir`: per page, its number, width and height in pixels, and four
/// ink samples a pixel (255: solid).
pub fn separations(pdf: &Path, dir: &Path) -> Vec<(u32, usize, usize, Vec<u8>)> {
    let run = std::process::Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pamcmyk32", "-r72"])
        .arg(format!("-sOutputFile={}", dir.join("p%d.pam").display()))
        .arg(pdf)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut pages = Vec::new();
    for number in 1.. {
        let Ok(pam) = std::fs::read(dir.join(format!("p{number}.pam"))) else { break };
        let body = pam.windows(7).position(|w| w == b"ENDHDR\n").unwrap() + 7;
        let header = String::from_utf8_lossy(&pam[..body]).into_owned();
        let field = |name: &str| -> usize {
            let line = header.lines().find(|l| l.starts_with(name)).unwrap();
            line[name.len()..].trim().parse().unwrap()
        };
        let (width, height) = (field("WIDTH"), field("HEIGHT"));
        assert_eq!(field("DEPTH"), 4);
        let samples = pam[body..].to_vec();
        assert_eq!(samples.len(), width * height * 4);
        pages.push((number, width, height, samples));
    }
    pages
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "out" {
                continue;
            }
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Whether an external program is installed. Tests that use one skip themselves, loudly,
/// when it is missing, except under `ROTATIVE_REQUIRE_TOOLS=1` (CI sets it, after installing
/// them all), where a missing program fails the test instead of letting it pass unchecked.
pub fn have(program: &str) -> bool {
    have_or_fail(program, std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some_and(|v| v == "1"))
}

/// [`have`] with the requirement explicit: panics when `program` is missing and `required`.
pub fn have_or_fail(program: &str, required: bool) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && required {
        panic!("{program} is required (ROTATIVE_REQUIRE_TOOLS=1) but is not installed");
    }
    found
}

/// `pdftotext` of a file (raw reading order), or `None` if poppler is missing.
pub fn pdftotext(pdf: &Path) -> Option<String> {
    if !have("pdftotext") {
        eprintln!("pdftotext missing: skipped");
        return None;
    }
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// PDF files in a folder, sorted.
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// A minimal article with front matter and body.
pub fn article(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n\n{body}\n")
}

/// A paragraph of ordinary French text of about `words` words.
pub fn french_text(words: usize) -> String {
    const WORDS: &[&str] = &[
        "le",
        "conseil",
        "municipal",
        "a",
        "voté",
        "mardi",
        "soir",
        "un",
        "budget",
        "qui",
        "prévoit",
        "la",
        "rénovation",
        "des",
        "écoles",
        "et",
        "l’extension",
        "du",
        "réseau",
        "de",
        "pistes",
        "cyclables",
        "dans",
        "les",
        "quartiers",
        "nord",
        "de",
        "la",
        "ville",
        "avant",
        "la",
        "fin",
        "de",
        "l’année",
        "prochaine",
    ];
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[i % WORDS.len()]);
    }
    out.push('.');
    out
}

/// Renders `pdf` to greyscale PNGs at `dpi` next to it (named `<prefix>-N.png`) and returns
/// every QR payload zbar decodes in them, sorted.
pub fn decode_printed_codes(pdf: &Path, dpi: &str, prefix: &str) -> Vec<String> {
    let folder = pdf.parent().unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", dpi, "-gray", "-png"])
        .arg(pdf)
        .arg(folder.join(prefix))
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm renders {}", pdf.display());
    let mut decoded = Vec::new();
    for png in std::fs::read_dir(folder).unwrap().flatten().map(|e| e.path()) {
        let name = png.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with(&format!("{prefix}-")) && name.ends_with(".png")) {
            continue;
        }
        let zbar = Command::new("zbarimg")
            .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
            .arg(&png)
            .output()
            .unwrap();
        decoded.extend(String::from_utf8_lossy(&zbar.stdout).lines().map(str::to_string));
    }
    decoded.sort();
    decoded
}
