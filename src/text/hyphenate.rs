//! Hyphenation: where a word may take a hyphen at a line end.
//!
//! Patterns are TeX's (hyph-utf8, Liang's algorithm) embedded by the `hyphenation` crate;
//! each language's dictionary is loaded once per process, the first time a paragraph in that
//! language needs it. On top of the patterns this module applies the newspaper's rules:
//! minimum fragment lengths per language, no hyphen in numbers, acronyms (all capitals),
//! URLs or compounds that already have a hyphen, none right after an apostrophe, and the
//! issue's exception list (`Kazakhstan` never, `géo-éco-no-mique` only there).

use std::collections::HashMap;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

use crate::model::Lang;

/// Minimum characters before and after a hyphen: French and English 2/3 (French usage and
/// TeX's `\lefthyphenmin`/`\righthyphenmin` for English), the others 2/2 as in their TeX
/// language files.
pub fn minima(lang: Lang) -> (usize, usize) {
    match lang {
        Lang::Fr | Lang::EnGb | Lang::EnUs | Lang::Pt => (2, 3),
        Lang::De | Lang::Es | Lang::It | Lang::Nl => (2, 2),
    }
}

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Fr => Language::French,
        Lang::EnGb => Language::EnglishGB,
        Lang::EnUs => Language::EnglishUS,
        Lang::De => Language::German1996,
        Lang::Es => Language::Spanish,
        Lang::It => Language::Italian,
        Lang::Pt => Language::Portuguese,
        Lang::Nl => Language::Dutch,
    }
}

/// The process-wide dictionary for `lang`, loaded on first use; `None` if it cannot load
/// (then words are simply not hyphenated).
fn dictionary(lang: Lang) -> Option<&'static Standard> {
    static DICTS: [OnceLock<Option<Standard>>; Lang::COUNT] =
        [const { OnceLock::new() }; Lang::COUNT];
    DICTS[lang.index()]
        .get_or_init(|| {
            let mut dict = Standard::from_embedded(language(lang)).ok()?;
            dict.minima = minima(lang);
            Some(dict)
        })
        .as_ref()
}

/// The hyphenation exceptions, keyed by the lowercase word without hyphens; the
/// value lists the allowed break positions as character counts from the word's start
/// (empty = never hyphenate).
#[derive(Debug, Clone, Default)]
pub struct Exceptions {
    words: HashMap<String, Vec<usize>>,
}

impl Exceptions {
    /// Builds the table from the `hyphenation.exceptions` list.
    pub fn new(list: &[String]) -> Exceptions {
        let mut words = HashMap::new();
        for entry in list {
            let mut plain = String::new();
            let mut points = Vec::new();
            let mut count = 0;
            for c in entry.trim().chars() {
                if c == '-' {
                    points.push(count);
                } else {
                    plain.extend(c.to_lowercase());
                    count += 1;
                }
            }
            if !plain.is_empty() {
                words.insert(plain, points);
            }
        }
        Exceptions { words }
    }

    fn get(&self, lowercase: &str) -> Option<&[usize]> {
        self.words.get(lowercase).map(Vec::as_slice)
    }
}

/// Whether a word must never be hyphenated: numbers, acronyms, URLs, e-mail addresses.
fn is_unhyphenatable(word: &str) -> bool {
    let mut letters = 0;
    let mut upper = 0;
    for c in word.chars() {
        if c.is_numeric() || matches!(c, '@' | '/' | '.' | ':' | '_' | '=' | '&') {
            return true;
        }
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
            }
        }
    }
    letters == 0 || (upper == letters && letters > 1)
}

/// Appends to `out` the byte offsets (relative to `word`) where `word` may be hyphenated.
///
/// `word` is a run without spaces; explicit hyphens in it are break points of their own
/// (handled by the caller), so a word containing one gets no extra point here. Letters after
/// an apostrophe are hyphenated as a word of their own, so the left minimum keeps the hyphen
/// away from the apostrophe.
pub fn hyphenation_points(word: &str, lang: Lang, exceptions: &Exceptions, out: &mut Vec<u32>) {
    if word.contains(['-', '\u{2010}', '\u{2011}', '\u{00AD}']) || is_unhyphenatable(word) {
        return;
    }
    // Runs of letters; anything else (apostrophe, punctuation) separates them.
    let mut start: Option<usize> = None;
    for (i, c) in word.char_indices().chain(std::iter::once((word.len(), ' '))) {
        if c.is_alphabetic() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            letters_points(&word[s..i], s as u32, lang, exceptions, out);
        }
    }
}

fn letters_points(run: &str, base: u32, lang: Lang, exceptions: &Exceptions, out: &mut Vec<u32>) {
    let (left, right) = minima(lang);
    let count = run.chars().count();
    if count < left + right {
        return;
    }
    let lower = run.to_lowercase();
    if let Some(points) = exceptions.get(&lower) {
        // Exception positions are in characters; map them onto this run's bytes.
        for &p in points {
            if let Some((byte, _)) = run.char_indices().nth(p) {
                out.push(base + byte as u32);
            }
        }
        return;
    }
    let Some(dict) = dictionary(lang) else { return };
    let hyphenated = dict.hyphenate(run);
    out.extend(hyphenated.breaks.iter().map(|&b| base + b as u32));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str, lang: Lang, exceptions: &Exceptions) -> String {
        let mut points = Vec::new();
        hyphenation_points(word, lang, exceptions, &mut points);
        let mut s = String::new();
        let mut last = 0;
        for p in points {
            s.push_str(&word[last..p as usize]);
            s.push('-');
            last = p as usize;
        }
        s.push_str(&word[last..]);
        s
    }

    #[test]
    fn french_words() {
        let none = Exceptions::default();
        assert_eq!(split("géopolitique", Lang::Fr, &none), "géo-po-li-tique");
        assert_eq!(split("infrastructures", Lang::Fr, &none), "in-fra-struc-tures");
        // 2/3 minimum: no "é-" at the start, no "-re" at the end.
        assert_eq!(split("économique", Lang::Fr, &none), "éco-no-mique");
    }

    #[test]
    fn english_words() {
        let none = Exceptions::default();
        // hyph-en-us gives "hy-phen-a-tion"; the 2/3 minima keep "tion" whole.
        assert_eq!(split("hyphenation", Lang::EnUs, &none), "hy-phen-a-tion");
        assert_eq!(split("typesetting", Lang::EnGb, &none), "type-set-ting");
    }

    #[test]
    fn refused_words_and_apostrophe() {
        let none = Exceptions::default();
        assert_eq!(split("UNESCO", Lang::Fr, &none), "UNESCO");
        assert_eq!(split("2029", Lang::Fr, &none), "2029");
        assert_eq!(split("Trans-Caspien", Lang::Fr, &none), "Trans-Caspien");
        assert_eq!(split("liberte-actus.fr/1719", Lang::Fr, &none), "liberte-actus.fr/1719");
        let union = split("l’Union", Lang::Fr, &none);
        assert!(!union.starts_with("l’-"), "{union}");
    }

    #[test]
    fn exceptions() {
        let ex = Exceptions::new(&["Kazakhstan".to_string(), "géo-éco-no-mique".to_string()]);
        assert_eq!(split("Kazakhstan", Lang::Fr, &ex), "Kazakhstan");
        assert_eq!(split("géoéconomique", Lang::Fr, &ex), "géo-éco-no-mique");
        assert_eq!(split("Géoéconomique", Lang::Fr, &ex), "Géo-éco-no-mique");
    }
}
