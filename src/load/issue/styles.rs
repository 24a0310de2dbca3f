//! Text styles (font role, weight, size, leading, colour, alignment, spacing, case), the two
//! page colours, and the labels printed around articles in each language.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde_saphyr::Spanned;

use super::Resolver;
use super::schema::{RawColor, RawLabels, RawStyle, RawStyles};
use crate::color::Color;
use crate::load::LANGUAGES_HINT;
use crate::model::{Align, FontRole, Labels, Lang, ProfileChoice, Styles, TextStyle};

/// Type sizes in points: from the smallest agate a press holds to a poster headline.
const TYPE_SIZE_PT: RangeInclusive<f32> = 3.0..=400.0;

/// Leading in points, a little wider than the sizes for display type set loose.
const LEADING_PT: RangeInclusive<f32> = 3.0..=500.0;

/// Space before or after a paragraph of a style, in points: never negative (lines would
/// overlap), at most a few lines.
const SPACE_PT: RangeInclusive<f32> = 0.0..=200.0;

/// The placeholders each label may hold; any other `{name}` would print as typed.
const LABEL_PLACEHOLDERS: &[(&str, &[&str])] = &[
    ("updated", &["date"]),
    ("published", &["date"]),
    ("reading_time", &["minutes"]),
    ("subscribers", &[]),
    ("free", &[]),
    ("keywords", &[]),
    ("page", &[]),
    ("qr_caption", &[]),
    ("qr_address", &["publication"]),
    ("by", &["author"]),
    ("continued", &["page"]),
];

/// An ink percentage.
const PERCENT: RangeInclusive<f32> = 0.0..=100.0;

impl Resolver<'_> {
    /// The styles given; each key left out keeps its default.
    pub(super) fn styles(&mut self, raw: &RawStyles, s: &mut Styles) {
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
        // A list is set as the body around it unless told otherwise: its keys go over the
        // body style as given, so a new body size carries to the lists.
        s.list = s.body.clone();
        if let Some(at) = &raw.list {
            self.style("list", &at.value, &mut s.list);
        }
        for (name, raw_color, slot) in [
            ("sidebar_tint", &raw.sidebar_tint, &mut s.sidebar_tint),
            ("rule_color", &raw.rule_color, &mut s.rule_color),
        ] {
            if let Some(at) = raw_color
                && let Some(color) = self.color(at, &format!("styles.{name}"))
            {
                *slot = color;
            }
        }
    }

    /// One style over its default.
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
        style.size = self.number(&raw.size, &field("size"), TYPE_SIZE_PT, style.size);
        // A new size without a leading keeps the old proportion.
        let scaled = style.leading * style.size / old_size;
        style.leading = self.number(&raw.leading, &field("leading"), LEADING_PT, scaled);
        if let Some(at) = &raw.color
            && let Some(color) = self.color(at, &field("color"))
        {
            style.color = color;
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
        style.space_before =
            self.number(&raw.space_before, &field("space_before"), SPACE_PT, style.space_before);
        style.space_after =
            self.number(&raw.space_after, &field("space_after"), SPACE_PT, style.space_after);
        if let Some(v) = raw.uppercase {
            style.uppercase = v;
        }
    }

    /// A CMYK colour in percent, or a hex colour (a grey to black ink alone, any other
    /// colour through the output profile, with a warning: the ink it gives is the profile's
    /// choice, not the writer's). A colour over the ink limit is an error: on newsprint it
    /// would smear and show through.
    fn color(&mut self, at: &Spanned<RawColor>, field: &str) -> Option<Color> {
        let color = match &at.value {
            RawColor::Cmyk(v) if v.len() == 4 && v.iter().all(|x| PERCENT.contains(x)) => {
                Color::Cmyk(v[0] / 100.0, v[1] / 100.0, v[2] / 100.0, v[3] / 100.0)
            }
            RawColor::Cmyk(_) => {
                let d = self.error(
                    "invalid-value",
                    "a CMYK colour is four percentages from 0 to 100",
                    field,
                    at,
                );
                d.hint = Some(String::from("color: [0, 100, 100, 0]"));
                return None;
            }
            RawColor::Hex(hex) => self.hex_color(hex, at, field)?,
        };
        let Color::Cmyk(c, m, y, k) = color else { return Some(color) };
        let total = (c + m + y + k) * 100.0;
        if total > self.tac + 0.05 {
            let d = self.error(
                "ink-limit",
                format!(
                    "colour of {total:.0} % total ink (CMYK {:.0}/{:.0}/{:.0}/{:.0}) is over the ink limit of {} % (`output.tac`)",
                    c * 100.0,
                    m * 100.0,
                    y * 100.0,
                    k * 100.0,
                    self.tac
                ),
                field,
                at,
            );
            d.hint = Some(String::from(
                "take cyan, magenta and yellow down (a deep colour needs no more than two inks and some black)",
            ));
            return None;
        }
        Some(color)
    }

    /// A hex colour as it prints (see [`crate::color::hex_to_cmyk`]), with a warning saying
    /// what it became.
    fn hex_color(&mut self, hex: &str, at: &Spanned<RawColor>, field: &str) -> Option<Color> {
        let Some(rgb) = parse_hex(hex) else {
            let d = self.error("invalid-value", format!("`{hex}` is not a colour"), field, at);
            d.hint = Some(String::from("write \"#rrggbb\" or [c, m, y, k] in percent"));
            return None;
        };
        let profile = match &self.output_profile {
            ProfileChoice::File(path) => std::fs::read(path).ok(),
            ProfileChoice::Bundled(condition) => Some(condition.data().to_vec()),
        };
        let color = profile.and_then(|p| crate::color::hex_to_cmyk(rgb, &p));
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
        let how = if color.is_black_only() {
            "a grey, printed with black ink alone"
        } else {
            "converted through the output profile"
        };
        let d = self.fragment.warning(
            "hex-color",
            format!(
                "`{hex}` is {how}: CMYK {:.0}/{:.0}/{:.0}/{:.0} %",
                cy * 100.0,
                ma * 100.0,
                ye * 100.0,
                k * 100.0
            ),
            field,
            at,
        );
        self.warnings.push(d.hint("give [c, m, y, k] percentages for exact ink"));
        Some(color)
    }

    /// The labels of each language; an unknown language tag is an error on its key.
    pub(super) fn labels(&mut self, raw: &BTreeMap<String, RawLabels>) -> Vec<(Lang, Labels)> {
        let mut labels = Vec::new();
        for (tag, raw_labels) in raw {
            match Lang::from_tag(tag) {
                Some(lang) => {
                    self.check_placeholders(tag, raw_labels);
                    labels.push((lang, labels_of(raw_labels)));
                }
                None => {
                    let (line, column) = self.fragment.source.find_key(tag, 1).unwrap_or((1, 1));
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
                        .hint(LANGUAGES_HINT);
                    self.errors.push(d);
                }
            }
        }
        labels
    }
}

