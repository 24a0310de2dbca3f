//! Benchmark of a whole weekly issue: generates a synthetic issue of 40 articles of about
//! 700 words with a photo each, builds it in a fresh process as `rotative build` does, and
//! prints wall time, pages per second, peak memory, CPU time and the median time of each
//! pipeline stage (from the build’s report), for four builds in turn: cold (an empty
//! output folder: no previous PDF, no build cache), a rebuild with nothing changed, and a
//! rebuild after editing one article (a sentence added), as a newsroom rebuilds a page, and
//! a rebuild after an edit that brings a character the issue did not have yet (a letter
//! with an accent in a name).
//!
//! ```text
//! cargo run --release --example bench_issue -- [ARTICLES] [--photo cmyk|grey|rgb] [--runs N]
//! cargo run --release --example bench_issue -- 40 --generate DIR    # only write the issue
//! cargo run --release --example bench_issue -- --fit [--runs N]     # cost of the copyfit
//! cargo run --release --example bench_issue -- 40 --auto               # automatic make-up
//! cargo run --release --example bench_issue -- --eleven [--photo grey]  # eleven real articles
//! cargo run --release --example bench_issue -- 40 --no-cache           # without the cache
//! ```
//!
//! `--no-cache` makes every build without the build cache (`build --no-cache`), for a
//! comparison.
//!
//! `--eleven` builds eleven articles cut from the French, English and German texts of
//! `tests/fixtures/typo-bench` (4, 4 and 3 articles at their intertitles, some 12,500 words),
//! with that issue's TeX Gyre Termes fonts (fonts-texgyre) and microtype settings, and one
//! photo each: about 16 pages, the second issue of issue 18's targets.
//!
//! The photo kind matters: CMYK and grey JPEGs are embedded as they are, RGB ones go through
//! colour management.
//!
//! `--fit` measures what the copyfit cascade costs: it builds the example weekly
//! `issues/liberte-actus-1720` (12 planned pages) in this process, after a warm-up, N times
//! (7 by default) each way: as it is (fitted, the default `copyfit:` steps), with the steps
//! emptied (`copyfit: []`: measured only) and without its page plan (the same stories set
//! one after the other). It prints the median wall and CPU time of each, from loading to the
//! rendered and checked PDF (nothing written), the median seconds of each pipeline stage and
//! the ratios fitted / unfitted and fitted / plain; and the same stories made up
//! automatically (`--auto`), against the plain build.
//!
//! `--auto` makes the synthetic issue up automatically (`pages: auto`) with six ad slots
//! (a third of a page each, on every other page): its `makeup` stage is the search.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rotative::batch::{self, Options, Split};
use rotative::load::{self, LoadOptions};
use rotative::model::{AutoMakeup, Issue, StoryHint};
use rotative::pipeline::{self, Settings};

/// Sentences written for this benchmark, in the register of a local news page.
const SENTENCES: &[&str] = &[
    "Le conseil municipal a adopté mardi soir le budget de l’année prochaine, après plus de quatre heures de débats.",
    "La majorité défend un effort sans précédent pour la rénovation des écoles et des équipements sportifs.",
    "L’opposition dénonce une hausse de 3,5 % de la taxe foncière, qu’elle juge « injustifiable » en période d’inflation.",
    "Selon l’adjoint aux finances, la dette de la commune reste maîtrisée : elle représente moins de six années d’épargne brute.",
    "Les associations de quartier ont obtenu le maintien des subventions, après une mobilisation remarquée devant la mairie.",
    "Le chantier du nouveau pont doit débuter au printemps et durer dix-huit mois, pour un coût estimé à 12 millions d’euros.",
    "Les commerçants du centre-ville s’inquiètent des travaux, qui fermeront la rue principale pendant une partie de l’été.",
    "Une réunion publique est prévue le 14 novembre à la salle des fêtes pour présenter le calendrier aux riverains.",
    "Dans les villages voisins, la question de l’eau potable revient avec insistance après deux étés de sécheresse.",
    "Le syndicat intercommunal annonce l’interconnexion de trois réseaux, afin de sécuriser l’approvisionnement de 40 000 habitants.",
    "Les agriculteurs, eux, demandent des règles plus claires sur l’irrigation et un accompagnement financier durable.",
    "À l’hôpital, la direction confirme l’ouverture d’un service d’urgences pédiatriques, attendu depuis longtemps par les familles.",
    "Le recrutement de médecins reste pourtant difficile, malgré les aides au logement proposées par la communauté de communes.",
    "Les élus régionaux ont voté une enveloppe supplémentaire pour les lignes ferroviaires du quotidien, très fréquentées le matin.",
    "Faut-il rouvrir la petite gare fermée en 1992 ? Les habitants, consultés par questionnaire, répondent oui à 71 %.",
    "Le club de football local, promu cet été, a signé sa première victoire à domicile devant plus de mille spectateurs.",
];

