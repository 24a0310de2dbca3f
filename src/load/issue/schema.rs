//! The schema of `issue.yaml`: raw structs that mirror the file exactly (tier one:
//! deserialized with source positions, not yet checked), and the known-field lists used for
//! suggestions and documentation.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};
use serde_saphyr::Spanned;

use crate::load::yaml::Text;

/// Top-level keys of `issue.yaml`, for suggestions and documentation.
pub const ISSUE_FIELDS: &[&str] = &[
    "publication",
    "website",
    "number",
    "date",
    "lang",
    "page",
    "margins",
    "columns",
    "gutter",
    "baseline",
    "fonts",
    "styles",
    "labels",
    "boilerplate",
    "words_per_minute",
    "hyphenation",
    "microtype",
    "output",
    "qr",
    "photo",
    "page_file_pattern",
    "articles",
    "pages",
    "auto",
    "copyfit",
    "front_matter",
];

/// Keys of one entry under `styles`.
pub const STYLE_FIELDS: &[&str] = &[
    "font",
    "bold",
    "italic",
    "size",
    "leading",
    "color",
    "align",
    "space_before",
    "space_after",
    "uppercase",
];

/// The whole file, each top-level key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIssue {
    pub(super) publication: Option<Spanned<Text>>,
    pub(super) website: Option<Spanned<Text>>,
    pub(super) number: Option<Spanned<Text>>,
    pub(super) date: Option<Spanned<Text>>,
    pub(super) lang: Option<Spanned<Text>>,
    pub(super) page: Option<Spanned<RawPage>>,
    pub(super) margins: Option<Spanned<RawMargins>>,
    pub(super) columns: Option<Spanned<u32>>,
    pub(super) gutter: Option<Spanned<f32>>,
    pub(super) baseline: Option<Spanned<f32>>,
    pub(super) fonts: Option<RawFonts>,
    pub(super) styles: Option<RawStyles>,
    pub(super) labels: Option<BTreeMap<String, RawLabels>>,
    pub(super) boilerplate: Option<Vec<RawBoilerplate>>,
    pub(super) words_per_minute: Option<Spanned<u32>>,
    pub(super) hyphenation: Option<RawHyphenation>,
    pub(super) microtype: Option<RawMicrotype>,
    pub(super) output: Option<RawOutput>,
    pub(super) qr: Option<RawQr>,
    pub(super) photo: Option<RawPhotoSpec>,
    pub(super) page_file_pattern: Option<Spanned<Text>>,
    pub(super) articles: Option<Spanned<RawArticles>>,
    pub(super) pages: Option<Spanned<RawPages>>,
    pub(super) auto: Option<super::auto::RawAuto>,
    pub(super) copyfit: Option<Vec<Spanned<Text>>>,
    pub(super) front_matter: Option<Spanned<RawFrontMatter>>,
}

/// `articles: [a.md, b.md]`, or `articles: all` for every file of `articles/`.
#[derive(Debug)]
pub(super) enum RawArticles {
    List(Vec<Spanned<Text>>),
    Word(String),
}

