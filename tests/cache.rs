//! The build cache of converted photos (`<output>/.rotative-cache/photos/`): a rebuild takes
//! the photos it converted before from there and writes the same bytes as a build without
//! it; a change of the photo or of a colour or resolution setting converts it again; a
//! damaged entry is rebuilt, never used; `--no-cache` neither reads nor fills it; the
//! output folder's stale-file removal leaves it alone. Load's photo proofs are kept beside
//! (`proofs/`; their own tests are in `src/load/proofs.rs`), and the QR self-checks
//! (`qr/`: a symbol or print setting that differs is checked again; the failure and
//! damaged-entry cases are in `src/qr/verdicts.rs`). The photos' digests (`digests/`,
//! `src/cache/digests.rs`) find a photo's entries without reading it, and a photo
//! rewritten at the same size and time is still seen as changed. Compressed streams
//! (`streams/`): an edit compresses only its pages again, and the PDF is the same without or
//! with damaged entries.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// The example issue on coated paper with a 300 % ink limit: its grey photo goes in as it
/// is, its RGB photo (dune-rgb.jpg) is converted and its CMYK photo (made for coated
/// paper) resampled, both with no warning, so both are kept in the cache.
fn coated_example(name: &str) -> PathBuf {
    let dir = copy_example(name);
    let yaml = std::fs::read_to_string(dir.join("issue.yaml")).unwrap();
    let yaml = yaml.replace("icc_profile: newsprint", "icc_profile: fogra39");
    let yaml = yaml.replace("tac: 240", "tac: 300");
    std::fs::write(dir.join("issue.yaml"), yaml).unwrap();
    dir
}

/// What a build reported: `(photos converted, photos from the cache, SHA-256 of the PDF)`,
/// and the whole report.
fn build(dir: &Path, out: &Path, extra: &[&str]) -> (u64, u64, String, Value) {
    let (report, sha256) = build_reported(dir, out, extra);
    let summary = &report["summary"];
    (
        summary["photos_converted"].as_u64().unwrap(),
        summary["photos_cached"].as_u64().unwrap(),
        sha256,
        report,
    )
}

