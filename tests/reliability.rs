//! Hostile inputs, made here: broken photos fail their own articles (and only those), phone
//! photos print upright, lying headers are refused fast, non-regular files are errors, and
//! parallel builds into one folder both succeed.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A photo of `width` x `height` pixels in `color`, with smooth gradients (so a truncated
/// copy is missing real data), and `app` segments (APP number, bytes) such as EXIF.
fn jpeg(width: u16, height: u16, color: jpeg_encoder::ColorType, app: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let channels = match color {
        jpeg_encoder::ColorType::Luma => 1,
        jpeg_encoder::ColorType::Rgb => 3,
        _ => 4,
    };
    let mut pixels = Vec::new();
    for y in 0..u32::from(height) {
        for x in 0..u32::from(width) {
            for c in 0..channels {
                pixels.push(((x * 5 + y * 3 + c * 60) % 256) as u8);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    for (number, data) in app {
        encoder.add_app_segment(*number, data.clone()).unwrap();
    }
    encoder.encode(&pixels, width, height, color).unwrap();
    out
}

/// An RGB PNG, then one byte of its image data flipped: the header is sound, the CRC of
/// the data is not.
fn corrupt_png() -> Vec<u8> {
    let pixels: Vec<u8> = (0..200 * 150 * 3).map(|i| (i % 253) as u8).collect();
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &pixels,
        200,
        150,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    png[idat + 40] ^= 0x5A;
    png
}

/// The first `fraction` of `bytes`.
fn cut(bytes: &[u8], fraction: f64) -> Vec<u8> {
    bytes[..(bytes.len() as f64 * fraction) as usize].to_vec()
}

/// An EXIF APP1 segment holding only an orientation tag.
fn exif_orientation(orientation: u8) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(&[0, 1]); // one entry
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
    exif.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    exif
}

/// An issue folder whose articles are (file name, photo file or none); the photos are
/// written under `photos/`.
fn issue(name: &str, articles: &[(&str, Option<&str>)], photos: &[(&str, Vec<u8>)]) -> PathBuf {
    let dir = temp_dir(name);
    let mut yaml =
        "publication: Le Veilleur\ndate: 2025-10-02\nwebsite: https://veilleur.example\narticles:\n"
            .to_string();
    for (file, photo) in articles {
        yaml.push_str(&format!("  - articles/{file}\n"));
        let front = match photo {
            Some(p) => format!(
                "title: Article {file}\nphoto:\n  file: ../photos/{p}\n  accept_low_resolution: true"
            ),
            None => format!("title: Article {file}"),
        };
        write_files(&dir, &[(&format!("articles/{file}"), &article(&front, &french_text(120)))]);
    }
    write_files(&dir, &[("issue.yaml", &yaml)]);
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    for (file, bytes) in photos {
        std::fs::write(dir.join("photos").join(file), bytes).unwrap();
    }
    dir
}

fn report_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn statuses(report: &serde_json::Value) -> Vec<String> {
    report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn broken_photos_fail_their_own_articles_only() {
    let _alone = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    use jpeg_encoder::ColorType::*;
    let photos = vec![
        ("sound.jpg", jpeg(240, 160, Rgb, &[])),
        ("crc.png", corrupt_png()),
        ("rgb.jpg", cut(&jpeg(240, 160, Rgb, &[]), 0.6)),
        ("grey.jpg", cut(&jpeg(240, 160, Luma, &[]), 0.6)),
        ("cmyk.jpg", cut(&jpeg(240, 160, Cmyk, &[]), 0.6)),
        ("ycck.jpg", cut(&jpeg(240, 160, CmykAsYcck, &[]), 0.6)),
    ];
    let articles = [
        ("a-good.md", Some("sound.jpg")),
        ("b-png.md", Some("crc.png")),
        ("c-rgb.md", Some("rgb.jpg")),
        ("d-plain.md", None),
        ("e-grey.md", Some("grey.jpg")),
        ("f-cmyk.md", Some("cmyk.jpg")),
        ("g-ycck.md", Some("ycck.jpg")),
        // A broken photo shared by two articles fails both.
        ("h-shares-rgb.md", Some("rgb.jpg")),
    ];
    let dir = issue("broken-photos", &articles, &photos);
    for split in ["issue", "pages"] {
        let (out, report) = (dir.join(format!("out-{split}")), dir.join(format!("{split}.json")));
        let run = rotative(&[
            "build",
            dir.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
            "--split",
            split,
            "--report",
            report.to_str().unwrap(),
            // The healthy articles go out, the broken ones' places marked.
            "--allow-incomplete",
        ]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{split}: {err}");
        let json = report_of(&report);
        assert_eq!(
            statuses(&json),
            ["ok", "failed", "failed", "ok", "failed", "failed", "failed", "failed"],
            "{split}: {err}"
        );
        for (i, (file, photo)) in articles.iter().enumerate() {
            let errors = json["articles"][i]["errors"].as_array().unwrap();
            if json["articles"][i]["status"] == "failed" {
                let error = &errors[0];
                assert!(error["file"].as_str().unwrap().ends_with(file), "{error}");
                assert_eq!(error["field"], "photo.file", "{error}");
                assert_eq!(error["line"], 4, "the photo's `file` line: {error}");
                assert!(error["message"].as_str().unwrap().contains(photo.unwrap()), "{error}");
                assert_eq!(error["kind"], "corrupt-photo", "{error}");
            } else {
                assert!(errors.is_empty(), "{file}: {errors:?}");
            }
        }
        // The healthy articles are in the output, the broken ones are not.
        let pdfs = pdfs_in(&out);
        assert!(!pdfs.is_empty(), "{split}: something was written");
        let text: String = pdfs.iter().filter_map(|p| pdftotext(p)).collect();
        if !text.is_empty() {
            assert!(text.contains("Article a-good.md") && text.contains("Article d-plain.md"));
            for (file, _) in articles.iter().filter(|(_, p)| p.is_some_and(|p| p != "sound.jpg")) {
                assert!(!text.contains(&format!("Article {file}")), "{split}: {file} printed");
            }
        }
    }
}

/// The first `fraction` of a JPEG, closed again with an end-of-image marker: what both
/// decoders take for a whole photo, filling the blocks cut away with grey.
fn cut_and_closed(jpeg: &[u8], fraction: f64) -> Vec<u8> {
    let mut cut = cut(jpeg, fraction);
    cut.extend([0xFF, 0xD9]);
    cut
}

#[test]
fn a_jpeg_cut_mid_scan_and_closed_again_fails_its_article() {
    use jpeg_encoder::ColorType::*;
    let photos = vec![
        ("sound.jpg", jpeg(240, 160, Rgb, &[])),
        ("rgb.jpg", cut_and_closed(&jpeg(240, 160, Rgb, &[]), 0.6)),
        ("grey.jpg", cut_and_closed(&jpeg(240, 160, Luma, &[]), 0.7)),
        ("cmyk.jpg", cut_and_closed(&jpeg(240, 160, Cmyk, &[]), 0.8)),
    ];
    let articles = [
        ("a-good.md", Some("sound.jpg")),
        ("b-rgb.md", Some("rgb.jpg")),
        ("c-plain.md", None),
        ("d-grey.md", Some("grey.jpg")),
        ("e-cmyk.md", Some("cmyk.jpg")),
    ];
    let dir = issue("closed-again", &articles, &photos);
    let (out, report) = (dir.join("out"), dir.join("report.json"));
    let run = rotative(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--report",
        report.to_str().unwrap(),
        "--allow-incomplete",
    ]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let json = report_of(&report);
    assert_eq!(statuses(&json), ["ok", "failed", "ok", "failed", "failed"], "{err}");
    for (i, (_, photo)) in articles.iter().enumerate().filter(|(i, _)| ![0, 2].contains(i)) {
        let error = &json["articles"][i]["errors"][0];
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(photo.unwrap()) && message.contains("cut short"), "{error}");
        assert!(message.contains(" blocks ("), "how much of the scan is there: {error}");
        assert_eq!(
            (&error["kind"], &error["field"]),
            (&"corrupt-photo".into(), &"photo.file".into())
        );
    }
    let text: String = pdfs_in(&out).iter().filter_map(|p| pdftotext(p)).collect();
    if !text.is_empty() {
        assert!(text.contains("Article a-good.md") && text.contains("Article c-plain.md"));
        assert!(!text.contains("Article b-rgb.md") && !text.contains("Article e-cmyk.md"));
    }
}

#[test]
fn a_header_claiming_100_megapixels_is_refused_at_once() {
    // 1 KB of JPEG whose frame header says 10000 x 10000.
    let mut lying = jpeg(16, 16, jpeg_encoder::ColorType::Rgb, &[]);
    let sof = lying.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    lying[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]);
    assert!(lying.len() < 1100, "{}", lying.len());
    let dir = issue("liar", &[("a.md", Some("liar.jpg"))], &[("liar.jpg", lying)]);
    let started = Instant::now();
    let (run, peak) = rotative_with_peak(&["check", dir.to_str().unwrap(), "-q"], &dir);
    let took = started.elapsed();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("liar.jpg") && err.contains("10000x10000"), "{err}");
    assert!(took < Duration::from_secs(1), "refused in {took:?}");
    if let Some(kb) = peak {
        assert!(kb < 100 * 1000, "peak {kb} KB");
    }
}

/// Runs the command, and with `/usr/bin/time` when the machine has it, its peak resident
/// memory in KB.
/// Held by the tests that run many builds at once, and by the one that measures a build's
/// peak memory: a JPEG decoder's worker threads starved of CPU hold more rows waiting, so
/// the figure is measured with the machine to itself as far as this file goes.
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn rotative_with_peak(args: &[&str], dir: &Path) -> (std::process::Output, Option<u64>) {
    if !Path::new("/usr/bin/time").exists() {
        return (rotative(args), None);
    }
    let peak = dir.join("peak.txt");
    let run = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&peak)
        .arg(env!("CARGO_BIN_EXE_rotative"))
        .args(args)
        .output()
        .unwrap();
    let kb = std::fs::read_to_string(&peak).ok().and_then(|t| t.trim().parse().ok());
    (run, kb)
}

