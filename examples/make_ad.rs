//! Makes the advertisement of the second example issue: a one-page PDF of 2 columns x 60 mm
//! (118.33 x 60 mm on the A4 grid of 3 columns of 56.67 mm with 5 mm gutters) for a
//! local bakery, as an advertiser delivers it, plus an RGB copy of it for error tests.
//!
//! `cargo run --release --example make_ad -- [OUT_DIR]` (default
//! `issues/liberte-actus-1720/ads`) writes:
//! - `fournil-du-pont-2col-60mm.pdf`: PDF/X-1a:2001 style: PDF 1.3, CMYK only (DeviceCMYK
//!   fills and strokes, no image, no transparency), the Liberation fonts embedded as subsets
//!   with a ToUnicode map (so `pdftotext` reads the text), TrimBox = BleedBox = MediaBox,
//!   Info GTS_PDFX keys, Trapped False, a trailer ID, and one GTS_PDFX output intent with the
//!   bundled Coated FOGRA39 profile;
//! - `fournil-du-pont-2col-60mm-rgb.pdf`: the same page with every colour in DeviceRGB,
//!   still claiming PDF/X-1a: the delivery mistake an X-1a build must refuse.
//!
//! The output is byte-for-byte reproducible: fixed dates, IDs derived from the content.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use pdf_writer::types::{
    CidFontType, FontFlags, OutputIntentSubtype, SystemInfo, TrappingStatus, UnicodeCmap,
};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use rotative::fonts::{Font, load};
use rotative::model::FontSource;
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

const MM: f32 = 72.0 / 25.4;
/// Two columns and the gutter between them: 2 x 56.667 + 5 mm.
const WIDTH_MM: f32 = 118.333;
const HEIGHT_MM: f32 = 60.0;

/// A colour given once in CMYK (0-1) and once in RGB (0-1), so both variants share a layout.
#[derive(Clone, Copy)]
struct Colour {
    cmyk: [f32; 4],
    rgb: [f32; 3],
}

const BLACK: Colour = Colour { cmyk: [0.0, 0.0, 0.0, 1.0], rgb: [0.0, 0.0, 0.0] };
const WHITE: Colour = Colour { cmyk: [0.0, 0.0, 0.0, 0.0], rgb: [1.0, 1.0, 1.0] };
const CREAM: Colour = Colour { cmyk: [0.0, 0.04, 0.18, 0.0], rgb: [1.0, 0.96, 0.84] };
const OXBLOOD: Colour = Colour { cmyk: [0.0, 0.9, 0.85, 0.25], rgb: [0.66, 0.1, 0.1] };
const CRUST: Colour = Colour { cmyk: [0.0, 0.38, 0.85, 0.08], rgb: [0.9, 0.6, 0.2] };
const CRUST_DARK: Colour = Colour { cmyk: [0.0, 0.55, 0.9, 0.35], rgb: [0.62, 0.33, 0.1] };

/// The faces the ad uses, by index in [`FACES`].
const FACES: [&str; 4] = [
    "LiberationSans-Bold",
    "LiberationSans-Regular",
    "LiberationSerif-Bold",
    "LiberationSerif-Italic",
];
const SANS_BOLD: usize = 0;
const SANS: usize = 1;
const SERIF_BOLD: usize = 2;
const SERIF_ITALIC: usize = 3;

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
}

/// One line of text of the ad.
struct Line {
    face: usize,
    size: f32,
    /// Left edge (Align::Left) or centre (Align::Center), in points.
    x: f32,
    /// Baseline from the bottom of the page, in points.
    y: f32,
    /// Widest the line may be: a longer line is set smaller.
    max_width: f32,
    align: Align,
    tracking: f32,
    colour: Colour,
    text: &'static str,
}

fn width_of(font: &Font, text: &str, size: f32, tracking: f32) -> f32 {
    let units: f32 = text
        .chars()
        .map(|c| font.glyph_index(c).and_then(|g| font.advance_units(g)).unwrap_or(0))
        .map(f32::from)
        .sum();
    units / font.units_per_em * size + tracking * text.chars().count() as f32
}