impl<'de> Deserialize<'de> for RawArticles {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawArticles;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of article files, or `all`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawArticles, E> {
                Ok(RawArticles::Word(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawArticles, A::Error> {
                let mut list = Vec::new();
                while let Some(item) = seq.next_element()? {
                    list.push(item);
                }
                Ok(RawArticles::List(list))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `pages:`: the page plan, or `auto` for the automatic make-up.
#[derive(Debug)]
pub(super) enum RawPages {
    Plan(Vec<Spanned<super::plan::RawPlanPage>>),
    Word(String),
}

impl<'de> Deserialize<'de> for RawPages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPages;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of pages, or `auto`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPages, E> {
                Ok(RawPages::Word(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPages, A::Error> {
                let mut list = Vec::new();
                while let Some(item) = seq.next_element()? {
                    list.push(item);
                }
                Ok(RawPages::Plan(list))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `front_matter: { map: {chapo: standfirst}, ignore: [slug] }`: how the articles' front
/// matter differs from ours.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrontMatter {
    pub(super) map: Option<BTreeMap<String, Text>>,
    pub(super) ignore: Option<Vec<Text>>,
}

/// `page: berliner` or `page: { width: 315, height: 470 }`.
#[derive(Debug)]
pub(super) enum RawPage {
    Named(String),
    Size(RawSize),
}

/// A page size in millimetres.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSize {
    pub(super) width: f32,
    pub(super) height: f32,
}

/// `margins: 15` or `margins: { top: 12, ... }`.
#[derive(Debug)]
pub(super) enum RawMargins {
    All(f32),
    Sides(RawSides),
}

/// Margins per side in millimetres; a side left out keeps its default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSides {
    pub(super) top: Option<f32>,
    pub(super) bottom: Option<f32>,
    pub(super) inner: Option<f32>,
    pub(super) outer: Option<f32>,
}

/// `fonts`: a family per role, and the fallback fonts.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFonts {
    pub(super) body: Option<Spanned<RawFamily>>,
    pub(super) heading: Option<Spanned<RawFamily>>,
    pub(super) kicker: Option<Spanned<RawFamily>>,
    pub(super) caption: Option<Spanned<RawFamily>>,
    /// Font files (or the bundled `Symbola`) for characters the others lack, in order.
    pub(super) fallback: Option<Vec<Spanned<Text>>>,
}

/// `LiberationSerif`, `fonts/Foo.otf`, or `{ regular: ..., bold: ... }`.
#[derive(Debug)]
pub(super) enum RawFamily {
    Name(String),
    Faces(Box<RawFaces>),
}

/// A family face by face: a font file or a bundled face name each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFaces {
    pub(super) regular: Option<Spanned<Text>>,
    pub(super) italic: Option<Spanned<Text>>,
    pub(super) bold: Option<Spanned<Text>>,
    pub(super) bold_italic: Option<Spanned<Text>>,
}

/// Implements "a scalar or a mapping" for the enums above.
macro_rules! scalar_or_map {
    ($ty:ident, $expecting:literal, $scalar:expr, $map:ident => $variant:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        $scalar(v)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        $scalar(&v.to_string())
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        $scalar(&v.to_string())
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        $scalar(&v.to_string())
                    }
                    fn visit_map<A: MapAccess<'de>>(self, $map: A) -> Result<$ty, A::Error> {
                        $variant
                    }
                }
                deserializer.deserialize_any(V)
            }
        }
    };
}

scalar_or_map!(
    RawPage,
    "a page format name (a4, berliner, ...) or `{ width: mm, height: mm }`",
    |v: &str| Ok(RawPage::Named(v.to_string())),
    map => RawSize::deserialize(MapAccessDeserializer::new(map)).map(RawPage::Size)
);

scalar_or_map!(
    RawMargins,
    "a margin in millimetres or `{ top, bottom, inner, outer }`",
    |v: &str| v
        .parse::<f32>()
        .map(RawMargins::All)
        .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(v), &"a number of millimetres")),
    map => RawSides::deserialize(MapAccessDeserializer::new(map)).map(RawMargins::Sides)
);

scalar_or_map!(
    RawFamily,
    "a bundled family name, a font file, or `{ regular, italic, bold, bold_italic }`",
    |v: &str| Ok(RawFamily::Name(v.to_string())),
    map => RawFaces::deserialize(MapAccessDeserializer::new(map)).map(|f| RawFamily::Faces(Box::new(f)))
);

/// `styles`: a text style per element, and the two page colours.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStyles {
    pub(super) masthead: Option<Spanned<RawStyle>>,
    pub(super) folio: Option<Spanned<RawStyle>>,
    pub(super) kicker: Option<Spanned<RawStyle>>,
    pub(super) headline: Option<Spanned<RawStyle>>,
    pub(super) standfirst: Option<Spanned<RawStyle>>,
    pub(super) meta: Option<Spanned<RawStyle>>,
    pub(super) body: Option<Spanned<RawStyle>>,
    pub(super) intertitle: Option<Spanned<RawStyle>>,
    pub(super) list: Option<Spanned<RawStyle>>,
    pub(super) quote: Option<Spanned<RawStyle>>,
    pub(super) caption: Option<Spanned<RawStyle>>,
    pub(super) credit: Option<Spanned<RawStyle>>,
    pub(super) sidebar: Option<Spanned<RawStyle>>,
    pub(super) sidebar_title: Option<Spanned<RawStyle>>,
    pub(super) sidebar_tint: Option<Spanned<RawColor>>,
    pub(super) keywords: Option<Spanned<RawStyle>>,
    pub(super) boilerplate: Option<Spanned<RawStyle>>,
    pub(super) boilerplate_title: Option<Spanned<RawStyle>>,
    pub(super) qr: Option<Spanned<RawStyle>>,
    pub(super) rule_color: Option<Spanned<RawColor>>,
}

