//! `issue.yaml`: publication settings, page grid, fonts, styles, output, and the article
//! order, resolved over [`default_config`] into an [`IssueConfig`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};
use serde_saphyr::Spanned;

use super::defaults::default_config;
use super::markdown::parse_inline;
use super::source::Source;
use super::yaml::{Fragment, Text, parse_date};
use crate::color::Color;
use crate::diag::{Diagnostic, closest};
use crate::fonts::{bundled_family, bundled_names, is_font_path};
use crate::geom::{mm, to_mm};
use crate::model::{
    Align, Boilerplate, EcLevel, FontFamily, FontRole, FontSource, Intent, IssueConfig, Labels,
    Lang, Marks, PhotoEncoding, QrPlacement, Standard, TextStyle,
};

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
    "output",
    "qr",
    "photo",
    "page_file_pattern",
    "articles",
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

/// Named page formats, trim size in millimetres.
pub const PAGE_FORMATS: &[(&str, f32, f32)] = &[
    ("a5", 148.0, 210.0),
    ("a4", 210.0, 297.0),
    ("a3", 297.0, 420.0),
    ("tabloid", 280.0, 430.0),
    ("compact", 280.0, 430.0),
    ("berliner", 315.0, 470.0),
    ("rhenish", 350.0, 520.0),
    ("nordic", 400.0, 570.0),
];

/// One entry of the `articles` list, as written.
#[derive(Debug, Clone)]
pub struct ArticleRef {
    /// The path joined to the issue folder.
    pub path: PathBuf,
    /// The path as written.
    pub written: String,
    /// Its line in `issue.yaml`.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssue {
    publication: Option<Spanned<Text>>,
    website: Option<Spanned<Text>>,
    number: Option<Spanned<Text>>,
    date: Option<Spanned<Text>>,
    lang: Option<Spanned<Text>>,
    page: Option<Spanned<RawPage>>,
    margins: Option<Spanned<RawMargins>>,
    columns: Option<Spanned<u32>>,
    gutter: Option<Spanned<f32>>,
    baseline: Option<Spanned<f32>>,
    fonts: Option<RawFonts>,
    styles: Option<RawStyles>,
    labels: Option<BTreeMap<String, RawLabels>>,
    boilerplate: Option<Vec<RawBoilerplate>>,
    words_per_minute: Option<Spanned<u32>>,
    hyphenation: Option<RawHyphenation>,
    output: Option<RawOutput>,
    qr: Option<RawQr>,
    photo: Option<RawPhotoSpec>,
    page_file_pattern: Option<Spanned<Text>>,
    articles: Option<Vec<Spanned<Text>>>,
}

