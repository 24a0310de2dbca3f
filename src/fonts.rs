//! Fonts: loaded once per process, shared by shaping (`text`) and embedding (`render`).
//!
//! Bundled fonts are compiled into the binary. A font given by path is read and parsed the
//! first time it is asked for and kept for the life of the process in a global table, so
//! building forty articles, or running `check` then `build`, never parses a file twice.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use harfrust::{
    Direction, GlyphBuffer, Language, Script, ShapeOptions, ShapePlan, ShaperData, UnicodeBuffer,
};
use read_fonts::tables::cmap::{CmapSubtable, PlatformId};
use read_fonts::tables::hhea::Hhea;
use read_fonts::tables::hmtx::Hmtx;
use read_fonts::tables::os2::{Os2, SelectionFlags};
use read_fonts::types::GlyphId;
use read_fonts::{FontRef, TableProvider};
use sha2::{Digest, Sha256};

use crate::model::{FontFamily, FontRoles, FontSource};

/// The bundled fonts, by file stem, with their bytes.
const BUNDLED: &[(&str, &[u8])] = &[
    ("LiberationSerif-Regular", include_bytes!("../fonts/LiberationSerif-Regular.ttf")),
    ("LiberationSerif-Italic", include_bytes!("../fonts/LiberationSerif-Italic.ttf")),
    ("LiberationSerif-Bold", include_bytes!("../fonts/LiberationSerif-Bold.ttf")),
    ("LiberationSerif-BoldItalic", include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf")),
    ("LiberationSans-Regular", include_bytes!("../fonts/LiberationSans-Regular.ttf")),
    ("LiberationSans-Italic", include_bytes!("../fonts/LiberationSans-Italic.ttf")),
    ("LiberationSans-Bold", include_bytes!("../fonts/LiberationSans-Bold.ttf")),
    ("LiberationSans-BoldItalic", include_bytes!("../fonts/LiberationSans-BoldItalic.ttf")),
];

/// The bundled symbol font, the default of `fonts.fallback`: Symbola covers symbols,
/// arrows, dingbats and the emoji of Unicode 10 in outlines a PDF can embed (colour emoji
/// fonts are bitmaps), and is free for any use.
pub const SYMBOL_FONT: &str = "Symbola";

/// The bundled fonts tried only after all the others, by name, with their bytes.
const BUNDLED_FALLBACK: &[(&str, &[u8])] = &[(SYMBOL_FONT, include_bytes!("../fonts/Symbola.ttf"))];

/// Names of the bundled text fonts, for messages and `--help`.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// Names of the bundled fallback fonts, which `fonts.fallback` may name.
pub fn bundled_fallback_names() -> impl Iterator<Item = &'static str> {
    BUNDLED_FALLBACK.iter().map(|(name, _)| *name)
}

/// What a shape plan is made for: direction, script (`None` when the text has none) and
/// language.
type PlanKey = (Direction, Option<Script>, Option<Language>);

/// A parsed font face.
pub struct Font {
    /// Where it came from, for messages.
    pub source: FontSource,
    /// PostScript name (from the `name` table), used as the PDF BaseFont.
    pub postscript_name: String,
    /// The raw file, kept for subsetting.
    pub data: &'static [u8],
    /// The font's tables, parsed by read-fonts: the one font parser, which the shaper
    /// (harfrust) and the subsetter use as well.
    pub tables: FontRef<'static>,
    /// What harfrust keeps between calls (lookup caches), built once per face.
    shaper_data: ShaperData,
    /// Shape plans made for this face, by language and script: harfrust makes one per
    /// call unless given one, and making it (collecting and compiling the features) cost
    /// more than shaping a word.
    plans: Mutex<Vec<(PlanKey, Arc<ShapePlan>)>>,
    /// The Unicode subtables of `cmap`, in the font's order.
    unicode_cmaps: Vec<CmapSubtable<'static>>,
    /// Horizontal metrics.
    hmtx: Hmtx<'static>,
    /// Glyphs in the font (`maxp`): ids from here on have no metrics.
    glyph_count: u32,
    /// Design units per em.
    pub units_per_em: f32,
    /// Ascender, in em.
    pub ascender: f32,
    /// Descender (negative), in em.
    pub descender: f32,
    /// Cap height, in em.
    pub cap_height: f32,
    /// Advance width of U+0020, in em (the base of justification glue).
    pub space_width: f32,
    /// Whether outlines are CFF (`OTTO`), which the PDF writer embeds differently.
    pub is_cff: bool,
    /// Whether the missing-glyph glyph (`.notdef`, glyph 0) has no outline, so that a
    /// character no font has would print as blank space unless a box is drawn for it.
    pub notdef_is_empty: bool,
    /// [`Font::identity`], computed at its first use.
    identity: OnceLock<[u8; 32]>,
}

