//! The validated model: what the `load` stage produces and every later stage reads.
//!
//! Everything here is resolved: lengths in points, colours in CMYK, paths absolute, defaults
//! filled in. No later stage sees raw YAML.

use std::path::PathBuf;

mod microtype;
mod photo;
mod plan;
pub use microtype::{Microtype, MicrotypeSpec, RIVER_ALIGN_EM};
pub use photo::{FileStamp, InkMeasure, Photo, PhotoDigest};
pub use plan::{
    AdFile, AutoMakeup, FitStepKind, FrameContent, FramePhoto, HeadClass, PagePlan, PlannedFrame,
    PlannedPage, StoryHint,
};

use crate::color::Color;
pub use crate::color::Intent;
pub use crate::color::profile::BundledCondition;
use crate::diag::Diagnostic;

/// A language the tool knows rules, hyphenation and labels for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French.
    Fr,
    /// English as written in the United Kingdom (hyphenation en-gb).
    EnGb,
    /// English as written in the United States (hyphenation en-us).
    EnUs,
    /// German, 1996 orthography.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Portuguese.
    Pt,
    /// Dutch.
    Nl,
}

impl Lang {
    /// Parses a BCP 47 tag as written in YAML (`fr`, `fr-FR`, `en`, `en-GB`, `en-US`, `de`, ...).
    /// Plain `en` means British English, the usage of European papers.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().to_ascii_lowercase().replace('_', "-");
        let (primary, region) = lower.split_once('-').unwrap_or((&lower, ""));
        Some(match (primary, region) {
            ("fr", _) => Lang::Fr,
            ("en", "us") => Lang::EnUs,
            ("en", _) => Lang::EnGb,
            ("de", _) => Lang::De,
            ("es", _) => Lang::Es,
            ("it", _) => Lang::It,
            ("pt", _) => Lang::Pt,
            ("nl", _) => Lang::Nl,
            _ => return None,
        })
    }

    /// The tag written into PDF metadata and used for shaping.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::EnGb => "en-GB",
            Lang::EnUs => "en-US",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Pt => "pt",
            Lang::Nl => "nl",
        }
    }

    /// How many languages there are (for tables indexed by [`Lang::index`]).
    pub const COUNT: usize = 8;

    /// A dense index 0..[`Lang::COUNT`], for per-language tables and cache keys.
    pub fn index(self) -> usize {
        match self {
            Lang::Fr => 0,
            Lang::EnGb => 1,
            Lang::EnUs => 2,
            Lang::De => 3,
            Lang::Es => 4,
            Lang::It => 5,
            Lang::Pt => 6,
            Lang::Nl => 7,
        }
    }

    /// Whether this is one of the English variants.
    pub fn is_english(self) -> bool {
        matches!(self, Lang::EnGb | Lang::EnUs)
    }
}

/// A calendar date (no time zone: a paper is dated by day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2025.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

/// A whole weekly issue: settings plus the articles in page order.
#[derive(Debug)]
pub struct Issue {
    /// The issue folder (or the folder of a lone article file).
    pub root: PathBuf,
    /// The `issue.yaml` path, if one was read.
    pub config_file: Option<PathBuf>,
    /// Resolved settings.
    pub config: IssueConfig,
    /// The articles in page order; one that failed to load keeps its diagnostics here so the
    /// others can still be built.
    pub articles: Vec<ArticleEntry>,
    /// Warnings about `issue.yaml` itself.
    pub warnings: Vec<Diagnostic>,
    /// The page plan of `issue.yaml`'s `pages:`; `None` for today's sequential make-up.
    pub plan: Option<PagePlan>,
    /// Automatic make-up (`pages: auto`): the planner chooses the page plan. Never set
    /// together with `plan`.
    pub auto: Option<AutoMakeup>,
}

/// One article slot in the issue: loaded, or failed with its errors (and any warnings).
#[derive(Debug)]
pub struct ArticleEntry {
    /// The article's Markdown file.
    pub path: PathBuf,
    /// The article, or the errors that stopped it.
    pub article: Result<Article, Vec<Diagnostic>>,
}