/// The lines of the ad; `top` values are baselines measured down from the top edge.
fn layout(w: f32, h: f32) -> Vec<Line> {
    let panel_width = 52.0 * MM - 10.0;
    let right = 52.0 * MM + 9.0;
    let right_width = w - right - 9.0;
    // A line centred in the left panel.
    let l = |face, size, top: f32, colour, text| Line {
        face,
        size,
        x: 3.0 + 52.0 * MM / 2.0,
        y: h - top,
        max_width: panel_width,
        align: Align::Center,
        tracking: 0.0,
        colour,
        text,
    };
    // A line ranged left in the right part.
    let r = |face, size, top: f32, colour, text| Line {
        face,
        size,
        x: right,
        y: h - top,
        max_width: right_width,
        align: Align::Left,
        tracking: 0.0,
        colour,
        text,
    };
    vec![
        Line { tracking: 1.6, ..l(SANS_BOLD, 8.5, 26.0, CREAM, "BOULANGERIE") },
        l(SERIF_BOLD, 22.0, 52.0, WHITE, "Le Fournil"),
        l(SERIF_BOLD, 22.0, 75.0, WHITE, "du Pont"),
        l(SERIF_ITALIC, 8.5, 92.0, CREAM, "artisan depuis 1987"),
        r(SERIF_BOLD, 13.0, 27.0, OXBLOOD, "Pains au levain naturel"),
        r(SANS, 7.6, 40.0, BLACK, "Farines de meuniers sarthois, cuisson au feu de bois"),
        r(SANS, 7.6, 50.0, BLACK, "Viennoiseries pur beurre, pâtisseries maison"),
        Line { tracking: 0.8, x: right + 4.0, ..r(SANS_BOLD, 7.0, 68.5, WHITE, "NOUVEAU") },
        Line {
            x: right + 50.0,
            max_width: right_width - 50.0,
            ..r(SERIF_BOLD, 10.0, 68.5, BLACK, "le pain de seigle du jeudi")
        },
        r(SANS_BOLD, 8.0, 88.0, BLACK, "Ouvert du mardi au dimanche, de 6 h 30 à 19 h 30"),
        r(SANS, 7.6, 99.0, BLACK, "12, rue du Pont, Bréville-sur-Sarthe"),
        r(SANS_BOLD, 11.0, 114.0, OXBLOOD, "Tél. 02 61 91 24 58"),
        r(
            SERIF_ITALIC,
            7.4,
            h - 22.0,
            BLACK,
            "Sur présentation de ce journal, un croissant offert",
        ),
        r(
            SERIF_ITALIC,
            7.4,
            h - 13.0,
            BLACK,
            "pour tout achat de pain, jusqu’au 30 septembre 2025.",
        ),
    ]
}