impl fmt::Debug for Font {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Font").field("postscript_name", &self.postscript_name).finish()
    }
}

/// Space width when a font has no U+0020, in em: a quarter em, the usual word space.
const DEFAULT_SPACE_EM: f32 = 0.25;
/// Cap height when `OS/2` does not give one (version < 2), in em: a typical Latin face's.
const DEFAULT_CAP_HEIGHT_EM: f32 = 0.7;
/// The `name` table ID of the PostScript name.
const POSTSCRIPT_NAME_ID: u16 = 6;
/// The units per em the OpenType specification allows.
const UNITS_PER_EM_RANGE: std::ops::RangeInclusive<u16> = 16..=16384;

impl Font {
    fn parse(source: FontSource, data: &'static [u8]) -> Result<Font, String> {
        let not_a_font = |_| "not an OpenType/TrueType font".to_string();
        let tables = FontRef::from_index(data, 0).map_err(not_a_font)?;
        let head = tables.head().map_err(not_a_font)?;
        let hhea = tables.hhea().map_err(not_a_font)?;
        let glyph_count = u32::from(tables.maxp().map_err(not_a_font)?.num_glyphs());
        let hmtx = tables.hmtx().map_err(not_a_font)?;
        let upem = head.units_per_em();
        if !UNITS_PER_EM_RANGE.contains(&upem) {
            return Err(format!("{upem} units per em is outside the range OpenType allows"));
        }
        let upem = f32::from(upem);
        let os2 = tables.os2().ok();
        let postscript_name = postscript_name(&tables).unwrap_or_else(|| match &source {
            FontSource::Bundled(name) => name.clone(),
            FontSource::File(path) => {
                path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            }
        });
        // PDF names must not contain spaces or delimiters.
        let postscript_name: String = postscript_name
            .chars()
            .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
            .collect();
        let (ascender, descender) = vertical_metrics(&hhea, os2.as_ref());
        let cap_height = os2
            .as_ref()
            .and_then(|os2| os2.s_cap_height())
            .map_or(DEFAULT_CAP_HEIGHT_EM, |h| f32::from(h) / upem);
        let unicode_cmaps = match tables.cmap() {
            Ok(cmap) => cmap
                .encoding_records()
                .iter()
                .filter(|record| is_unicode_cmap(record.platform_id(), record.encoding_id()))
                .filter_map(|record| record.subtable(cmap.offset_data()).ok())
                .collect(),
            Err(_) => Vec::new(),
        };
        let mut font = Font {
            postscript_name,
            data,
            shaper_data: ShaperData::new(&tables),
            plans: Mutex::new(Vec::new()),
            unicode_cmaps,
            hmtx,
            glyph_count,
            units_per_em: upem,
            ascender: f32::from(ascender) / upem,
            descender: f32::from(descender) / upem,
            cap_height,
            space_width: DEFAULT_SPACE_EM,
            is_cff: data.starts_with(b"OTTO"),
            notdef_is_empty: notdef_is_empty(&tables),
            identity: OnceLock::new(),
            tables,
            source,
        };
        if let Some(advance) = font.glyph_index(' ').and_then(|g| font.advance_units(g)) {
            font.space_width = f32::from(advance) / upem;
        }
        Ok(font)
    }

