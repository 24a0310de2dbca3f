//! Fonts: loaded once per process, shared by shaping (`text`) and embedding (`render`).
//!
//! Bundled fonts are compiled into the binary. A font given by path is read and parsed the
//! first time it is asked for and kept for the life of the process in a global table, so
//! building forty articles, or running `check` then `build`, never parses a file twice.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

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

/// Names of the bundled fonts, for messages and `--help`.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// A parsed font face.
pub struct Font {
    /// Where it came from, for messages.
    pub source: FontSource,
    /// PostScript name (from the `name` table), used as the PDF BaseFont.
    pub postscript_name: String,
    /// The raw file, kept for subsetting.
    pub data: &'static [u8],
    /// The parsed face (rustybuzz wraps ttf-parser).
    pub face: rustybuzz::Face<'static>,
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
}

impl fmt::Debug for Font {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Font").field("postscript_name", &self.postscript_name).finish()
    }
}

impl Font {
    fn parse(source: FontSource, data: &'static [u8]) -> Result<Font, String> {
        let face = rustybuzz::Face::from_slice(data, 0)
            .ok_or_else(|| "not an OpenType/TrueType font".to_string())?;
        let upem = face.units_per_em() as f32;
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser_name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| match &source {
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
        let space_width = face
            .glyph_index(' ')
            .and_then(|g| face.glyph_hor_advance(g))
            .map(|a| f32::from(a) / upem)
            .unwrap_or(0.25);
        let cap_height = face.capital_height().map(|h| f32::from(h) / upem).unwrap_or(0.7);
        Ok(Font {
            postscript_name,
            data,
            units_per_em: upem,
            ascender: f32::from(face.ascender()) / upem,
            descender: f32::from(face.descender()) / upem,
            cap_height,
            space_width,
            is_cff: data.starts_with(b"OTTO"),
            face,
            source,
        })
    }

    /// Whether the font has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// Advance of a glyph in em.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.face
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(glyph))
            .map(|a| f32::from(a) / self.units_per_em)
            .unwrap_or(0.0)
    }
}

/// `name` table IDs we read.
mod ttf_parser_name_id {
    pub const POST_SCRIPT_NAME: u16 = 6;
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
/// bundled fonts as fallbacks for characters a chosen font lacks.
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
    /// Loads (or reuses) every font the roles name, plus the bundled fallbacks.
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
