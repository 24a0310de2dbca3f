//! Tests of the whole render stage: small display lists built by hand, written, and read
//! back with lopdf (and, where installed, qpdf, pdftotext and Ghostscript).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use lopdf::{Document, Object};

use super::*;
use crate::color::{BUNDLED_OUTPUT_PROFILE, Color};
use crate::fonts::{FontId, bundled_family};
use crate::geom::{Rect, mm};
use crate::model::{EcLevel, FontRoles};
use crate::qr::QrSymbol;
use crate::text::{Glyph, GlyphRun};

/// TeX Gyre Termes, a CFF face (Debian `fonts-texgyre`, which CI installs).
const TERMES: &str = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf";

/// A book of TeX Gyre Termes for the body and headings and the bundled sans (TrueType) for
/// kickers and captions, if Termes is installed: CFF and TrueType faces in one document.
pub(crate) fn termes_book() -> Option<FontBook> {
    let path = TERMES;
    if !Path::new(path).exists() {
        return None;
    }
    let termes = crate::model::FontSource::File(path.into());
    let family = crate::model::FontFamily {
        regular: termes.clone(),
        italic: termes.clone(),
        bold: termes.clone(),
        bold_italic: termes,
    };
    let sans = bundled_family("LiberationSans");
    let roles = FontRoles {
        body: family.clone(),
        heading: family,
        kicker: sans.clone(),
        caption: sans,
        fallback: Vec::new(),
    };
    Some(FontBook::new(&roles).expect("Termes loads"))
}

/// The bundled fonts as a book (serif body and headings, sans kicker and captions).
pub(crate) fn book() -> FontBook {
    let serif = bundled_family("LiberationSerif");
    let sans = bundled_family("LiberationSans");
    FontBook::new(&FontRoles {
        body: serif.clone(),
        heading: serif,
        kicker: sans.clone(),
        caption: sans,
        fallback: Vec::new(),
    })
    .expect("bundled fonts load")
}

/// Sets `text` glyph by glyph (cmap lookup), using the "fi" ligature glyph where the font
/// has one, with `extra` points added after each space (as justification would).
pub(crate) fn set(book: &FontBook, font: FontId, text: &str, size: f32, extra: f32) -> GlyphRun {
    let face = book.get(font);
    let mut glyphs = Vec::new();
    let mut x = 0.0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let ligature = (c == 'f' && chars.get(i + 1).map(|p| p.1) == Some('i'))
            .then(|| face.glyph_index('\u{FB01}'))
            .flatten();
        let (id, len, step) = match ligature {
            Some(g) => (g, 2, 2),
            None => (face.glyph_index(c).unwrap_or(0), c.len_utf8() as u32, 1),
        };
        let advance = book.get(font).advance(id) * size;
        glyphs.push(Glyph {
            id,
            x,
            y_offset: 0.0,
            advance,
            text_start: start as u32,
            text_len: len,
        });
        x += advance + if c == ' ' { extra } else { 0.0 };
        i += step;
    }
    GlyphRun { font, size, scale: 1.0, x: 0.0, text: text.to_string(), glyphs }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images").join(name)
}

/// A folder of its own for each call: tests run in parallel and must not share files.
pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir =
        std::env::temp_dir().join(format!("rotative-render-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// An RGB JPEG made with the image crate.
fn rgb_jpeg(dir: &Path) -> PathBuf {
    let path = dir.join("rgb.jpg");
    let img =
        image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x / 3) as u8, (y / 2) as u8, 90]));
    img.save(&path).expect("write jpeg");
    path
}

/// A 3x3 symbol with a known pattern: runs (0,0,3), (1,0,1), (1,2,1), (2,1,1).
fn symbol() -> Arc<QrSymbol> {
    Arc::new(QrSymbol {
        width: 3,
        modules: vec![true, true, true, true, false, true, false, true, false],
        version: 1,
        ec_level: EcLevel::M,
        payload: "https://example.org/1".into(),
    })
}

