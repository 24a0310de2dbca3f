//! The typographic benchmark's measure (issue 16 items 4 and 5): rivers found in set text,
//! the river demerit of the line breaker, and each article's rivers in the JSON report.

mod common;

use std::path::Path;

use common::{copy_example, root, rotative, stderr, stdout};
use rotative::check::{Typometrics, typometrics};
use rotative::load::{self, LoadOptions};
use rotative::model::Microtype;
use rotative::pipeline::{self, Settings};

/// The benchmark's texts and every article's figures, set with `adjust` applied to the
/// justified paragraphs' settings; `None` (with a note) without fonts-texgyre.
fn bench(adjust: impl Fn(&mut Microtype)) -> Option<Typometrics> {
    let font = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf";
    if !Path::new(font).exists() {
        assert!(std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_none(), "fonts-texgyre is required");
        eprintln!("note: fonts-texgyre missing, typographic benchmark skipped");
        return None;
    }
    let path = root().join("tests/fixtures/typo-bench");
    let mut issue = load::load_issue(&path, &LoadOptions::default()).expect("loads");
    adjust(&mut issue.config.microtype.justified);
    let typeset = pipeline::typeset(&issue, &Settings::default(), &|| {});
    let mut all = Typometrics::default();
    for outcome in &typeset.articles {
        let placement = outcome.placement.as_ref().expect("every article is set");
        all.add(&typometrics(&typeset.pages, &placement.drawn));
    }
    Some(all)
}

/// The benchmark holds its 20,000 words of justified text, and the river demerit (the
/// settings the example issues use: protrusion and expansion on) leaves fewer rivers in it
/// without loosening the spacing.
#[test]
fn the_river_demerit_leaves_fewer_rivers_in_the_benchmark() {
    let on = |m: &mut Microtype| {
        m.protrusion = 1.0;
        m.expansion = 0.02;
        m.rivers = 0.0;
    };
    let Some(before) = bench(on) else { return };
    let after = bench(|m| {
        on(m);
        m.rivers = 2000.0;
    })
    .unwrap();
    assert!(before.justified > 2000 && before.gaps.len() > 14000, "{before:?}");
    assert!(before.rivers > 50, "the benchmark has rivers to remove: {}", before.rivers);
    assert!(
        after.rivers * 10 <= before.rivers * 9,
        "rivers {} -> {}: not 10 % fewer",
        before.rivers,
        after.rivers
    );
    assert!(after.mean() <= before.mean() + 0.005, "{} -> {}", before.mean(), after.mean());
}

/// `--report` gives each article's rivers, as the display list's measure counts them.
#[test]
fn the_report_counts_each_articles_rivers() {
    let dir = copy_example("report-rivers");
    let run = rotative(&["check", dir.to_str().unwrap(), "--report", "-", "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let reported: Vec<u64> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rivers"].as_u64().expect("a count of rivers"))
        .collect();
    let issue = load::load_issue(&dir, &LoadOptions::default()).expect("loads");
    let typeset = pipeline::typeset(&issue, &Settings::default(), &|| {});
    let measured: Vec<u64> = typeset
        .articles
        .iter()
        .map(|a| typometrics(&typeset.pages, &a.placement.as_ref().unwrap().drawn).rivers as u64)
        .collect();
    assert_eq!(reported, measured);
    assert!(reported.iter().sum::<u64>() > 0, "the example issue has some rivers");
}
