//! Language rules applied to text before shaping: typographic apostrophes and quotes,
//! ellipses, and the no-break spaces of French typography.
//!
//! One table per language (`Rules`), one left-to-right pass over the characters. Every
//! rule writes a canonical form (for instance "exactly one U+202F before `;`"), so running
//! the pass twice changes nothing. URLs, e-mail addresses and verbatim spans are protected:
//! the pass copies them untouched. Each output character remembers which input character it
//! came from, so a paragraph made of several spans can be processed as one text (rules see
//! across span boundaries) and then cut back into its spans.

use crate::diag::Diagnostic;
use crate::model::Lang;

/// No-break space: stretchable, unbreakable (French before `:`, between number and unit).
pub const NBSP: char = '\u{00A0}';
/// Narrow no-break space: fixed, unbreakable (French before `; ! ?`, inside `« »`, digit
/// groups).
pub const NNBSP: char = '\u{202F}';

/// How double quotes are written in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quotes {
    /// Leave `"` alone.
    Keep,
    /// `« »` with narrow no-break spaces inside (French).
    Guillemets,
    /// `“ ”` and `‘ ’` (English).
    Curly,
    /// `„ “` (German).
    German,
}

/// The rules of one language.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// How `"` becomes typographic quotes.
    quotes: Quotes,
    /// French high-punctuation spacing: U+202F before `; ! ?`, U+00A0 before `:`.
    french_spacing: bool,
    /// English: no space before `; : ! ?`.
    remove_space_before_punct: bool,
    /// Digit groups joined by U+202F, number and unit/percent joined by U+00A0.
    number_spacing: bool,
    /// Words after a number that take a no-break space (units, currencies, magnitudes).
    units: &'static [&'static str],
    /// Report "Mots -clé" (a space before a compound's hyphen).
    check_compound_hyphen: bool,
}

/// French units, currencies and magnitude words that must stay on the line of their number.
const FR_UNITS: &[&str] = &[
    "%",
    "‰",
    "€",
    "$",
    "£",
    "¥",
    "₽",
    "km",
    "m",
    "cm",
    "mm",
    "kg",
    "h",
    "min",
    "ha",
    "km²",
    "m²",
    "m³",
    "°C",
    "°",
    "Mt",
    "Gt",
    "kWh",
    "MWh",
    "GWh",
    "TWh",
    "MW",
    "GW",
    "kW",
    "dollars",
    "euros",
    "roubles",
    "yuans",
    "tenges",
    "francs",
    "livres",
    "millions",
    "million",
    "milliards",
    "milliard",
    "mille",
    "billions",
    "milliers",
    "centaines",
    "dizaines",
    "habitants",
    "tonnes",
    "tonne",
    "kilomètres",
    "kilomètre",
    "mètres",
    "mètre",
    "kilos",
    "kilogrammes",
    "litres",
    "barils",
    "heures",
    "heure",
    "minutes",
    "minute",
    "secondes",
    "jours",
    "jour",
    "semaines",
    "mois",
    "ans",
    "an",
    "années",
    "siècles",
    "fois",
    "personnes",
    "salariés",
    "emplois",
    "pays",
    "voix",
    "sièges",
    "points",
    "degrés",
    "hectares",
    "ha",
    "kilowatts",
    "mégawatts",
];

/// English units and magnitudes kept with their number.
const EN_UNITS: &[&str] =
    &["%", "km", "kg", "m", "cm", "mm", "mph", "°C", "°F", "million", "billion", "trillion"];

const FRENCH: Rules = Rules {
    quotes: Quotes::Guillemets,
    french_spacing: true,
    remove_space_before_punct: false,
    number_spacing: true,
    units: FR_UNITS,
    check_compound_hyphen: true,
};

const ENGLISH: Rules = Rules {
    quotes: Quotes::Curly,
    french_spacing: false,
    remove_space_before_punct: true,
    number_spacing: false,
    units: EN_UNITS,
    check_compound_hyphen: true,
};

