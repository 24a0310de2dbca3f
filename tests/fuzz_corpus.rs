//! The fuzzer's findings (`tests/fixtures/fuzz/<target>-…`), replayed: each input once
//! made a reader panic or crawl, and must now go through quickly and without a panic.
//! Also runs every target on its seed files, so the harness itself stays in working order.

#[path = "fuzz/targets.rs"]
mod targets;

use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn every_finding_is_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(target) =
            targets::TARGETS.iter().find(|t| name.starts_with(&format!("{}-", t.name)))
        else {
            continue;
        };
        let input = std::fs::read(entry.path()).unwrap();
        let started = Instant::now();
        (target.run)(&input);
        assert!(started.elapsed() < Duration::from_secs(2), "{name} took {:?}", started.elapsed());
        replayed += 1;
    }
    eprintln!("{replayed} findings replayed");
}

#[test]
fn every_target_reads_its_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for target in targets::TARGETS {
        for seed in target.seeds {
            (target.run)(&std::fs::read(root.join(seed)).unwrap());
        }
    }
}
