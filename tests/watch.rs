//! `rotative watch`: driven as a person would, with a timeout: start it on a copy of the
//! example issue, wait for its first build, edit an article, see it rebuild and the PDF
//! change with only that article set again, then stop it and check that a fresh build
//! gives the same bytes. Prints a watch rebuild's time against a fresh `rotative build`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

/// Longest wait for one build line: a loaded 2-core machine builds the example in under
/// two seconds; a minute means the watch is stuck.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Kills the watch however the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The next line of `lines` that starts with `prefix`, within [`TIMEOUT`].
fn wait_for(lines: &mpsc::Receiver<String>, prefix: &str, seen: &mut Vec<String>) -> String {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                seen.push(line.clone());
                if line.starts_with(prefix) {
                    return line;
                }
            }
            Err(_) => panic!("no `{prefix}` line within {TIMEOUT:?}; output:\n{}", seen.join("\n")),
        }
    }
}

/// The seconds a build line reports (`… in 0.24 s …`).
fn seconds_of(line: &str) -> f64 {
    let after = line.split(" in ").nth(1).unwrap();
    after.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn watch_rebuilds_when_an_article_changes() {
    let dir = copy_example("watch");
    let out = dir.join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_rotative"))
        .args(["watch", dir.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let pipe = running.0.stderr.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let first = wait_for(&lines, "watch: built", &mut seen);
    let pdf = pdfs_in(&out).into_iter().next().expect("the first build wrote the issue PDF");
    let before = std::fs::read(&pdf).unwrap();

    // An edit of one article: a new paragraph at its end.
    let article = dir.join("articles/02-storm-warning.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    text.push_str("\nUn paragraphe ajouté pendant la surveillance, qui doit paraître.\n");
    std::fs::write(&article, text).unwrap();
    let rebuilt = wait_for(&lines, "watch: rebuilt", &mut seen);
    assert!(rebuilt.contains("exit code 0"), "{rebuilt}");
    assert!(first.contains(", 3 article(s) set "), "{first}");
    // The two articles that did not change are kept from the first build.
    assert!(rebuilt.contains(", 1 article(s) set again "), "{rebuilt}");
    assert!(rebuilt.contains(" UTC "), "the build line gives the time: {rebuilt}");
    let after = std::fs::read(&pdf).unwrap();
    assert_ne!(before, after, "the PDF changed with the article");
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("pendant la surveillance"), "the new paragraph is in the PDF");
    }

    // A write in the output folder (the build's own) starts no build.
    std::fs::write(out.join("note.txt"), "not an input").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let extra: Vec<String> = lines.try_iter().filter(|l| l.starts_with("watch:")).collect();
    assert!(extra.is_empty(), "no build for an output file: {extra:?}");
    drop(running);

    // A fresh process for comparison, as `rotative build` runs.
    let started = Instant::now();
    let report = dir.join("report.json");
    let (input, to, report_to) =
        (dir.to_str().unwrap(), out.to_str().unwrap(), report.to_str().unwrap());
    let run = rotative(&["build", input, "-o", to, "-q", "--report", report_to]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let fresh = started.elapsed().as_secs_f64();
    // Setting every article afresh gives the very bytes the watch wrote with two of them
    // kept (a different PDF would have been written as its next version).
    assert_eq!(std::fs::read(&pdf).unwrap(), after, "the watch's PDF is a fresh build's");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["outputs"][0]["status"], "unchanged", "{json}");
    println!(
        "example issue: watch's first build {:.2} s, rebuild after editing one article {:.2} s, \
         a fresh `rotative build` process {fresh:.2} s (wall)",
        seconds_of(&first),
        seconds_of(&rebuilt)
    );
}