    /// What tells this face from any other in the build cache's keys: a bundled font by its
    /// name (the program's stamp stands for its bytes), a font file by the SHA-256 of its
    /// bytes, hashed once however many caches ask.
    pub fn identity(&self) -> [u8; 32] {
        *self.identity.get_or_init(|| match &self.source {
            FontSource::Bundled(name) => Sha256::digest(format!("bundled {name}\n")).into(),
            FontSource::File(_) => Sha256::digest(self.data).into(),
        })
    }

    /// The glyph for `c`, from the first Unicode `cmap` subtable that maps it; `None` when
    /// the font lacks it (a character mapped to glyph 0, `.notdef`, is lacking too).
    pub fn glyph_index(&self, c: char) -> Option<u16> {
        self.unicode_cmaps
            .iter()
            .find_map(|subtable| subtable.map_codepoint(c))
            .and_then(|glyph| u16::try_from(glyph.to_u32()).ok())
            .filter(|&glyph| glyph != 0)
    }

    /// Whether the font has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.glyph_index(c).is_some()
    }

    /// Advance of a glyph in design units, from `hmtx` (glyphs past the last long metric
    /// take its advance); `None` for a glyph the font does not have.
    pub fn advance_units(&self, glyph: u16) -> Option<u16> {
        if u32::from(glyph) >= self.glyph_count {
            return None;
        }
        self.hmtx.advance(GlyphId::new(u32::from(glyph)))
    }

    /// Advance of a glyph in em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advance_units(glyph).map(|a| f32::from(a) / self.units_per_em).unwrap_or(0.0)
    }

    /// A harfrust shaper for this face (cheap: the lookup caches are built once, in
    /// `shaper_data`).
    pub fn shaper(&self) -> harfrust::Shaper<'_> {
        self.shaper_data.shaper(&self.tables).build()
    }

    /// Shapes `buffer` (its segment properties set) with no features, with the plan this
    /// face keeps for the buffer's direction, script and language: the plan harfrust
    /// would make for the call, made once.
    pub fn shape(&self, buffer: UnicodeBuffer) -> GlyphBuffer {
        let shaper = self.shaper();
        let script = Some(buffer.script()).filter(|&s| s != harfrust::script::UNKNOWN);
        let key = (buffer.direction(), script, buffer.language());
        let known = |plans: &[(PlanKey, Arc<ShapePlan>)]| {
            plans.iter().find(|(k, _)| *k == key).map(|(_, plan)| Arc::clone(plan))
        };
        let found = known(&self.plans.lock().unwrap_or_else(PoisonError::into_inner));
        let plan = found.unwrap_or_else(|| {
            let plan = Arc::new(ShapePlan::new(&shaper, key.0, key.1, key.2.as_ref(), &[]));
            let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
            known(&plans).unwrap_or_else(|| {
                plans.push((key.clone(), Arc::clone(&plan)));
                plan
            })
        });
        shaper.shape(buffer, ShapeOptions::new().plan(Some(&plan)))
    }
}

/// Whether glyph 0 of a TrueType-outline font is empty (no `glyf` data). A CFF font's
/// `.notdef` is taken as drawn: CFF requires one and fonts give it the customary box.
fn notdef_is_empty(tables: &FontRef) -> bool {
    match (tables.loca(None), tables.glyf()) {
        (Ok(loca), Ok(glyf)) => {
            loca.get_glyf(GlyphId::new(0), &glyf).map_or(true, |glyph| glyph.is_none())
        }
        _ => false,
    }
}