#[test]
fn a_100_megapixel_photo_prints_at_a_reduced_scale_within_300_mb() {
    let _alone = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    // 12,000 x 8,400 RGB in smooth gradients, as a photo is: 302 MB as decoded samples,
    // printed from its half-size decode.
    let (width, height) = (12_000u32, 8_400u32);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let (r, g) = (x * 255 / width, y * 255 / height);
            pixels.extend([r as u8, g as u8, ((r + g) / 2) as u8]);
        }
    }
    let mut photo = Vec::new();
    jpeg_encoder::Encoder::new(&mut photo, 90)
        .encode(&pixels, width as u16, height as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    drop(pixels);
    let dir = issue("hundred", &[("a.md", Some("big.jpg"))], &[("big.jpg", photo)]);
    let (out, report) = (dir.join("out"), dir.join("report.json"));
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"];
    let (run, peak) =
        rotative_with_peak(&[&args[..], &["--report", report.to_str().unwrap()]].concat(), &dir);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report = report_of(&report);
    let photo = &report["articles"][0]["photos"][0];
    assert_eq!(photo["pixels"], serde_json::json!([6000, 4200]), "{photo}");
    let image = &report["outputs"][0]["images"][0];
    assert!(image["color"].as_str().unwrap().contains("decoded at 1/2 scale"), "{image}");
    if let Some(kb) = peak {
        eprintln!("peak resident memory: {} MB", kb / 1024);
        assert!(kb < 300 * 1000, "peak {kb} KB");
    }
    // Tens of megabytes of photo and PDF: not left behind.
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 16-bit RGBA PNG of `width` x `height` pixels, half transparent on its left half.
fn rgba16_png(width: u32, height: u32) -> Vec<u8> {
    let mut samples = Vec::with_capacity((width * height * 8) as usize);
    for _ in 0..height {
        for x in 0..width {
            let alpha: u16 = if x < width / 2 { 0x8000 } else { 0xFFFF };
            for v in [0x2000u16, 0x9000, 0xF000, alpha] {
                samples.extend(v.to_be_bytes());
            }
        }
    }
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &samples,
        width,
        height,
        image::ExtendedColorType::Rgba16,
    )
    .unwrap();
    png
}

