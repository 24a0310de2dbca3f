//! Tests of the embedded fonts' CIDs: a TrueType face names its glyphs by their original
//! ids, whatever else the document uses, and its CIDToGIDMap leads each one to its glyph in
//! the subset; a page is drawn the same bytes and pixels whatever else the issue uses.

use lopdf::{Document, Object};
use pdf_writer::Pdf;
use read_fonts::types::GlyphId;
use read_fonts::{FontRef, TableProvider};

use super::*;
use crate::color::Color;
use crate::compose::display::{Item, Page};
use crate::geom::mm;
use crate::model::Standard;
use crate::render::tests::{book, dict_get, options, page_content, set, temp_dir, tool};
use crate::render::{Refs, RenderOptions, render_pdf};

/// The fonts `runs` make the document embed.
fn embed(book: &FontBook, runs: &[GlyphRun]) -> BTreeMap<FontId, Embedded> {
    let mut usage = Usage::default();
    for run in runs {
        usage.add(run);
    }
    let deflater = Deflater::new(&RenderOptions::default());
    write_fonts(&mut Pdf::new(), &mut Refs(0), book, &usage, &deflater).expect("fonts")
}

fn digest(font: &Embedded, face: &Font) -> [u8; 32] {
    let mut hash = Sha256::new();
    font.feed_glyphs(face, &mut hash);
    hash.finalize().into()
}

#[test]
fn truetype_cids_are_the_glyph_ids_whatever_else_the_document_uses() {
    let book = book();
    let regular = book.body.regular;
    let few = embed(&book, &[set(&book, regular, "Le calme plat", 9.0, 0.0)]);
    let more = embed(
        &book,
        &[
            set(&book, regular, "Le calme plat Kœnig ½ zèbre", 9.0, 0.0),
            set(&book, book.kicker.bold, "Vie locale", 9.0, 0.0),
        ],
    );
    let face = book.get(regular);
    for c in "Le calme plat".chars().filter(|c| *c != ' ') {
        let glyph = face.glyph_index(c).expect("the face has it");
        assert_eq!(few[&regular].cid(glyph), glyph, "{c}");
        assert_eq!(more[&regular].cid(glyph), glyph, "{c}");
        assert_eq!(few[&regular].width(glyph), more[&regular].width(glyph), "{c}");
    }
    // What a page's key takes of the face, and its name, stay the same too.
    assert_eq!(digest(&few[&regular], face), digest(&more[&regular], face));
    assert_eq!(few[&regular].resource_name, more[&regular].resource_name);
    assert_eq!(few[&regular].resource_name, format!("F{}", regular.0));
}

/// The page of `text` in the body face, at the top of a small page numbered `number`.
fn text_page(book: &FontBook, text: &str, number: u32) -> Page {
    let run = set(book, book.body.regular, text, 10.0, 0.0);
    let item = Item::Text { x: 20.0, y: 40.0, run: run.into(), color: Color::BLACK };
    Page { width: mm(100.0), height: mm(60.0), number, items: vec![item] }
}