const GERMAN: Rules = Rules {
    quotes: Quotes::German,
    french_spacing: false,
    remove_space_before_punct: false,
    number_spacing: false,
    units: &[],
    check_compound_hyphen: false,
};

const OTHER: Rules = Rules {
    quotes: Quotes::Keep,
    french_spacing: false,
    remove_space_before_punct: false,
    number_spacing: false,
    units: &[],
    check_compound_hyphen: false,
};

fn rules_for(lang: Lang) -> &'static Rules {
    match lang {
        Lang::Fr => &FRENCH,
        Lang::EnGb | Lang::EnUs => &ENGLISH,
        Lang::De => &GERMAN,
        Lang::Es | Lang::It | Lang::Pt | Lang::Nl => &OTHER,
    }
}

/// Horizontal spaces the rules may replace (never line breaks).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | NBSP | NNBSP | '\u{2009}' | '\t')
}

/// Marks the characters that belong to a URL or an e-mail address, which no rule touches.
/// A "word" (run of non-spaces) is protected when it contains `://` or has an `@` followed
/// by a dot (`x@y.z`); from a `www.` that starts it or follows punctuation (`;www.x.fr`,
/// as English spacing writes `a ;www.x.fr`), the rest of the word is.
pub(crate) fn mark_protected(chars: &[char], protected: &mut [bool]) {
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let word = &chars[start..i];
        // Leading punctuation such as `(` or `«` is not part of the address.
        let lead = word.iter().take_while(|c| !c.is_alphanumeric()).count();
        let core = &word[lead..];
        let has = |pat: &str| {
            let p: Vec<char> = pat.chars().collect();
            core.windows(p.len()).any(|w| w == p.as_slice())
        };
        let www = (0..core.len().saturating_sub(4)).find(|&p| {
            (p == 0 || !core[p - 1].is_alphanumeric())
                && core[p..p + 4].iter().map(|c| c.to_ascii_lowercase()).eq("www.".chars())
        });
        let email = core
            .iter()
            .position(|&c| c == '@')
            .is_some_and(|at| at > 0 && core[at + 1..].iter().skip(1).any(|&c| c == '.'));
        let from = if has("://") || email { Some(0) } else { www };
        if let Some(from) = from {
            // Sentence punctuation after the address stays subject to the rules.
            let mut end = i;
            while end > start + lead + from
                && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?' | ')' | '»')
            {
                end -= 1;
            }
            for p in &mut protected[start + lead + from..end] {
                *p = true;
            }
        }
    }
}

/// Output of the rules: characters, each with the index of the input character it came from.
pub(crate) struct Ruled {
    pub chars: Vec<char>,
    pub origin: Vec<usize>,
    /// (input char index, message) for suspicious spacing.
    pub findings: Vec<(usize, String)>,
}

