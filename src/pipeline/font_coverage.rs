//! Characters the chosen font lacks: the text stage takes them from another font of the
//! book (the bundled ones last), which keeps the text readable but mixes typefaces, e.g. a
//! serif body with sans-serif accented letters. Each (font, stand-in) pair is reported once
//! for the issue, with the characters concerned and the first article that uses them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use crate::diag::Diagnostic;
use crate::fonts::{FamilyIds, FontBook, FontId};
use crate::model::{ArticleEntry, BlockKind, FontRole, InlineRun, Styles, TextStyle};

/// Most characters listed in one message.
const LISTED: usize = 24;

/// What one font lacks and where it is taken from: the characters, and the first article.
type Gaps = BTreeMap<(FontId, Option<FontId>), (Vec<char>, PathBuf)>;

/// One warning per font that lacks characters of the articles, naming the
/// characters and the font they are taken from (or that no font has them).
pub(super) fn fallback_warnings(
    articles: &[ArticleEntry],
    book: &FontBook,
    styles: &Styles,
    config_file: Option<&Path>,
) -> Vec<Diagnostic> {
    let mut gaps = Gaps::new();
    // The characters each face was found to have: an issue's text is a few dozen distinct
    // characters over and over, and a look-up here is a fraction of one in the font's
    // `cmap` (this ran through every character of every article, some 2 ms a build).
    let mut covered: FxHashSet<(FontId, char)> = FxHashSet::default();
    for entry in articles {
        let Ok(article) = &entry.article else { continue };
        let mut check = |style: &TextStyle, text: &str, bold: bool, italic: bool| {
            let family = family_of(book, style.role);
            let face = family.pick(style.emphasis.bold || bold, style.emphasis.italic || italic);
            for c in text.chars().filter(|c| !c.is_whitespace() && !c.is_control()) {
                let c = if style.uppercase { c.to_uppercase().next().unwrap_or(c) } else { c };
                if covered.contains(&(face, c)) {
                    continue;
                }
                if book.get(face).has_char(c) {
                    covered.insert((face, c));
                    continue;
                }
                let (chars, _) = gaps
                    .entry((face, book.fallback_for(face, c)))
                    .or_insert_with(|| (Vec::new(), entry.path.clone()));
                if !chars.contains(&c) {
                    chars.push(c);
                }
            }
        };
        let mut runs = |style: &TextStyle, runs: &[InlineRun]| {
            for run in runs {
                check(style, &run.text, run.emphasis.bold, run.emphasis.italic);
            }
        };
        for (style, text) in [
            (&styles.kicker, &article.kicker),
            (&styles.headline, &Some(article.title.clone())),
            (&styles.standfirst, &article.standfirst),
        ] {
            if let Some(text) = text {
                runs(style, &[InlineRun::plain(text.as_str())]);
            }
        }
        if let Some(photo) = &article.photo {
            for (style, text) in
                [(&styles.caption, &photo.caption), (&styles.credit, &photo.credit)]
            {
                if let Some(text) = text {
                    runs(style, &[InlineRun::plain(text.as_str())]);
                }
            }
        }
        let mut blocks: Vec<(&BlockKind, bool)> =
            article.body.iter().map(|b| (&b.kind, false)).collect();
        while let Some((kind, in_sidebar)) = blocks.pop() {
            let body = if in_sidebar { &styles.sidebar } else { &styles.body };
            match kind {
                BlockKind::Paragraph(r) => runs(body, r),
                BlockKind::Intertitle(r) => runs(&styles.intertitle, r),
                BlockKind::Quote(r) => runs(&styles.quote, r),
                BlockKind::List(items) => {
                    let list = if in_sidebar { &styles.sidebar } else { &styles.list };
                    items.iter().for_each(|r| runs(list, r))
                }
                BlockKind::Sidebar { title, blocks: inner } => {
                    runs(&styles.sidebar_title, title);
                    blocks.extend(inner.iter().map(|b| (&b.kind, true)));
                }
            }
        }
    }
    gaps.into_iter()
        .map(|((face, stand_in), (chars, first))| {
            let font = book.get(face);
            let mut listed: String =
                chars.iter().take(LISTED).map(|c| format!("{c} (U+{:04X}) ", *c as u32)).collect();
            if chars.len() > LISTED {
                listed.push_str(&format!("and {} more", chars.len() - LISTED));
            }
            let message = match stand_in {
                Some(other) => format!(
                    "font {} has no glyph for {} character(s), taken from {} instead (two \
                     typefaces mixed): {}; first in {}",
                    font.postscript_name,
                    chars.len(),
                    book.get(other).postscript_name,
                    listed.trim_end(),
                    first.display()
                ),
                None => format!(
                    "no font has a glyph for {} character(s), printed as boxes that extract as \
                     U+FFFD: {}; first in {}",
                    chars.len(),
                    listed.trim_end(),
                    first.display()
                ),
            };
            let mut d = Diagnostic::warning("font-fallback", message).field("fonts").hint(
                "choose a font that covers the text's characters, name one under \
                     `fonts.fallback`, or change the text",
            );
            if let Some(file) = config_file {
                d = d.in_file(file);
            }
            d
        })
        .collect()
}

/// The family a style's role names.
fn family_of(book: &FontBook, role: FontRole) -> &FamilyIds {
    match role {
        FontRole::Body => &book.body,
        FontRole::Heading => &book.heading,
        FontRole::Kicker => &book.kicker,
        FontRole::Caption => &book.caption,
    }
}
