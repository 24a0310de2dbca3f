//! Automatic make-up (`pages: auto`, `--auto`): the planner's pages read back from the
//! JSON report, the PDF and `--plan-out`.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_issue, root, rotative, stderr};
use serde_json::Value;

fn weekly() -> PathBuf {
    root().join("issues/liberte-actus-1720")
}

/// Builds `issue` with `args` into `out`, returns the report.
fn build(issue: &Path, out: &Path, args: &[&str]) -> Value {
    let report = out.with_extension("json");
    let mut all = vec!["build", issue.to_str().unwrap(), "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--report", report.to_str().unwrap(), "-q"]);
    let output = rotative(&all);
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", stderr(&output));
    serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap()
}

fn pdf_in(out: &Path) -> Vec<u8> {
    let pdf = common::pdfs_in(out).into_iter().next().expect("a PDF");
    std::fs::read(pdf).unwrap()
}

fn head_rank(head: &str) -> u8 {
    match head {
        "lead" => 3,
        "secondary" => 2,
        "tertiary" => 1,
        _ => 0,
    }
}

fn column_range(columns: &str) -> (u64, u64) {
    match columns.split_once('-') {
        Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
        None => (columns.parse().unwrap(), columns.parse().unwrap()),
    }
}

#[test]
fn the_weekly_made_up_automatically_keeps_the_rules_of_make_up() {
    let dir = copy_issue(&weekly(), "auto-rules");
    let report = build(&dir, &dir.join("out"), &["--auto"]);
    let makeup = &report["makeup"];
    let pages = makeup["pages"].as_array().expect("a makeup section");
    assert!(pages.len() >= 10, "{} pages", pages.len());
    let articles = report["articles"].as_array().unwrap();
    // Every story is on a page or listed as not placed: none is dropped silently.
    let unplaced: Vec<&str> =
        makeup["unplaced"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for article in articles {
        let file = article["file"].as_str().unwrap();
        let placed = !article["pages"].as_array().unwrap().is_empty();
        let listed = unplaced.iter().any(|u| file.ends_with(u));
        assert!(placed != listed, "{file}: placed {placed}, listed {listed}");
    }
    // Every story of the weekly finds a page (the planner moves a lead its page cannot fill
    // a page on, and keeps briefs for the holes stories leave).
    assert!(unplaced.is_empty(), "not placed: {unplaced:?}");
    // Every page is full to 1 % of its type area, the last filled with the house ad.
    let white: Vec<f64> = pages.iter().map(|p| p["white_percent"].as_f64().unwrap()).collect();
    assert!(white.iter().all(|w| *w <= 1.0), "pages over 1 % white: {white:?}");
    // The pages are made up as planned: no frame overset (a photo or caption cut at its
    // foot), no story jumping after a stub.
    let warnings = &report["summary"]["warnings"];
    assert!(warnings.is_object(), "{report}");
    for kind in ["copyfit-overset", "copyfit-underset", "short-jump", "white-space"] {
        assert!(warnings.get(kind).is_none(), "{kind} in {warnings}");
    }
    // Every story frame is fitted to 0 lines over or under. Story 09's rest on page 8 is
    // filled by its first frame's photo set shallower on page 7 (its own paragraphs and
    // the first frame's could not move the one line it lacked: the pull quote it takes up
    // with moves lines by threes).
    let fits: Vec<(&str, &Value)> = articles
        .iter()
        .flat_map(|a| {
            let file = a["file"].as_str().unwrap();
            a["copyfit"].as_array().unwrap().iter().map(move |fit| (file, fit))
        })
        .collect();
    for (file, fit) in &fits {
        assert_eq!(fit["lines_after"], 0, "{file}: {fit}");
    }
    let for_the_rest = |fit: &Value| {
        fit["steps"].as_array().unwrap().iter().any(|step| {
            step["step"] == "photo" && step["detail"].as_str().unwrap().ends_with("for the rest")
        })
    };
    let (file, first) = fits.iter().find(|(_, fit)| for_the_rest(fit)).expect("a photo step");
    assert!(file.ends_with("09-eleveurs-fourrage.md"), "{file}: {first}");
    let mut leads = Vec::new();
    for page in pages {
        let frames = page["frames"].as_array().unwrap();
        let stories: Vec<&Value> =
            frames.iter().filter(|f| f["kind"] == "story" || f["kind"] == "jump").collect();
        for a in &stories {
            for b in &stories {
                let (ta, tb) = (a["top"].as_u64().unwrap(), b["top"].as_u64().unwrap());
                let (ra, rb) = (
                    head_rank(a["head"].as_str().unwrap()),
                    head_rank(b["head"].as_str().unwrap()),
                );
                // Heads never grow down the page (briefs finish pages wherever they go).
                if ta < tb && ra > 0 && rb > 0 {
                    assert!(ra >= rb, "page {}: {a} above {b}", page["page"]);
                }
                // No tombstones: two heads of one class side by side at one height.
                let (a0, a1) = column_range(a["columns"].as_str().unwrap());
                let (b0, _) = column_range(b["columns"].as_str().unwrap());
                if ta == tb && a1 + 1 == b0 {
                    assert_ne!(ra, rb, "page {}: tombstone {a} {b}", page["page"]);
                }
                let _ = a0;
            }
        }
        // The page's lead story tops it, at line 0.
        if let Some(first) = frames.first().filter(|f| f["kind"] != "continued") {
            assert_eq!(first["top"], 0, "page {}", page["page"]);
            leads.push(first["content"].as_str().unwrap().to_string());
        }
        assert!(page["white_percent"].as_f64().is_some());
    }
    // Priority order: the pages' leads come in the order of the issue's stories.
    let order: Vec<usize> = leads
        .iter()
        .map(|lead| {
            articles
                .iter()
                .position(|a| a["file"].as_str().unwrap().ends_with(lead.as_str()))
                .unwrap()
        })
        .collect();
    // A story whose page it cannot fill gives its place to one of the next three stories
    // and leads a later page: no lead comes after more than three of lower priority.
    for (i, lead) in order.iter().enumerate() {
        let passed_by = order[..i].iter().filter(|earlier| *earlier > lead).count();
        assert!(passed_by <= 3, "page leads out of priority order: {order:?}");
    }

    // The first story of the issue leads page 1.
    assert_eq!(order.first(), Some(&0));
}

#[test]
fn the_automatic_make_up_is_deterministic_and_its_plan_builds_the_same_pages_by_hand() {
    let dir = copy_issue(&weekly(), "auto-plan-out");
    let plan = dir.join("plan.yaml");
    let plan_arg = plan.to_str().unwrap().to_string();
    build(&dir, &dir.join("one"), &["--auto", "--plan-out", &plan_arg]);
    let first_plan = std::fs::read_to_string(&plan).unwrap();
    build(&dir, &dir.join("two"), &["--auto", "--plan-out", &plan_arg]);
    assert!(pdf_in(&dir.join("one")) == pdf_in(&dir.join("two")), "two runs, two PDFs");
    assert_eq!(first_plan, std::fs::read_to_string(&plan).unwrap(), "two runs, two plans");
    assert!(first_plan.contains("pages:") && first_plan.contains("head: lead"), "{first_plan}");

    // The plan as a hand-written `pages:` builds to the same pages.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let head = &yaml[..yaml.find("\npages:").expect("a page plan") + 1];
    std::fs::write(dir.join("issue.yaml"), format!("{head}{first_plan}")).unwrap();
    build(&dir, &dir.join("hand"), &[]);
    // The text of every page, in place (the files' dates and version ids differ).
    let text = |out: &str| common::pdftotext(&common::pdfs_in(&dir.join(out))[0]);
    let (auto, hand) = (text("one"), text("hand"));
    if common::have_or_fail("pdftotext", std::env::var_os("ROTATIVE_REQUIRE_TOOLS").is_some()) {
        let (auto, hand) = (auto.unwrap(), hand.unwrap());
        assert!(auto.matches('\u{c}').count() >= 10, "pages");
        assert!(auto == hand, "the hand plan's pages differ from the automatic ones");
    }
}

#[test]
fn a_page_budget_too_small_lists_what_it_leaves_out_and_rounding_adds_pages() {
    let dir = copy_issue(&weekly(), "auto-budget");
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let head = &yaml[..yaml.find("\npages:").unwrap() + 1];
    let articles = "articles:\n  - articles/01-vezanne-meandres.md\n  - articles/03-travaux-grande-rue.md\n  - articles/05-ecole-rentree.md\n  - articles/07-marche-du-jeudi.md\n  - articles/09-eleveurs-fourrage.md\n";
    std::fs::write(
        dir.join("issue.yaml"),
        format!("{head}{articles}pages: auto\nauto:\n  pages: 2\n"),
    )
    .unwrap();
    let report = build(&dir, &dir.join("out"), &[]);
    assert_eq!(report["makeup"]["pages"].as_array().unwrap().len(), 2);
    let unplaced = report["makeup"]["unplaced"].as_array().unwrap();
    assert!(!unplaced.is_empty(), "five long stories cannot go on two pages");
    let warned =
        report["issue"].as_array().unwrap().iter().filter(|d| d["kind"] == "unplaced").count();
    assert_eq!(warned, unplaced.len(), "each story left out is said");

    // As many pages as needed, rounded up to a multiple of 4: the pages added are empty
    // and reported as white.
    std::fs::write(
        dir.join("issue.yaml"),
        format!("{head}{articles}pages: auto\nauto:\n  multiple_of: 4\n"),
    )
    .unwrap();
    let report = build(&dir, &dir.join("out4"), &[]);
    let pages = report["makeup"]["pages"].as_array().unwrap();
    assert_eq!(pages.len() % 4, 0, "{} pages", pages.len());
    let last = pages.last().unwrap();
    assert!(
        last["frames"].as_array().unwrap().is_empty()
            || last["white_percent"].as_f64().unwrap() >= 0.0
    );
    assert!(report["makeup"]["unplaced"].as_array().unwrap().is_empty());
}

#[test]
fn plan_out_without_automatic_make_up_is_an_error() {
    let dir = copy_issue(&weekly(), "auto-no-plan");
    let plan = dir.join("plan.yaml");
    let output = rotative(&["check", dir.to_str().unwrap(), "--plan-out", plan.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("--plan-out"), "{}", stderr(&output));
    assert!(!plan.exists());
}

#[test]
fn the_hole_where_the_copy_runs_out_is_filled_with_the_house_ad() {
    let dir = copy_issue(&weekly(), "auto-house-ad");
    let report = build(&dir, &dir.join("out"), &["--auto"]);
    let pages = report["makeup"]["pages"].as_array().unwrap();
    let last = pages.last().unwrap();
    let frames = last["frames"].as_array().unwrap();
    let ads: Vec<&Value> = frames.iter().filter(|f| f["kind"] == "house-ad").collect();
    assert_eq!(ads.len(), 1, "the last page's frames: {frames:?}");
    // Built up from the foot of the page, under the stories, which fill what is above.
    let ad = ads[0];
    let foot = ad["top"].as_u64().unwrap() + ad["depth"].as_u64().unwrap();
    for frame in frames.iter().filter(|f| f["kind"] != "house-ad") {
        let bottom = frame["top"].as_u64().unwrap() + frame["depth"].as_u64().unwrap();
        assert!(bottom <= ad["top"].as_u64().unwrap(), "{frame} runs into the ad {ad}");
    }
    assert!(last["white_percent"].as_f64().unwrap() < 3.0, "{last}");
    let bottom = |f: &Value| f["top"].as_u64().unwrap() + f["depth"].as_u64().unwrap();
    // The foot of an inside page: the deepest frame of any (page 1's masthead is deeper).
    let page_foot = pages.iter().flat_map(|p| p["frames"].as_array().unwrap()).map(bottom).max();
    assert_eq!(Some(foot), page_foot, "the ad stands on the foot of the type area");
    // Only the last page has it.
    let elsewhere = pages[..pages.len() - 1]
        .iter()
        .flat_map(|p| p["frames"].as_array().unwrap())
        .filter(|f| f["kind"] == "house-ad")
        .count();
    assert_eq!(elsewhere, 0);
    // It prints the publication's appeal, on the last page.
    let pdf = &common::pdfs_in(&dir.join("out"))[0];
    if let Some(text) = common::pdftotext(pdf) {
        let last_page = text.trim_end_matches('\u{c}').rsplit('\u{c}').next().unwrap();
        for words in ["Liberté Actus", "Abonnez-vous", "Soutenez votre journal", "liberte-actus.fr"]
        {
            assert!(last_page.contains(words), "{words} not on the last page:\n{last_page}");
        }
    }

    // Without it, the same last page is left short, and said to be.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    std::fs::write(dir.join("issue.yaml"), yaml.replace("house_ad: true", "house_ad: false"))
        .unwrap();
    let report = build(&dir, &dir.join("plain"), &["--auto"]);
    let pages = report["makeup"]["pages"].as_array().unwrap();
    let last = pages.last().unwrap();
    assert!(last["frames"].as_array().unwrap().iter().all(|f| f["kind"] != "house-ad"));
    assert!(last["white_percent"].as_f64().unwrap() > 3.0, "{last}");
    let warned = report["issue"].as_array().unwrap().iter().any(|d| d["kind"] == "white-space");
    assert!(warned, "a short last page is warned");
}

#[test]
fn a_house_ad_without_boilerplate_is_an_error_at_its_line() {
    let dir = copy_issue(&weekly(), "auto-house-no-boilerplate");
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let start = yaml.find("\nboilerplate:").unwrap() + 1;
    let end = start + yaml[start..].find("\n\n").unwrap() + 1;
    let without = format!("{}{}", &yaml[..start], &yaml[end..]);
    std::fs::write(dir.join("issue.yaml"), &without).unwrap();
    let output = rotative(&["build", dir.to_str().unwrap(), "--auto", "-q"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    let line = without.lines().position(|l| l.contains("house_ad: true")).unwrap() + 1;
    assert!(err.contains(&format!("issue.yaml:{line}")), "{err}");
    assert!(err.contains("auto.house_ad") && err.contains("boilerplate"), "{err}");
    let out = dir.join("out");
    assert!(!out.exists() || common::pdfs_in(&out).is_empty(), "nothing written");

    // `ad: house` in a written plan likewise.
    let plan = without.replace("        ad: placeholder", "        ad: house");
    std::fs::write(dir.join("issue.yaml"), &plan).unwrap();
    let output = rotative(&["build", dir.to_str().unwrap(), "-q"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let line = plan.lines().position(|l| l.contains("ad: house")).unwrap() + 1;
    let err = stderr(&output);
    assert!(err.contains(&format!("issue.yaml:{line}")), "{err}");
    assert!(err.contains("pages.frames.ad"), "{err}");
}