/// Whether a `cmap` subtable maps Unicode: platform 0, or Windows with the BMP (1) or
/// full-repertoire (10) encoding. Symbol fonts (Windows 0) map private-use code points.
fn is_unicode_cmap(platform: PlatformId, encoding: u16) -> bool {
    match platform {
        PlatformId::Unicode => true,
        PlatformId::Windows => matches!(encoding, 1 | 10),
        _ => false,
    }
}

/// The PostScript name from the first `name` record in UTF-16: platform 0, or Windows with
/// the symbol (0) or BMP (1) encoding.
fn postscript_name(tables: &FontRef) -> Option<String> {
    let name = tables.name().ok()?;
    name.name_record()
        .iter()
        .filter(|record| record.name_id().to_u16() == POSTSCRIPT_NAME_ID)
        .filter(|record| {
            record.platform_id() == 0 || (record.platform_id() == 3 && record.encoding_id() <= 1)
        })
        .find_map(|record| record.string(name.string_data()).ok())
        .map(|string| string.chars().collect())
}

/// Ascender and descender in design units, as FreeType picks them: `OS/2`'s typographic
/// values when its `USE_TYPO_METRICS` flag asks for them, otherwise `hhea`'s, and when
/// those are zero `OS/2`'s typographic then Windows values.
fn vertical_metrics(hhea: &Hhea, os2: Option<&Os2>) -> (i16, i16) {
    let use_typo = os2.is_some_and(|os2| {
        os2.version() >= 4 && os2.fs_selection().contains(SelectionFlags::USE_TYPO_METRICS)
    });
    match os2 {
        Some(os2) if use_typo => (os2.s_typo_ascender(), os2.s_typo_descender()),
        _ => {
            let pick = |hhea: i16, typo: i16, win: i16| match os2 {
                Some(_) if hhea == 0 && typo != 0 => typo,
                Some(_) if hhea == 0 => win,
                _ => hhea,
            };
            let (typo_asc, typo_desc, win_asc, win_desc) = os2.map_or((0, 0, 0, 0), |os2| {
                (
                    os2.s_typo_ascender(),
                    os2.s_typo_descender(),
                    os2.us_win_ascent() as i16,
                    (os2.us_win_descent() as i16).wrapping_neg(),
                )
            });
            (
                pick(hhea.ascender().to_i16(), typo_asc, win_asc),
                pick(hhea.descender().to_i16(), typo_desc, win_desc),
            )
        }
    }
}

/// Why a font could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum FontError {
    /// A bundled name that does not exist.
    UnknownBundled(String),
    /// A file that could not be read.
    Unreadable(PathBuf, String),
    /// A file that is not a font.
    Invalid(PathBuf, String),
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FontError::UnknownBundled(name) => {
                write!(f, "no bundled font named `{name}`")?;
                if let Some(close) = crate::diag::closest(name, bundled_names()) {
                    write!(f, "; did you mean `{close}`?")?;
                }
                Ok(())
            }
            FontError::Unreadable(path, why) => {
                write!(f, "cannot read font file {}: {why}", path.display())
            }
            FontError::Invalid(path, why) => {
                write!(f, "font file {} is not usable: {why}", path.display())
            }
        }
    }
}

/// Returns the process-wide parsed font for `source`, loading it on first use.
pub fn load(source: &FontSource) -> Result<Arc<Font>, FontError> {
    static CACHE: OnceLock<Mutex<HashMap<FontSource, Arc<Font>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(font) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(source) {
        return Ok(font.clone());
    }
    let font = match source {
        FontSource::Bundled(name) => {
            let (_, data) = BUNDLED
                .iter()
                .chain(BUNDLED_FALLBACK)
                .find(|(stem, _)| stem == name)
                .ok_or_else(|| FontError::UnknownBundled(name.clone()))?;
            Font::parse(source.clone(), data).expect("bundled fonts are valid")
        }
        FontSource::File(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| FontError::Unreadable(path.clone(), e.to_string()))?;
            // Fonts given by path live as long as the process, like the bundled ones: the
            // parsed face borrows the bytes, and the cache hands it to every thread.
            let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            Font::parse(source.clone(), data).map_err(|e| FontError::Invalid(path.clone(), e))?
        }
    };
    // Another thread may have loaded the same font meanwhile: keep the first one.
    let mut table = cache.lock().unwrap_or_else(|e| e.into_inner());
    Ok(table.entry(source.clone()).or_insert_with(|| Arc::new(font)).clone())
}