/// Resolved `issue.yaml`.
#[derive(Debug, Clone)]
pub struct IssueConfig {
    /// Publication name, e.g. "Liberté Actus".
    pub publication: String,
    /// Publication website, e.g. `https://liberte-actus.fr`.
    pub website: Option<String>,
    /// Issue number as printed, e.g. "1719".
    pub number: Option<String>,
    /// Issue date; also the date stamped into PDFs for reproducibility.
    pub date: Option<Date>,
    /// Default language of articles.
    pub lang: Lang,
    /// Page format and grid.
    pub page: PageSpec,
    /// Fonts by role.
    pub fonts: FontRoles,
    /// Text styles.
    pub styles: Styles,
    /// Label overrides per language (`labels: { fr: { reading_time: ... } }`), merged over the
    /// built-in labels of each language by the compose stage.
    pub labels: Vec<(Lang, Labels)>,
    /// The publication's boilerplate blocks, printed after each article.
    pub boilerplate: Vec<Boilerplate>,
    /// Reading speed used to compute reading time.
    pub words_per_minute: u32,
    /// Hyphenation and line-breaking settings.
    pub hyphenation: HyphenationSpec,
    /// Protrusion, expansion and letter spacing of justified text (`microtype:`).
    pub microtype: MicrotypeSpec,
    /// Print output settings.
    pub output: OutputSpec,
    /// QR block settings.
    pub qr: QrSpec,
    /// Photo settings.
    pub photo: PhotoSpec,
    /// Output file name pattern for `--split pages`, e.g. `{publication}-{date}-p{page:02}.pdf`.
    pub page_file_pattern: String,
    /// Renames and ignored fields for article front matter (`front_matter:`).
    pub front_matter: FrontMatterRules,
}

/// Page size, margins and column grid, in points.
#[derive(Debug, Clone, Copy)]
pub struct PageSpec {
    /// Trim width.
    pub width: f32,
    /// Trim height.
    pub height: f32,
    /// Margin above the type area (the masthead/folio sits inside it).
    pub margin_top: f32,
    /// Margin below the type area.
    pub margin_bottom: f32,
    /// Inner (left on a recto) margin.
    pub margin_inner: f32,
    /// Outer margin.
    pub margin_outer: f32,
    /// Number of columns.
    pub columns: u32,
    /// Gap between columns.
    pub gutter: f32,
    /// Baseline grid increment; body leading.
    pub baseline: f32,
}

/// Where a font comes from: a bundled family member or a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FontSource {
    /// A bundled font by file stem, e.g. `LiberationSerif-Regular`.
    Bundled(String),
    /// A font file by absolute path (`.ttf` or `.otf`).
    File(PathBuf),
}

/// The four faces of a family; missing styles fall back to regular (with a warning at load).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontFamily {
    /// Upright.
    pub regular: FontSource,
    /// Italic.
    pub italic: FontSource,
    /// Bold.
    pub bold: FontSource,
    /// Bold italic.
    pub bold_italic: FontSource,
}

/// Fonts by typographic role.
#[derive(Debug, Clone)]
pub struct FontRoles {
    /// Body text, standfirst, intertitles, sidebar.
    pub body: FontFamily,
    /// Headline.
    pub heading: FontFamily,
    /// Kicker, meta line, keywords, folio.
    pub kicker: FontFamily,
    /// Captions and photo credits.
    pub caption: FontFamily,
    /// Fonts tried, in order, for a character none of the roles' faces nor the bundled text
    /// fonts has (`fonts.fallback`; by default the bundled symbol font).
    pub fallback: Vec<FontSource>,
}

/// Weight and slant of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Emphasis {
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// How lines of a style are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified with Knuth–Plass.
    Justify,
    /// Flush left, ragged right (still optimised for an even rag).
    Left,
    /// Centred.
    Center,
}