/// A PDF/X-1a style file of the ad, in CMYK or (`rgb`) in RGB.
fn make(rgb: bool) -> Vec<u8> {
    let w = WIDTH_MM * MM;
    let h = HEIGHT_MM * MM;
    let fonts: Vec<Arc<Font>> = FACES
        .iter()
        .map(|name| load(&FontSource::Bundled((*name).to_string())).expect("bundled font"))
        .collect();
    let lines = layout(w, h);

    // Glyphs used per face, with the character each stands for (ToUnicode).
    let mut used: Vec<BTreeMap<u16, char>> = vec![BTreeMap::new(); FACES.len()];
    for l in &lines {
        for c in l.text.chars() {
            let g = fonts[l.face].glyph_index(c).unwrap_or_else(|| panic!("no glyph for {c:?}"));
            used[l.face].insert(g, c);
        }
    }
    let remappers: Vec<GlyphRemapper> = used
        .iter()
        .map(|g| GlyphRemapper::new_from_glyphs_sorted(&g.keys().copied().collect::<Vec<_>>()))
        .collect();

    let fill = |content: &mut Content, colour: Colour| {
        if rgb {
            content.set_fill_rgb(colour.rgb[0], colour.rgb[1], colour.rgb[2]);
        } else {
            let [c, m, y, k] = colour.cmyk;
            content.set_fill_cmyk(c, m, y, k);
        }
    };
    let stroke = |content: &mut Content, colour: Colour| {
        if rgb {
            content.set_stroke_rgb(colour.rgb[0], colour.rgb[1], colour.rgb[2]);
        } else {
            let [c, m, y, k] = colour.cmyk;
            content.set_stroke_cmyk(c, m, y, k);
        }
    };

    // The page.
    let mut content = Content::new();
    fill(&mut content, CREAM);
    content.rect(0.0, 0.0, w, h).fill_nonzero();
    // The left panel with the shop's name.
    fill(&mut content, OXBLOOD);
    content.rect(3.0, 3.0, 52.0 * MM, h - 6.0).fill_nonzero();
    // A loaf: an ellipse of crust with three scores.
    let (cx, cy, rx, ry) = (3.0 + 52.0 * MM / 2.0, 34.0, 42.0, 15.0);
    let k = 0.5523;
    fill(&mut content, CRUST);
    content
        .move_to(cx + rx, cy)
        .cubic_to(cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry)
        .cubic_to(cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy)
        .cubic_to(cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry)
        .cubic_to(cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy)
        .close_path()
        .fill_nonzero();
    stroke(&mut content, CRUST_DARK);
    content.set_line_width(2.2);
    for dx in [-22.0, 0.0, 22.0] {
        content
            .move_to(cx + dx - 9.0, cy - 7.0)
            .cubic_to(cx + dx - 3.0, cy - 1.0, cx + dx + 3.0, cy + 3.0, cx + dx + 9.0, cy + 7.0)
            .stroke();
    }
    // The frame of the ad and the "NOUVEAU" badge.
    stroke(&mut content, OXBLOOD);
    content.set_line_width(1.5).rect(3.0, 3.0, w - 6.0, h - 6.0).stroke();
    let right = 52.0 * MM + 9.0;
    fill(&mut content, OXBLOOD);
    content.rect(right, h - 72.5, 44.0, 12.0).fill_nonzero();
    content.set_line_width(0.6).move_to(right, h - 77.0).line_to(w - 9.0, h - 77.0).stroke();
    content.move_to(right, 33.0).line_to(w - 9.0, 33.0).stroke();

    // The text.
    for l in &lines {
        let font = &fonts[l.face];
        let mut size = l.size;
        while width_of(font, l.text, size, l.tracking) > l.max_width && size > 4.0 {
            size -= 0.1;
        }
        let width = width_of(font, l.text, size, l.tracking);
        let x = match l.align {
            Align::Left => l.x,
            Align::Center => l.x - width / 2.0,
        };
        let mut bytes = Vec::new();
        for c in l.text.chars() {
            let g = font.glyph_index(c).expect("checked above");
            let cid = remappers[l.face].get(g).expect("remapped");
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        fill(&mut content, l.colour);
        content
            .begin_text()
            .set_font(Name(format!("F{}", l.face).as_bytes()), size)
            .set_char_spacing(l.tracking)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, l.y])
            .show(Str(&bytes))
            .end_text();
    }
    let content = content.finish();

    let mut pdf = Pdf::new();
    // PDF/X-1a:2001 is PDF 1.3.
    pdf.set_version(1, 3);
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let page = alloc();
    let contents = alloc();
    let info = alloc();
    let profile = alloc();
    let font_refs: Vec<Ref> = FACES.iter().map(|_| alloc()).collect();

    let box_ = Rect::new(0.0, 0.0, w, h);
    {
        let mut p = pdf.page(page);
        p.parent(tree).media_box(box_).bleed_box(box_).trim_box(box_).contents(contents);
        let mut resources = p.resources();
        let mut f = resources.fonts();
        for (i, r) in font_refs.iter().enumerate() {
            f.pair(Name(format!("F{i}").as_bytes()), *r);
        }
    }
    pdf.pages(tree).kids([page]).count(1);
    pdf.stream(contents, &deflate(&content)).filter(Filter::FlateDecode);

    for (i, font) in fonts.iter().enumerate() {
        write_font(&mut pdf, &mut alloc, font_refs[i], font, &used[i], &remappers[i]);
    }

    let date = Date::new(2025).month(9).day(15).hour(9).minute(0).second(0).utc_offset_hour(0);
    let title = if rgb {
        "Le Fournil du Pont, 2 col. x 60 mm (RGB, for error tests)"
    } else {
        "Le Fournil du Pont, 2 col. x 60 mm"
    };
    pdf.document_info(info)
        .title(TextStr(title))
        .author(TextStr("Le Fournil du Pont"))
        .creator(TextStr("rotative examples/make_ad.rs"))
        .producer(TextStr("pdf-writer"))
        .creation_date(date)
        .modified_date(date)
        .trapped(TrappingStatus::NotTrapped)
        .pair(Name(b"GTS_PDFXVersion"), Str(b"PDF/X-1:2001"))
        .pair(Name(b"GTS_PDFXConformance"), Str(b"PDF/X-1a:2001"));

    let icc = include_bytes!("../icc/CoatedFOGRA39.icc");
    pdf.icc_profile(profile, &deflate(icc)).n(4).filter(Filter::FlateDecode);
    let mut cat = pdf.catalog(catalog);
    cat.pages(tree);
    cat.output_intents()
        .push()
        .subtype(OutputIntentSubtype::PDFX)
        .output_condition_identifier(TextStr("FOGRA39"))
        .output_condition(TextStr("Coated FOGRA39 (ISO 12647-2:2004)"))
        .registry_name(TextStr("http://www.color.org"))
        .info(TextStr("Coated FOGRA39 (ISO 12647-2:2004)"))
        .dest_output_profile(profile);
    cat.finish();

    let id: Vec<u8> = Sha256::digest(&content[..]).iter().take(16).copied().collect();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// A subset Type0 font with an Identity-H CIDFontType2 descendant and a ToUnicode map.