/// Index of a font in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// Faces of one family as ids in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FamilyIds {
    /// Upright.
    pub regular: FontId,
    /// Italic.
    pub italic: FontId,
    /// Bold.
    pub bold: FontId,
    /// Bold italic.
    pub bold_italic: FontId,
}

impl FamilyIds {
    /// The face for a bold/italic combination.
    pub fn pick(&self, bold: bool, italic: bool) -> FontId {
        match (bold, italic) {
            (false, false) => self.regular,
            (false, true) => self.italic,
            (true, false) => self.bold,
            (true, true) => self.bold_italic,
        }
    }
}

/// The fonts one build uses, indexed by [`FontId`]: the four roles' families first, then the
/// bundled text fonts, then the issue's `fonts.fallback` list, tried in that order for
/// characters a chosen font lacks.
#[derive(Debug, Clone)]
pub struct FontBook {
    fonts: Vec<Arc<Font>>,
    /// Body family.
    pub body: FamilyIds,
    /// Heading family.
    pub heading: FamilyIds,
    /// Kicker family.
    pub kicker: FamilyIds,
    /// Caption family.
    pub caption: FamilyIds,
}

impl FontBook {
    /// Loads (or reuses) every font the roles name, the bundled text fonts and the
    /// fallback fonts.
    pub fn new(roles: &FontRoles) -> Result<FontBook, FontError> {
        let mut fonts: Vec<Arc<Font>> = Vec::new();
        let mut add = |source: &FontSource| -> Result<FontId, FontError> {
            if let Some(i) = fonts.iter().position(|f| &f.source == source) {
                return Ok(FontId(i as u16));
            }
            fonts.push(load(source)?);
            Ok(FontId(fonts.len() as u16 - 1))
        };
        let mut family = |f: &FontFamily| -> Result<FamilyIds, FontError> {
            Ok(FamilyIds {
                regular: add(&f.regular)?,
                italic: add(&f.italic)?,
                bold: add(&f.bold)?,
                bold_italic: add(&f.bold_italic)?,
            })
        };
        let body = family(&roles.body)?;
        let heading = family(&roles.heading)?;
        let kicker = family(&roles.kicker)?;
        let caption = family(&roles.caption)?;
        for name in bundled_names() {
            add(&FontSource::Bundled(name.to_string()))?;
        }
        for source in &roles.fallback {
            add(source)?;
        }
        Ok(FontBook { fonts, body, heading, kicker, caption })
    }

    /// The font with this id.
    pub fn get(&self, id: FontId) -> &Font {
        &self.fonts[usize::from(id.0)]
    }

    /// All fonts with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FontId, &Font)> {
        self.fonts.iter().enumerate().map(|(i, f)| (FontId(i as u16), f.as_ref()))
    }

    /// The first font, starting with `preferred`, that has a glyph for `c`: the preferred
    /// font itself, then the other faces in book order (bundled fallbacks last).
    pub fn fallback_for(&self, preferred: FontId, c: char) -> Option<FontId> {
        if self.get(preferred).has_char(c) {
            return Some(preferred);
        }
        self.iter().find(|(_, f)| f.has_char(c)).map(|(id, _)| id)
    }
}

/// The bundled families as used by default.
pub fn bundled_family(stem: &str) -> FontFamily {
    let face = |style: &str| FontSource::Bundled(format!("{stem}-{style}"));
    FontFamily {
        regular: face("Regular"),
        italic: face("Italic"),
        bold: face("Bold"),
        bold_italic: face("BoldItalic"),
    }
}

