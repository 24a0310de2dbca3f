//! Front matter as websites and static-site generators export it. Their fields that mean
//! what ours mean are read by the article's loader (`tags`, `categories`, `image`,
//! `description`, `summary`, `draft`); the ones that only matter to a website (`slug`,
//! `layout`, `weight`, ...) are taken out here before the front matter is parsed, as are
//! the fields the issue's `front_matter.ignore` names, and the issue's
//! `front_matter.map` renames are applied. Lines are blanked, never removed, so every
//! other field keeps its line and column in messages.

pub use crate::model::FrontMatterRules;

use super::yaml::{continues_value, top_level_key};

/// Fields websites use that have no meaning in print: ignored, with one warning naming
/// those found in an article.
pub const WEBSITE_FIELDS: &[&str] = &[
    "slug",
    "layout",
    "weight",
    "aliases",
    "lastmod",
    "type",
    "menu",
    "toc",
    "permalink",
    "published",
    "publishdate",
    "publishDate",
    "expirydate",
    "expiryDate",
    "sitemap",
    "featured",
    "comments",
    "series",
    "template",
    "id",
];

/// The front matter ready to parse, and the website fields taken out of it (name and file
/// line), for the one warning.
#[derive(Debug)]
pub struct Prepared {
    /// The YAML text, as many lines as before.
    pub yaml: String,
    /// Website fields ignored, in order: name and file line.
    pub ignored: Vec<(String, usize)>,
}

/// Applies `rules` and the website field list to the top-level keys of `yaml`, whose first
/// line is line `line_offset + 1` of the file.
pub fn prepare(yaml: &str, line_offset: usize, rules: &FrontMatterRules) -> Prepared {
    let mut out = String::with_capacity(yaml.len());
    let mut ignored = Vec::new();
    // Whether the lines under the last top-level key are being blanked with it.
    let mut blanking = false;
    for (index, line) in yaml.split_inclusive('\n').enumerate() {
        let ending = if line.ends_with('\n') { "\n" } else { "" };
        let body = line.trim_end_matches(['\n', '\r']);
        if blanking && continues_value(body) {
            out.push_str(ending);
            continue;
        }
        blanking = false;
        let Some(key) = top_level_key(body) else {
            out.push_str(line);
            continue;
        };
        if rules.ignore.iter().any(|k| k == key) {
            blanking = true;
            out.push_str(ending);
        } else if WEBSITE_FIELDS.contains(&key) {
            blanking = true;
            ignored.push((key.to_string(), line_offset + index + 1));
            out.push_str(ending);
        } else if let Some((_, ours)) = rules.map.iter().find(|(from, _)| from == key) {
            out.push_str(ours);
            out.push_str(&line[key.len()..]);
        } else {
            out.push_str(line);
        }
    }
    Prepared { yaml: out, ignored }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn website_fields_are_blanked_with_their_values_and_lines_kept() {
        let yaml =
            "title: T\nslug: t\naliases:\n  - /a\n- /b\nchapo: Court\nlayout: post\nnotes: x\n";
        let rules = FrontMatterRules {
            map: vec![("chapo".into(), "standfirst".into())],
            ignore: vec!["notes".into()],
        };
        let prepared = prepare(yaml, 1, &rules);
        assert_eq!(prepared.yaml, "title: T\n\n\n\n\nstandfirst: Court\n\n\n");
        let names: Vec<(&str, usize)> =
            prepared.ignored.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        assert_eq!(names, [("slug", 3), ("aliases", 4), ("layout", 8)]);
    }
}