/// One text style; what is left out keeps the default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStyle {
    pub(super) font: Option<Spanned<Text>>,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) size: Option<Spanned<f32>>,
    pub(super) leading: Option<Spanned<f32>>,
    pub(super) color: Option<Spanned<RawColor>>,
    pub(super) align: Option<Spanned<Text>>,
    pub(super) space_before: Option<Spanned<f32>>,
    pub(super) space_after: Option<Spanned<f32>>,
    pub(super) uppercase: Option<bool>,
}

/// `[c, m, y, k]` in percent or `"#rrggbb"`.
#[derive(Debug)]
pub(super) enum RawColor {
    Cmyk(Vec<f32>),
    Hex(String),
}

impl<'de> Deserialize<'de> for RawColor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawColor;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`[c, m, y, k]` in percent or \"#rrggbb\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawColor, E> {
                Ok(RawColor::Hex(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawColor, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<f32>()? {
                    values.push(v);
                }
                Ok(RawColor::Cmyk(values))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `labels.<lang>`: the words printed around an article in one language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLabels {
    pub(super) updated: Option<String>,
    pub(super) published: Option<String>,
    pub(super) reading_time: Option<String>,
    pub(super) subscribers: Option<String>,
    pub(super) free: Option<String>,
    pub(super) keywords: Option<String>,
    pub(super) page: Option<String>,
    pub(super) qr_caption: Option<String>,
    pub(super) qr_address: Option<String>,
    pub(super) by: Option<String>,
    pub(super) continued: Option<String>,
}

/// One block of `boilerplate`, printed after the articles.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBoilerplate {
    pub(super) title: Text,
    pub(super) text: Option<Text>,
    pub(super) action: Option<Text>,
}

/// `hyphenation`: exception words and the limit of consecutive hyphens.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHyphenation {
    pub(super) exceptions: Option<Vec<Text>>,
    pub(super) max_consecutive: Option<u32>,
}

/// `microtype`: protrusion, expansion and letter spacing of justified text, percent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMicrotype {
    pub(super) protrusion: Option<Spanned<f32>>,
    pub(super) expansion: Option<Spanned<f32>>,
    pub(super) expansion_step: Option<Spanned<f32>>,
    pub(super) letter_spacing: Option<Spanned<f32>>,
    /// Demerits per word gap that makes a river.
    pub(super) rivers: Option<Spanned<f32>>,
    /// Per character, `[left, right]` thousandths of its width.
    pub(super) protrusion_chars: Option<BTreeMap<String, Spanned<Vec<f32>>>>,
}

/// `output`: how the PDF files are written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    pub(super) standard: Option<Spanned<Text>>,
    pub(super) bleed_mm: Option<Spanned<f32>>,
    pub(super) marks: Option<Spanned<Text>>,
    pub(super) icc_profile: Option<Spanned<Text>>,
    pub(super) output_condition: Option<Spanned<Text>>,
    pub(super) tac: Option<Spanned<f32>>,
    pub(super) max_ppi: Option<Spanned<f32>>,
    pub(super) target_ppi: Option<Spanned<f32>>,
    pub(super) intent: Option<Spanned<Text>>,
    pub(super) jpeg_quality: Option<Spanned<Text>>,
    pub(super) trapped: Option<bool>,
}

/// `qr`: placement and shape of the QR code linking each article.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQr {
    pub(super) placement: Option<Spanned<Text>>,
    pub(super) ec: Option<Spanned<Text>>,
    pub(super) module_mm: Option<Spanned<f32>>,
    pub(super) url_pattern: Option<Text>,
    pub(super) short_url: Option<Text>,
    pub(super) address_lines: Option<Spanned<usize>>,
    pub(super) tracking: Option<BTreeMap<String, Text>>,
}

/// `photo`: resolution thresholds, size limit and default width.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPhotoSpec {
    pub(super) warn_ppi: Option<Spanned<f32>>,
    pub(super) min_ppi: Option<Spanned<f32>>,
    pub(super) max_megapixels: Option<Spanned<f32>>,
    pub(super) columns: Option<Spanned<u32>>,
    pub(super) max_crop_percent: Option<Spanned<f32>>,
}