/// A page with every kind of item.
fn sample_pages(book: &FontBook, rgb: &Path) -> Vec<Page> {
    let body = book.body.regular;
    let mut items = vec![
        Item::Rect {
            rect: Rect::new(mm(20.0), mm(20.0), mm(80.0), mm(30.0)),
            fill: Some(Color::Cmyk(0.1, 0.0, 0.0, 0.05)),
            stroke: None,
        },
        Item::Text {
            x: mm(20.0),
            y: mm(30.0),
            run: set(book, body, "Le profil officiel finit ici", 10.0, 1.7).into(),
            color: Color::BLACK,
        },
        Item::Text {
            x: mm(20.0),
            y: mm(40.0),
            run: set(book, book.kicker.bold, "Kicker", 12.0, 0.0).into(),
            color: Color::Cmyk(0.0, 1.0, 1.0, 0.0),
        },
        Item::Rule {
            from: (mm(20.0), mm(55.0)),
            to: (mm(100.0), mm(55.0)),
            width: 0.5,
            color: Color::BLACK,
        },
        Item::Qr { x: mm(150.0), y: mm(20.0), module: mm(0.5), symbol: symbol() },
    ];
    let mut y = 60.0;
    for path in [fixture("cmyk.jpg"), fixture("gray.jpg"), fixture("rgba.png"), rgb.to_path_buf()] {
        let placement = Rect::new(mm(20.0), mm(y), mm(40.0), mm(30.0));
        items.push(Item::Image {
            frame: placement,
            clip: placement,
            placement,
            path,
            pixels: (600, 450),
        });
        y += 35.0;
    }
    // In the top-left corner, run on into the 3 mm bleed (as compose leaves it).
    let second = vec![Item::Image {
        frame: Rect::new(0.0, 0.0, mm(50.0), mm(50.0)),
        clip: Rect::new(-mm(3.0), -mm(3.0), mm(53.0), mm(53.0)),
        placement: Rect::new(-mm(3.0), -mm(3.0), mm(70.0), mm(53.0)),
        path: fixture("cmyk.jpg"),
        pixels: (600, 450),
    }];
    vec![
        Page { width: mm(210.0), height: mm(297.0), number: 1, items },
        Page { width: mm(210.0), height: mm(297.0), number: 2, items: second },
    ]
}

pub(crate) fn options(standard: Standard) -> RenderOptions {
    let mut options = RenderOptions {
        title: "Liberté Actus 1719".into(),
        date: (2025, 9, 11),
        slug: "liberte-2025-37.pdf  2025-09-11  PDF/X".into(),
        ..Default::default()
    };
    (options.output.standard, options.output.marks) = (standard, Marks::All);
    // The CMYK fixture peaks at 241.6 % of ink (preflight's measure): within this limit
    // it is passed through as it is, which is what these tests look at.
    options.output.tac = 250.0;
    options
}

fn render(standard: Standard) -> (Rendered, PathBuf) {
    let book = book();
    let dir = temp_dir(&format!("{standard:?}"));
    let rgb = rgb_jpeg(&dir);
    let pages = sample_pages(&book, &rgb);
    let rendered = render_pdf(&pages, &book, &options(standard)).expect("renders");
    let path = dir.join("out.pdf");
    std::fs::write(&path, rendered.pdf.to_vec().unwrap()).expect("write pdf");
    (rendered, path)
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).expect("dereference")
}

pub(crate) fn dict_get<'a>(
    doc: &'a Document,
    dict: &'a lopdf::Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

fn string(obj: &Object) -> String {
    String::from_utf8_lossy(obj.as_str().expect("string")).into_owned()
}

fn rect(doc: &Document, page: &lopdf::Dictionary, key: &[u8]) -> [f32; 4] {
    let array = dict_get(doc, page, key).expect("box").as_array().expect("array");
    let v: Vec<f32> = array.iter().map(|o| o.as_float().expect("number")).collect();
    [v[0], v[1], v[2], v[3]]
}

fn streams(doc: &Document) -> impl Iterator<Item = &lopdf::Stream> {
    doc.objects.values().filter_map(|o| o.as_stream().ok())
}

pub(crate) fn page_content(doc: &Document, number: u32) -> String {
    let id = doc.get_pages()[&number];
    String::from_utf8_lossy(&doc.get_page_content(id)).into_owned()
}

#[test]
fn x1a_has_the_standard_keys_boxes_and_output_intent() {
    let (rendered, _) = render(Standard::PdfX1a);
    assert!(rendered.pdf.to_vec().unwrap().starts_with(b"%PDF-1.3\n"));
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).expect("lopdf reads it");

    let info = dict_get(&doc, &doc.trailer, b"Info").expect("Info").as_dict().expect("dict");
    assert_eq!(string(dict_get(&doc, info, b"GTS_PDFXVersion").unwrap()), "PDF/X-1:2001");
    assert_eq!(string(dict_get(&doc, info, b"GTS_PDFXConformance").unwrap()), "PDF/X-1a:2001");
    assert_eq!(dict_get(&doc, info, b"Trapped").unwrap().as_name().unwrap(), b"False");
    assert_eq!(string(dict_get(&doc, info, b"CreationDate").unwrap()), "D:20250911000000Z");
    assert!(dict_get(&doc, info, b"ModDate").is_some() && dict_get(&doc, info, b"Title").is_some());
    let id = doc.trailer.get(b"ID").expect("trailer ID").as_array().unwrap();
    assert_eq!(id.len(), 2);
    assert!(doc.trailer.get(b"Encrypt").is_err());

    let catalog = doc.catalog().expect("catalog");
    let intents = dict_get(&doc, catalog, b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = deref(&doc, &intents[0]).as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    // The default: the bundled newsprint condition, by its registered name.
    assert_eq!(
        string(dict_get(&doc, intent, b"OutputConditionIdentifier").unwrap()),
        "CGATS TR 002"
    );
    assert_eq!(string(dict_get(&doc, intent, b"RegistryName").unwrap()), "http://www.color.org");
    let condition = string(dict_get(&doc, intent, b"OutputCondition").unwrap());
    assert_eq!(condition, crate::color::profile::description(BUNDLED_OUTPUT_PROFILE).unwrap());
    assert!(condition.starts_with("Newsprint coldset CGATS TR 002"), "{condition}");
    assert!(intent.get(b"Info").is_ok());
    let profile = dict_get(&doc, intent, b"DestOutputProfile").unwrap().as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let icc = profile.decompressed_content().unwrap();
    assert_eq!(&icc[16..20], b"CMYK");

    for (_, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        let (trim, bleed, media) = (
            rect(&doc, page, b"TrimBox"),
            rect(&doc, page, b"BleedBox"),
            rect(&doc, page, b"MediaBox"),
        );
        for i in 0..2 {
            assert!(media[i] <= bleed[i] && bleed[i] <= trim[i]);
            assert!(media[i + 2] >= bleed[i + 2] && bleed[i + 2] >= trim[i + 2]);
            assert!(((trim[i] - bleed[i]) / mm(1.0) - 3.0).abs() < 0.01);
            assert!(((bleed[i + 2] - trim[i + 2]) / mm(1.0) - 3.0).abs() < 0.01);
        }
        assert!(((trim[2] - trim[0]) / mm(1.0) - 210.0).abs() < 0.01);
        assert!(page.get(b"Annots").is_err());
    }
}