/// Whether `path` looks like a font file we can read.
pub fn is_font_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref(),
        Some("ttf" | "otf")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_shape_plan_shapes_as_a_plan_made_for_the_call() {
        let font = load(&FontSource::Bundled("LiberationSerif-Regular".into())).expect("loads");
        // Latin in three languages, Greek, and digits (no script): four keys, French twice.
        let words = [("fr", "efficace"), ("de", "Straße"), ("en", "AVAST"), ("fr", "λόγος")];
        let cases = words.iter().chain(&[("fr", "1234"), ("fr", "Tout")]);
        let buffer = |lang: &str, text: &str| {
            let mut buffer = UnicodeBuffer::new();
            buffer.push_str(text);
            buffer.set_language(lang.parse().unwrap());
            buffer.set_direction(Direction::LeftToRight);
            buffer.guess_segment_properties();
            buffer
        };
        let glyphs = |shaped: &GlyphBuffer| {
            let infos = shaped.glyph_infos().iter().map(|i| (i.glyph_id, i.cluster));
            let positions = shaped.glyph_positions().iter().map(|p| (p.x_advance, p.x_offset));
            infos.zip(positions).collect::<Vec<_>>()
        };
        for &(lang, text) in cases {
            let fresh = font.shaper().shape(buffer(lang, text), ShapeOptions::new());
            assert_eq!(glyphs(&font.shape(buffer(lang, text))), glyphs(&fresh), "{text}");
        }
        // fr/Latin, de/Latin, en/Latin, fr/Greek, fr/none: one plan each, made once (the
        // face is the process's, which other tests may shape with too).
        let plans = font.plans.lock().unwrap();
        let keys: Vec<&PlanKey> = plans.iter().map(|(key, _)| key).collect();
        for (i, key) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(key), "{key:?} planned twice");
        }
        let latin = harfrust::script::LATIN;
        for (lang, script) in [("fr", Some(latin)), ("de", Some(latin)), ("fr", None)] {
            let key = (Direction::LeftToRight, script, Some(lang.parse().unwrap()));
            assert!(keys.contains(&&key), "{key:?}");
        }
    }

    #[test]
    fn bundled_faces_give_their_names_metrics_and_glyphs() {
        let font = load(&FontSource::Bundled("LiberationSerif-Regular".into())).expect("loads");
        assert_eq!(font.postscript_name, "LiberationSerif");
        assert_eq!(font.units_per_em, 2048.0);
        // Liberation Serif's hhea: ascender 1825, descender -443; space 512 units.
        assert_eq!((font.ascender, font.descender), (1825.0 / 2048.0, -443.0 / 2048.0));
        assert_eq!(font.space_width, 0.25);
        assert!(font.has_char('é') && font.has_char('\u{202F}'));
        assert!(!font.has_char('😀'));
        // Liberation draws nothing for a missing character: rotative draws the box.
        assert!(font.notdef_is_empty);
        let symbols = load(&FontSource::Bundled(SYMBOL_FONT.into())).expect("Symbola loads");
        assert!(symbols.has_char('😀') && symbols.has_char('☎'));
        let a = font.glyph_index('a').expect("a glyph for a");
        assert!(font.advance(a) > 0.3 && font.advance(a) < 0.6);
        let past_the_end = u16::try_from(font.glyph_count).expect("fewer than 65536 glyphs");
        assert_eq!(font.advance_units(past_the_end), None);
    }

    #[test]
    fn a_file_that_is_not_a_font_is_reported() {
        let path =
            std::env::temp_dir().join(format!("rotative-not-a-font-{}.ttf", std::process::id()));
        std::fs::write(&path, b"plain text, no table directory").expect("temp file");
        let error = load(&FontSource::File(path.clone())).expect_err("not a font");
        std::fs::remove_file(&path).ok();
        assert!(matches!(error, FontError::Invalid(ref p, _) if *p == path), "{error:?}");
    }
}