/// A resolved text style.
#[derive(Debug, Clone)]
pub struct TextStyle {
    /// Which font role it uses.
    pub role: FontRole,
    /// Base weight/slant (e.g. bold for headlines).
    pub emphasis: Emphasis,
    /// Font size in points.
    pub size: f32,
    /// Line spacing in points.
    pub leading: f32,
    /// Ink.
    pub color: Color,
    /// Alignment.
    pub align: Align,
    /// Extra space above, in points.
    pub space_before: f32,
    /// Extra space below, in points.
    pub space_after: f32,
    /// Letter-case transform: print in capitals (kickers, labels).
    pub uppercase: bool,
}

/// A font role name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontRole {
    /// `fonts.body`.
    Body,
    /// `fonts.heading`.
    Heading,
    /// `fonts.kicker`.
    Kicker,
    /// `fonts.caption`.
    Caption,
}

/// Every style the layout uses.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Publication name at the top of each page.
    pub masthead: TextStyle,
    /// Folio line: publication, issue, date, page.
    pub folio: TextStyle,
    /// Kicker above the headline.
    pub kicker: TextStyle,
    /// Headline.
    pub headline: TextStyle,
    /// Standfirst (chapô).
    pub standfirst: TextStyle,
    /// Meta line (date, reading time, access).
    pub meta: TextStyle,
    /// Body paragraphs.
    pub body: TextStyle,
    /// Intertitles.
    pub intertitle: TextStyle,
    /// List items in the body: the body style unless `issue.yaml` says otherwise, so
    /// justified like it (`align: left` sets them ragged).
    pub list: TextStyle,
    /// Pull quotes.
    pub quote: TextStyle,
    /// Photo captions.
    pub caption: TextStyle,
    /// Photo credits.
    pub credit: TextStyle,
    /// Sidebar box text.
    pub sidebar: TextStyle,
    /// Sidebar box title.
    pub sidebar_title: TextStyle,
    /// Sidebar box tint.
    pub sidebar_tint: Color,
    /// Keywords line.
    pub keywords: TextStyle,
    /// Boilerplate blocks (subscription, donation).
    pub boilerplate: TextStyle,
    /// Boilerplate titles.
    pub boilerplate_title: TextStyle,
    /// QR caption and address.
    pub qr: TextStyle,
    /// Rules (lines) colour.
    pub rule_color: Color,
}

/// Printed labels in one language; `None` means "use the built-in one".
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// "Mise à jour le {date}".
    pub updated: Option<String>,
    /// "Publié le {date}".
    pub published: Option<String>,
    /// "Temps de lecture : {minutes} minutes".
    pub reading_time: Option<String>,
    /// "Accès abonné".
    pub subscribers: Option<String>,
    /// "Accès libre".
    pub free: Option<String>,
    /// "Mots-clés".
    pub keywords: Option<String>,
    /// "Page".
    pub page: Option<String>,
    /// "Flashez le QR code suivant pour retrouver l’article en ligne".
    pub qr_caption: Option<String>,
    /// "Cet article est lisible à cette adresse sur le site {publication} :".
    pub qr_address: Option<String>,
    /// "Par {author}".
    pub by: Option<String>,
    /// "Suite page {page}" / continued marker.
    pub continued: Option<String>,
}

/// A boilerplate block of the publication (subscription message, donation appeal).
#[derive(Debug, Clone)]
pub struct Boilerplate {
    /// Title, e.g. "Soutenez-nous".
    pub title: String,
    /// Body text (inline Markdown: *italic*, **bold**).
    pub text: Vec<InlineRun>,
    /// A call to action printed in bold, e.g. "Faire un don".
    pub action: Option<String>,
}

/// Hyphenation and line-breaking settings.
#[derive(Debug, Clone)]
pub struct HyphenationSpec {
    /// Words never hyphenated (`Kazakhstan`) or hyphenated only as given (`géo-éco-no-mique`).
    pub exceptions: Vec<String>,
    /// Most consecutive hyphenated lines (TeX's `\doublehyphendemerits` plus a hard limit).
    pub max_consecutive: u32,
}