#[test]
fn x1a_uses_only_device_cmyk_gray_and_no_transparency() {
    let (rendered, _) = render(Standard::PdfX1a);
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    for (id, object) in &doc.objects {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for key in [&b"SMask"[..], b"CA", b"ca", b"BM", b"JS", b"JavaScript", b"AA", b"Encrypt"] {
            assert!(dict.get(key).is_err(), "object {id:?} has /{}", String::from_utf8_lossy(key));
        }
        for (_, value) in dict.iter() {
            if let Ok(name) = value.as_name() {
                assert!(name != b"DeviceRGB" && name != b"ICCBased" && name != b"Type1");
            }
        }
    }
    for number in [1, 2] {
        let content = page_content(&doc, number);
        let ops = lopdf::content::Content::decode(content.as_bytes()).unwrap().operations;
        assert!(ops.iter().all(|op| !matches!(op.operator.as_str(), "rg" | "RG" | "sc" | "scn")));
    }
    // Black overprints: the ExtGState exists and black text is drawn after selecting it.
    let content = page_content(&doc, 1);
    assert!(content.contains("/GSop gs"));
    let gs_op = streams(&doc).count() > 0
        && doc.objects.values().any(|o| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"op").and_then(|v| v.as_bool()).unwrap_or(false)
                    && d.get(b"OPM").and_then(|v| v.as_i64()).unwrap_or(0) == 1
            })
        });
    assert!(gs_op);
    // The tinted rect is a CMYK fill.
    assert!(content.contains("0.1 0 0 0.05 k"));
}

#[test]
fn fonts_are_embedded_subsets_with_to_unicode() {
    let (rendered, _) = render(Standard::PdfX1a);
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let mut cid_fonts = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        match dict.get(b"Subtype").and_then(|s| s.as_name()).ok() {
            Some(b"Type0") => {
                assert!(dict.get(b"ToUnicode").is_ok());
                assert_eq!(dict.get(b"Encoding").unwrap().as_name().unwrap(), b"Identity-H");
            }
            Some(b"CIDFontType2") => {
                cid_fonts += 1;
                let name =
                    String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap())
                        .into_owned();
                let (tag, rest) = name.split_once('+').expect("subset tag");
                assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{name}");
                assert!(rest.starts_with("Liberation"));
                let descriptor =
                    dict_get(&doc, dict, b"FontDescriptor").unwrap().as_dict().unwrap();
                assert!(descriptor.get(b"FontFile2").is_ok());
                assert!(dict.get(b"W").is_ok());
                // CIDs are the original glyph ids (see `fonts_tests.rs`).
                assert!(dict_get(&doc, dict, b"CIDToGIDMap").unwrap().as_stream().is_ok());
            }
            Some(b"Type1" | b"TrueType") => panic!("simple font written"),
            _ => {}
        }
    }
    // Body serif, kicker sans bold, slug sans regular.
    assert_eq!(cid_fonts, 3);
}

