//! `microtype:`: character protrusion, font expansion and letter spacing of justified
//! paragraphs, in percent in the file.

use std::ops::RangeInclusive;

use super::Resolver;
use super::schema::RawMicrotype;
use crate::model::MicrotypeSpec;

/// Protrusion, percent of the table's amounts: beyond twice them a full stop hangs wholly
/// out and the edge looks ragged again.
const PROTRUSION_PERCENT: RangeInclusive<f32> = 0.0..=200.0;
/// Expansion and letter spacing, percent: beyond 5 the change of colour from line to line
/// shows (microtype's own ceiling for expansion).
const FLEX_PERCENT: RangeInclusive<f32> = 0.0..=5.0;
/// Expansion step, percent: 0 for any amount.
const STEP_PERCENT: RangeInclusive<f32> = 0.0..=5.0;
/// River demerits: beyond TeX's `\adjdemerits` (10000) a river outweighs every other
/// choice of the breaker, loose lines included.
const RIVER_DEMERITS: RangeInclusive<f32> = 0.0..=10000.0;
/// A character's protrusion, thousandths of its width: at most all of it.
const CHAR_CODES: RangeInclusive<f32> = 0.0..=1000.0;

impl Resolver<'_> {
    /// `microtype:` over the defaults.
    pub(super) fn microtype(&mut self, raw: &RawMicrotype, spec: &mut MicrotypeSpec) {
        let j = &mut spec.justified;
        let percent = |v: f32| v * 100.0;
        j.protrusion = self.number(
            &raw.protrusion,
            "microtype.protrusion",
            PROTRUSION_PERCENT,
            percent(j.protrusion),
        ) / 100.0;
        j.expansion =
            self.number(&raw.expansion, "microtype.expansion", FLEX_PERCENT, percent(j.expansion))
                / 100.0;
        j.expansion_step = self.number(
            &raw.expansion_step,
            "microtype.expansion_step",
            STEP_PERCENT,
            percent(j.expansion_step),
        ) / 100.0;
        j.letter_spacing = self.number(
            &raw.letter_spacing,
            "microtype.letter_spacing",
            FLEX_PERCENT,
            percent(j.letter_spacing),
        ) / 100.0;
        j.rivers = self.number(&raw.rivers, "microtype.rivers", RIVER_DEMERITS, j.rivers);
        let Some(chars) = &raw.protrusion_chars else { return };
        for (key, at) in chars {
            let field = format!("microtype.protrusion_chars.{key}");
            let mut letters = key.chars();
            let (Some(c), None) = (letters.next(), letters.next()) else {
                let d = self.error(
                    "invalid-value",
                    format!("`{key}` is not one character"),
                    "microtype.protrusion_chars",
                    at,
                );
                d.hint = Some(String::from("protrusion_chars: { \".\": [0, 700] }"));
                continue;
            };
            match at.value.as_slice() {
                &[l, r] if CHAR_CODES.contains(&l) && CHAR_CODES.contains(&r) => {
                    spec.protrusion_chars.push((c, [l, r]));
                }
                _ => {
                    let d = self.error(
                        "invalid-value",
                        format!(
                            "`{field}` must be `[left, right]`, thousandths of the character's \
                             width from 0 to 1000"
                        ),
                        &field,
                        at,
                    );
                    d.hint = Some(String::from("protrusion_chars: { \".\": [0, 700] }"));
                }
            }
        }
    }
}