/// Applies `lang`'s rules to `chars`, leaving `protected` characters untouched.
pub(crate) fn apply(chars: &[char], protected: &[bool], lang: Lang) -> Ruled {
    let rules = rules_for(lang);
    let n = chars.len();
    let mut out: Vec<char> = Vec::with_capacity(n + n / 16 + 4);
    let mut origin: Vec<usize> = Vec::with_capacity(n + n / 16 + 4);
    let mut findings = Vec::new();
    let at = |i: usize| chars.get(i).copied();
    // Pops the spaces just written (not protected ones), returning how many.
    fn pop_spaces(out: &mut Vec<char>, origin: &mut Vec<usize>, protected: &[bool]) -> usize {
        let mut k = 0;
        while let (Some(&c), Some(&o)) = (out.last(), origin.last()) {
            if is_space(c) && !protected.get(o).copied().unwrap_or(false) {
                out.pop();
                origin.pop();
                k += 1;
            } else {
                break;
            }
        }
        k
    }
    // The minutes of a time just written end before this index: they are not a time's hour.
    let mut time_end = 0;
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if protected[i] {
            out.push(c);
            origin.push(i);
            i += 1;
            continue;
        }
        match c {
            '\'' => {
                // English opens a quote after a space or bracket; everything else (and every
                // other language) gets the apostrophe.
                let prev = out.last().copied();
                let opening = rules.quotes == Quotes::Curly
                    && prev.is_none_or(|p| p.is_whitespace() || "([{“\u{2014}\u{2013}".contains(p))
                    && at(i + 1).is_some_and(|n| n.is_alphabetic());
                out.push(if opening { '‘' } else { '’' });
                origin.push(i);
                i += 1;
            }
            '.' if at(i + 1) == Some('.') && at(i + 2) == Some('.') => {
                out.push('…');
                origin.push(i);
                i += 3;
            }
            '"' if rules.quotes != Quotes::Keep => {
                let prev = out.last().copied();
                let opening =
                    prev.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}'’".contains(p));
                let q = match (rules.quotes, opening) {
                    (Quotes::Guillemets, true) => '«',
                    (Quotes::Guillemets, false) => '»',
                    (Quotes::German, true) => '„',
                    (Quotes::German, false) => '“',
                    (_, true) => '“',
                    (_, false) => '”',
                };
                // Re-dispatch as the typographic quote so guillemet spacing applies.
                i = emit_quote(q, i, chars, protected, rules, &mut out, &mut origin);
            }
            '«' | '»' if rules.quotes == Quotes::Guillemets => {
                i = emit_quote(c, i, chars, protected, rules, &mut out, &mut origin);
            }
            ';' | '!' | '?' | ':' if rules.french_spacing => {
                let is_colon = c == ':';
                let popped = pop_spaces(&mut out, &mut origin, protected);
                let prev = out.last().copied();
                let between_digits = is_colon
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && at(i + 1).is_some_and(|n| n.is_ascii_digit());
                // "?!" and "(?)" take no space inside; "! ?" typed with a space keeps one.
                let after_mark = popped == 0 && prev.is_some_and(|p| "!?;:(«[".contains(p));
                let wants =
                    prev.is_some_and(|p| !p.is_whitespace()) && !between_digits && !after_mark;
                if wants {
                    out.push(if is_colon { NBSP } else { NNBSP });
                    origin.push(i);
                }
                out.push(c);
                origin.push(i);
                i += 1;
            }
            ';' | '!' | '?' | ':' if rules.remove_space_before_punct => {
                pop_spaces(&mut out, &mut origin, protected);
                out.push(c);
                origin.push(i);
                i += 1;
            }
            '-' if rules.check_compound_hyphen
                && i > 0
                && chars[i - 1] == ' '
                && i >= 2
                && chars[i - 2].is_alphabetic()
                && at(i + 1).is_some_and(|n| n.is_alphabetic()) =>
            {
                // "Mots -clé": probably a compound typed with a stray space; a dash used as
                // punctuation would have a space after it too. Reported, not changed.
                let from =
                    chars[..i - 1].iter().rposition(|c| c.is_whitespace()).map_or(0, |p| p + 1);
                let to = chars[i..].iter().position(|c| c.is_whitespace()).map_or(n, |p| i + p);
                let snippet: String = chars[from..to].iter().collect();
                findings.push((i - 1, format!("space before the hyphen in `{snippet}`")));
                out.push(c);
                origin.push(i);
                i += 1;
            }
            d if rules.number_spacing && d.is_ascii_digit() => {
                if i >= time_end
                    && starts_number(&out)
                    && let Some(time) = time_at(chars, protected, i)
                {
                    // "15 h 30", "9 h", "15h30": the hour, the `h` and the minutes on one
                    // line, spaced as French writes times (the minutes go through the
                    // number rules, so "18 h 45 min" keeps its unit too).
                    for (k, &digit) in chars.iter().enumerate().take(time.h).skip(i) {
                        if digit.is_ascii_digit() {
                            out.push(digit);
                            origin.push(k);
                        }
                    }
                    out.extend([NBSP, chars[time.h]]);
                    origin.extend([time.h, time.h]);
                    i = time.h + 1;
                    if let Some(minutes) = time.minutes {
                        out.push(NBSP);
                        origin.push(time.h);
                        i = minutes;
                        time_end = minutes + 2;
                    }
                    continue;
                }
                out.push(d);
                origin.push(i);
                i += 1;
                // Look at what follows the number: a space then a digit group or a unit.
                if at(i).is_some_and(|s| is_space(s) && !protected[i]) {
                    let mut j = i;
                    while at(j).is_some_and(is_space) {
                        j += 1;
                    }
                    if j < n
                        && !protected[j]
                        && let Some(space) = number_space(chars, j, &out, rules)
                    {
                        out.push(space);
                        origin.push(i);
                        i = j;
                    }
                } else if rules.french_spacing && at(i) == Some('%') {
                    out.push(NBSP);
                    origin.push(i);
                }
            }
            _ => {
                out.push(c);
                origin.push(i);
                i += 1;
            }
        }
    }
    Ruled { chars: out, origin, findings }
}