#[test]
fn photos_pass_through_or_convert() {
    let (rendered, path) = render(Standard::PdfX1a);
    let dir = path.parent().unwrap();
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let cmyk_file = std::fs::read(fixture("cmyk.jpg")).unwrap();
    let gray_file = std::fs::read(fixture("gray.jpg")).unwrap();
    let images: Vec<&lopdf::Stream> = streams(&doc)
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
        .collect();
    // Four files, one placed twice: four XObjects.
    assert_eq!(images.len(), 4);
    let cmyk = images.iter().find(|s| s.content == cmyk_file).expect("CMYK JPEG byte for byte");
    assert_eq!(cmyk.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
    assert_eq!(cmyk.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
    assert_eq!(cmyk.dict.get(b"Decode").unwrap().as_array().unwrap().len(), 8);
    let gray = images.iter().find(|s| s.content == gray_file).expect("grey JPEG byte for byte");
    assert_eq!(gray.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
    // The RGB JPEG is converted and goes back to JPEG (CMYK, Adobe-inverted)...
    let rgb_file = std::fs::read(dir.join("rgb.jpg")).unwrap();
    let reencoded: Vec<_> = images
        .iter()
        .filter(|s| s.dict.get(b"Filter").unwrap().as_name().unwrap() == b"DCTDecode")
        .filter(|s| s.content != cmyk_file && s.content != gray_file && s.content != rgb_file)
        .collect();
    assert_eq!(reencoded.len(), 1);
    assert_eq!(reencoded[0].dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
    assert_eq!(reencoded[0].dict.get(b"Decode").unwrap().as_array().unwrap().len(), 8);
    // ...the RGBA PNG is converted and stays lossless.
    let converted: Vec<_> = images
        .iter()
        .filter(|s| s.dict.get(b"Filter").unwrap().as_name().unwrap() == b"FlateDecode")
        .collect();
    assert_eq!(converted.len(), 1);
    for image in converted {
        assert_eq!(image.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
        let samples = image.decompressed_content().unwrap();
        let (w, h) = (
            image.dict.get(b"Width").unwrap().as_i64().unwrap(),
            image.dict.get(b"Height").unwrap().as_i64().unwrap(),
        );
        assert_eq!(samples.len() as i64, w * h * 4);
        let max: u32 =
            samples.chunks(4).map(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>()).max().unwrap();
        assert!(max <= (2.4 * 255.0) as u32, "TAC {max}");
    }
    // The report: five placements, ppi from the placed size.
    assert_eq!(rendered.images.len(), 5);
    let first = &rendered.images[0];
    assert!(first.passthrough && first.color == "CMYK" && first.page == 1);
    assert!((first.ppi - 450.0 / (mm(30.0) / 72.0)).abs() < 0.1);
    assert!(rendered.images[3].color.starts_with("RGB") && !rendered.images[3].passthrough);
    assert_eq!(rendered.images[4].page, 2);
    // Drawn clipped: q, re W n, cm, Do, Q.
    let content = page_content(&doc, 2);
    let ops: Vec<String> = lopdf::content::Content::decode(content.as_bytes())
        .unwrap()
        .operations
        .into_iter()
        .map(|op| op.operator)
        .collect();
    let at = ops.iter().position(|o| o == "Do").unwrap();
    assert_eq!(ops[at - 5..=at + 1], ["q", "re", "W", "n", "cm", "Do", "Q"]);
}

#[test]
fn qr_is_vector_runs_in_solid_black() {
    let (rendered, _) = render(Standard::PdfX1a);
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let content = page_content(&doc, 1);
    let ops = lopdf::content::Content::decode(content.as_bytes()).unwrap().operations;
    let is_black = |op: &lopdf::content::Operation| {
        op.operator == "k"
            && op.operands.iter().map(|o| o.as_float().unwrap()).collect::<Vec<_>>()
                == [0.0, 0.0, 0.0, 1.0]
    };
    let start = (0..ops.len())
        .rev()
        .find(|&i| is_black(&ops[i]) && ops.get(i + 1).is_some_and(|o| o.operator == "re"))
        .expect("QR fill colour followed by its rectangles");
    let runs: Vec<_> = ops[start + 1..].iter().take_while(|op| op.operator == "re").collect();
    assert_eq!(runs.len(), 4);
    assert_eq!(ops[start + 1 + runs.len()].operator, "f");
    // The first run spans three modules.
    let width = runs[0].operands[2].as_float().unwrap();
    assert!((width - 3.0 * mm(0.5)).abs() < 0.01);
    assert!(content.contains("0 0 0 1 k"));
}

#[test]
fn x4_is_identified_in_xmp_and_renders_deterministically() {
    let (a, _) = render(Standard::PdfX4);
    let (b, _) = render(Standard::PdfX4);
    assert!(a.pdf.to_vec().unwrap() == b.pdf.to_vec().unwrap(), "two renders differ");
    assert!(a.pdf.to_vec().unwrap().starts_with(b"%PDF-1.6\n"));
    let doc = Document::load_mem(&a.pdf.to_vec().unwrap()).unwrap();
    let catalog = doc.catalog().unwrap();
    let xmp = dict_get(&doc, catalog, b"Metadata").unwrap().as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
    for key in ["xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass", "pdf:Trapped>False"]
    {
        assert!(xmp.contains(key), "{key}");
    }
    assert!(xmp.contains("Liberté Actus 1719"));
    let info = dict_get(&doc, &doc.trailer, b"Info").unwrap().as_dict().unwrap();
    assert_eq!(string(dict_get(&doc, info, b"GTS_PDFXVersion").unwrap()), "PDF/X-4");

    // A different title is a different document.
    let book = book();
    let dir = temp_dir("x4b");
    let pages = sample_pages(&book, &rgb_jpeg(&dir));
    let other = RenderOptions { title: "Autre".into(), ..options(Standard::PdfX4) };
    let c = render_pdf(&pages, &book, &other).unwrap();
    let id = |bytes: &[u8]| {
        Document::load_mem(bytes).unwrap().trailer.get(b"ID").unwrap().as_array().unwrap()[0]
            .as_str()
            .unwrap()
            .to_vec()
    };
    assert_ne!(id(&a.pdf.to_vec().unwrap()), id(&c.pdf.to_vec().unwrap()));
}

#[test]
fn plain_pdf_is_version_1_7_without_pdfx_keys() {
    let book = book();
    let pages = vec![Page { width: 200.0, height: 300.0, number: 1, items: vec![] }];
    let mut options = options(Standard::None);
    options.output.marks = Marks::None;
    let rendered = render_pdf(&pages, &book, &options).unwrap();
    assert!(rendered.pdf.to_vec().unwrap().starts_with(b"%PDF-1.7\n"));
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let info = dict_get(&doc, &doc.trailer, b"Info").unwrap().as_dict().unwrap();
    assert!(info.get(b"GTS_PDFXVersion").is_err());
    let page = doc.get_dictionary(doc.get_pages()[&1]).unwrap();
    assert_eq!(rect(&doc, page, b"MediaBox"), rect(&doc, page, b"BleedBox"));
}

#[test]
fn plain_pdf_has_no_output_intent_nor_profile_but_photos_still_in_cmyk() {
    let (x4, _) = render(Standard::PdfX4);
    let (plain, _) = render(Standard::None);
    let doc = Document::load_mem(&plain.pdf.to_vec().unwrap()).unwrap();
    assert!(doc.catalog().unwrap().get(b"OutputIntents").is_err(), "a plain PDF names no press");
    let icc_streams = streams(&doc).filter(|s| s.dict.get(b"N").is_ok()).count();
    assert_eq!(icc_streams, 0, "no embedded output profile");
    // The bundled profile is 276 KB (about 200 KB deflated): everything else is the same.
    assert!(
        plain.pdf.to_vec().unwrap().len() + 150_000 < x4.pdf.to_vec().unwrap().len(),
        "plain {} bytes, PDF/X-4 {}",
        plain.pdf.to_vec().unwrap().len(),
        x4.pdf.to_vec().unwrap().len()
    );
    // The photos are converted with the output profile all the same.
    let converted = plain.images.iter().find(|i| i.color.starts_with("RGB")).unwrap();
    assert_eq!(converted.color, "RGB (sRGB assumed) -> CMYK");
    let spaces: Vec<&[u8]> = streams(&doc)
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
        .map(|s| s.dict.get(b"ColorSpace").unwrap().as_name().unwrap())
        .collect();
    assert!(spaces.iter().all(|&s| s == b"DeviceCMYK" || s == b"DeviceGray"), "{spaces:?}");
}

#[test]
fn bad_images_are_errors_naming_the_file() {
    let book = book();
    let dir = temp_dir("bad");
    let corrupt = dir.join("corrupt.jpg");
    std::fs::write(&corrupt, b"\xFF\xD8\xFF\xE0 this is not a jpeg").unwrap();
    let page = |path: PathBuf| Page {
        width: 200.0,
        height: 200.0,
        number: 1,
        items: vec![Item::Image {
            frame: Rect::new(0.0, 0.0, 100.0, 100.0),
            clip: Rect::new(0.0, 0.0, 100.0, 100.0),
            placement: Rect::new(0.0, 0.0, 100.0, 100.0),
            path,
            pixels: (1, 1),
        }],
    };
    for path in [corrupt.clone(), dir.join("missing.jpg")] {
        let err = render_pdf(&[page(path.clone())], &book, &options(Standard::PdfX1a)).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(path.as_path()), "{err}");
    }
    assert!(render_pdf(&[], &book, &options(Standard::PdfX1a)).is_err());
    // Images are prepared in parallel lots; the error is still the first bad one in page
    // order, whichever thread failed first (here the 7th of 9; the 9th is missing too).
    let items: Vec<Item> = (0..9)
        .map(|i| {
            let path = if i == 6 || i == 8 {
                dir.join(format!("missing-{i}.jpg"))
            } else {
                let copy = dir.join(format!("good-{i}.jpg"));
                std::fs::copy(fixture("cmyk.jpg"), &copy).unwrap();
                copy
            };
            Item::Image {
                frame: Rect::new(0.0, 0.0, 10.0, 10.0),
                clip: Rect::new(0.0, 0.0, 10.0, 10.0),
                placement: Rect::new(0.0, 0.0, 10.0, 10.0),
                path,
                pixels: (1, 1),
            }
        })
        .collect();
    let pages = [Page { width: 200.0, height: 200.0, number: 1, items }];
    let err = render_pdf(&pages, &book, &options(Standard::PdfX1a)).unwrap_err();
    assert_eq!(err.file, Some(dir.join("missing-6.jpg")), "{err}");
    let small = RenderOptions { max_pixels: 1000, ..options(Standard::PdfX1a) };
    let err = render_pdf(&[page(fixture("cmyk.jpg"))], &book, &small).unwrap_err();
    assert!(err.message.contains("over the limit"), "{err}");
}

/// Runs an external tool if it is installed; `None` (with a note) when it is not.
pub(crate) fn tool(name: &str, args: &[&str]) -> Option<std::process::Output> {
    match Command::new(name).args(args).output() {
        Ok(output) => Some(output),
        Err(_) => {
            println!("note: {name} not installed, check skipped");
            None
        }
    }
}

#[test]
fn external_tools_accept_the_file() {
    for standard in [Standard::PdfX1a, Standard::PdfX4] {
        let (_, path) = render(standard);
        let file = path.to_str().unwrap();
        if let Some(out) = tool("qpdf", &["--check", file]) {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "qpdf: {text}{}", String::from_utf8_lossy(&out.stderr));
            assert!(text.contains("No syntax or stream encoding errors"), "{text}");
        }
        if let Some(out) = tool("pdftotext", &[file, "-"]) {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("Le profil officiel finit ici"), "{text}");
            assert!(text.contains("page 1"), "{text}");
        }
        if let Some(out) = tool("gs", &["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", file]) {
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success() && all.trim().is_empty(), "gs: {all}");
        }
    }
}

#[test]
fn ligatures_map_back_to_their_letters() {
    let book = book();
    let run = set(&book, book.body.regular, "officiel", 10.0, 0.0);
    assert!(run.glyphs.iter().any(|g| g.text_len == 2), "the font has an fi ligature glyph");
    let (rendered, _) = render(Standard::PdfX1a);
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let cmaps: Vec<String> = streams(&doc)
        .filter_map(|s| s.decompressed_content().ok())
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .filter(|c| c.contains("beginbfchar"))
        .collect();
    assert_eq!(cmaps.len(), 3);
    // One glyph, two UTF-16 code units: f i.
    assert!(cmaps.iter().any(|c| c.contains("> <00660069>")), "{cmaps:?}");
}

#[test]
fn cff_fonts_go_in_as_cid_font_type0c() {
    let Some(book) = termes_book() else {
        println!("note: no CFF test font at {TERMES}, check skipped");
        return;
    };
    assert!(book.get(book.body.regular).is_cff);
    let pages = vec![Page {
        width: mm(100.0),
        height: mm(100.0),
        number: 1,
        items: vec![Item::Text {
            x: 20.0,
            y: 40.0,
            run: set(&book, book.body.regular, "Un fichier officiel", 10.0, 1.0).into(),
            color: Color::BLACK,
        }],
    }];
    let rendered = render_pdf(&pages, &book, &options(Standard::PdfX1a)).unwrap();
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let cid = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"CIDFontType0"))
        .expect("a CIDFontType0 font");
    assert!(cid.get(b"CIDToGIDMap").is_err());
    let descriptor = dict_get(&doc, cid, b"FontDescriptor").unwrap().as_dict().unwrap();
    let file = dict_get(&doc, descriptor, b"FontFile3").unwrap().as_stream().unwrap();
    assert_eq!(file.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"CIDFontType0C");
    let dir = temp_dir("cff");
    let out = dir.join("cff.pdf");
    std::fs::write(&out, rendered.pdf.to_vec().unwrap()).unwrap();
    if let Some(result) = tool("pdftotext", &[out.to_str().unwrap(), "-"]) {
        assert!(String::from_utf8_lossy(&result.stdout).contains("Un fichier officiel"));
    }
    if let Some(result) =
        tool("gs", &["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", out.to_str().unwrap()])
    {
        assert!(result.status.success() && result.stdout.is_empty() && result.stderr.is_empty());
    }
}