/// Which PDF/X standard to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/X-4 (PDF 1.6, ICC-based colour and transparency allowed).
    PdfX4,
    /// PDF/X-1a:2001 (PDF 1.3, CMYK and grey only, no transparency).
    PdfX1a,
    /// Plain PDF for screen proofs.
    None,
}

/// Printer's marks around the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// No marks, MediaBox = BleedBox.
    None,
    /// Crop marks only.
    Crop,
    /// Crop marks, registration marks and a slug line.
    All,
}

/// How photos that have to be converted (RGB to CMYK) are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoEncoding {
    /// A photo that arrived as a JPEG is stored as a CMYK JPEG at this quality (50–100);
    /// other formats (PNG: charts, logos, screenshots) stay lossless.
    Jpeg(u8),
    /// Every converted photo is stored losslessly (Flate).
    Lossless,
}

/// The CMYK output profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChoice {
    /// One compiled into the program.
    Bundled(BundledCondition),
    /// A print shop's own, by absolute path.
    File(PathBuf),
}

/// Print output settings.
#[derive(Debug, Clone)]
pub struct OutputSpec {
    /// PDF/X flavour.
    pub standard: Standard,
    /// Bleed per side, points.
    pub bleed: f32,
    /// Marks to draw.
    pub marks: Marks,
    /// CMYK output profile: a bundled one (newsprint by default) or a file.
    pub icc_profile: ProfileChoice,
    /// OutputConditionIdentifier as `issue.yaml` gives it (e.g. `ISOnewspaper26v4` for a
    /// shop's own profile); `None` = the bundled profile's registered name, or `Custom`.
    pub output_condition: Option<String>,
    /// Total area coverage limit in percent (e.g. 240): photos are held under it, style
    /// colours over it are errors.
    pub tac: f32,
    /// Photos above this resolution at their printed size are resampled (pixels per inch).
    pub max_ppi: f32,
    /// The resolution they are resampled to.
    pub target_ppi: f32,
    /// Rendering intent for photo conversion.
    pub intent: Intent,
    /// How converted photos are stored.
    pub photo_encoding: PhotoEncoding,
    /// Trapped key value.
    pub trapped: bool,
}

impl Default for OutputSpec {
    /// What `issue.yaml` gets when it says nothing: PDF/X-4 on the bundled newsprint
    /// profile, 3 mm bleed, no marks (newspapers deliver trimmed pages; the plate workflow
    /// imposes them), a 240 % ink limit, photos over 450 ppi resampled to 300.
    fn default() -> Self {
        OutputSpec {
            standard: Standard::PdfX4,
            bleed: crate::geom::mm(3.0),
            marks: Marks::None,
            icc_profile: ProfileChoice::Bundled(BundledCondition::Newsprint),
            output_condition: None,
            tac: 240.0,
            // Acrobat's PDF/X presets: downsample above 450 ppi to 300 ppi.
            max_ppi: 450.0,
            target_ppi: 300.0,
            intent: Intent::RelativeColorimetric,
            // Quality 92 with no chroma subsampling: no visible loss on newsprint, and a
            // tenth of the size of the lossless samples.
            photo_encoding: PhotoEncoding::Jpeg(92),
            trapped: false,
        }
    }
}

/// Where the QR block goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrPlacement {
    /// Above the body, as in the seed.
    Head,
    /// After the body.
    End,
    /// In the bottom outer corner of the article's first page.
    Corner,
    /// No QR block.
    Off,
}

/// QR error-correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcLevel {
    /// ~7 %.
    L,
    /// ~15 %.
    M,
    /// ~25 %.
    Q,
    /// ~30 %.
    H,
}