/// The entries of the photo cache of `out`.
fn entries(out: &Path) -> Vec<PathBuf> {
    let folder = out.join(".rotative-cache/photos");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|listing| listing.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn a_warm_rebuild_converts_no_photo_and_writes_the_same_bytes() {
    let dir = coated_example("cache-warm");
    let out = dir.join("out");
    let (converted, cached, cold, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (2, 0));
    assert_eq!(entries(&out).len(), 2, "each converted photo kept");
    let proofs = std::fs::read_dir(out.join(".rotative-cache/proofs")).unwrap().count();
    assert_eq!(proofs, 3, "each photo's proof kept, the grey one's too");

    let (converted, cached, warm, report) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (0, 2), "{}", report["summary"]);
    assert_eq!(warm, cold, "the cached photo gives the same PDF");
    let images = report["outputs"][0]["images"].as_array().unwrap();
    let dune = images.iter().find(|i| i["file"].as_str().unwrap().ends_with("dune-rgb.jpg"));
    assert_eq!(dune.unwrap()["cached"], Value::Bool(true), "{images:?}");

    // Without the cache, into a folder of its own: the same bytes, and no cache written.
    let bare = dir.join("bare");
    let (converted, cached, uncached, _) = build(&dir, &bare, &["--no-cache"]);
    assert_eq!((converted, cached), (2, 0));
    assert_eq!(uncached, cold);
    assert!(!bare.join(".rotative-cache").exists());

    // Another kind of build into the folder (one PDF per page), with its own stale-file
    // removal: the cache is left be, and taken from.
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--split", "pages"];
    let report_path = dir.join("pages.json");
    let split = rotative(&[&args[..], &["-q", "--report", report_path.to_str().unwrap()]].concat());
    assert_eq!(split.status.code(), Some(0), "{}", stderr(&split));
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let stale = report["stale"].to_string();
    assert!(!stale.contains("rotative-cache"), "{stale}");
    assert_eq!(report["summary"]["photos_cached"], 2, "{}", report["summary"]);
    assert_eq!(entries(&out).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_or_foreign_entry_is_rebuilt_without_an_error() {
    let dir = coated_example("cache-truncated");
    let out = dir.join("out");
    let (_, _, cold, _) = build(&dir, &out, &[]);
    let entry = entries(&out).pop().unwrap();
    let whole = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &whole[..whole.len() / 2]).unwrap();
    let (converted, cached, again, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (1, 1), "a cut entry is not used");
    assert_eq!(again, cold);
    assert_eq!(std::fs::read(&entry).unwrap(), whole, "the entry is written again whole");

    // Another entry's bytes under this photo's name (a copy, a mix-up): not used either.
    let mut foreign = whole.clone();
    let data = foreign.len() - 100;
    foreign[data] ^= 0xFF;
    std::fs::write(&entry, &foreign).unwrap();
    let (converted, cached, again, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached, again), (1, 1, cold));
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (0, 2), "the rebuilt entry is used");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_photo_or_setting_converts_the_photo_again() {
    let dir = coated_example("cache-changes");
    let out = dir.join("out");
    let (converted, _, _, _) = build(&dir, &out, &[]);
    assert_eq!(converted, 2);
    let yaml_path = dir.join("issue.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();

    // Each colour and resolution setting a converted photo depends on: the ink limit, the
    // target and the highest resolution, the rendering intent, the JPEG quality or
    // lossless storage, and the pixel limit. Each converts both photos again, kept beside
    // the others.
    let changes = [
        yaml.replace("tac: 300", "tac: 290"),
        yaml.replace("tac: 300", "tac: 300\n  target_ppi: 250"),
        yaml.replace("tac: 300", "tac: 300\n  intent: perceptual"),
        yaml.replace("tac: 300", "tac: 300\n  max_ppi: 420"),
        yaml.replace("tac: 300", "tac: 300\n  jpeg_quality: 80"),
        yaml.replace("tac: 300", "tac: 300\n  jpeg_quality: lossless"),
        format!("{yaml}\nphoto:\n  max_megapixels: 150\n"),
    ];
    for (i, changed) in changes.iter().enumerate() {
        std::fs::write(&yaml_path, changed).unwrap();
        let (converted, cached, _, _) = build(&dir, &out, &[]);
        assert_eq!((converted, cached), (2, 0), "change {i}");
        assert_eq!(entries(&out).len(), 2 * i + 4);
        let (converted, cached, _, _) = build(&dir, &out, &[]);
        assert_eq!((converted, cached), (0, 2), "change {i}, built again");
    }
    // The output profile: newsprint for coated paper's. The CMYK photo, made for coated
    // paper, is then separated again with a warning (so never kept); the RGB one is
    // converted again, and kept.
    std::fs::write(&yaml_path, yaml.replace("icc_profile: fogra39", "icc_profile: newsprint"))
        .unwrap();
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (2, 0), "another output profile");
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (1, 1), "another output profile, built again");
    std::fs::write(&yaml_path, &yaml).unwrap();
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (0, 2), "back to the first settings: the first entries");

    // The RGB photo's bytes: a comment segment after its start marker changes the file, not
    // the picture; the other photo still comes from the cache.
    let photo = dir.join("photos/dune-rgb.jpg");
    let jpeg = std::fs::read(&photo).unwrap();
    let mut edited = jpeg[..2].to_vec();
    edited.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06, b'e', b'd', b'i', b't']);
    edited.extend_from_slice(&jpeg[2..]);
    std::fs::write(&photo, &edited).unwrap();
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (1, 1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The files in the cache folder `kind` of `out`.
fn count(out: &Path, kind: &str) -> usize {
    std::fs::read_dir(out.join(".rotative-cache").join(kind)).map_or(0, |listing| listing.count())
}

#[test]
fn qr_self_checks_are_kept_and_checked_again_for_other_settings() {
    let dir = coated_example("cache-qr");
    let out = dir.join("out");
    let (_, _, cold, report) = build(&dir, &out, &[]);
    let verified = |report: &Value| -> usize {
        let articles = report["articles"].as_array().unwrap();
        articles.iter().filter(|a| a["qr"]["verified"] == Value::Bool(true)).count()
    };
    assert_eq!(verified(&report), 3, "{report}");
    // The output folder exists once load has kept the photos' proofs in it, so the first
    // build keeps each article's symbol that read back.
    assert_eq!(count(&out, "qr"), 3, "each article's symbol that read back is kept");
    let (_, _, warm, report) = build(&dir, &out, &[]);
    assert_eq!(warm, cold, "the same PDF with the checks taken from the cache");
    assert_eq!(verified(&report), 3);
    assert_eq!(count(&out, "qr"), 3, "no check made again");

    // Another module size: the same symbols at another print setting are checked again.
    let yaml_path = dir.join("issue.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    std::fs::write(&yaml_path, yaml.replace("module_mm: 0.6", "module_mm: 0.5")).unwrap();
    let (_, _, smaller, _) = build(&dir, &out, &[]);
    assert_ne!(smaller, cold);
    assert_eq!(count(&out, "qr"), 6);

    // An article's URL: its symbol is another, checked and kept beside the others.
    std::fs::write(&yaml_path, &yaml).unwrap();
    let article = dir.join("articles/01-kazakhstan.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("liberte-actus.fr/1719", "liberte-actus.fr/1799"))
        .unwrap();
    build(&dir, &out, &[]);
    assert_eq!(count(&out, "qr"), 7);
    // `--no-cache` writes no check.
    let bare = dir.join("bare");
    let (_, _, _, report) = build(&dir, &bare, &["--no-cache"]);
    assert_eq!(verified(&report), 3);
    assert_eq!(count(&bare, "qr"), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_photo_rewritten_at_the_same_size_and_time_is_converted_again() {
    let dir = coated_example("cache-same-size");
    let out = dir.join("out");
    let photo = dir.join("photos/dune-rgb.jpg");
    let jpeg = std::fs::read(&photo).unwrap();
    // The photo with a four-letter comment segment after its start marker: another file
    // of the same size and picture for each text.
    let with_comment = |text: &[u8; 4]| {
        let mut bytes = jpeg[..2].to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06]);
        bytes.extend_from_slice(text);
        bytes.extend_from_slice(&jpeg[2..]);
        bytes
    };
    std::fs::write(&photo, with_comment(b"AAAA")).unwrap();
    let at = std::fs::metadata(&photo).unwrap().modified().unwrap();
    let (converted, cached, first, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (2, 0));
    // The 62 KB grey photo is hashed whole at each build: no record.
    assert!(count(&out, "digests") >= 2, "each large photo's digest recorded");
    let (converted, cached, again, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached, again), (0, 2, first.clone()));

    // Rewritten in place with its time set back: the fingerprint's content check sees it.
    std::fs::write(&photo, with_comment(b"BBBB")).unwrap();
    let file = std::fs::File::options().write(true).open(&photo).unwrap();
    file.set_modified(at).unwrap();
    drop(file);
    let (converted, cached, _, _) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (1, 1), "the rewritten photo is converted again");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The placement of the photo file ending in `name` in a build's report.
fn image<'a>(report: &'a Value, name: &str) -> &'a Value {
    let images = report["outputs"][0]["images"].as_array().unwrap();
    images.iter().find(|i| i["file"].as_str().unwrap().ends_with(name)).unwrap()
}