/// Writes a typographic quote at input index `i`, with the French inner spaces when the
/// language uses guillemets; returns the next input index.
fn emit_quote(
    q: char,
    i: usize,
    chars: &[char],
    protected: &[bool],
    rules: &Rules,
    out: &mut Vec<char>,
    origin: &mut Vec<usize>,
) -> usize {
    let n = chars.len();
    if rules.quotes != Quotes::Guillemets {
        out.push(q);
        origin.push(i);
        return i + 1;
    }
    match q {
        '«' => {
            out.push('«');
            origin.push(i);
            let mut j = i + 1;
            while j < n && is_space(chars[j]) && !protected[j] {
                j += 1;
            }
            // Nothing after it (end of span): leave as is, rules run per paragraph anyway.
            if j < n {
                out.push(NNBSP);
                origin.push(i);
            }
            j
        }
        _ => {
            // Closing guillemet: replace any spaces before it by one U+202F.
            while let (Some(&c), Some(&o)) = (out.last(), origin.last()) {
                if is_space(c) && !protected.get(o).copied().unwrap_or(false) {
                    out.pop();
                    origin.pop();
                } else {
                    break;
                }
            }
            if !out.is_empty() {
                out.push(NNBSP);
                origin.push(i);
            }
            out.push('»');
            origin.push(i);
            i + 1
        }
    }
}

/// A time of day as French writes it, found by [`time_at`].
struct Time {
    /// Index of the `h`.
    h: usize,
    /// Index of the first digit of the minutes, if the time has them.
    minutes: Option<usize>,
}

/// Whether a digit written after `out` starts a number rather than continuing a word, a
/// decimal or a group of digits.
fn starts_number(out: &[char]) -> bool {
    match out.last() {
        None => true,
        Some(&p) if p.is_alphanumeric() || p == ',' || p == '.' => false,
        // "1 015 h": a digit group, joined by the rules, is not an hour.
        Some(&NNBSP) => !out.len().checked_sub(2).is_some_and(|k| out[k].is_ascii_digit()),
        Some(_) => true,
    }
}

