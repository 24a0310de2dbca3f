//! The four font roles (body, heading, kicker, caption): each a bundled family by name, one
//! font file, or a file (or bundled face) per style, with the regular face standing in for
//! missing ones; and the fallback fonts, tried for characters none of those has.

use std::path::Path;

use serde_saphyr::Spanned;

use super::Resolver;
use super::schema::{RawFamily, RawFonts};
use crate::diag::closest;
use crate::fonts::{
    bundled_fallback_names, bundled_family, bundled_names, is_font_path, load as load_font,
};
use crate::load::yaml::Text;
use crate::model::{FontFamily, FontRoles, FontSource};

impl Resolver<'_> {
    /// The font roles given; the others keep their defaults.
    pub(super) fn fonts(&mut self, raw: &RawFonts, fonts: &mut FontRoles) {
        for (role, family, slot) in [
            ("body", &raw.body, &mut fonts.body),
            ("heading", &raw.heading, &mut fonts.heading),
            ("kicker", &raw.kicker, &mut fonts.kicker),
            ("caption", &raw.caption, &mut fonts.caption),
        ] {
            if let Some(at) = family
                && let Some(resolved) = self.family(role, at)
            {
                *slot = resolved;
            }
        }
        if let Some(list) = &raw.fallback {
            let sources: Vec<Option<FontSource>> =
                list.iter().map(|entry| self.fallback_font(entry)).collect();
            // A list with an unusable entry keeps the default: the error stops the build.
            if sources.iter().all(Option::is_some) {
                fonts.fallback = sources.into_iter().flatten().collect();
            }
        }
    }

    /// One entry of `fonts.fallback`: a bundled fallback font by name, or a font file.
    fn fallback_font(&mut self, entry: &Spanned<Text>) -> Option<FontSource> {
        let written = entry.value.0.trim();
        if let Some(name) = bundled_fallback_names().find(|n| n.eq_ignore_ascii_case(written)) {
            return Some(FontSource::Bundled(name.to_string()));
        }
        let field = "fonts.fallback";
        if !is_font_path(Path::new(written)) {
            let names: Vec<&str> = bundled_fallback_names().collect();
            let d = self.error(
                "missing-font",
                format!("no bundled fallback font `{written}`"),
                field,
                entry,
            );
            d.hint = Some(format!(
                "bundled: {}; or give a .ttf/.otf file relative to the issue folder",
                names.join(", ")
            ));
            return None;
        }
        self.font_file(written, field, entry, Needs::AnyCharacter)
    }

    /// One role's family, or `None` after reporting why it cannot be used.
    fn family(&mut self, role: &str, at: &Spanned<RawFamily>) -> Option<FontFamily> {
        let field = format!("fonts.{role}");
        match &at.value {
            RawFamily::Name(name) if !is_font_path(Path::new(name.trim())) => {
                let name = name.trim();
                let regular = format!("{name}-Regular");
                if bundled_names().any(|n| n == regular) {
                    return Some(bundled_family(name));
                }
                let families: Vec<&str> =
                    bundled_names().filter_map(|n| n.strip_suffix("-Regular")).collect();
                let hint = match closest(name, families.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "bundled families: {}; or give a .ttf/.otf file",
                        families.join(", ")
                    ),
                };
                let d = self.error(
                    "missing-font",
                    format!("no bundled font family `{name}`"),
                    &field,
                    at,
                );
                d.hint = Some(hint);
                None
            }
            RawFamily::Name(file) => {
                let source = self.font_file(file.trim(), &field, at, Needs::Latin)?;
                self.warnings.push(self.fragment.warning(
                    "font-fallback",
                    format!("fonts.{role} is a single file: italic and bold will use it too"),
                    &field,
                    at,
                ));
                Some(FontFamily {
                    regular: source.clone(),
                    italic: source.clone(),
                    bold: source.clone(),
                    bold_italic: source,
                })
            }
            RawFamily::Faces(faces) => {
                let mut face = |style: &str,
                                value: &Option<Spanned<Text>>|
                 -> Option<Option<FontSource>> {
                    let Some(v) = value else { return Some(None) };
                    let field = format!("fonts.{role}.{style}");
                    let text = v.value.0.trim();
                    if is_font_path(Path::new(text)) {
                        self.font_file(text, &field, v, Needs::Latin).map(Some)
                    } else if bundled_names().any(|n| n == text) {
                        Some(Some(FontSource::Bundled(text.to_string())))
                    } else {
                        let hint = match closest(text, bundled_names()) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => "give a .ttf/.otf file or a bundled face such as LiberationSerif-Bold".into(),
                        };
                        let d = self.error(
                            "missing-font",
                            format!("no bundled font `{text}`"),
                            &field,
                            v,
                        );
                        d.hint = Some(hint);
                        None
                    }
                };
                let regular = face("regular", &faces.regular)?;
                let italic = face("italic", &faces.italic)?;
                let bold = face("bold", &faces.bold)?;
                let bold_italic = face("bold_italic", &faces.bold_italic)?;
                let Some(regular) = regular else {
                    let d = self.error(
                        "invalid-value",
                        format!("fonts.{role} has no `regular` face"),
                        &field,
                        at,
                    );
                    d.hint = Some(String::from("give at least `regular: path/to/font.otf`"));
                    return None;
                };
                let mut fallback = |style: &str, f: Option<FontSource>| {
                    f.unwrap_or_else(|| {
                        self.warnings.push(self.fragment.warning(
                            "font-fallback",
                            format!("fonts.{role} has no {style} face; the regular one stands in"),
                            &field,
                            at,
                        ));
                        regular.clone()
                    })
                };
                let italic = fallback("italic", italic);
                let bold = fallback("bold", bold);
                let bold_italic = fallback("bold_italic", bold_italic);
                Some(FontFamily { regular, italic, bold, bold_italic })
            }
        }
    }

    /// A font file relative to the issue folder, proven usable: a regular file that parses,
    /// maps what `needs` asks and can be subset (a truncated or garbage file is an error
    /// here, at its line, rather than a silent stand-in or a failure while rendering).
    fn font_file<T>(
        &mut self,
        written: &str,
        field: &str,
        at: &Spanned<T>,
        needs: Needs,
    ) -> Option<FontSource> {
        let path = self.root.join(written);
        if path.exists() {
            let source = FontSource::File(std::fs::canonicalize(&path).unwrap_or(path));
            if let Err(why) = prove_font(&source, needs) {
                let d = self.error(
                    "unusable-font",
                    format!("font file `{written}` cannot be used: {why}"),
                    field,
                    at,
                );
                d.hint = Some(String::from("give an OpenType (.otf) or TrueType (.ttf) file"));
                return None;
            }
            Some(source)
        } else {
            let d = self.error(
                "missing-font",
                format!("font file `{written}` not found (looked for {})", path.display()),
                field,
                at,
            );
            d.hint = Some(String::from("font paths are relative to the issue folder"));
            None
        }
    }
}

