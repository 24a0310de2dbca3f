//! Article files: YAML front matter between `---` lines, then a Markdown body, to a
//! validated [`Article`] (photo checked on disk, dates checked on the calendar).

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};
use serde_saphyr::{Location, Spanned};

use super::LANGUAGES_HINT;
use super::markdown::parse_body;
use super::source::{self, Source};
use super::website::{self, FrontMatterRules};
use super::yaml::{Fragment, Text, parse_date, take_unknown_keys, unknown_key_error};
use crate::diag::{Diagnostic, closest};
use crate::model::{
    Access, Article, BlockKind, FileStamp, InkMeasure, Lang, Photo, PhotoDigest, PhotoSpec,
};

/// Front-matter fields, for suggestions and documentation.
pub const ARTICLE_FIELDS: &[&str] = &[
    "kicker",
    "title",
    "standfirst",
    "author",
    "date",
    "updated",
    "access",
    "url",
    "short_url",
    "keywords",
    "photo",
    "lang",
    "reading_time",
    "tags",
    "categories",
    "image",
    "description",
    "summary",
    "draft",
];

/// Fields of the `photo` mapping.
pub const PHOTO_FIELDS: &[&str] =
    &["file", "credit", "caption", "focus", "columns", "accept_low_resolution"];

/// Titles longer than this many words get a warning: layout will wrap them, but a headline
/// that long is usually a paragraph pasted in the wrong field.
const LONG_TITLE_WORDS: usize = 40;

/// What an article needs to know about its issue.
#[derive(Debug, Clone)]
pub struct ArticleContext<'a> {
    /// The issue folder, resolved by [`std::fs::canonicalize`] when it can be: photos must
    /// resolve inside it.
    pub root: &'a Path,
    /// Language when the front matter gives none.
    pub lang: Lang,
    /// Photo limits.
    pub photo: PhotoSpec,
    /// Whether photos outside the issue folder are allowed.
    pub allow_outside: bool,
    /// The issue's renames and ignored fields (`front_matter:` in issue.yaml).
    pub front_matter: &'a FrontMatterRules,
    /// The build cache's photo proofs, if the build keeps them.
    pub proofs: Option<&'a Path>,
    /// The issue's ink limit ([`crate::raster::ink_limit`]), for CMYK photos' ink bounds.
    pub ink_limit: u32,
}

/// The front matter as written (tier one: deserialized, not yet validated).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    kicker: Option<Spanned<Text>>,
    title: Option<Spanned<Text>>,
    standfirst: Option<Spanned<Text>>,
    author: Option<Spanned<Text>>,
    date: Option<Spanned<Text>>,
    updated: Option<Spanned<Text>>,
    access: Option<Spanned<Text>>,
    url: Option<Spanned<Text>>,
    short_url: Option<Spanned<Text>>,
    keywords: Option<Spanned<Keywords>>,
    photo: Option<Spanned<PhotoField>>,
    lang: Option<Spanned<Text>>,
    reading_time: Option<Spanned<u32>>,
    // Website fields with a meaning of ours: `tags` and `categories` are keywords, `image`
    // the photo, `description` and `summary` the standfirst, `draft` leaves it out.
    tags: Option<Spanned<Keywords>>,
    categories: Option<Spanned<Keywords>>,
    image: Option<Spanned<PhotoField>>,
    description: Option<Spanned<Text>>,
    summary: Option<Spanned<Text>>,
    draft: Option<Spanned<bool>>,
}

/// `keywords: [a, b]` or `keywords: a, b`.
#[derive(Debug)]
struct Keywords(Vec<String>);

