//! Character protrusion (optical margin alignment, pdfTeX's `\lpcode`/`\rpcode`): at the
//! edges of a justified line, punctuation, hyphens and a few round or open letters hang
//! into the margin by part of their width, so the column's edge looks straight to the eye
//! rather than to the ruler. A full stop or a hyphen is mostly white; set flush, it makes a
//! dent in the edge.
//!
//! The amounts are thousandths of the glyph's own advance, so they fit any text face at any
//! size (the values of the `microtype` LaTeX package's `default` set, which it applies to
//! every font it has no specific table for). `microtype.protrusion_chars` in `issue.yaml`
//! replaces a character's amounts, and `microtype.protrusion` scales them all.

/// Protrusion amounts: the built-in table, with the replacements.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProtrusionTable {
    /// Per character, left and right, thousandths of the advance; searched before the
    /// built-in table.
    overrides: Vec<(char, [f32; 2])>,
}

impl ProtrusionTable {
    /// The built-in table with `overrides` taking precedence.
    pub(crate) fn new(overrides: &[(char, [f32; 2])]) -> ProtrusionTable {
        ProtrusionTable { overrides: overrides.to_vec() }
    }

    /// How much of `c`'s advance may hang into the left and right margin, as fractions.
    pub(crate) fn codes(&self, c: char) -> [f32; 2] {
        let [l, r] = match self.overrides.iter().find(|(o, _)| *o == c) {
            Some(&(_, codes)) => codes,
            None => builtin(c),
        };
        [l / 1000.0, r / 1000.0]
    }

    /// How far `c`, `advance` points wide, hangs into the right margin, points.
    pub(crate) fn right(&self, c: char, advance: f32) -> f32 {
        self.codes(c)[1] * advance
    }
}

/// The built-in amounts, thousandths of the advance, left and right.
fn builtin(c: char) -> [f32; 2] {
    match c {
        // Mostly white on the side that meets the margin.
        '.' | '\u{2026}' => [0.0, 700.0],
        ',' | ':' | ';' => [0.0, 500.0],
        '!' | '?' => [0.0, 200.0],
        '-' | '\u{2010}' | '\u{2011}' | '\u{00AD}' => [700.0, 700.0],
        '\u{2013}' => [400.0, 300.0],
        '\u{2014}' => [400.0, 200.0],
        // Curly quotes hang on the side they open or close towards, as the English forms
        // face (German closes with “ and ‘: set flush at a line's end, they only leave a
        // dent under their ink, where hanging them made the line look long).
        '\u{2018}' | '\u{201C}' => [500.0, 0.0],
        '\u{2019}' | '\u{201D}' => [0.0, 500.0],
        '\u{201E}' | '\u{201A}' => [400.0, 0.0],
        '\'' | '"' => [300.0, 300.0],
        '\u{00AB}' | '\u{00BB}' => [200.0, 200.0],
        '\u{2039}' | '\u{203A}' => [300.0, 300.0],
        '(' | '[' => [50.0, 0.0],
        ')' | ']' => [0.0, 50.0],
        '/' => [0.0, 100.0],
        '1' => [100.0, 100.0],
        // Round or open letters: a touch, so their optical edge meets the straight ones'.
        'A' | 'T' | 'V' | 'X' | 'Y' | 'v' | 'x' | 'y' => [50.0, 50.0],
        // The white at a w's foot is no wider than a v's, but the letter is half as wide
        // again: the same share would hang it out further than the eye wants.
        'W' | 'w' => [35.0, 35.0],
        'O' | 'Q' => [50.0, 50.0],
        'C' | 'G' | 'J' => [50.0, 0.0],
        'F' | 'K' | 'L' | 'k' | 'r' => [0.0, 50.0],
        't' => [0.0, 70.0],
        _ => [0.0, 0.0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_hangs_further_than_letters_and_overrides_win() {
        let table = ProtrusionTable::new(&[('.', [0.0, 1000.0])]);
        let close = |a: f32, b: f32| (a - b).abs() < 1e-5;
        assert!(close(table.right('.', 2.0), 2.0));
        assert!(close(table.right(',', 2.0), 1.0));
        assert!(close(table.right('-', 3.0), 2.1));
        assert!(close(table.codes('O')[0] * 10.0, 0.5));
        assert!(close(table.codes('e')[0] * 10.0, 0.0));
        assert!(close(table.codes('.')[0] * 10.0, 0.0));
    }

    #[test]
    fn quotes_hang_on_the_side_they_face() {
        let table = ProtrusionTable::default();
        for (open, close) in [('“', '”'), ('‘', '’'), ('„', '”')] {
            assert!(table.codes(open)[0] > 0.0 && table.codes(open)[1] == 0.0, "{open}");
            assert!(table.codes(close)[1] > 0.0 && table.codes(close)[0] == 0.0, "{close}");
        }
    }
}