/// QR block settings.
#[derive(Debug, Clone)]
pub struct QrSpec {
    /// Placement of the block.
    pub placement: QrPlacement,
    /// Error correction.
    pub ec_level: EcLevel,
    /// Module size, points (never below 0.4 mm).
    pub module: f32,
    /// URL pattern used when an article has no `url`, e.g. `{site}/{id}`.
    pub url_pattern: Option<String>,
    /// Query parameters appended to printed URLs, e.g. `[("utm_source", "print")]`.
    pub tracking: Vec<(String, String)>,
    /// Pattern of the short address printed instead of a long one, e.g. `{site}/{id}`, for
    /// articles without `short_url`.
    pub short_url: Option<String>,
    /// Lines the printed address may take before its short form is printed instead.
    pub address_lines: usize,
}

/// Photo checks.
#[derive(Debug, Clone, Copy)]
pub struct PhotoSpec {
    /// Below this effective resolution a warning is given.
    pub warn_ppi: f32,
    /// Below this it is an error unless the photo is accepted.
    pub min_ppi: f32,
    /// Larger images are refused before decoding: the guard against decompression bombs
    /// (memory is bounded apart, by decoding large photos at a reduced scale).
    pub max_pixels: u64,
    /// How many columns a lead photo spans.
    pub columns: u32,
    /// Largest share of a photo's width or height its frame may crop away without a
    /// warning (0.2: a fifth).
    pub max_crop: f32,
}

/// An article, validated.
#[derive(Debug, Clone)]
pub struct Article {
    /// The Markdown file.
    pub path: PathBuf,
    /// Language.
    pub lang: Lang,
    /// Kicker (surtitre).
    pub kicker: Option<String>,
    /// Headline.
    pub title: String,
    /// Standfirst (chapô).
    pub standfirst: Option<String>,
    /// Author line.
    pub author: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// Access label.
    pub access: Option<Access>,
    /// Canonical URL as typed; `qr::url` validates and normalises it (with `url_line` for
    /// messages).
    pub url: Option<String>,
    /// Line of the `url` field in the file, for later messages.
    pub url_line: Option<usize>,
    /// A short address printed under the QR code when `url` is too long to print (the code
    /// still encodes `url`).
    pub short_url: Option<String>,
    /// Line of the `short_url` field.
    pub short_url_line: Option<usize>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Lead photo.
    pub photo: Option<Photo>,
    /// Reading time given in the front matter, minutes.
    pub reading_time: Option<u32>,
    /// The body.
    pub body: Vec<Block>,
    /// Non-fatal findings from loading (spacing typos, unknown access values, ...).
    pub warnings: Vec<Diagnostic>,
    /// `draft: true` in a website's front matter: loaded, then left out of the issue.
    pub draft: bool,
}

/// The issue's rules for article front matter (`front_matter:` in issue.yaml).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatterRules {
    /// Field renames, from the name written to ours (`chapo` to `standfirst`).
    pub map: Vec<(String, String)>,
    /// Fields ignored without a word.
    pub ignore: Vec<String>,
}

/// Who may read the article online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Subscribers only ("Accès abonné").
    Subscribers,
    /// Free ("Accès libre").
    Free,
}

/// A block of body content, with the Markdown line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// 1-based line in the article file.
    pub line: usize,
}

/// Kinds of body block.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph(Vec<InlineRun>),
    /// A `##` intertitle.
    Intertitle(Vec<InlineRun>),
    /// A `>` quote, set as a pull quote.
    Quote(Vec<InlineRun>),
    /// A bullet list; each item is inline text.
    List(Vec<Vec<InlineRun>>),
    /// A boxed sidebar (encadré): a title and content blocks (paragraphs and lists).
    Sidebar {
        /// Title of the box.
        title: Vec<InlineRun>,
        /// Content: paragraphs and lists only.
        blocks: Vec<Block>,
    },
}

/// A run of inline text with uniform emphasis.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineRun {
    /// The text as typed (language rules are applied later, by `text`).
    pub text: String,
    /// Bold/italic.
    pub emphasis: Emphasis,
    /// Inline code or a URL: language rules and hyphenation must not touch it.
    pub verbatim: bool,
}

impl InlineRun {
    /// A plain span.
    pub fn plain(text: impl Into<String>) -> Self {
        Self { text: text.into(), emphasis: Emphasis::default(), verbatim: false }
    }
}