/// `jpeg` with `icc` embedded after its start-of-image marker, in APP2 segments of at most
/// 60,000 bytes as the ICC specification allows.
pub(crate) fn with_icc(jpeg: &[u8], icc: &[u8]) -> Vec<u8> {
    let chunks: Vec<&[u8]> = icc.chunks(60_000).collect();
    let mut out = jpeg[..2].to_vec();
    for (i, chunk) in chunks.iter().enumerate() {
        let mut segment = b"ICC_PROFILE\0".to_vec();
        segment.extend_from_slice(&[i as u8 + 1, chunks.len() as u8]);
        segment.extend_from_slice(chunk);
        out.extend_from_slice(&[0xFF, 0xE2]);
        out.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&segment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn embedded_rgb_profiles_are_used_and_broken_ones_warned() {
    let book = book();
    let dir = temp_dir("icc");
    let plain = std::fs::read(rgb_jpeg(&dir)).unwrap();
    let good = dir.join("tagged.jpg");
    std::fs::write(&good, with_icc(&plain, &lcms2::Profile::new_srgb().icc().unwrap())).unwrap();
    let mut junk = vec![0u8; 200];
    junk[16..20].copy_from_slice(b"RGB ");
    let bad = dir.join("broken.jpg");
    std::fs::write(&bad, with_icc(&plain, &junk)).unwrap();
    let items = [&good, &bad]
        .iter()
        // 230 ppi: under output.max_ppi, so the colour label says nothing of resampling.
        .map(|path| Item::Image {
            frame: Rect::new(0.0, 0.0, 200.0, 150.0),
            clip: Rect::new(0.0, 0.0, 200.0, 150.0),
            placement: Rect::new(0.0, 0.0, 200.0, 150.0),
            path: path.to_path_buf(),
            pixels: (640, 480),
        })
        .collect();
    let pages = [Page { width: 300.0, height: 300.0, number: 1, items }];
    let rendered = render_pdf(&pages, &book, &options(Standard::PdfX4)).unwrap();
    assert_eq!(rendered.images[0].color, "RGB (embedded ICC) -> CMYK");
    assert_eq!(rendered.images[1].color, "RGB (sRGB assumed) -> CMYK");
    assert_eq!(rendered.warnings.len(), 1);
    assert_eq!(rendered.warnings[0].file.as_deref(), Some(bad.as_path()));
}

/// The graphics state in force at each `TJ` of a page: (fill colour operands, font
/// resource and size, rise), found by walking the operators as a viewer does. Text state
/// and colour persist across `BT`/`ET`, so a run must not inherit what the one before it
/// left set, and leaving out a repeated operator must not change what each run shows.
fn state_at_each_show(content: &str) -> Vec<(String, String, f32)> {
    let ops = lopdf::content::Content::decode(content.as_bytes()).unwrap().operations;
    let (mut fill, mut font, mut rise) = (String::new(), String::new(), 0.0);
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let text = |o: &[Object]| o.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(" ");
    for op in ops {
        match op.operator.as_str() {
            "k" | "g" => fill = format!("{} {}", op.operator, text(&op.operands)),
            "Tf" => font = text(&op.operands),
            "Ts" => rise = op.operands[0].as_float().unwrap(),
            "q" => stack.push((fill.clone(), font.clone(), rise)),
            "Q" => (fill, font, rise) = stack.pop().unwrap(),
            "TJ" | "Tj" => out.push((fill.clone(), font.clone(), rise)),
            _ => {}
        }
    }
    out
}

#[test]
fn each_run_shows_with_its_own_colour_font_and_baseline() {
    let book = book();
    let body = book.body.regular;
    let mut raised = set(&book, body, "1er", 10.0, 0.0);
    for glyph in &mut raised.glyphs[1..] {
        glyph.y_offset = 3.0;
    }
    let text =
        |x: f32, run: GlyphRun, color: Color| Item::Text { x, y: mm(30.0), run: run.into(), color };
    let items = vec![
        text(mm(20.0), raised, Color::BLACK),
        text(mm(40.0), set(&book, body, "mai", 10.0, 0.0), Color::BLACK),
        text(mm(60.0), set(&book, body, "mai", 12.0, 0.0), Color::BLACK),
        text(mm(80.0), set(&book, book.kicker.bold, "Kicker", 12.0, 0.0), Color::Gray(0.5)),
        text(mm(100.0), set(&book, body, "fin", 12.0, 0.0), Color::BLACK),
    ];
    let pages = [Page { width: mm(210.0), height: mm(297.0), number: 1, items }];
    let mut options = options(Standard::PdfX4);
    options.output.marks = Marks::None;
    let rendered = render_pdf(&pages, &book, &options).unwrap();
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let shows = state_at_each_show(&page_content(&doc, 1));
    let rises: Vec<f32> = shows.iter().map(|s| s.2).collect();
    assert_eq!(rises, [0.0, 3.0, 0.0, 0.0, 0.0, 0.0], "{shows:?}");
    let sizes: Vec<&str> = shows.iter().map(|s| s.1.split(' ').nth(1).unwrap()).collect();
    assert_eq!(sizes, ["10", "10", "10", "12", "12", "12"], "{shows:?}");
    assert!(shows[4].0.starts_with("g ") && shows[5].0.starts_with("k "), "{shows:?}");
    assert_ne!(shows[4].1, shows[5].1, "kicker font, then body font again");
    // ...and each is written only where it changes.
    let content = page_content(&doc, 1);
    let count = |op: &str| content.lines().filter(|l| l.ends_with(op)).count();
    assert_eq!((count(" Tf"), count(" k") + count(" g")), (4, 3), "{content}");
}

/// Compose decides where a photo bleeds; render clips it where the display list says, even
/// outside the trim, and places it unchanged.
#[test]
fn a_photo_is_clipped_where_the_display_list_says_even_in_the_bleed() {
    let book = book();
    let bleed = mm(3.0);
    // Second page's photo sits in the top-left corner, its clip run into the bleed.
    let dir = temp_dir("bleed");
    let pages = sample_pages(&book, &rgb_jpeg(&dir));
    let rendered = render_pdf(&pages, &book, &options(Standard::PdfX4)).expect("renders");
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).expect("parses");
    let page = doc.get_dictionary(doc.get_pages()[&2]).unwrap();
    let trim = rect(&doc, page, b"TrimBox");
    let content = doc.get_page_content(doc.get_pages()[&2]);
    let ops = lopdf::content::Content::decode(&content).unwrap().operations;
    // The clip of the image: the `re` right before `W`.
    let clip = ops.windows(2).find(|w| w[0].operator == "re" && w[1].operator == "W").unwrap();
    let n: Vec<f32> = clip[0].operands.iter().map(|o| o.as_float().unwrap()).collect();
    assert!((n[0] - (trim[0] - bleed)).abs() < 0.05, "clip starts in the bleed: {n:?} {trim:?}");
    // The clip's top edge reaches the bleed above the trim.
    assert!((n[1] + n[3] - (trim[3] + bleed)).abs() < 0.05, "{n:?} {trim:?}");
    assert!((n[2] - mm(53.0)).abs() < 0.05, "{n:?}");
    // The image is drawn at its placement, 70 x 53 mm: not fitted again.
    let cm = ops.iter().find(|o| o.operator == "cm").unwrap();
    let m: Vec<f32> = cm.operands.iter().map(|o| o.as_float().unwrap()).collect();
    assert!((m[0] - mm(70.0)).abs() < 0.05 && (m[3] - mm(53.0)).abs() < 0.05, "{m:?}");
}

#[test]
fn a_line_of_words_is_one_text_object_with_the_words_where_they_were_set() {
    let book = book();
    let body = book.body.regular;
    // Three words of one justified line, each its own run as composition makes them, and
    // a second line below.
    let words = [("alpha", 0.0), ("beta", 31.7), ("gamma", 58.25)];
    let mut items: Vec<Item> = words
        .iter()
        .map(|&(word, x)| {
            let mut run = set(&book, body, word, 10.0, 0.0);
            run.x = x;
            Item::Text { x: mm(20.0), y: mm(30.0), run: run.into(), color: Color::BLACK }
        })
        .collect();
    items.push(Item::Text {
        x: mm(20.0),
        y: mm(35.0),
        run: set(&book, body, "delta", 10.0, 0.0).into(),
        color: Color::BLACK,
    });
    let pages = [Page { width: mm(210.0), height: mm(297.0), number: 1, items }];
    let mut options = options(Standard::PdfX4);
    options.output.marks = Marks::None;
    let rendered = render_pdf(&pages, &book, &options).unwrap();
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let content = page_content(&doc, 1);
    assert_eq!(content.lines().filter(|l| *l == "BT").count(), 2, "{content}");
    assert_eq!(content.lines().filter(|l| l.ends_with(" Tm")).count(), 2, "{content}");
    // A reader still finds three words, at the distances they were set at.
    let dir = temp_dir("one-text-object");
    let path = dir.join("line.pdf");
    std::fs::write(&path, rendered.pdf.to_vec().unwrap()).unwrap();
    if let Some(out) = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]) {
        let html = String::from_utf8_lossy(&out.stdout);
        let x_min = |word: &str| -> f32 {
            let line = html.lines().find(|l| l.ends_with(&format!(">{word}</word>"))).unwrap();
            let start = line.find("xMin=\"").unwrap() + 6;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        for &(word, x) in &words[1..] {
            let measured = x_min(word) - x_min("alpha");
            assert!((measured - x).abs() < 0.02, "{word}: {measured} against {x}\n{html}");
        }
    }
}