impl Resolver<'_> {
    /// An unknown `{name}` in a label is an error at the label's line.
    fn check_placeholders(&mut self, tag: &str, raw: &RawLabels) {
        let lang_line = self.fragment.source.find_key(tag, 1).map_or(1, |(line, _)| line);
        for (field, allowed) in LABEL_PLACEHOLDERS {
            let Some(text) = label_text(raw, field) else { continue };
            let unknown = placeholders(text).find(|name| !allowed.contains(name));
            let Some(name) = unknown else { continue };
            let (line, column) =
                self.fragment.source.find_key(field, lang_line).unwrap_or((lang_line, 1));
            let hint = if allowed.is_empty() {
                format!("`{field}` takes no placeholder")
            } else {
                let names: Vec<String> = allowed.iter().map(|n| format!("{{{n}}}")).collect();
                format!("`{field}` may use {}", names.join(", "))
            };
            let d = self
                .fragment
                .source
                .error_at(
                    "invalid-value",
                    format!("unknown placeholder `{{{name}}}` in label `{field}`"),
                    line,
                    column,
                )
                .field(format!("labels.{tag}.{field}"))
                .hint(hint);
            self.errors.push(d);
        }
    }
}

/// The text of one label field by name.
fn label_text<'a>(raw: &'a RawLabels, field: &str) -> Option<&'a str> {
    let value = match field {
        "updated" => &raw.updated,
        "published" => &raw.published,
        "reading_time" => &raw.reading_time,
        "subscribers" => &raw.subscribers,
        "free" => &raw.free,
        "keywords" => &raw.keywords,
        "page" => &raw.page,
        "qr_caption" => &raw.qr_caption,
        "qr_address" => &raw.qr_address,
        "by" => &raw.by,
        "continued" => &raw.continued,
        _ => &None,
    };
    value.as_deref()
}

/// The `{name}`s of a label (names of letters, digits and underscores only, so a brace in
/// ordinary text is not taken for one).
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let name = &rest[..rest.find('}')?];
        (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(name)
    })
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

/// `#rrggbb` (or CSS's short `#rgb`) as red, green and blue bytes.
fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let digits = hex.trim().strip_prefix('#')?;
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match digits.len() {
        6 => {
            let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
            Some((byte(0)?, byte(2)?, byte(4)?))
        }
        // CSS's short form: `#111` is `#111111`.
        3 => {
            let byte = |i: usize| u8::from_str_radix(&digits[i..=i], 16).ok().map(|v| v * 17);
            Some((byte(0)?, byte(1)?, byte(2)?))
        }
        _ => None,
    }
}
