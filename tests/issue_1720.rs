//! The second example issue, Liberté Actus 1720, as its authors found it: its briefs (a
//! short head beside the QR block) built whatever the length of their URL.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A copy of issue 1720 in a temporary folder, without its output.
fn copy_1720(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let (path, target) = (entry.path(), to.join(entry.file_name()));
            if entry.file_name() == "out" {
                continue;
            }
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = temp_dir(name);
    copy(&root().join("issues/liberte-actus-1720"), &dir);
    dir
}

/// Builds `issue` into `out` with `args`, requiring success; returns the PDF.
fn build(issue: &Path, out: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["build", issue.to_str().unwrap(), "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = rotative(&all);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    pdfs_in(out).remove(0)
}

/// A brief (a two-line secondary headline, no standfirst) starting under another story, its
/// QR code encoding a 76-character URL: the 31.8 mm block beside the short head is taller
/// than the head, and the rule under the head ran through the symbol's quiet zone, so the
/// page's overlap check left the brief out. The rule now passes under the block; every
/// brief builds and its code scans.
#[test]
fn a_brief_beside_a_large_qr_block_keeps_its_rule_out_of_the_quiet_zone() {
    let issue = copy_1720("brief-qr");
    let url = "https://liberte-actus.fr/breves/2025/09/16/la-dechetterie-intercommunale-pa";
    let briefs = ["04-bref-dechetterie", "06-bref-don-du-sang", "11-bref-cinema"];
    let briefs =
        briefs.iter().chain(&["13-bref-belote", "16-en-bins-brief", "17-en-twinning-brief"]);
    let mut expected = Vec::new();
    for (n, brief) in briefs.enumerate() {
        let path = issue.join(format!("articles/{brief}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text.find("\nurl: ").unwrap() + 1;
        let end = start + text[start..].find('\n').unwrap();
        // Each its own address, 76 characters: six codes of the same version (the short
        // form is printed under them).
        let own = format!("{url}{n}");
        std::fs::write(&path, format!("{}url: {own}{}", &text[..start], &text[end..])).unwrap();
        expected.push(own);
    }
    let out = issue.join("out");
    let pdf = build(&issue, &out, &[]);
    let run = rotative(&["check", issue.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("overlap"), "{}", stderr(&run));
    if have("pdftoppm") && have("zbarimg") {
        let decoded = decode_printed_codes(&pdf, "150", "p150");
        for url in &expected {
            assert!(decoded.contains(url), "{url} scans from the page: {decoded:?}");
        }
    }
}