#[test]
fn the_cid_to_gid_map_leads_each_cid_to_its_glyph_in_the_subset() {
    let book = book();
    let text = "Un fichier officiel";
    let pages = [text_page(&book, text, 1)];
    let rendered = render_pdf(&pages, &book, &options(Standard::PdfX4)).expect("renders");
    let doc = Document::load_mem(&rendered.pdf.to_vec().unwrap()).unwrap();
    let cid_font = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType2"))
        .expect("a TrueType CID font");
    let map = dict_get(&doc, cid_font, b"CIDToGIDMap").unwrap().as_stream().unwrap();
    let map = map.decompressed_content().expect("inflates");
    let gid = |cid: u16| u16::from_be_bytes([map[2 * cid as usize], map[2 * cid as usize + 1]]);
    // The used glyphs in the subset are 1.. in their original order (0 is .notdef), and
    // every other CID leads to .notdef.
    let face = book.get(book.body.regular);
    let run = set(&book, book.body.regular, text, 10.0, 0.0);
    let mut used: Vec<u16> = run.glyphs.iter().map(|g| g.id).collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(map.len(), 2 * (usize::from(*used.last().unwrap()) + 1));
    for (rank, &glyph) in used.iter().enumerate() {
        assert_eq!(gid(glyph), rank as u16 + 1, "glyph {glyph}");
    }
    let unused = (0..map.len() as u16 / 2).filter(|cid| !used.contains(cid));
    assert!(unused.into_iter().all(|cid| gid(cid) == 0));
    // Each CID leads to the original glyph's outline in the subset: the same contours and
    // box (a wrong map would show another letter, which the text extraction would not see).
    let descriptor = dict_get(&doc, cid_font, b"FontDescriptor").unwrap().as_dict().unwrap();
    let file = dict_get(&doc, descriptor, b"FontFile2").unwrap().as_stream().unwrap();
    let subset_bytes = file.decompressed_content().expect("inflates");
    let subset = FontRef::new(&subset_bytes).expect("the subset is a font");
    let outline = |font: &FontRef, glyph: u16| {
        let (loca, glyf) = (font.loca(None).unwrap(), font.glyf().unwrap());
        let found = loca.get_glyf(GlyphId::new(u32::from(glyph)), &glyf).unwrap();
        found.map(|g| (g.number_of_contours(), g.x_min(), g.y_min(), g.x_max(), g.y_max()))
    };
    let mut outlines = 0;
    for &glyph in &used {
        let original = outline(&face.tables, glyph);
        assert_eq!(outline(&subset, gid(glyph)), original, "glyph {glyph}");
        outlines += usize::from(original.is_some());
    }
    assert!(outlines >= 10, "the letters have outlines: {outlines}");
    // `/W` gives each CID its glyph's advance.
    let widths = dict_get(&doc, cid_font, b"W").unwrap().as_array().unwrap();
    let mut at = 0;
    while at < widths.len() {
        let first = widths[at].as_i64().unwrap() as u16;
        let list = widths[at + 1].as_array().unwrap();
        for (i, width) in list.iter().enumerate() {
            let glyph = first + i as u16;
            let expected =
                f32::from(face.advance_units(glyph).unwrap()) * 1000.0 / face.units_per_em;
            assert!((width.as_float().unwrap() - expected).abs() < 0.01, "glyph {glyph}");
        }
        at += 2;
    }
}

#[test]
fn a_page_is_drawn_the_same_whatever_else_the_issue_uses() {
    let book = book();
    let first = text_page(&book, "Le profil officiel finit ici", 1);
    let alone = [first.clone()];
    let mut second = text_page(&book, "Kœnig paie ½ € à Zoé", 2);
    second.items.push(Item::Text {
        x: 20.0,
        y: 60.0,
        run: set(&book, book.kicker.bold, "Vie locale", 9.0, 0.0).into(),
        color: Color::BLACK,
    });
    let beside = [first, second];
    let dir = temp_dir("stable-cids");
    let mut contents = Vec::new();
    let mut rasters = Vec::new();
    for (name, pages) in [("alone", &alone[..]), ("beside", &beside[..])] {
        let rendered = render_pdf(pages, &book, &options(Standard::PdfX4)).expect("renders");
        let bytes = rendered.pdf.to_vec().unwrap();
        contents.push(page_content(&Document::load_mem(&bytes).unwrap(), 1));
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes).unwrap();
        let prefix = dir.join(name);
        let (file, out) = (path.to_str().unwrap(), prefix.to_str().unwrap());
        if tool("pdftoppm", &["-f", "1", "-l", "1", "-r", "150", "-png", file, out]).is_some() {
            let png = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    p.to_string_lossy().starts_with(out) && p.extension() == Some("png".as_ref())
                })
                .expect("pdftoppm wrote page 1");
            rasters.push(image::open(png).unwrap().to_rgb8());
        }
    }
    // The same content stream, to the byte (which the build cache's kept page relies on).
    assert_eq!(contents[0], contents[1]);
    assert!(contents[0].contains("/F"), "{}", contents[0]);
    if let [alone, beside] = &rasters[..] {
        assert_eq!(alone.dimensions(), beside.dimensions());
        let dark = alone.pixels().filter(|p| p.0[0] < 128).count();
        assert!(dark > 100, "the text is drawn: {dark} dark pixels");
        assert!(alone.as_raw() == beside.as_raw(), "page 1 looks the same");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