fn write_font(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    type0: Ref,
    font: &Font,
    used: &BTreeMap<u16, char>,
    remapper: &GlyphRemapper,
) {
    let cid_font = alloc();
    let descriptor = alloc();
    let file = alloc();
    let cmap = alloc();
    let glyphs: Vec<u16> = used.keys().copied().collect();
    let subset = subsetter::subset(font.data, 0, remapper).expect("subset");
    let tag: String = Sha256::digest(
        [
            font.postscript_name.as_bytes(),
            &glyphs.iter().flat_map(|g| g.to_be_bytes()).collect::<Vec<_>>(),
        ]
        .concat(),
    )
    .iter()
    .take(6)
    .map(|b| char::from(b'A' + b % 26))
    .collect();
    let base = format!("{tag}+{}", font.postscript_name);
    let upem = font.units_per_em;
    let width = |g: u16| f32::from(font.advance_units(g).unwrap_or(0)) * 1000.0 / upem;

    pdf.stream(file, &deflate(&subset))
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap);
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor)
        .default_width(width(0))
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut by_cid: Vec<(u16, f32)> =
        glyphs.iter().map(|&g| (remapper.get(g).expect("remapped"), width(g))).collect();
    by_cid.sort_by_key(|(c, _)| *c);
    cid.widths().consecutive(by_cid[0].0, by_cid.iter().map(|(_, w)| *w));
    cid.finish();

    let mut flags = FontFlags::SYMBOLIC;
    flags.set(FontFlags::SERIF, font.postscript_name.contains("Serif"));
    flags.set(FontFlags::ITALIC, font.postscript_name.contains("Italic"));
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(-600.0, -300.0, 2000.0, 1000.0))
        .italic_angle(if font.postscript_name.contains("Italic") { -12.0 } else { 0.0 })
        .ascent(font.ascender * 1000.0)
        .descent(font.descender * 1000.0)
        .cap_height(font.cap_height * 1000.0)
        .stem_v(if font.postscript_name.contains("Bold") { 140.0 } else { 80.0 })
        .font_file2(file);

    let mut unicode = UnicodeCmap::new(
        Name(b"Adobe-Identity-UCS"),
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
    );
    for (&g, &c) in used {
        unicode.pair(remapper.get(g).expect("remapped"), c);
    }
    pdf.stream(cmap, &deflate(&unicode.finish())).filter(Filter::FlateDecode);
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("deflate into memory");
    encoder.finish().expect("deflate into memory")
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("issues/liberte-actus-1720/ads"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("create the output folder");
    for (rgb, name) in
        [(false, "fournil-du-pont-2col-60mm.pdf"), (true, "fournil-du-pont-2col-60mm-rgb.pdf")]
    {
        let path = dir.join(name);
        std::fs::write(&path, make(rgb)).expect("write the ad");
        println!("{}", path.display());
    }
}