/// What a font file must map to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Basic Latin letters and digits: a face for a role's text.
    Latin,
    /// Any character: a fallback font (a symbol or emoji font has no letters).
    AnyCharacter,
}

/// Glyphs of a fallback font subset to prove it.
const FALLBACK_PROBE: usize = 64;

/// Largest font file read: a CJK font with every glyph is about 20 MB.
const MAX_FONT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Loads a font file (then cached for the build) and subsets it once with the glyphs of
/// basic Latin letters and digits (for a fallback font, of the first characters it maps),
/// as the PDF writer will: what fails here would otherwise fail while the PDF is made, or
/// print every letter from a fallback font.
fn prove_font(source: &FontSource, needs: Needs) -> Result<(), String> {
    let FontSource::File(path) = source else { return Ok(()) };
    // Checked before the font loader opens it: a pipe would block, a huge file would fill
    // the memory.
    crate::load::source::read_regular_file(path, MAX_FONT_FILE_BYTES)
        .map(drop)
        .map_err(|why| format!("it {why}"))?;
    let font = load_font(source).map_err(|e| e.to_string())?;
    let mut glyphs: Vec<u16> = Vec::new();
    match needs {
        Needs::Latin => {
            for c in ('a'..='z').chain('A'..='Z').chain('0'..='9') {
                match font.glyph_index(c) {
                    Some(glyph) => glyphs.push(glyph),
                    None => {
                        return Err(format!(
                            "it has no glyph for `{c}` (a truncated file, or not a text font)"
                        ));
                    }
                }
            }
        }
        Needs::AnyCharacter => {
            // The printable characters up to the first plane's symbols: a symbol font maps
            // some of them (dingbats, arrows, emoji); a font that maps none is of no use.
            glyphs.extend(
                ('\u{21}'..='\u{1FAFF}').filter_map(|c| font.glyph_index(c)).take(FALLBACK_PROBE),
            );
            if glyphs.is_empty() {
                return Err("it maps no Unicode character".to_string());
            }
        }
    }
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&glyphs);
    subsetter::subset(font.data, 0, &remapper)
        .map(drop)
        .map_err(|e| format!("it cannot be subset for the PDF ({e})"))
}