#[test]
fn a_changed_photo_changes_the_document_id() {
    let book = book();
    let dir = temp_dir("changed-photo");
    let photo = dir.join("photo.jpg");
    let original = std::fs::read(fixture("cmyk.jpg")).unwrap();
    let page = |path: &Path| {
        let placement = Rect::new(mm(20.0), mm(20.0), mm(40.0), mm(30.0));
        let items = vec![Item::Image {
            frame: placement,
            clip: placement,
            placement,
            path: path.into(),
            pixels: (600, 450),
        }];
        [Page { width: mm(210.0), height: mm(297.0), number: 1, items }]
    };
    let id = |bytes: &[u8]| {
        Document::load_mem(bytes).unwrap().trailer.get(b"ID").unwrap().as_array().unwrap()[0]
            .as_str()
            .unwrap()
            .to_vec()
    };
    std::fs::write(&photo, &original).unwrap();
    let before = render_pdf(&page(&photo), &book, &options(Standard::PdfX4)).unwrap();
    // One byte of the compressed image data, same size: passed through, so only the
    // checksum of the stream tells the two apart.
    let mut retouched = original.clone();
    let at = retouched.len() - 100;
    retouched[at] ^= 0x10;
    std::fs::write(&photo, &retouched).unwrap();
    let after = render_pdf(&page(&photo), &book, &options(Standard::PdfX4)).unwrap();
    assert_eq!(before.pdf.to_vec().unwrap().len(), after.pdf.to_vec().unwrap().len());
    assert_ne!(id(&before.pdf.to_vec().unwrap()), id(&after.pdf.to_vec().unwrap()));
    std::fs::write(&photo, &original).unwrap();
    let again = render_pdf(&page(&photo), &book, &options(Standard::PdfX4)).unwrap();
    assert!(again.pdf.to_vec().unwrap() == before.pdf.to_vec().unwrap());
}