/// `page: berliner` or `page: { width: 315, height: 470 }`.
#[derive(Debug)]
enum RawPage {
    Named(String),
    Size(RawSize),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSize {
    width: f32,
    height: f32,
}

/// `margins: 15` or `margins: { top: 12, ... }`.
#[derive(Debug)]
enum RawMargins {
    All(f32),
    Sides(RawSides),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSides {
    top: Option<f32>,
    bottom: Option<f32>,
    inner: Option<f32>,
    outer: Option<f32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFonts {
    body: Option<Spanned<RawFamily>>,
    heading: Option<Spanned<RawFamily>>,
    kicker: Option<Spanned<RawFamily>>,
    caption: Option<Spanned<RawFamily>>,
}

/// `LiberationSerif`, `fonts/Foo.otf`, or `{ regular: ..., bold: ... }`.
#[derive(Debug)]
enum RawFamily {
    Name(String),
    Faces(Box<RawFaces>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaces {
    regular: Option<Spanned<Text>>,
    italic: Option<Spanned<Text>>,
    bold: Option<Spanned<Text>>,
    bold_italic: Option<Spanned<Text>>,
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyles {
    masthead: Option<Spanned<RawStyle>>,
    folio: Option<Spanned<RawStyle>>,
    kicker: Option<Spanned<RawStyle>>,
    headline: Option<Spanned<RawStyle>>,
    standfirst: Option<Spanned<RawStyle>>,
    meta: Option<Spanned<RawStyle>>,
    body: Option<Spanned<RawStyle>>,
    intertitle: Option<Spanned<RawStyle>>,
    quote: Option<Spanned<RawStyle>>,
    caption: Option<Spanned<RawStyle>>,
    credit: Option<Spanned<RawStyle>>,
    sidebar: Option<Spanned<RawStyle>>,
    sidebar_title: Option<Spanned<RawStyle>>,
    sidebar_tint: Option<Spanned<RawColor>>,
    keywords: Option<Spanned<RawStyle>>,
    boilerplate: Option<Spanned<RawStyle>>,
    boilerplate_title: Option<Spanned<RawStyle>>,
    qr: Option<Spanned<RawStyle>>,
    rule_color: Option<Spanned<RawColor>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    font: Option<Spanned<Text>>,
    bold: Option<bool>,
    italic: Option<bool>,
    size: Option<Spanned<f32>>,
    leading: Option<Spanned<f32>>,
    color: Option<Spanned<RawColor>>,
    align: Option<Spanned<Text>>,
    space_before: Option<f32>,
    space_after: Option<f32>,
    uppercase: Option<bool>,
}

/// `[c, m, y, k]` in percent or `"#rrggbb"`.
#[derive(Debug)]
enum RawColor {
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabels {
    updated: Option<String>,
    published: Option<String>,
    reading_time: Option<String>,
    subscribers: Option<String>,
    free: Option<String>,
    keywords: Option<String>,
    page: Option<String>,
    qr_caption: Option<String>,
    qr_address: Option<String>,
    by: Option<String>,
    continued: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoilerplate {
    title: Text,
    text: Option<Text>,
    action: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHyphenation {
    exceptions: Option<Vec<Text>>,
    max_consecutive: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    standard: Option<Spanned<Text>>,
    bleed_mm: Option<Spanned<f32>>,
    marks: Option<Spanned<Text>>,
    icc_profile: Option<Spanned<Text>>,
    output_condition: Option<Text>,
    tac: Option<Spanned<f32>>,
    intent: Option<Spanned<Text>>,
    jpeg_quality: Option<Spanned<Text>>,
    trapped: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQr {
    placement: Option<Spanned<Text>>,
    ec: Option<Spanned<Text>>,
    module_mm: Option<Spanned<f32>>,
    url_pattern: Option<Text>,
    tracking: Option<BTreeMap<String, Text>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhotoSpec {
    warn_ppi: Option<Spanned<f32>>,
    min_ppi: Option<Spanned<f32>>,
    max_megapixels: Option<Spanned<f32>>,
    columns: Option<Spanned<u32>>,
}

/// The result of reading `issue.yaml`.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The resolved settings.
    pub config: IssueConfig,
    /// The `articles` list, if given.
    pub articles: Option<Vec<ArticleRef>>,
    /// Warnings (hex colours, font fallbacks, ...).
    pub warnings: Vec<Diagnostic>,
}

/// Parses and resolves `issue.yaml` text; `root` is the issue folder (font and profile paths
/// are relative to it). `Err` holds every error found, then the warnings.
pub fn parse_issue(source: &Source, root: &Path) -> Result<LoadedConfig, Vec<Diagnostic>> {
    let fragment = Fragment { source, yaml: &source.text, line_offset: 0 };
    let blank = source.text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    });
    let raw: RawIssue =
        if blank { RawIssue::default() } else { fragment.parse().map_err(|d| vec![d])? };
    let mut r =
        Resolver { fragment, root, errors: Vec::new(), warnings: Vec::new(), output_profile: None };
    let config = r.config(&raw);
    let articles = raw.articles.as_ref().map(|list| {
        list.iter()
            .map(|a| ArticleRef {
                path: root.join(a.value.0.trim()),
                written: a.value.0.trim().to_string(),
                line: r.fragment.line_of(a),
                column: a.referenced.column() as usize,
            })
            .collect()
    });
    if r.errors.is_empty() {
        Ok(LoadedConfig { config, articles, warnings: r.warnings })
    } else {
        r.errors.append(&mut r.warnings);
        Err(r.errors)
    }
}

/// Collects errors while resolving, so one run reports them all.
struct Resolver<'a> {
    fragment: Fragment<'a>,
    root: &'a Path,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The CMYK output profile hex colours are converted through (read once, when needed).
    output_profile: Option<std::path::PathBuf>,
}

impl Resolver<'_> {
    fn error<T>(
        &mut self,
        kind: &'static str,
        message: impl Into<String>,
        field: &str,
        at: &Spanned<T>,
    ) -> &mut Diagnostic {
        let d = self.fragment.error(kind, message, field, at);
        self.errors.push(d);
        self.errors.last_mut().expect("just pushed")
    }

    /// A value from a fixed list of names, with a suggestion when mistyped.
    fn choice<T: Copy>(
        &mut self,
        at: &Option<Spanned<Text>>,
        field: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> T {
        let Some(at) = at else { return default };
        let mut value = at.value.0.trim().to_lowercase();
        // YAML 1.1 reads an unquoted `off` or `no` as false: take it as the `off`/`none` it was.
        if value == "false" {
            if let Some((name, _)) = choices.iter().find(|(n, _)| *n == "off" || *n == "none") {
                value = (*name).to_string();
            }
        }
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == value) {
            return *v;
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let hint = match closest(&value, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of: {}", names.join(", ")),
        };
        let d = self.error("invalid-value", format!("unknown value `{}`", at.value.0), field, at);
        d.hint = Some(hint);
        default
    }

    /// A number within `range`, or an error.
    fn number<T: Copy + PartialOrd + fmt::Display>(
        &mut self,
        at: &Option<Spanned<T>>,
        field: &str,
        range: std::ops::RangeInclusive<T>,
        default: T,
    ) -> T {
        let Some(at) = at else { return default };
        if range.contains(&at.value) {
            at.value
        } else {
            self.error(
                "invalid-value",
                format!(
                    "`{field}` must be between {} and {}, not {}",
                    range.start(),
                    range.end(),
                    at.value
                ),
                field,
                at,
            );
            default
        }
    }

    fn config(&mut self, raw: &RawIssue) -> IssueConfig {
        let mut c = default_config();
        let text = |t: &Option<Spanned<Text>>| {
            t.as_ref().map(|t| t.value.0.trim().to_string()).filter(|t| !t.is_empty())
        };
        if let Some(name) = text(&raw.publication) {
            c.publication = name;
        }
        c.website = text(&raw.website).map(|w| w.trim_end_matches('/').to_string());
        c.number = text(&raw.number);
        if let Some(at) = &raw.date {
            match parse_date(&at.value.0) {
                Ok(d) => c.date = Some(d),
                Err(why) => {
                    let d = self.error("invalid-value", why, "date", at);
                    d.hint = Some(String::from("write dates as 2025-09-11"));
                }
            }
        }
        if let Some(at) = &raw.lang {
            match Lang::from_tag(&at.value.0) {
                Some(lang) => c.lang = lang,
                None => {
                    let d = self.error(
                        "invalid-value",
                        format!("unknown language `{}`", at.value.0),
                        "lang",
                        at,
                    );
                    d.hint = Some(String::from(
                        "known languages: fr, en, en-GB, en-US, de, es, it, pt, nl",
                    ));
                }
            }
        }
        self.page(raw, &mut c);
        if let Some(fonts) = &raw.fonts {
            for (role, family, slot) in [
                ("body", &fonts.body, &mut c.fonts.body),
                ("heading", &fonts.heading, &mut c.fonts.heading),
                ("kicker", &fonts.kicker, &mut c.fonts.kicker),
                ("caption", &fonts.caption, &mut c.fonts.caption),
            ] {
                if let Some(at) = family {
                    if let Some(resolved) = self.family(role, at) {
                        *slot = resolved;
                    }
                }
            }
        }
        // Output first: hex colours in styles are converted through its profile.
        if let Some(o) = &raw.output {
            self.output(o, &mut c);
        }
        self.output_profile = c.output.icc_profile.clone();
        if let Some(styles) = &raw.styles {
            self.styles(styles, &mut c);
        }
        if let Some(labels) = &raw.labels {
            for (tag, raw_labels) in labels {
                match Lang::from_tag(tag) {
                    Some(lang) => c.labels.push((lang, labels_of(raw_labels))),
                    None => {
                        let (line, column) =
                            self.fragment.source.find_key(tag, 1).unwrap_or((1, 1));
                        let d = self
                            .fragment
                            .source
                            .error_at(
                                "invalid-value",
                                format!("unknown language `{tag}` in labels"),
                                line,
                                column,
                            )
                            .field("labels")
                            .hint("known languages: fr, en, en-GB, en-US, de, es, it, pt, nl");
                        self.errors.push(d);
                    }
                }
            }
        }
        if let Some(blocks) = &raw.boilerplate {
            c.boilerplate = blocks
                .iter()
                .map(|b| Boilerplate {
                    title: b.title.0.trim().to_string(),
                    text: b.text.as_ref().map(|t| parse_inline(&t.0)).unwrap_or_default(),
                    action: b
                        .action
                        .as_ref()
                        .map(|a| a.0.trim().to_string())
                        .filter(|a| !a.is_empty()),
                })
                .collect();
        }
        c.words_per_minute =
            self.number(&raw.words_per_minute, "words_per_minute", 50..=1000, c.words_per_minute);
        if let Some(h) = &raw.hyphenation {
            if let Some(list) = &h.exceptions {
                c.hyphenation.exceptions = list.iter().map(|t| t.0.trim().to_string()).collect();
            }
            if let Some(max) = h.max_consecutive {
                c.hyphenation.max_consecutive = max;
            }
        }
        if let Some(q) = &raw.qr {
            c.qr.placement = self.choice(
                &q.placement,
                "qr.placement",
                &[
                    ("head", QrPlacement::Head),
                    ("end", QrPlacement::End),
                    ("corner", QrPlacement::Corner),
                    ("off", QrPlacement::Off),
                ],
                c.qr.placement,
            );
            c.qr.ec_level = self.choice(
                &q.ec,
                "qr.ec",
                &[("l", EcLevel::L), ("m", EcLevel::M), ("q", EcLevel::Q), ("h", EcLevel::H)],
                c.qr.ec_level,
            );
            if let Some(at) = &q.module_mm {
                // Below 0.4 mm a phone camera no longer resolves modules on newsprint.
                if at.value < 0.4 {
                    let d = self.error(
                        "invalid-value",
                        format!("QR module of {} mm is too small to scan in print", at.value),
                        "qr.module_mm",
                        at,
                    );
                    d.hint = Some(String::from("use at least 0.4 mm (0.6 mm on newsprint)"));
                } else {
                    c.qr.module = mm(at.value);
                }
            }
            c.qr.url_pattern = q.url_pattern.as_ref().map(|p| p.0.trim().to_string());
            if let Some(tracking) = &q.tracking {
                c.qr.tracking = tracking.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect();
            }
        }
        if let Some(p) = &raw.photo {
            c.photo.warn_ppi =
                self.number(&p.warn_ppi, "photo.warn_ppi", 1.0..=2400.0, c.photo.warn_ppi);
            c.photo.min_ppi =
                self.number(&p.min_ppi, "photo.min_ppi", 1.0..=2400.0, c.photo.min_ppi);
            let mp = self.number(&p.max_megapixels, "photo.max_megapixels", 1.0..=1000.0, 100.0);
            c.photo.max_pixels = (f64::from(mp) * 1e6) as u64;
            c.photo.columns = self.number(&p.columns, "photo.columns", 1..=20, c.photo.columns);
            if c.photo.min_ppi > c.photo.warn_ppi {
                if let Some(at) = &p.min_ppi {
                    let d = self.fragment.warning(
                        "invalid-value",
                        "photo.min_ppi is above photo.warn_ppi",
                        "photo.min_ppi",
                        at,
                    );
                    self.warnings.push(d);
                }
            }
        }
        if let (Some(p), Some(at)) = (text(&raw.page_file_pattern), &raw.page_file_pattern) {
            // A file name in the output folder, one per page: no folders, no escape.
            let problem = if p.contains(['/', '\\']) || p.contains("..") {
                Some("must be a file name, without folders")
            } else if !p.contains("{page") {
                Some("must contain `{page}` or `{page:02}`, or every page overwrites the last")
            } else {
                None
            };
            match problem {
                Some(why) => {
                    let d = self.error(
                        "invalid-value",
                        format!("page_file_pattern {why}"),
                        "page_file_pattern",
                        at,
                    );
                    d.hint = Some(String::from("{publication}-{date}-p{page:02}.pdf"));
                }
                None => c.page_file_pattern = p,
            }
        }
        c
    }

    fn page(&mut self, raw: &RawIssue, c: &mut crate::model::IssueConfig) {
        if let Some(at) = &raw.page {
            let size = match &at.value {
                RawPage::Size(s) => Some((s.width, s.height)),
                RawPage::Named(name) => {
                    let lower = name.trim().to_lowercase();
                    let named =
                        PAGE_FORMATS.iter().find(|(n, ..)| *n == lower).map(|(_, w, h)| (*w, *h));
                    // Also accept `280x430`.
                    let typed = lower
                        .split_once('x')
                        .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
                    let found = named.or(typed);
                    if found.is_none() {
                        let names = PAGE_FORMATS.iter().map(|(n, ..)| *n);
                        let hint = match closest(&lower, names) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => {
                                "use a4, a3, tabloid, berliner, ... or { width: mm, height: mm }"
                                    .into()
                            }
                        };
                        let d = self.error(
                            "invalid-value",
                            format!("unknown page format `{name}`"),
                            "page",
                            at,
                        );
                        d.hint = Some(hint);
                    }
                    found
                }
            };
            if let Some((w, h)) = size {
                if (50.0..=2000.0).contains(&w) && (50.0..=2000.0).contains(&h) {
                    c.page.width = mm(w);
                    c.page.height = mm(h);
                } else {
                    self.error(
                        "invalid-value",
                        format!("page size {w}x{h} mm is not a newspaper page"),
                        "page",
                        at,
                    );
                }
            }
        }
        if let Some(at) = &raw.margins {
            let p = &mut c.page;
            let check = |v: f32| (0.0..=200.0).contains(&v);
            match &at.value {
                RawMargins::All(v) if check(*v) => {
                    p.margin_top = mm(*v);
                    p.margin_bottom = mm(*v);
                    p.margin_inner = mm(*v);
                    p.margin_outer = mm(*v);
                }
                RawMargins::Sides(s)
                    if [s.top, s.bottom, s.inner, s.outer].iter().flatten().all(|v| check(*v)) =>
                {
                    for (value, slot) in [
                        (s.top, &mut p.margin_top),
                        (s.bottom, &mut p.margin_bottom),
                        (s.inner, &mut p.margin_inner),
                        (s.outer, &mut p.margin_outer),
                    ] {
                        if let Some(v) = value {
                            *slot = mm(v);
                        }
                    }
                }
                _ => {
                    self.error(
                        "invalid-value",
                        "margins must be between 0 and 200 mm",
                        "margins",
                        at,
                    );
                }
            }
        }
        c.page.columns = self.number(&raw.columns, "columns", 1..=20, c.page.columns);
        if raw.gutter.is_some() {
            let gutter = self.number(&raw.gutter, "gutter", 0.0..=50.0, to_mm(c.page.gutter));
            c.page.gutter = mm(gutter);
        }
        c.page.baseline = self.number(&raw.baseline, "baseline", 4.0..=72.0, c.page.baseline);
        let p = &c.page;
        let measure =
            p.width - p.margin_inner - p.margin_outer - (p.columns as f32 - 1.0) * p.gutter;
        let column = measure / p.columns as f32;
        // Under 20 mm a column holds two or three words: nothing can be justified.
        if column < mm(20.0) || p.height - p.margin_top - p.margin_bottom < mm(50.0) {
            let message = format!(
                "the grid leaves columns of {:.1} mm: too narrow (page, margins, columns and gutter do not fit)",
                to_mm(column)
            );
            let d = match (&raw.columns, &raw.margins, &raw.page) {
                (Some(at), ..) => self.fragment.error("invalid-value", message, "columns", at),
                (None, Some(at), _) => self.fragment.error("invalid-value", message, "margins", at),
                (None, None, Some(at)) => self.fragment.error("invalid-value", message, "page", at),
                _ => {
                    Diagnostic::error("invalid-value", message).in_file(&self.fragment.source.path)
                }
            };
            self.errors.push(d);
        }
    }

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
                let source = self.face_file(file.trim(), &field, at)?;
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
                        self.face_file(text, &field, v).map(Some)
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

    fn face_file<T>(&mut self, written: &str, field: &str, at: &Spanned<T>) -> Option<FontSource> {
        let path = self.root.join(written);
        if path.is_file() {
            Some(FontSource::File(std::fs::canonicalize(&path).unwrap_or(path)))
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

    fn color(&mut self, at: &Spanned<RawColor>, field: &str) -> Option<Color> {
        match &at.value {
            RawColor::Cmyk(v) if v.len() == 4 && v.iter().all(|x| (0.0..=100.0).contains(x)) => {
                Some(Color::Cmyk(v[0] / 100.0, v[1] / 100.0, v[2] / 100.0, v[3] / 100.0))
            }
            RawColor::Cmyk(_) => {
                let d = self.error(
                    "invalid-value",
                    "a CMYK colour is four percentages from 0 to 100",
                    field,
                    at,
                );
                d.hint = Some(String::from("color: [0, 100, 100, 0]"));
                None
            }
            RawColor::Hex(hex) => {
                let Some(rgb) = parse_hex(hex) else {
                    let d =
                        self.error("invalid-value", format!("`{hex}` is not a colour"), field, at);
                    d.hint = Some(String::from("write \"#rrggbb\" or [c, m, y, k] in percent"));
                    return None;
                };
                let profile = match &self.output_profile {
                    Some(path) => std::fs::read(path).ok(),
                    None => Some(crate::color::BUNDLED_OUTPUT_PROFILE.to_vec()),
                };
                let color = profile.and_then(|p| crate::color::srgb_to_cmyk(rgb, &p));
                let Some(color @ Color::Cmyk(cy, ma, ye, k)) = color else {
                    let d = self.error(
                        "invalid-value",
                        format!("`{hex}` cannot be converted: the output profile is not usable"),
                        field,
                        at,
                    );
                    d.hint = Some(String::from("give [c, m, y, k] percentages"));
                    return None;
                };
                let d = self.fragment.warning(
                    "hex-color",
                    format!(
                        "`{hex}` converted through the output profile to CMYK {:.0}/{:.0}/{:.0}/{:.0} %",
                        cy * 100.0, ma * 100.0, ye * 100.0, k * 100.0
                    ),
                    field,
                    at,
                );
                self.warnings.push(d.hint("give [c, m, y, k] percentages for exact ink"));
                Some(color)
            }
        }
    }

    fn styles(&mut self, raw: &RawStyles, c: &mut IssueConfig) {
        let s = &mut c.styles;
        for (name, raw_style, slot) in [
            ("masthead", &raw.masthead, &mut s.masthead),
            ("folio", &raw.folio, &mut s.folio),
            ("kicker", &raw.kicker, &mut s.kicker),
            ("headline", &raw.headline, &mut s.headline),
            ("standfirst", &raw.standfirst, &mut s.standfirst),
            ("meta", &raw.meta, &mut s.meta),
            ("body", &raw.body, &mut s.body),
            ("intertitle", &raw.intertitle, &mut s.intertitle),
            ("quote", &raw.quote, &mut s.quote),
            ("caption", &raw.caption, &mut s.caption),
            ("credit", &raw.credit, &mut s.credit),
            ("sidebar", &raw.sidebar, &mut s.sidebar),
            ("sidebar_title", &raw.sidebar_title, &mut s.sidebar_title),
            ("keywords", &raw.keywords, &mut s.keywords),
            ("boilerplate", &raw.boilerplate, &mut s.boilerplate),
            ("boilerplate_title", &raw.boilerplate_title, &mut s.boilerplate_title),
            ("qr", &raw.qr, &mut s.qr),
        ] {
            if let Some(at) = raw_style {
                self.style(name, &at.value, slot);
            }
        }
        for (name, raw_color, slot) in [
            ("sidebar_tint", &raw.sidebar_tint, &mut s.sidebar_tint),
            ("rule_color", &raw.rule_color, &mut s.rule_color),
        ] {
            if let Some(at) = raw_color {
                if let Some(color) = self.color(at, &format!("styles.{name}")) {
                    *slot = color;
                }
            }
        }
    }

    fn style(&mut self, name: &str, raw: &RawStyle, style: &mut TextStyle) {
        let field = |f: &str| format!("styles.{name}.{f}");
        style.role = self.choice(
            &raw.font,
            &field("font"),
            &[
                ("body", FontRole::Body),
                ("heading", FontRole::Heading),
                ("kicker", FontRole::Kicker),
                ("caption", FontRole::Caption),
            ],
            style.role,
        );
        if let Some(bold) = raw.bold {
            style.emphasis.bold = bold;
        }
        if let Some(italic) = raw.italic {
            style.emphasis.italic = italic;
        }
        let old_size = style.size;
        style.size = self.number(&raw.size, &field("size"), 3.0..=400.0, style.size);
        // A new size without a leading keeps the old proportion.
        let scaled = style.leading * style.size / old_size;
        style.leading = self.number(&raw.leading, &field("leading"), 3.0..=500.0, scaled);
        if let Some(at) = &raw.color {
            if let Some(color) = self.color(at, &field("color")) {
                style.color = color;
            }
        }
        style.align = self.choice(
            &raw.align,
            &field("align"),
            &[
                ("justify", Align::Justify),
                ("left", Align::Left),
                ("center", Align::Center),
                ("centre", Align::Center),
            ],
            style.align,
        );
        if let Some(v) = raw.space_before {
            style.space_before = v.max(0.0);
        }
        if let Some(v) = raw.space_after {
            style.space_after = v.max(0.0);
        }
        if let Some(v) = raw.uppercase {
            style.uppercase = v;
        }
    }

    fn output(&mut self, o: &RawOutput, c: &mut IssueConfig) {
        let out = &mut c.output;
        out.standard = self.choice(
            &o.standard,
            "output.standard",
            &[
                ("pdf-x-4", Standard::PdfX4),
                ("pdf-x-1a", Standard::PdfX1a),
                ("none", Standard::None),
            ],
            out.standard,
        );
        if o.bleed_mm.is_some() {
            out.bleed =
                mm(self.number(&o.bleed_mm, "output.bleed_mm", 0.0..=20.0, to_mm(out.bleed)));
        }
        out.marks = self.choice(
            &o.marks,
            "output.marks",
            &[("crop", Marks::Crop), ("all", Marks::All), ("none", Marks::None)],
            out.marks,
        );
        if let Some(at) = &o.icc_profile {
            let written = at.value.0.trim();
            let path = self.root.join(written);
            if path.is_file() {
                out.icc_profile = Some(std::fs::canonicalize(&path).unwrap_or(path));
            } else {
                let d = self.error(
                    "io",
                    format!("ICC profile `{written}` not found (looked for {})", path.display()),
                    "output.icc_profile",
                    at,
                );
                d.hint = Some(String::from("profile paths are relative to the issue folder"));
            }
        }
        if let Some(cond) = &o.output_condition {
            out.output_condition = cond.0.trim().to_string();
        }
        out.tac = self.number(&o.tac, "output.tac", 100.0..=400.0, out.tac);
        out.intent = self.choice(
            &o.intent,
            "output.intent",
            &[("relative", Intent::RelativeColorimetric), ("perceptual", Intent::Perceptual)],
            out.intent,
        );
        if let Some(at) = &o.jpeg_quality {
            let written = at.value.0.trim();
            match written.parse::<u8>() {
                Ok(quality) if (50..=100).contains(&quality) => {
                    out.photo_encoding = PhotoEncoding::Jpeg(quality);
                }
                _ if written == "lossless" => out.photo_encoding = PhotoEncoding::Lossless,
                _ => {
                    let d = self.error(
                        "invalid-value",
                        format!(
                            "`output.jpeg_quality` must be a number from 50 to 100 or `lossless`, not `{written}`"
                        ),
                        "output.jpeg_quality",
                        at,
                    );
                    d.hint = Some(String::from(
                        "92 keeps converted photos indistinguishable in print; `lossless` stores them uncompressed by JPEG",
                    ));
                }
            }
        }
        if let Some(t) = o.trapped {
            out.trapped = t;
        }
    }
}

fn labels_of(raw: &RawLabels) -> Labels {
    Labels {
        updated: raw.updated.clone(),
        published: raw.published.clone(),
        reading_time: raw.reading_time.clone(),
        subscribers: raw.subscribers.clone(),
        free: raw.free.clone(),
        keywords: raw.keywords.clone(),
        page: raw.page.clone(),
        qr_caption: raw.qr_caption.clone(),
        qr_address: raw.qr_address.clone(),
        by: raw.by.clone(),
        continued: raw.continued.clone(),
    }
}

fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let digits = hex.trim().strip_prefix('#')?;
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}
