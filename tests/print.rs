//! Print-ready output of the example issue, read back with lopdf and with the real readers
//! a print shop's tools are built on (qpdf, Ghostscript, poppler).

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn build(name: &str, extra: &[&str]) -> PathBuf {
    let out = temp_dir(name);
    let mut args = vec!["build", example_issue().to_str().unwrap().to_string().leak() as &str];
    args.extend(["-o", out.to_str().unwrap().to_string().leak(), "-q"]);
    args.extend(extra);
    let run = rotative(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    pdfs_in(&out).remove(0)
}

fn info_string(doc: &lopdf::Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
    let dict = doc.get_dictionary(info).ok()?;
    let value = dict.get(key).ok()?;
    match value {
        lopdf::Object::String(bytes, _) => Some(String::from_utf8_lossy(bytes).into_owned()),
        lopdf::Object::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
        _ => None,
    }
}

#[test]
fn pdf_x4_is_declared_with_its_output_intent() {
    let pdf = build("x4", &["--standard", "pdf-x-4"]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.6"));
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(info_string(&doc, b"GTS_PDFXVersion").as_deref(), Some("PDF/X-4"));
    assert_eq!(info_string(&doc, b"Trapped").as_deref(), Some("False"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("pdfxid:GTS_PDFXVersion"), "XMP names the standard");
    let catalog = doc.catalog().unwrap();
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = match &intents[0] {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        other => other.as_dict().unwrap(),
    };
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    let profile =
        doc.get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap()).unwrap();
    let profile = profile.as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    assert!(doc.trailer.get(b"ID").is_ok());
}

#[test]
fn pdf_x1a_has_only_cmyk_and_grey_and_no_transparency() {
    let pdf = build("x1a", &["--standard", "pdf-x-1a"]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.3"));
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(info_string(&doc, b"GTS_PDFXVersion").as_deref(), Some("PDF/X-1:2001"));
    assert_eq!(info_string(&doc, b"GTS_PDFXConformance").as_deref(), Some("PDF/X-1a:2001"));
    for (_, object) in doc.objects.iter() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for key in [&b"SMask"[..], b"CA", b"ca", b"BM", b"Group"] {
            assert!(
                dict.get(key).is_err(),
                "transparency key {:?} found",
                String::from_utf8_lossy(key)
            );
        }
        if let Ok(space) = dict.get(b"ColorSpace") {
            let name = space.as_name().map(|n| n.to_vec()).unwrap_or_default();
            assert_ne!(name, b"DeviceRGB".to_vec(), "RGB image in an X-1a file");
        }
    }
    // Content streams use CMYK/grey operators only.
    for (_, page) in doc.get_pages() {
        let content = doc.get_page_content(page);
        let ops = lopdf::content::Content::decode(&content).unwrap();
        for op in ops.operations {
            assert!(op.operator != "rg" && op.operator != "RG", "RGB colour operator");
        }
    }
}

#[test]
fn fonts_are_embedded_subsets() {
    let pdf = build("fonts", &[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut fonts = 0;
    for (_, object) in doc.objects.iter() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            fonts += 1;
            let name = dict.get(b"FontName").unwrap().as_name().unwrap();
            assert_eq!(name[6], b'+', "subset tag on {}", String::from_utf8_lossy(name));
            assert!(
                dict.get(b"FontFile2").is_ok() || dict.get(b"FontFile3").is_ok(),
                "font program embedded"
            );
        }
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font")
            && dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Type0")
        {
            assert!(dict.get(b"ToUnicode").is_ok(), "ToUnicode map for text extraction");
        }
    }
    assert!(fonts >= 3, "body, heading and caption faces");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = std::fs::read(build("det-a", &[])).unwrap();
    let b = std::fs::read(build("det-b", &[])).unwrap();
    assert!(a == b, "same inputs, same bytes");
}

#[test]
fn qpdf_ghostscript_and_poppler_accept_the_files() {
    for standard in ["pdf-x-4", "pdf-x-1a"] {
        let pdf =
            build(&format!("readers-{standard}"), &["--standard", standard, "--marks", "all"]);
        if have("qpdf") {
            let out = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && !text.to_lowercase().contains("warning"),
                "qpdf: {text}"
            );
        }
        if have("gs") {
            let out = Command::new("gs")
                .args(["-dNOPAUSE", "-dBATCH", "-dQUIET", "-sDEVICE=nullpage"])
                .arg(&pdf)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success()
                    && !text.to_lowercase().contains("error")
                    && !text.to_lowercase().contains("warning"),
                "gs: {text}"
            );
        }
        if have("pdftoppm") {
            let prefix = pdf.with_extension("");
            let out = Command::new("pdftoppm")
                .args(["-r", "30", "-png"])
                .arg(&pdf)
                .arg(&prefix)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "pdftoppm: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn screen_proofs_without_standard_or_marks() {
    let pdf = build("proof", &["--standard", "none", "--marks", "none"]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert!(info_string(&doc, b"GTS_PDFXVersion").is_none());
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let dict = doc.get_dictionary(page).unwrap();
    // Without marks the MediaBox is the BleedBox: nothing outside the bleed.
    assert_eq!(dict.get(b"MediaBox").unwrap(), dict.get(b"BleedBox").unwrap());
}