#[test]
fn large_grey_cmyk_and_16_bit_photos_print_at_a_reduced_scale() {
    let _alone = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    use jpeg_encoder::ColorType::{Cmyk, Luma};
    // Each over the 240 MB working budget decoded whole, under it at half size: grey 36
    // megapixels (7 bytes a pixel), CMYK 25 (10), 16-bit RGBA 20 (14, 9 once reduced).
    // The grey one is a phone photo tagged "turn 90°": it comes out portrait.
    let photos = vec![
        ("grey.jpg", jpeg(6400, 5600, Luma, &[(1, exif_orientation(6))])),
        ("cmyk.jpg", jpeg(5000, 5000, Cmyk, &[])),
        ("deep.png", rgba16_png(5000, 4000)),
    ];
    let articles =
        [("a.md", Some("grey.jpg")), ("b.md", Some("cmyk.jpg")), ("c.md", Some("deep.png"))];
    let dir = issue("reduced", &articles, &photos);
    drop(photos);
    let (out, report) = (dir.join("out"), dir.join("report.json"));
    let run = rotative(&[
        "build",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let report = report_of(&report);
    let pixels: Vec<_> =
        (0..3).map(|i| report["articles"][i]["photos"][0]["pixels"].clone()).collect();
    let expected = [[2800, 3200], [2500, 2500], [2500, 2000]].map(|p| serde_json::json!(p));
    assert_eq!(pixels, expected);
    let images = report["outputs"][0]["images"].as_array().unwrap();
    assert_eq!(images.len(), 3, "{images:?}");
    for image in images {
        let color = image["color"].as_str().unwrap();
        assert!(color.contains("decoded at 1/2 scale"), "{image}");
        // Still over output.max_ppi at half scale, they are resampled to the target too.
        let ppi = image["ppi"].as_f64().unwrap();
        assert!(ppi <= 450.0 && color.ends_with("resampled") == (ppi < 301.0), "{image}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_decompression_bomb_is_refused_at_once() {
    // 1 KB of JPEG whose frame header says 65,000 x 65,000: 4.2 gigapixels.
    let mut bomb = jpeg(16, 16, jpeg_encoder::ColorType::Rgb, &[]);
    let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bomb[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
    let dir = issue("bomb", &[("a.md", Some("bomb.jpg"))], &[("bomb.jpg", bomb)]);
    let started = Instant::now();
    let (run, peak) = rotative_with_peak(&["check", dir.to_str().unwrap(), "-q"], &dir);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("bomb.jpg") && err.contains("65000x65000"), "{err}");
    assert!(err.contains("over the limit of 200"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    if let Some(kb) = peak {
        assert!(kb < 100 * 1000, "peak {kb} KB");
    }
}

#[test]
fn a_named_pipe_listed_as_an_article_is_an_error_at_once() {
    let dir = issue("pipe", &[("a.md", None), ("b.md", None)], &[]);
    let pipe = dir.join("articles/b.md");
    std::fs::remove_file(&pipe).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let report = dir.join("report.json");
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("b.md") && err.contains("named pipe"), "{err}");
    assert_eq!(statuses(&report_of(&report)), ["ok", "failed"]);
}

/// A photo stored as landscape, dark above and light below, that EXIF says to turn 90°
/// clockwise: printed upright it is portrait, light on the left and dark on the right.
fn phone_photo(color: jpeg_encoder::ColorType) -> Vec<u8> {
    phone_photo_sized(color, (240, 160))
}

/// [`phone_photo`] at `width` x `height` stored pixels.
fn phone_photo_sized(color: jpeg_encoder::ColorType, (width, height): (u16, u16)) -> Vec<u8> {
    let channels = if color == jpeg_encoder::ColorType::Luma { 1 } else { 3 };
    let mut pixels = Vec::new();
    for y in 0..height {
        for _ in 0..width {
            let v = if y < height / 2 { 20 } else { 235 };
            pixels.extend(std::iter::repeat_n(v, channels));
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.add_app_segment(1, exif_orientation(6)).unwrap();
    encoder.encode(&pixels, width, height, color).unwrap();
    out
}

#[test]
fn a_phone_photo_with_orientation_6_prints_upright() {
    if !have("pdfimages") {
        eprintln!("pdfimages missing: skipped");
        return;
    }
    for (name, color) in
        [("grey", jpeg_encoder::ColorType::Luma), ("rgb", jpeg_encoder::ColorType::Rgb)]
    {
        let photo = format!("{name}.jpg");
        let dir = issue(name, &[("a.md", Some(&photo))], &[(&photo, phone_photo(color))]);
        let out = dir.join("out");
        let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let pdf = &pdfs_in(&out)[0];
        let images = dir.join("img");
        let extracted = std::process::Command::new("pdfimages")
            .arg("-png")
            .arg(pdf)
            .arg(&images)
            .status()
            .unwrap();
        assert!(extracted.success());
        // The only photo of the page, as the PDF carries it, in grey levels.
        let file = dir.join("img-000.png");
        let printed = image::open(&file).unwrap().to_luma8();
        assert_eq!(printed.dimensions(), (160, 240), "{name}: portrait");
        let mean = |x0: u32, x1: u32| {
            let mut sum = 0u64;
            for y in 0..240 {
                for x in x0..x1 {
                    sum += u64::from(printed.get_pixel(x, y).0[0]);
                }
            }
            sum / u64::from((x1 - x0) * 240)
        };
        // Turned clockwise, the top of the stored photo (dark) is on the right.
        let (left, right) = (mean(0, 70), mean(90, 160));
        assert!(left > right + 100, "{name}: light left, dark right ({left} vs {right})");
    }
}

/// A phone photo too sharp for newsprint is turned, then resampled at its printed size: the
/// PDF carries a portrait of fewer pixels, not a landscape, and not a squashed one.
#[test]
fn a_large_turned_phone_photo_is_resampled_upright() {
    if !have("pdfimages") {
        eprintln!("pdfimages missing: skipped");
        return;
    }
    let photo = "big.jpg";
    let stored = phone_photo_sized(jpeg_encoder::ColorType::Luma, (4800, 3200));
    let dir = issue("big-turned", &[("a.md", Some(photo))], &[(photo, stored)]);
    let out = dir.join("out");
    let report = dir.join("report.json");
    let args = ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q", "--report"];
    let run = rotative(&[&args[..], &[report.to_str().unwrap()]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let extracted = std::process::Command::new("pdfimages")
        .arg("-png")
        .arg(&pdfs_in(&out)[0])
        .arg(dir.join("img"))
        .status()
        .unwrap();
    assert!(extracted.success());
    let printed = image::open(dir.join("img-000.png")).unwrap().to_luma8();
    let (width, height) = printed.dimensions();
    assert!(width < 3200 && height < 4800, "resampled: {width}x{height}");
    // Its aspect as printed: 2:3 portrait, to the rounding of one pixel.
    assert!((width as f32 * 1.5 - height as f32).abs() <= 2.0, "upright 2:3: {width}x{height}");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("Gray, turned, resampled"), "{text}");
}

#[test]
fn two_builds_into_one_folder_both_succeed() {
    let _alone = HEAVY.lock().unwrap_or_else(|e| e.into_inner());
    let dir = copy_example("parallel");
    let out = dir.join("out");
    let args =
        ["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q", "--split", "pages"];
    for round in 0..40 {
        // A changed article each round, so both builds really write (an unchanged file is
        // left alone).
        let article = dir.join("articles/03-bibliotheque.md");
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, format!("{text}\nRound {round}.\n")).unwrap();
        let spawn = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_rotative"))
                .args(args)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        for child in [first, second] {
            let run = child.wait_with_output().unwrap();
            assert_eq!(run.status.code(), Some(0), "round {round}: {}", stderr(&run));
        }
        for pdf in pdfs_in(&out) {
            assert!(
                lopdf::Document::load(&pdf).is_ok(),
                "round {round}: {} complete",
                pdf.display()
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".rotative-tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

/// Runs `check` on `dir` with a JSON report; returns the exit code, standard error and
/// the report.
fn check(dir: &Path) -> (Option<i32>, String, serde_json::Value) {
    let report = dir.join("check.json");
    let run =
        rotative(&["check", dir.to_str().unwrap(), "-q", "--report", report.to_str().unwrap()]);
    let json = std::fs::read_to_string(&report).map(|t| serde_json::from_str(&t).unwrap());
    (run.status.code(), stderr(&run), json.unwrap_or(serde_json::Value::Null))
}

#[test]
fn article_photo_columns_follow_the_issue_rule() {
    let dir = issue(
        "columns",
        &[("a.md", None)],
        &[("p.jpg", jpeg(240, 160, jpeg_encoder::ColorType::Rgb, &[]))],
    );
    for bad in ["0", "99"] {
        let front = format!(
            "title: Colonnes\nphoto:\n  file: ../photos/p.jpg\n  columns: {bad}\n  accept_low_resolution: true"
        );
        write_files(&dir, &[("articles/a.md", &article(&front, &french_text(60)))]);
        let (code, err, _) = check(&dir);
        assert_eq!(code, Some(1), "{bad}: {err}");
        assert!(err.contains("a.md:5") && err.contains("photo.columns"), "{bad}: {err}");
    }
}

#[test]
fn issue_values_are_checked_at_their_own_lines() {
    let cases = [
        ("styles:\n  body:\n    space_before: -3\n", "styles.body.space_before", 3),
        ("styles:\n  body:\n    space_after: .nan\n", "styles.body.space_after", 3),
        ("labels:\n  fr:\n    by: \"Par {nope}\"\n", "{nope}", 3),
        ("website: pas une adresse\n", "website", 1),
    ];
    for (yaml, named, line) in cases {
        let dir = temp_dir("values");
        write_files(
            &dir,
            &[
                ("issue.yaml", yaml),
                (
                    "articles/a.md",
                    &article("title: Un\nurl: https://example.com/a", &french_text(60)),
                ),
            ],
        );
        let (code, err, _) = check(&dir);
        assert_eq!(code, Some(1), "{yaml}: {err}");
        assert!(err.contains(named), "{yaml}: {err}");
        assert!(err.contains(&format!("issue.yaml:{line}")), "{yaml}: {err}");
        assert!(!err.contains("a.md:"), "reported at issue.yaml only: {err}");
    }
}

#[test]
fn a_very_long_publication_name_gives_a_usable_file_name() {
    let dir = temp_dir("long-name");
    let name = "Le Très Long Nom ".repeat(15);
    write_files(
        &dir,
        &[
            ("issue.yaml", &format!("publication: {name}\ndate: 2025-10-02\n")),
            ("articles/a.md", &article("title: Un", &french_text(60))),
        ],
    );
    let out = dir.join("out");
    let run = rotative(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let pdfs = pdfs_in(&out);
    let file = pdfs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(file.len() < 200 && file.starts_with("le-tres-long-nom"), "{file}");
}

#[test]
fn an_absolute_photo_path_inside_the_issue_is_accepted() {
    let photo = ("p.jpg", jpeg(240, 160, jpeg_encoder::ColorType::Rgb, &[]));
    let dir = issue("absolute", &[("a.md", None)], &[photo]);
    let absolute = dir.join("photos/p.jpg").canonicalize().unwrap();
    let front = format!(
        "title: Absolu\nphoto:\n  file: {}\n  accept_low_resolution: true",
        absolute.display()
    );
    write_files(&dir, &[("articles/a.md", &article(&front, &french_text(60)))]);
    let (code, err, _) = check(&dir);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_corrupt_or_mismatched_icc_profile_gives_its_warning() {
    let corrupt = b"not an ICC profile at all, just bytes in an APP2 segment".to_vec();
    let cmyk_profile = std::fs::read(root().join("icc/CoatedFOGRA39.icc")).unwrap();
    for (name, profile, says) in [
        ("corrupt", corrupt, "cannot be read"),
        ("cmyk", cmyk_profile, "ICC profile for CMYK in a RGB image"),
    ] {
        let pixels: Vec<u8> = (0..240 * 160 * 3).map(|i| (i % 251) as u8).collect();
        let mut photo = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut photo, 85);
        encoder.add_icc_profile(&profile).unwrap();
        encoder.encode(&pixels, 240, 160, jpeg_encoder::ColorType::Rgb).unwrap();
        let file = format!("{name}.jpg");
        let dir = issue(name, &[("a.md", Some(&file))], &[(&file, photo)]);
        let (code, err, _) = check(&dir);
        assert_eq!(code, Some(0), "{name}: a warning, not an error: {err}");
        assert!(err.contains("photo-profile") && err.contains(&file), "{name}: {err}");
        assert!(err.contains(says) && err.contains("converted as sRGB"), "{name}: {err}");
        assert!(err.contains("a.md:4"), "{name}: at the photo's line: {err}");
    }
}

/// A copy of a TrueType font whose character map keeps only ASCII (the glyphs stay): what
/// a font without accents looks like to the typesetter.
fn ascii_only_font(font: &[u8]) -> Vec<u8> {
    let mut font = font.to_vec();
    let u16_at = |f: &[u8], at: usize| usize::from(u16::from_be_bytes([f[at], f[at + 1]]));
    let u32_at =
        |f: &[u8], at: usize| u32::from_be_bytes([f[at], f[at + 1], f[at + 2], f[at + 3]]) as usize;
    let tables = u16_at(&font, 4);
    let cmap = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&record| &font[record..record + 4] == b"cmap")
        .map(|record| u32_at(&font, record + 8))
        .expect("a cmap table");
    for i in 0..u16_at(&font, cmap + 2) {
        let subtable = cmap + u32_at(&font, cmap + 4 + 8 * i + 4);
        match u16_at(&font, subtable) {
            4 => {
                // Segments beyond ASCII are emptied to U+FFFF (which keeps them sorted), and
                // the one that crosses it ends at U+007E.
                let segments = u16_at(&font, subtable + 6) / 2;
                let ends = subtable + 14;
                let starts = ends + 2 * segments + 2;
                for s in 0..segments {
                    let (start, end) = (u16_at(&font, starts + 2 * s), u16_at(&font, ends + 2 * s));
                    let (new_start, new_end) = match (start, end) {
                        (_, 0xFFFF) => (start, end),
                        (s, _) if s > 0x7E => (0xFFFF, 0xFFFF),
                        (_, e) if e > 0x7E => (start, 0x7E),
                        other => other,
                    };
                    font[starts + 2 * s..starts + 2 * s + 2]
                        .copy_from_slice(&(new_start as u16).to_be_bytes());
                    font[ends + 2 * s..ends + 2 * s + 2]
                        .copy_from_slice(&(new_end as u16).to_be_bytes());
                }
            }
            12 => {
                let groups = u32_at(&font, subtable + 12);
                for g in 0..groups {
                    let group = subtable + 16 + 12 * g;
                    let (start, end) = (u32_at(&font, group), u32_at(&font, group + 4));
                    let (new_start, new_end) = match (start, end) {
                        (s, _) if s > 0x7E => (0x10_FFFF, 0x10_FFFF),
                        (_, e) if e > 0x7E => (start, 0x7E),
                        other => other,
                    };
                    font[group..group + 4].copy_from_slice(&(new_start as u32).to_be_bytes());
                    font[group + 4..group + 8].copy_from_slice(&(new_end as u32).to_be_bytes());
                }
            }
            _ => {}
        }
    }
    font
}

/// An issue whose body font is `font` (written as `fonts/body.ttf`), with one article.
fn issue_with_body_font(name: &str, font: &[u8]) -> PathBuf {
    let dir = temp_dir(name);
    write_files(
        &dir,
        &[
            ("issue.yaml", "publication: Le Veilleur\nfonts:\n  body: fonts/body.ttf\n"),
            (
                "articles/a.md",
                &article(
                    "title: Un été à Noël",
                    &format!("Un été très chaud à Noël. {}", french_text(60)),
                ),
            ),
        ],
    );
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::fs::write(dir.join("fonts/body.ttf"), font).unwrap();
    dir
}

#[test]
fn a_body_font_without_accents_gives_the_fallback_warning() {
    let serif = std::fs::read(root().join("fonts/LiberationSerif-Regular.ttf")).unwrap();
    let dir = issue_with_body_font("no-accents", &ascii_only_font(&serif));
    let (code, err, _) = check(&dir);
    assert_eq!(code, Some(0), "a warning, not an error: {err}");
    let warnings: Vec<&str> =
        err.lines().filter(|l| l.contains("font-fallback") && l.contains("glyph")).collect();
    assert_eq!(warnings.len(), 1, "once per font and stand-in: {err}");
    assert!(err.contains("é (U+00E9)") && err.contains("taken from"), "{err}");
    assert!(err.contains("issue.yaml"), "{err}");
}

#[test]
fn a_garbage_or_truncated_font_is_an_error_at_its_line() {
    let serif = std::fs::read(root().join("fonts/LiberationSerif-Regular.ttf")).unwrap();
    let garbage: Vec<u8> = (0..40_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    for (name, font) in [("garbage", garbage), ("truncated", serif[..serif.len() / 3].to_vec())] {
        let dir = issue_with_body_font(name, &font);
        let (code, err, _) = check(&dir);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(err.contains("issue.yaml:3") && err.contains("fonts/body.ttf"), "{name}: {err}");
        assert!(err.contains("unusable-font"), "{name}: {err}");
    }
}