fn paragraph(seed: &mut u64, sentences: usize) -> String {
    let mut text = String::new();
    for _ in 0..sentences {
        // A small linear congruential generator: deterministic and good enough to shuffle.
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let s = SENTENCES[(*seed >> 33) as usize % SENTENCES.len()];
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(s);
    }
    text
}

/// The photo with a comment segment naming the article after its start-of-image marker:
/// forty different files, as a real issue has, rather than forty copies of one.
fn distinct_jpeg(jpeg: &[u8], article: usize) -> Vec<u8> {
    let comment = format!("rotative benchmark, article {article}");
    let length = u16::try_from(comment.len() + 2).expect("a short comment");
    let mut out = Vec::with_capacity(jpeg.len() + comment.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn generate(dir: &Path, articles: usize, photo: &str, auto: bool) -> std::io::Result<()> {
    let (jpeg, profile) = photo_source(photo)?;
    std::fs::create_dir_all(dir.join("articles"))?;
    std::fs::create_dir_all(dir.join("photos"))?;
    // Six ad slots built up from the foot of pages 2 to 12, a third of a page deep.
    let ads: String = (1..=6)
        .map(|n| format!("    - {{ page: {}, columns: 1-3, depth: 21, ad: placeholder }}\n", 2 * n))
        .collect();
    let makeup = if auto { format!("pages: auto\nauto:\n  ads:\n{ads}") } else { String::new() };
    std::fs::write(
        dir.join("issue.yaml"),
        format!(
            "publication: Le Banc d’essai\nnumber: \"40\"\ndate: 2025-11-20\nwebsite: https://banc.example\noutput:\n  tac: 330\n{profile}{makeup}"
        ),
    )?;
    let mut seed = 7u64;
    for i in 1..=articles {
        let photo_name = format!("photo-{i:02}.jpg");
        std::fs::write(dir.join("photos").join(&photo_name), distinct_jpeg(&jpeg, i))?;
        let mut body = String::new();
        for p in 0..9 {
            if p == 4 {
                body.push_str("## Un calendrier serré\n\n");
            }
            body.push_str(&paragraph(&mut seed, 4));
            body.push_str("\n\n");
        }
        let front = format!(
            "---\nkicker: Vie locale\ntitle: Article numéro {i} du banc d’essai\nstandfirst: \"{}\"\nurl: https://banc.example/{i}\nkeywords: [Budget, Travaux]\nphoto:\n  file: ../photos/{photo_name}\n  credit: Banc d’essai\n---\n\n",
            paragraph(&mut seed, 1)
        );
        std::fs::write(dir.join("articles").join(format!("{i:02}.md")), front + &body)?;
    }
    Ok(())
}

/// The photo of `kind` (`rgb`, `grey`, else CMYK) from the example issue, and the lines
/// `issue.yaml` needs under `output:` for it.
fn photo_source(kind: &str) -> std::io::Result<(Vec<u8>, &'static str)> {
    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("issues/liberte-actus-1719/photos");
    let source = match kind {
        "rgb" => example.join("dune-rgb.jpg"),
        "grey" => example.join("wood-grey.jpg"),
        _ => example.join("storm-cmyk.jpg"),
    };
    // The CMYK photo is separated for coated offset (it embeds Coated FOGRA39): the issue
    // prints on that condition, so the photo is print-ready and goes in as it is (under the
    // default newsprint condition it would be re-separated).
    let profile = if kind == "cmyk" { "  icc_profile: fogra39\n" } else { "" };
    Ok((std::fs::read(source)?, profile))
}

/// `--eleven`: the typographic benchmark's French, English and German texts cut at their
/// intertitles into 4, 4 and 3 articles of about equal length, each with a photo, under
/// that issue's settings (module doc).
fn generate_eleven(dir: &Path, photo: &str) -> std::io::Result<()> {
    let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typo-bench");
    let (jpeg, profile) = photo_source(photo)?;
    std::fs::create_dir_all(dir.join("articles"))?;
    std::fs::create_dir_all(dir.join("photos"))?;
    let yaml = std::fs::read_to_string(bench.join("issue.yaml"))?;
    let settings = yaml.split("\narticles:").next().unwrap_or_default();
    let mut list = String::new();
    let mut n = 0;
    for (lang, parts) in [("fr", 4), ("en", 4), ("de", 3)] {
        let text = std::fs::read_to_string(bench.join("articles").join(format!("{lang}.md")))?;
        let mut pieces = text.splitn(3, "---\n").skip(1);
        let (front, body) = (pieces.next().unwrap_or_default(), pieces.next().unwrap_or_default());
        let sections: Vec<&str> = body.split("\n## ").collect();
        let words: usize = body.split_whitespace().count();
        let mut chunks: Vec<Vec<&str>> = vec![Vec::new()];
        let mut counted = 0;
        for section in sections {
            // A new article once this one has its share of the words.
            if counted >= words * chunks.len() / parts && chunks.len() < parts {
                chunks.push(Vec::new());
            }
            counted += section.split_whitespace().count();
            chunks.last_mut().expect("one chunk at least").push(section);
        }
        for (i, chunk) in chunks.iter().enumerate() {
            n += 1;
            let photo_name = format!("photo-{n:02}.jpg");
            std::fs::write(dir.join("photos").join(&photo_name), distinct_jpeg(&jpeg, n))?;
            let mut front: String = front
                .lines()
                .filter(|l| !l.starts_with("url:") && (i == 0 || !l.starts_with("title:")))
                .map(|l| format!("{l}\n"))
                .collect();
            let mut body = chunk.join("\n## ");
            if i > 0 {
                // The intertitle the article starts at is its title.
                let (title, rest) = body.split_once('\n').unwrap_or((body.as_str(), ""));
                front.push_str(&format!("title: \"{}\"\n", title.replace('"', "'")));
                body = rest.to_string();
            }
            front.push_str(&format!(
                "url: https://liberte-actus.fr/bench-{lang}-{}\nphoto:\n  file: ../photos/{photo_name}\n  credit: Banc d’essai\n",
                i + 1
            ));
            let file = format!("{n:02}.md");
            std::fs::write(dir.join("articles").join(&file), format!("---\n{front}---\n{body}"))?;
            list.push_str(&format!("  - articles/{file}\n"));
        }
    }
    std::fs::write(
        dir.join("issue.yaml"),
        format!("{settings}\noutput:\n  tac: 330\n{profile}articles:\n{list}"),
    )
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU time of this process so far, seconds: the sum over its threads (the rayon workers
/// are still alive at the end) of the nanoseconds the scheduler counts in `schedstat`.
fn cpu_seconds() -> Option<f64> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).ok()?;
        nanos += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 / 1e9)
}

fn options(dir: &Path, cache: bool) -> Options {
    Options {
        output: Some(dir.join("out")),
        split: Split::Issue,
        standard: None,
        marks: None,
        strict: false,
        allow_outside: false,
        auto: false,
        plan_out: None,
        write: true,
        progress: false,
        proof: false,
        png: None,
        allow_incomplete: false,
        keep_stale: false,
        cache,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // One build in a fresh process, as `rotative build` runs: fonts parsed, patterns loaded,
    // everything from cold. The parent times it from outside.
    if let Some(dir) = args.iter().position(|a| a == "--child").and_then(|i| args.get(i + 1)) {
        let cache = !args.iter().any(|a| a == "--no-cache");
        let outcome = batch::run(Path::new(dir), &options(Path::new(dir), cache));
        let errors: Vec<String> = outcome
            .report
            .issue
            .iter()
            .chain(outcome.report.articles.iter().flat_map(|a| &a.errors))
            .map(|d| d.to_string())
            .collect();
        assert_eq!(outcome.exit_code, 0, "{}", errors.join("\n"));
        let mut stages: Vec<String> =
            outcome.report.summary.stages.iter().map(|(name, s)| format!("{name}={s}")).collect();
        // The build's own clock, from loading to the report: the rest of the wall time is
        // the process's start and exit (and, for the command, printing its findings).
        stages.push(format!("build={}", outcome.report.summary.seconds));
        println!(
            "{} {:.1} {:.4} {}",
            outcome.report.summary.pages,
            peak_memory_mb().unwrap_or(f64::NAN),
            cpu_seconds().unwrap_or(f64::NAN),
            stages.join(",")
        );
        return;
    }
    let runs_given: Option<usize> = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|r| r.parse().ok());
    if args.iter().any(|a| a == "--fit") {
        bench_fit(runs_given.unwrap_or(7));
        return;
    }
    let eleven = args.iter().any(|a| a == "--eleven");
    // Every build without the build cache (`build --no-cache`), to compare with it.
    let no_cache = args.iter().any(|a| a == "--no-cache");
    let articles =
        if eleven { 11 } else { args.first().and_then(|a| a.parse().ok()).unwrap_or(40) };
    let photo = args
        .iter()
        .position(|a| a == "--photo")
        .and_then(|i| args.get(i + 1))
        .map_or("cmyk", String::as_str);
    let runs = runs_given.unwrap_or(5);
    let auto = args.iter().any(|a| a == "--auto");
    // `--generate DIR` only writes the issue, to profile `rotative build DIR` by hand.
    if let Some(dir) = args.iter().position(|a| a == "--generate").and_then(|i| args.get(i + 1)) {
        if eleven {
            generate_eleven(Path::new(dir), photo).expect("writes the eleven-article issue");
        } else {
            generate(Path::new(dir), articles, photo, auto).expect("writes the synthetic issue");
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("rotative-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if eleven {
        generate_eleven(&dir, photo).expect("writes the eleven-article issue");
    } else {
        generate(&dir, articles, photo, auto).expect("writes the synthetic issue");
    }
    let exe = std::env::current_exe().expect("knows its own path");
    let mut modes = [
        Mode::new("cold (empty output folder, no cache)"),
        Mode::new("rebuild, nothing changed"),
        Mode::new("rebuild after editing one article"),
        Mode::new("rebuild after an edit bringing a new character"),
    ];
    let mut pages = 0;
    for run in 0..runs {
        // A cold build starts from an empty output folder: no previous PDF, no cache.
        let _ = std::fs::remove_dir_all(dir.join("out"));
        for (i, mode) in modes.iter_mut().enumerate() {
            match i {
                2 => edit_article(&dir, run).expect("edits an article"),
                3 => add_new_character(&dir, run).expect("edits an article"),
                _ => {}
            }
            pages = mode.build(&exe, &dir, no_cache);
            println!("run {}, {}: {:.3} s", run + 1, mode.label, mode.wall.last().unwrap_or(&0.0));
        }
    }
    let texts = if eleven { "FR/EN/DE texts, TeX Gyre Termes, " } else { "" };
    let cache = if no_cache { ", no build cache" } else { "" };
    println!(
        "{articles} articles ({texts}{photo} photos{cache}), {pages} pages, medians of {runs} run(s):"
    );
    for mode in &mut modes {
        let median = median_of(&mut mode.wall);
        let cpu = median_of(&mut mode.cpu);
        println!(
            "{}: {median:.3} s wall, {:.0} pages/s, CPU {cpu:.3} s ({:.1} cores busy), peak memory {:.0} MB",
            mode.label,
            pages as f64 / median,
            cpu / median,
            mode.peak
        );
        // In pipeline order, as the report names them.
        let names = ["load", "qr", "makeup", "text", "compose", "render", "check", "write"];
        println!("  seconds by stage: {}", by_stage(&mut mode.stages, &names));
        // What the stages leave out: the report's own work (rivers, manifest, pruning)
        // between them and the build's clock, and the process around it.
        let build = mode.stages.get_mut("build").map_or(f64::NAN, |s| median_of(s));
        // The check stage runs beside render, within its time.
        let stages: f64 = names
            .iter()
            .filter(|name| **name != "check")
            .filter_map(|name| mode.stages.get_mut(*name).map(|s| median_of(s)))
            .sum();
        println!(
            "  outside the stages: {:.3} s in the build, {:.3} s starting and ending the process",
            build - stages,
            median - build
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Adds a sentence to the first article, as an editor's correction does: the rebuild sets
/// that article again and keeps every photo.
fn edit_article(dir: &Path, run: usize) -> std::io::Result<()> {
    let path = dir.join("articles/01.md");
    let mut text = std::fs::read_to_string(&path)?;
    text.push_str(&format!("Correction numéro {} apportée par la rédaction.\n", run + 1));
    std::fs::write(path, text)
}

/// Adds a sentence with a letter the issue has not used yet (another in each run: Latin
/// Extended-A capitals, which the bundled fonts and TeX Gyre have), as a name spelt right
/// does: the fonts' subsets change, and with them the content of every page set in a CFF
/// face, whose glyphs the subset renumbers (TrueType faces keep their glyph ids).
fn add_new_character(dir: &Path, run: usize) -> std::io::Result<()> {
    let path = dir.join("articles/01.md");
    let mut text = std::fs::read_to_string(&path)?;
    let letter = char::from_u32(0x100 + 2 * run as u32).unwrap_or('Ā');
    text.push_str(&format!("Le nom du maire s’écrit {letter}lain, avec un accent.\n"));
    std::fs::write(path, text)
}

/// One kind of build the benchmark times, and its measures over the runs.
struct Mode {
    label: &'static str,
    wall: Vec<f64>,
    cpu: Vec<f64>,
    /// The highest peak memory of any run, MB.
    peak: f64,
    /// Seconds per pipeline stage, as the build's report gives them, one list per stage.
    stages: BTreeMap<String, Vec<f64>>,
}

impl Mode {
    fn new(label: &'static str) -> Self {
        Mode { label, wall: Vec::new(), cpu: Vec::new(), peak: 0.0, stages: Default::default() }
    }

    /// Builds the issue in `dir` once in a fresh process (`exe --child`), keeps its
    /// measures, and returns its page count.
    fn build(&mut self, exe: &Path, dir: &Path, no_cache: bool) -> usize {
        let started = Instant::now();
        let child = std::process::Command::new(exe)
            .arg("--child")
            .arg(dir)
            .args(no_cache.then_some("--no-cache"))
            .output()
            .expect("runs the build");
        self.wall.push(started.elapsed().as_secs_f64());
        assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
        let line = String::from_utf8_lossy(&child.stdout).into_owned();
        let mut fields = line.split_whitespace();
        let pages = fields.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        self.peak = self.peak.max(fields.next().and_then(|p| p.parse().ok()).unwrap_or(f64::NAN));
        self.cpu.push(fields.next().and_then(|c| c.parse().ok()).unwrap_or(f64::NAN));
        for stage in fields.next().unwrap_or_default().split(',') {
            if let Some((name, seconds)) = stage.split_once('=') {
                let seconds = seconds.parse().unwrap_or(f64::NAN);
                self.stages.entry(name.to_string()).or_default().push(seconds);
            }
        }
        pages
    }
}

fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `load 0.006, text 0.039, ...`: the median of each of `names` that was timed.
fn by_stage(stages: &mut BTreeMap<String, Vec<f64>>, names: &[&str]) -> String {
    let profile: Vec<String> = names
        .iter()
        .filter_map(|name| Some(format!("{name} {:.3}", median_of(stages.get_mut(*name)?))))
        .collect();
    profile.join(", ")
}

/// One way of building the example issue for `--fit`, and its times.
struct FitCase {
    label: &'static str,
    /// The issue as loaded, changed for this case.
    adjust: fn(&mut Issue),
    wall: Vec<f64>,
    cpu: Vec<f64>,
    stages: BTreeMap<String, Vec<f64>>,
    pages: usize,
}

/// `--fit`: the example weekly fitted, measured only and without its plan (module doc).
fn bench_fit(runs: usize) {
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("issues/liberte-actus-1720");
    let mut cases = [
        FitCase::new("fitted (copyfit as in issue.yaml)", |_| {}),
        FitCase::new("unfitted (copyfit: [], measured only)", |issue| {
            if let Some(plan) = &mut issue.plan {
                plan.fit_steps.clear();
            }
        }),
        // The plan's stories keep their order: only the make-up changes.
        FitCase::new("plain (no page plan, sequential)", |issue| issue.plan = None),
        // The same stories, in the plan's order, made up automatically without its ads.
        FitCase::new("automatic (pages: auto, no ads)", |issue| {
            let fit_steps = issue.plan.take().map(|p| p.fit_steps).unwrap_or_default();
            issue.auto = Some(AutoMakeup {
                pages: None,
                multiple_of: 1,
                ads: Vec::new(),
                sections: Vec::new(),
                hints: vec![StoryHint::default(); issue.articles.len()],
                fit_steps,
                house_ad: false,
            });
        }),
    ];
    // The first round warms the caches and the thread pool and is not counted; the cases
    // take turns so that what else the machine does falls on each alike.
    for run in 0..=runs {
        for case in &mut cases {
            case.build(&input, run > 0);
        }
    }
    println!(
        "issues/liberte-actus-1720 in process, load to checked PDF (median of {runs} after a warm-up):"
    );
    // Median wall and CPU seconds of each case, in the order of `cases`.
    let mut medians = Vec::new();
    for case in &mut cases {
        let (wall, cpu) = (median_of(&mut case.wall), median_of(&mut case.cpu));
        // Nothing is written in process: the pipeline's stages end with the check.
        let names = ["load", "qr", "makeup", "text", "compose", "render", "check"];
        println!(
            "{}: {} pages, median {wall:.3} s wall, CPU {cpu:.3} s; seconds by stage: {}",
            case.label,
            case.pages,
            by_stage(&mut case.stages, &names)
        );
        medians.push((wall, cpu));
    }
    let [fitted, unfitted, plain, auto] = [medians[0], medians[1], medians[2], medians[3]];
    println!(
        "fitted / unfitted: {:.2}x wall, {:.2}x CPU; fitted / plain: {:.2}x wall, {:.2}x CPU; automatic / plain: {:.2}x wall, {:.2}x CPU",
        fitted.0 / unfitted.0,
        fitted.1 / unfitted.1,
        fitted.0 / plain.0,
        fitted.1 / plain.1,
        auto.0 / plain.0,
        auto.1 / plain.1,
    );
}

impl FitCase {
    fn new(label: &'static str, adjust: fn(&mut Issue)) -> Self {
        FitCase {
            label,
            adjust,
            wall: Vec::new(),
            cpu: Vec::new(),
            stages: Default::default(),
            pages: 0,
        }
    }

    /// Loads and typesets the issue once; keeps the times when `count`.
    fn build(&mut self, input: &Path, count: bool) {
        let (started, cpu) = (Instant::now(), cpu_seconds().unwrap_or(f64::NAN));
        let loading = Instant::now();
        let mut issue = load::load_issue(input, &LoadOptions::default()).expect("loads the issue");
        let load_seconds = loading.elapsed().as_secs_f64();
        (self.adjust)(&mut issue);
        let typeset = pipeline::typeset(&issue, &Settings::default(), &|| {});
        let (wall, cpu) =
            (started.elapsed().as_secs_f64(), cpu_seconds().unwrap_or(f64::NAN) - cpu);
        let failed: Vec<String> =
            typeset.articles.iter().flat_map(|a| &a.errors).map(|d| d.to_string()).collect();
        assert!(failed.is_empty() && !typeset.files.is_empty(), "{}", failed.join("\n"));
        if !count {
            return;
        }
        self.pages = typeset.pages.len();
        self.wall.push(wall);
        self.cpu.push(cpu);
        for (name, seconds) in &typeset.stages {
            // As in the build's report: reading the files is part of `load`.
            let extra = if *name == "load" { load_seconds } else { 0.0 };
            self.stages.entry(name.to_string()).or_default().push(seconds + extra);
        }
    }
}