#[test]
fn a_cmyk_photo_that_goes_in_as_it_is_is_measured_once() {
    // No resampling: the CMYK photo, made for coated paper, is measured (decoded whole for
    // its ink) and goes in as it is; the cache keeps that verdict, not the photo's bytes.
    let dir = coated_example("cache-verdict");
    let yaml_path = dir.join("issue.yaml");
    let yaml = std::fs::read_to_string(&yaml_path)
        .unwrap()
        .replace("tac: 300", "tac: 300\n  max_ppi: 2400");
    std::fs::write(&yaml_path, &yaml).unwrap();
    let out = dir.join("out");
    let (converted, cached, cold, report) = build(&dir, &out, &[]);
    let storm = image(&report, "storm-cmyk.jpg");
    assert_eq!(
        (&storm["passthrough"], &storm["cached"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    assert_eq!((converted, cached), (1, 0), "the RGB photo converted");
    let verdict = entries(&out).into_iter().min_by_key(|e| std::fs::metadata(e).unwrap().len());
    let verdict = verdict.unwrap();
    let whole = std::fs::read(&verdict).unwrap();
    assert!(whole.len() < 200, "a verdict, not the photo: {} bytes", whole.len());

    let (converted, cached, warm, report) = build(&dir, &out, &[]);
    assert_eq!((converted, cached), (0, 2));
    assert_eq!(image(&report, "storm-cmyk.jpg")["cached"], Value::Bool(true));
    assert_eq!(warm, cold, "the photo's own bytes, as before");
    let (_, _, uncached, _) = build(&dir, &dir.join("bare"), &["--no-cache"]);
    assert_eq!(uncached, cold);

    // A verdict cut short is measured again and written whole.
    std::fs::write(&verdict, &whole[..whole.len() / 2]).unwrap();
    let (_, _, again, report) = build(&dir, &out, &[]);
    assert_eq!(image(&report, "storm-cmyk.jpg")["cached"], Value::Bool(false));
    assert_eq!(again, cold);
    assert_eq!(std::fs::read(&verdict).unwrap(), whole);

    // Another ink limit is another verdict: measured again, then kept.
    std::fs::write(&yaml_path, yaml.replace("tac: 300", "tac: 330")).unwrap();
    let (_, _, _, report) = build(&dir, &out, &[]);
    assert_eq!(image(&report, "storm-cmyk.jpg")["cached"], Value::Bool(false), "new limit");
    let (_, _, _, report) = build(&dir, &out, &[]);
    assert_eq!(image(&report, "storm-cmyk.jpg")["cached"], Value::Bool(true));

    // Other bytes (a comment segment after the start marker): measured again.
    let photo = dir.join("photos/storm-cmyk.jpg");
    let jpeg = std::fs::read(&photo).unwrap();
    let mut edited = jpeg[..2].to_vec();
    edited.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06, b'e', b'd', b'i', b't']);
    edited.extend_from_slice(&jpeg[2..]);
    std::fs::write(&photo, &edited).unwrap();
    let (_, _, _, report) = build(&dir, &out, &[]);
    assert_eq!(image(&report, "storm-cmyk.jpg")["cached"], Value::Bool(false), "new bytes");
    let pdf = std::fs::read(report["outputs"][0]["path"].as_str().unwrap()).unwrap();
    let comment = b"\xFF\xFE\x00\x06edit";
    assert!(pdf.windows(comment.len()).any(|w| w == comment), "the edited bytes went in");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The SHA-256 of the file at `path`, in hex.
fn file_sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn compressed_streams_are_kept_and_an_edit_compresses_only_what_changed() {
    let dir = copy_example("cache-streams");
    let out = dir.join("out");
    let (_, _, _, report) = build(&dir, &out, &[]);
    let pages = report["outputs"][0]["pages"].as_u64().unwrap() as usize;
    let kept = count(&out, "streams");
    assert!(kept > pages, "each page's content and the profile kept: {kept} for {pages} pages");

    // One article edited: the pages it is on are compressed again, the rest come back.
    let article = dir.join("articles/03-bibliotheque.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\nUne dernière phrase pour la relecture.\n")).unwrap();
    let (_, _, edited, report) = build(&dir, &out, &[]);
    let added = count(&out, "streams") - kept;
    assert!((1..=pages).contains(&added), "{added} new streams for {pages} pages");
    let pdf = PathBuf::from(report["outputs"][0]["path"].as_str().unwrap());
    assert_eq!(file_sha256(&pdf), edited, "the report's hash is the file's");

    // Without the kept streams, and with every one of them damaged: the same bytes (the
    // file is left as it is), and the entries written again whole.
    let sizes = |out: &Path| -> Vec<u64> {
        let folder = out.join(".rotative-cache/streams");
        let mut sizes: Vec<u64> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .collect();
        sizes.sort();
        sizes
    };
    std::fs::remove_dir_all(out.join(".rotative-cache/streams")).unwrap();
    let (_, _, again, report) = build(&dir, &out, &[]);
    assert_eq!(again, edited);
    assert_eq!(report["outputs"][0]["status"], "unchanged", "the file is left as it is");
    let whole = sizes(&out);
    for entry in std::fs::read_dir(out.join(".rotative-cache/streams")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    }
    let (_, _, damaged, report) = build(&dir, &out, &[]);
    assert_eq!(damaged, edited);
    assert_eq!(report["outputs"][0]["status"], "unchanged", "the file is left as it is");
    assert_eq!(sizes(&out), whole);
    let _ = std::fs::remove_dir_all(&dir);
}
