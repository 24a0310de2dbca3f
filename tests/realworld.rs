//! Real-shaped article URLs through the whole pipeline: slugs with hyphens and underscores,
//! percent-encoded accents, a query string, 60 to 200 characters. On the printed page each
//! QR code decodes to its exact URL at 300 and 150 dpi, and the address printed under it is
//! the display form (no scheme, accents decoded), with no overlap anywhere.

mod common;

use common::*;

/// (URL as typed in the front matter, what the printed address reads once its lines are
/// joined again).
const URLS: [(&str, &str); 3] = [
    (
        "https://globalvoices.org/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/",
        "globalvoices.org/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/",
    ),
    (
        "https://fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d%27Envoy%C3%A9_sp%C3%A9cial_%3F",
        "fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d'Envoyé_spécial_%3F",
    ),
    (
        "https://www.liberte-actus.fr/region/2025/09/12/la-f%C3%AAte-de-la-bi%C3%A8re-d%C3%A9marre?utm_campaign=rentree&ref=une",
        "www.liberte-actus.fr/region/2025/09/12/la-fête-de-la-bière-démarre?utm_campaign=rentree&ref=une",
    ),
];

fn with_long_urls(name: &str, address_lines: usize) -> std::path::PathBuf {
    let dir = copy_example(name);
    let articles = ["01-kazakhstan.md", "02-storm-warning.md", "03-bibliotheque.md"];
    for ((file, (url, _)), id) in articles.iter().zip(URLS).zip(1719..) {
        let path = dir.join("articles").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text =
            text.replace(&format!("url: https://liberte-actus.fr/{id}"), &format!("url: {url}"));
        assert!(text.contains(url), "{file} has its url line");
        std::fs::write(&path, text).unwrap();
    }
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml.replace("\nqr:\n", &format!("\nqr:\n  address_lines: {address_lines}\n"));
    let yaml = if yaml.contains("address_lines") {
        yaml
    } else {
        format!("{yaml}\nqr:\n  address_lines: {address_lines}\n")
    };
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    dir
}

#[test]
fn long_urls_scan_exactly_and_print_in_their_display_form() {
    let dir = with_long_urls("realworld-urls", 12);
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("overlap"), "{}", stderr(&run));
    let pdf = pdfs_in(&out).remove(0);
    if have("pdftoppm") && have("zbarimg") {
        let mut expected: Vec<&str> = URLS.iter().map(|(url, _)| *url).collect();
        expected.sort();
        for dpi in ["300", "150"] {
            assert_eq!(decode_printed_codes(&pdf, dpi, &format!("p{dpi}")), expected, "{dpi} dpi");
        }
    }
    let Some(text) = pdftotext(&pdf) else { return };
    // The lines of the address follow one another in the text; joined, they give the
    // display form, and the encoded form is printed nowhere.
    let joined: String = text.lines().map(str::trim).collect();
    for (url, display) in URLS {
        assert!(joined.contains(display), "{display} is printed in:\n{text}");
        assert!(!joined.contains(&url["https://".len()..]) || url.find('%').is_none(), "{url}");
        assert!(!joined.contains("https://"), "no scheme is printed");
    }
}

#[test]
fn an_address_past_the_line_limit_warns_without_a_short_form() {
    let dir = with_long_urls("realworld-limit", 3);
    let run = rotative(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stderr(&run).contains("warning[long-address]"), "{}", stderr(&run));
    // With a pattern for the short form, it is printed instead and there is no warning.
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml
        .replace("  address_lines: 3\n", "  address_lines: 3\n  short_url: \"{website}/{id}\"\n");
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("long-address"), "{}", stderr(&run));
    let Some(text) = pdftotext(&pdfs_in(&out).remove(0)) else { return };
    // `{id}` is the leading digits of the file name: `01-kazakhstan.md` gives `01`.
    let joined: String = text.lines().map(str::trim).collect();
    assert!(joined.contains("liberte-actus.fr/01"), "{text}");
    assert!(!joined.contains("globalvoices.org/2020"), "the long form is not printed: {text}");
}