impl<'de> Deserialize<'de> for Keywords {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keywords;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of keywords or a comma-separated text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Keywords, E> {
                Ok(Keywords(v.split(',').map(|k| k.trim().to_string()).collect()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keywords, A::Error> {
                let mut out = Vec::new();
                while let Some(Text(k)) = seq.next_element()? {
                    out.push(k.trim().to_string());
                }
                Ok(Keywords(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `photo: file.jpg` or `photo: { file: ..., credit: ... }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhoto {
    file: Option<Spanned<Text>>,
    credit: Option<Text>,
    caption: Option<Text>,
    focus: Option<Spanned<RawFocus>>,
    columns: Option<Spanned<u32>>,
    accept_low_resolution: Option<bool>,
}

/// Accepts the short form (a path) as well as the mapping.
#[derive(Debug)]
struct PhotoField(RawPhoto);

impl<'de> Deserialize<'de> for PhotoField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PhotoField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a photo file name or a mapping with `file`, `credit`, `caption`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PhotoField, E> {
                // The short form has no separate location for `file`: the caller uses the
                // `photo` line.
                Ok(PhotoField(RawPhoto {
                    file: Some(Spanned {
                        value: Text(v.to_string()),
                        referenced: Location::UNKNOWN,
                        defined: Location::UNKNOWN,
                    }),
                    ..RawPhoto::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PhotoField, A::Error> {
                RawPhoto::deserialize(MapAccessDeserializer::new(map)).map(PhotoField)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `focus: [x, y]` or `focus: top`.
#[derive(Debug)]
enum RawFocus {
    Point(f32, f32),
    Named(String),
}

impl<'de> Deserialize<'de> for RawFocus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFocus;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`[x, y]` fractions or a position such as `center` or `top`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawFocus, E> {
                Ok(RawFocus::Named(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawFocus, A::Error> {
                let x: f32 =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f32 =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if seq.next_element::<f32>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &self));
                }
                Ok(RawFocus::Point(x, y))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The focus when none is given, or when the one given is unusable: the middle of the photo.
const CENTRE_FOCUS: (f32, f32) = (0.5, 0.5);

/// Named focus positions.
const FOCUS_NAMES: &[(&str, (f32, f32))] = &[
    ("center", CENTRE_FOCUS),
    ("centre", CENTRE_FOCUS),
    ("top", (0.5, 0.0)),
    ("bottom", (0.5, 1.0)),
    ("left", (0.0, 0.5)),
    ("right", (1.0, 0.5)),
    ("top-left", (0.0, 0.0)),
    ("top-right", (1.0, 0.0)),
    ("bottom-left", (0.0, 1.0)),
    ("bottom-right", (1.0, 1.0)),
];

/// Reads and validates one article file.
///
/// `Err` holds the errors that stop the article, followed by its warnings.
pub fn load_article(path: &Path, ctx: &ArticleContext<'_>) -> Result<Article, Vec<Diagnostic>> {
    let source = source::read(path, source::MAX_ARTICLE_BYTES, "article").map_err(|d| vec![d])?;
    parse_article(&source, ctx)
}

/// Validates an article already read into memory.
pub fn parse_article(
    source: &Source,
    ctx: &ArticleContext<'_>,
) -> Result<Article, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let cleaned = source.without_controls();
    let source = match &cleaned {
        Some((clean, removed)) => {
            warnings.extend(removed.iter().cloned());
            clean
        }
        None => source,
    };
    let split = split_front_matter(source).map_err(|d| vec![d])?;
    let prepared = website::prepare(split.yaml, 1, ctx.front_matter);
    if let Some((_, line)) = prepared.ignored.first() {
        let names: Vec<&str> = prepared.ignored.iter().map(|(n, _)| n.as_str()).collect();
        warnings.push(
            source
                .warning_at(
                    "website-field",
                    format!("website field(s) ignored in print: {}", names.join(", ")),
                    *line,
                    1,
                )
                .field(names[0])
                .hint("list them under `front_matter: { ignore: [...] }` in issue.yaml to silence this"),
        );
    }
    // Unknown fields are reported here, all of them, and taken out, so that the other
    // mistakes of the file are found in the same run.
    let nested: &[(&str, &[&str])] = &[("photo", PHOTO_FIELDS), ("image", PHOTO_FIELDS)];
    let (yaml, unknown) = take_unknown_keys(&prepared.yaml, 1, ARTICLE_FIELDS, nested);
    for (key, line) in unknown {
        errors.push(unknown_key_error(source, &key, line, ARTICLE_FIELDS, nested));
    }
    let fragment = Fragment { source, yaml: &yaml, line_offset: 1 };
    // A wrong value is reported and left out, and the other fields still checked.
    let (raw, mut wrong) = fragment.parse_all_or_default::<RawFront>();
    errors.append(&mut wrong);
    let Some(raw) = raw else { return Err(errors) };

    let text = |field: &Option<Spanned<Text>>| {
        field.as_ref().map(|t| t.value.0.trim().to_string()).filter(|t| !t.is_empty())
    };
    let title = text(&raw.title);
    if title.is_none() {
        // An empty `title:` reads as no title at all: point at the key when it is there,
        // not at the front matter's opening line.
        let (line, column) = match &raw.title {
            Some(t) => (fragment.line_of(t), t.referenced.column() as usize),
            None => source.find_key("title", fragment.line_offset + 1).unwrap_or((1, 1)),
        };
        errors.push(
            source
                .error_at("missing-title", "the article has no title", line, column)
                .field("title")
                .hint("add a line `title: ...` to the front matter"),
        );
    }
    if let (Some(title), Some(at)) = (&title, &raw.title) {
        let words = title.split_whitespace().count();
        if words > LONG_TITLE_WORDS {
            warnings.push(fragment.warning(
                "long-title",
                format!("the title has {words} words; is it really a headline?"),
                "title",
                at,
            ));
        }
    }

    let mut date_field = |field: &Option<Spanned<Text>>, name: &str| {
        let at = field.as_ref()?;
        match parse_date(&at.value.0) {
            Ok(date) => Some(date),
            Err(why) => {
                errors.push(
                    fragment
                        .error("invalid-value", why, name, at)
                        .hint("write dates as 2025-09-11"),
                );
                None
            }
        }
    };
    let date = date_field(&raw.date, "date");
    let updated = date_field(&raw.updated, "updated");

    let access = raw.access.as_ref().and_then(|at| {
        let value = at.value.0.trim().to_lowercase();
        match value.as_str() {
            "subscribers" => Some(Access::Subscribers),
            "free" => Some(Access::Free),
            _ => {
                let choices = ["subscribers", "free"];
                let hint = match closest(&value, choices) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "expected `subscribers` or `free`".to_string(),
                };
                errors.push(
                    fragment
                        .error(
                            "invalid-value",
                            format!("unknown access `{}`", at.value.0),
                            "access",
                            at,
                        )
                        .hint(hint),
                );
                None
            }
        }
    });

    let lang = match &raw.lang {
        None => ctx.lang,
        Some(at) => Lang::from_tag(&at.value.0).unwrap_or_else(|| {
            errors.push(
                fragment
                    .error(
                        "invalid-value",
                        format!("unknown language `{}`", at.value.0),
                        "lang",
                        at,
                    )
                    .hint(LANGUAGES_HINT),
            );
            ctx.lang
        }),
    };

    // Keywords, then a website's tags and categories, each once.
    let mut keywords: Vec<String> = Vec::new();
    for list in [&raw.keywords, &raw.tags, &raw.categories].into_iter().flatten() {
        for k in list.value.0.iter().filter(|k| !k.is_empty()) {
            if !keywords.contains(k) {
                keywords.push(k.clone());
            }
        }
    }

    // `photo` wins over a website's `image`.
    let photo_field = match (&raw.photo, &raw.image) {
        (Some(at), _) => Some((at, "photo")),
        (None, Some(at)) => Some((at, "image")),
        (None, None) => None,
    };
    let photo = photo_field.and_then(|(at, key)| match resolve_photo(&fragment, at, key, ctx) {
        Ok((photo, mut w)) => {
            warnings.append(&mut w);
            Some(photo)
        }
        Err(d) => {
            errors.push(d);
            None
        }
    });

    let (body, diagnostics) = parse_body(source, split.body, split.body_line);
    for d in diagnostics {
        if d.is_error() {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }
    if !body.iter().any(|b| matches!(b.kind, BlockKind::Paragraph(_))) {
        let line = split.body_line.min(source.text.lines().count().max(1));
        errors.push(
            source
                .error_at("empty-body", "the article has no body text", line, 1)
                .field("body")
                .hint("write the article's paragraphs after the closing `---` line"),
        );
    }

    if !errors.is_empty() {
        errors.append(&mut warnings);
        return Err(errors);
    }
    Ok(Article {
        path: source.path.clone(),
        lang,
        kicker: text(&raw.kicker),
        title: title.unwrap_or_default(),
        // A website's `summary` or `description` when there is no standfirst.
        standfirst: text(&raw.standfirst)
            .or_else(|| text(&raw.summary))
            .or_else(|| text(&raw.description)),
        author: text(&raw.author),
        date,
        updated,
        access,
        url: text(&raw.url),
        url_line: raw.url.as_ref().map(|u| fragment.line_of(u)),
        short_url: text(&raw.short_url),
        short_url_line: raw.short_url.as_ref().map(|u| fragment.line_of(u)),
        keywords,
        photo,
        reading_time: raw.reading_time.as_ref().map(|r| r.value),
        body,
        warnings,
        draft: raw.draft.as_ref().is_some_and(|d| d.value),
    })
}

/// The three parts of an article file.
struct Split<'a> {
    yaml: &'a str,
    body: &'a str,
    /// File line the body starts on.
    body_line: usize,
}

fn split_front_matter(source: &Source) -> Result<Split<'_>, Diagnostic> {
    let text = &source.text;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        // Front matter that starts further down (after blank lines, say) is not front
        // matter: point at its `---` so the fix is plain.
        let opening = text.lines().position(|l| l.trim_end() == "---").filter(|_| {
            text.lines().take_while(|l| l.trim_end() != "---").all(|l| l.trim().is_empty())
        });
        return Err(match opening {
            Some(index) => source
                .error_at(
                    "missing-title",
                    "the front matter must start on the file's first line",
                    index + 1,
                    1,
                )
                .field("title")
                .hint("remove the lines before the opening `---`"),
            None => source
                .error_at("missing-title", "the article has no front matter", 1, 1)
                .field("title")
                .hint("start the file with a line `---`, then `title: ...`, then a line `---`"),
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (i, line) in lines.enumerate() {
        let marker = line.trim_end();
        if marker == "---" || marker == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                // Line 1 is the opening `---`, the closing one is line i + 2.
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(source
        .error_at("yaml", "the front matter opened here is never closed", 1, 1)
        .hint("end the front matter with a line `---` before the article text"))
}

/// `a/b/../c` as `a/c`, for messages: the path a person would look for.
fn tidy(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Checks the photo on disk: present, inside the issue folder, readable, not too large.
fn resolve_photo(
    fragment: &Fragment<'_>,
    at: &Spanned<PhotoField>,
    key: &str,
    ctx: &ArticleContext<'_>,
) -> Result<(Photo, Vec<Diagnostic>), Diagnostic> {
    let source = fragment.source;
    // A block mapping's position is its first key; the `photo:` key is the line to show.
    let photo_line = source
        .find_key(key, fragment.line_offset + 1)
        .map_or_else(|| fragment.line_of(at), |(line, _)| line);
    let raw = &at.value.0;
    let mut warnings = Vec::new();
    let Some(file) = &raw.file else {
        let column = source.find_key(key, fragment.line_offset + 1).map_or(1, |(_, c)| c);
        return Err(source
            .error_at("invalid-value", "the photo has no `file`", photo_line, column)
            .field(key.to_string())
            .hint("photo: { file: ../photos/name.jpg, credit: ... }"));
    };
    // The short form `photo: name.jpg` carries no location of its own.
    let file_at = |d: Diagnostic| {
        if file.referenced.line() > 0 {
            let line = fragment.line_of(file);
            source.locate(d, line, file.referenced.column() as usize)
        } else {
            source.locate(d, photo_line, at.referenced.column() as usize)
        }
        .field(format!("{key}.file"))
    };
    let written = file.value.0.trim();
    let base = source.path.parent().unwrap_or(Path::new("."));
    let resolved = base.join(written);
    // Refuse an escape before touching the file system: a CMS export must not make us
    // probe for files outside the issue.
    let outside = |written_path: &Path| {
        let absolute = |p: &Path| std::path::absolute(p).map(|p| tidy(&p)).unwrap_or_default();
        // An absolute path is judged like any other: inside the issue it is accepted.
        !absolute(written_path).starts_with(absolute(ctx.root))
    };
    if !ctx.allow_outside && outside(&resolved) {
        return Err(file_at(Diagnostic::error(
            "path-outside",
            format!("photo `{written}` is outside the issue folder {}", tidy(ctx.root).display()),
        ))
        .hint("copy the photo into the issue folder, or allow outside paths explicitly"));
    }
    if !resolved.exists() {
        return Err(file_at(Diagnostic::error(
            "missing-photo",
            format!("photo `{written}` not found (looked for {})", tidy(&resolved).display()),
        ))
        .hint(match super::suggest::nearest_existing(base, written) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "paths are relative to the article file".into(),
        }));
    }
    let canonical = std::fs::canonicalize(&resolved).map_err(|e| {
        file_at(Diagnostic::error("io", format!("cannot resolve photo `{written}`: {e}")))
    })?;
    if !ctx.allow_outside {
        // Resolved once for the issue ([`ArticleContext::root`]), not again per photo.
        let root = ctx.root;
        if !canonical.starts_with(root) {
            return Err(file_at(Diagnostic::error(
                "path-outside",
                format!(
                    "photo `{written}` is outside the issue folder {} (resolves to {})",
                    root.display(),
                    canonical.display()
                ),
            ))
            .hint("copy the photo into the issue folder, or allow outside paths explicitly"));
        }
    }
    // Proven sound here, decoded in full, so that no later stage can fail on it; a photo an
    // earlier build proved, unchanged since, is not read again.
    let max_pixels = ctx.photo.max_pixels;
    let kept = ctx.proofs.and_then(|folder| super::proofs::kept(&canonical, max_pixels, folder));
    let (facts, digest, stamp) = match kept {
        Some((facts, digest, metadata)) => (facts, Some(digest), FileStamp::of(&metadata)),
        None => {
            let before = std::fs::metadata(&canonical).ok();
            let bytes = source::read_regular_file(&canonical, super::photo::MAX_PHOTO_FILE_BYTES)
                .map_err(|why| {
                let message = format!("cannot read photo `{written}`: it {why}");
                file_at(Diagnostic::error("io", message)).hint("photos must be JPEG or PNG files")
            })?;
            let file = before.as_ref().map(|before| (canonical.as_path(), before));
            let (facts, digest) = super::proofs::inspect(&bytes, max_pixels, ctx.ink_limit, ctx.proofs, file).map_err(|fault| {
                let hint = match fault.kind {
                    "photo-too-large" => {
                        "scale it down to about 200 ppi at its printed size (or raise `photo.max_megapixels` in issue.yaml)"
                    }
                    _ => "export the photo again from the original (JPEG or PNG)",
                };
                let message = format!("photo `{written}` {}", fault.message);
                file_at(Diagnostic::error(fault.kind, message)).hint(hint)
            })?;
            let read = |b| FileStamp::kept_through_read(b, &canonical, bytes.len());
            (facts, digest, before.as_ref().and_then(read))
        }
    };
    if let Some(problem) = &facts.profile_problem {
        warnings.push(
            file_at(Diagnostic::warning("photo-profile", format!("photo `{written}` {problem}")))
                .hint("export the photo again with its colour profile (sRGB for RGB photos)"),
        );
    }
    let (width_px, height_px) = (facts.width_px, facts.height_px);
    let focus = match &raw.focus {
        None => CENTRE_FOCUS,
        Some(f) => match &f.value {
            RawFocus::Point(x, y) if (0.0..=1.0).contains(x) && (0.0..=1.0).contains(y) => (*x, *y),
            RawFocus::Point(..) => {
                warnings.push(
                    fragment
                        .warning(
                            "invalid-value",
                            "focus outside the photo; using the centre",
                            "photo.focus",
                            f,
                        )
                        .hint("give fractions between 0 and 1: focus: [0.5, 0.3]"),
                );
                CENTRE_FOCUS
            }
            RawFocus::Named(name) => {
                let lower = name.trim().to_lowercase().replace(' ', "-");
                match FOCUS_NAMES.iter().find(|(n, _)| *n == lower) {
                    Some((_, point)) => *point,
                    None => {
                        let names = FOCUS_NAMES.iter().map(|(n, _)| *n);
                        let hint = match closest(&lower, names) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => "use center, top, bottom, left, right, top-left, ... or [x, y]"
                                .into(),
                        };
                        warnings.push(
                            fragment
                                .warning(
                                    "invalid-value",
                                    format!("unknown focus `{name}`; using the centre"),
                                    "photo.focus",
                                    f,
                                )
                                .hint(hint),
                        );
                        CENTRE_FOCUS
                    }
                }
            }
        },
    };
    // The same rule as `photo.columns` in issue.yaml.
    let columns = match &raw.columns {
        Some(at) if !super::issue::COLUMNS.contains(&at.value) => {
            let range = super::issue::COLUMNS;
            return Err(fragment.error(
                "invalid-value",
                format!(
                    "`photo.columns` must be between {} and {}, not {}",
                    range.start(),
                    range.end(),
                    at.value
                ),
                "photo.columns",
                at,
            ));
        }
        other => other.as_ref().map(|at| at.value),
    };
    let text =
        |t: &Option<Text>| t.as_ref().map(|t| t.0.trim().to_string()).filter(|t| !t.is_empty());
    Ok((
        Photo {
            path: canonical,
            width_px,
            height_px,
            credit: text(&raw.credit),
            caption: text(&raw.caption),
            focus,
            columns,
            accept_low_resolution: raw.accept_low_resolution.unwrap_or(false),
            line: Some(photo_line),
            // Only with the digest of the bytes measured can render know they are its own.
            ink: facts.peak_ink.zip(digest).map(|(peak, digest)| InkMeasure { digest, peak }),
            digest: digest.zip(stamp).map(|(digest, stamp)| PhotoDigest { digest, stamp }),
        },
        warnings,
    ))
}
