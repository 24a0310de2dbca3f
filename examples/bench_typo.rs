//! The typographic-quality benchmark (issue 16 item 5): builds issues in process and prints,
//! per language and pooled, the figures `../shared/tools/typometrics.py` reads off a PDF
//! (word-gap mean, 95th percentile and maximum in em, loose lines, hyphenated line ends and
//! their longest run, overfull lines) plus rivers, measured on the display list of each
//! article's body text (`rotative::check::typometrics`).
//!
//! `cargo run --release --example bench_typo -- [ISSUE...] [--set KEY=VALUE...]`; without
//! issues, `tests/fixtures/typo-bench` (our own texts in five languages, some 20,000 words, at
//! the peers' geometry: TeX Gyre Termes 9.5/11.5, three columns of A4). `--set` overrides
//! the issues' `microtype:` for a comparison without editing them: `protrusion`,
//! `expansion`, `letter_spacing` (percent, as in `issue.yaml`) and `rivers` (demerits), e.g.
//! `--set expansion=2 --set rivers=2000`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::exit;
use std::time::Instant;

use rotative::check::{Typometrics, typometrics};
use rotative::load::{self, LoadOptions};
use rotative::model::Microtype;
use rotative::pipeline::{self, Settings};

const DEFAULT_ISSUE: &str = "tests/fixtures/typo-bench";

fn main() {
    let mut issues: Vec<PathBuf> = Vec::new();
    let mut overrides: Vec<(String, f32)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--set" {
            let Some((key, value)) = args.next().and_then(|kv| {
                let (k, v) = kv.split_once('=')?;
                Some((k.to_string(), v.parse::<f32>().ok()?))
            }) else {
                eprintln!("bench_typo: --set wants KEY=NUMBER");
                exit(2);
            };
            overrides.push((key, value));
        } else {
            issues.push(PathBuf::from(arg));
        }
    }
    if issues.is_empty() {
        issues.push(PathBuf::from(DEFAULT_ISSUE));
    }
    let started = Instant::now();
    let mut by_lang: BTreeMap<String, Typometrics> = BTreeMap::new();
    let mut pooled = Typometrics::default();
    for path in &issues {
        let mut issue = match load::load_issue(path, &LoadOptions::default()) {
            Ok(issue) => issue,
            Err(errors) => {
                for e in errors {
                    eprintln!("bench_typo: {}: {e}", path.display());
                }
                exit(2);
            }
        };
        for (key, value) in &overrides {
            if let Err(e) = apply(&mut issue.config.microtype.justified, key, *value) {
                eprintln!("bench_typo: {e}");
                exit(2);
            }
        }
        let typeset = pipeline::typeset(&issue, &Settings::default(), &|| {});
        let mut whole = Typometrics::default();
        for (article, outcome) in issue.articles.iter().zip(&typeset.articles) {
            let (Ok(article), Some(placement)) = (&article.article, &outcome.placement) else {
                eprintln!("bench_typo: {} failed", outcome.file.display());
                exit(1);
            };
            let m = typometrics(&typeset.pages, &placement.drawn);
            whole.add(&m);
            by_lang.entry(article.lang.tag().to_string()).or_default().add(&m);
        }
        print_row(&path.display().to_string(), &whole);
        pooled.add(&whole);
    }
    for (lang, m) in &by_lang {
        print_row(&format!("  {lang}"), m);
    }
    print_row("pooled", &pooled);
    println!("({:.2} s, {} issue(s))", started.elapsed().as_secs_f64(), issues.len());
}

/// Sets one `microtype:` setting, in the units of `issue.yaml`.
fn apply(m: &mut Microtype, key: &str, value: f32) -> Result<(), String> {
    match key {
        "protrusion" => m.protrusion = value / 100.0,
        "expansion" => m.expansion = value / 100.0,
        "expansion_step" => m.expansion_step = value / 100.0,
        "letter_spacing" => m.letter_spacing = value / 100.0,
        "rivers" => m.rivers = value,
        _ => return Err(format!("unknown setting `{key}`")),
    }
    Ok(())
}

fn print_row(label: &str, m: &Typometrics) {
    println!(
        "{label:<32} lines {:>5} justified {:>5} gaps {:>6}: mean {:.3} p95 {:.3} max {:.3} em, \
         loose {:>3} ({:.1} %), hyphens {:.1} % run {}, overfull {}, rivers {}",
        m.lines,
        m.justified,
        m.gaps.len(),
        m.mean(),
        m.percentile(95.0),
        m.max(),
        m.loose,
        m.loose_share() * 100.0,
        m.hyphen_share() * 100.0,
        m.hyphen_run,
        m.overfull,
        m.rivers,
    );
}