/// The time of day starting at `start` (a digit): an hour of one or two digits up to 24,
/// spaces or none, `h`, then either spaces or none and two digits of minutes up to 59, or
/// nothing that continues a word ("9 h." but not "9 heures" or "15 hab"). The Imprimerie
/// nationale's rules write "15 h 30", never "15h30" nor "15:30" in running text, with the
/// spaces no-break ones so the time is never split across lines.
fn time_at(chars: &[char], protected: &[bool], start: usize) -> Option<Time> {
    let free = |k: usize| k < chars.len() && !protected[k];
    let digits = |k: usize| (k..chars.len()).take_while(|&j| chars[j].is_ascii_digit()).count();
    let value = |from: usize, len: usize| -> u32 {
        chars[from..from + len].iter().filter_map(|c| c.to_digit(10)).fold(0, |v, d| v * 10 + d)
    };
    let spaces = |k: usize| (k..chars.len()).take_while(|&j| free(j) && is_space(chars[j])).count();
    let hour = digits(start);
    if !(1..=2).contains(&hour) || value(start, hour) > 24 {
        return None;
    }
    let h = start + hour + spaces(start + hour);
    // `H` too: a style set in capitals (a kicker) has its text uppercased before the rules.
    if !free(h) || !matches!(chars[h], 'h' | 'H') {
        return None;
    }
    let after = h + 1;
    let m = after + spaces(after);
    // Two digits that are the hour of the next time ("9 h 15 h 30") are not minutes:
    // reading them as such would make the rules give another text on a second pass.
    let minutes = (free(m) && digits(m) == 2 && value(m, 2) <= 59)
        .then_some(m)
        .filter(|&m| chars.get(m + 2).is_none_or(|c| !c.is_alphanumeric()))
        .filter(|&m| time_at(chars, protected, m).is_none());
    match minutes {
        Some(_) => Some(Time { h, minutes }),
        None if chars.get(after).is_none_or(|c| !c.is_alphanumeric()) => {
            Some(Time { h, minutes: None })
        }
        None => None,
    }
}

/// After a number followed by spaces, decides the space to put before the word starting at
/// `next` (the spaces in between are dropped): U+202F before a 3-digit group, U+00A0 before
/// a unit. `None` keeps the typed spaces.
fn number_space(chars: &[char], next: usize, out: &[char], rules: &Rules) -> Option<char> {
    let n = chars.len();
    // Digit group: the number so far is 1–3 digits (or a group itself), the next is exactly
    // three digits not followed by another digit.
    let group_len = chars[next..].iter().take_while(|c| c.is_ascii_digit()).count();
    if group_len == 3 {
        let mut k = out.len();
        let mut digits = 0;
        while k > 0 && out[k - 1].is_ascii_digit() {
            k -= 1;
            digits += 1;
        }
        let joined_before = k > 0 && (out[k - 1] == NNBSP) && k >= 2 && out[k - 2].is_ascii_digit();
        let starts_number =
            k == 0 || !out[k - 1].is_alphanumeric() && out[k - 1] != ',' && out[k - 1] != '.';
        if (1..=3).contains(&digits) && (joined_before || starts_number) {
            return Some(NNBSP);
        }
    }
    // Unit or magnitude word, up to punctuation or a closing quote or apostrophe, typed
    // straight or not: the rules make `"` a guillemet and `'` U+2019, which a second pass
    // would see.
    let end = chars[next..]
        .iter()
        .position(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '.' | ';' | ':' | '!' | '?' | ')' | '»' | '"' | '\'' | '\u{2019}'
                )
        })
        .map_or(n, |p| next + p);
    let word: String = chars[next..end].iter().collect();
    if !word.is_empty() && rules.units.contains(&word.as_str()) {
        return Some(NBSP);
    }
    None
}

/// Applies the typographic rules of `lang` to a text (a title, a label, a span), leaving
/// URLs and e-mail addresses untouched. Returns the new text and warnings (kind `spacing`)
/// whose column is the 1-based character column in `text`.
pub fn apply_language_rules(text: &str, lang: Lang) -> (String, Vec<Diagnostic>) {
    let chars: Vec<char> = text.chars().collect();
    let mut protected = vec![false; chars.len()];
    mark_protected(&chars, &mut protected);
    let ruled = apply(&chars, &protected, lang);
    let warnings = ruled
        .findings
        .iter()
        .map(|(at, message)| spacing_warning(message, text, *at + 1))
        .collect();
    (ruled.chars.into_iter().collect(), warnings)
}

/// A `spacing` warning at a 1-based character column of `text`.
pub(crate) fn spacing_warning(message: &str, text: &str, column: usize) -> Diagnostic {
    let mut d = Diagnostic::warning("spacing", format!("{message} (column {column})"))
        .snippet(text.to_string())
        .hint("remove the space, or use an en dash with spaces on both sides for an aside");
    d.column = Some(column);
    d
}

#[cfg(test)]
mod tests;
