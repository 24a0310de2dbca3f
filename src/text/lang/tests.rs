//! Tests of the language rules: examples, and properties over generated texts.

use super::*;

fn fr(s: &str) -> String {
    apply_language_rules(s, Lang::Fr).0
}

fn idempotent(s: &str, lang: Lang) {
    let once = apply_language_rules(s, lang).0;
    let twice = apply_language_rules(&once, lang).0;
    assert_eq!(once, twice, "not idempotent on {s:?}");
}

#[test]
fn french_high_punctuation() {
    assert_eq!(fr("Quoi ? Non ! Oui ; bon"), "Quoi\u{202F}? Non\u{202F}! Oui\u{202F}; bon");
    assert_eq!(fr("Quoi? Non!"), "Quoi\u{202F}? Non\u{202F}!");
    assert_eq!(fr("Temps de lecture : 3 minutes"), "Temps de lecture\u{A0}: 3\u{A0}minutes");
    assert_eq!(fr("BRICS+, OCS: une"), "BRICS+, OCS\u{A0}: une");
    assert_eq!(fr("à 12:30"), "à 12:30");
    assert_eq!(fr("Quoi ?!"), "Quoi\u{202F}?!");
}

#[test]
fn french_guillemets_and_quotes() {
    assert_eq!(fr("« Bonjour »"), "«\u{202F}Bonjour\u{202F}»");
    assert_eq!(fr("«Bonjour»"), "«\u{202F}Bonjour\u{202F}»");
    assert_eq!(fr("il dit \"oui\" hier"), "il dit «\u{202F}oui\u{202F}» hier");
}

#[test]
fn french_numbers_units_apostrophe_ellipsis() {
    assert_eq!(fr("462 %"), "462\u{A0}%");
    assert_eq!(fr("462%"), "462\u{A0}%");
    assert_eq!(fr("27,4 millions de tonnes"), "27,4\u{A0}millions de tonnes");
    assert_eq!(fr("180 000 habitants"), "180\u{202F}000\u{A0}habitants");
    assert_eq!(fr("1 234 567 €"), "1\u{202F}234\u{202F}567\u{A0}€");
    assert_eq!(fr("en 2024 150 trains"), "en 2024 150 trains");
    assert_eq!(fr("l'Union"), "l’Union");
    assert_eq!(fr("Et puis..."), "Et puis…");
}

#[test]
fn french_times_stay_on_one_line() {
    const T: &str = "\u{A0}h\u{A0}";
    assert_eq!(fr("à 15 h 30"), format!("à 15{T}30"));
    assert_eq!(fr("de 9 h à 18 h 45."), "de 9\u{A0}h à 18\u{A0}h\u{A0}45.");
    // Typed without spaces, the time is written as the Imprimerie nationale writes it.
    assert_eq!(fr("dès 15h30, puis 9h."), format!("dès 15{T}30, puis 9\u{A0}h."));
    // Typed with no-break spaces already (as the 1720 articles were): unchanged.
    assert_eq!(fr("jusqu'à 17\u{A0}h\u{A0}30"), format!("jusqu’à 17{T}30"));
    assert_eq!(fr("7\u{202F}h 15"), format!("7{T}15"));
    // A kicker set in capitals is uppercased before the rules.
    assert_eq!(fr("DÈS 15 H 30"), "DÈS 15\u{A0}H\u{A0}30");
    // The minutes keep their own unit.
    assert_eq!(fr("en 2 h 45 min"), format!("en 2{T}45\u{A0}min"));
    // Not times: hours of a duration past 24, words, decimals, digit groups.
    assert_eq!(fr("48 h de grève"), "48\u{A0}h de grève");
    assert_eq!(fr("15 heures"), "15\u{A0}heures");
    assert_eq!(fr("15 hab. au km²"), "15 hab. au km²");
    assert_eq!(fr("1,5 h 30"), "1,5\u{A0}h 30");
    assert_eq!(fr("A15h30"), "A15h30");
    assert_eq!(fr("1 015 h 30"), "1\u{202F}015\u{A0}h 30");
    assert_eq!(fr("à 12 h 75"), "à 12\u{A0}h 75");
    // English has no such rule.
    assert_eq!(apply_language_rules("at 15 h 30", Lang::EnGb).0, "at 15 h 30");
    // "9 h 15h30": the 15 is the next time's hour, not the first's minutes (found by the
    // property test below).
    let times = ["à 15 h 30", "15h30", "9h", "de 9 h à 12 h 30 min", "15 h 30 000", "18 h 45\"!"];
    for s in times.into_iter().chain(["9 h\u{202f}15h30 a", "9 h 15 h 30"]) {
        idempotent(s, Lang::Fr);
    }
}

#[test]
fn french_rules_are_idempotent() {
    for s in [
        "Quoi ? Non ! Oui ; bon : « Bonjour » \"x\" 462 % 180 000 habitants l'Union...",
        "Temps de lecture : 3 minutes",
        "«Bonjour»",
        "Mots -clé",
        "voir https://liberte-actus.fr/1719 ?",
    ] {
        idempotent(s, Lang::Fr);
    }
}

#[test]
fn a_unit_before_a_quote_is_joined_to_its_number_in_one_pass() {
    // Found by the property test: the straight quote became » only after the unit was
    // looked at, so the unit's no-break space came on the second pass.
    assert_eq!(fr("12 %\""), "12\u{A0}%\u{202F}»");
    idempotent("12 %\"", Lang::Fr);
    idempotent("« 3 km\" »", Lang::Fr);
    assert_eq!(fr("12 km'"), "12\u{A0}km’");
}

#[test]
fn an_address_joined_to_punctuation_stays_protected() {
    // Found by the property test: English removes the space before `;`, which glued the
    // address to the word before it, and a second pass no longer saw the address (a quote
    // ending an address is part of it, as in `urls_and_emails_untouched`).
    let once = apply_language_rules("a ;www.ex.com\"", Lang::EnGb).0;
    assert_eq!(once, "a;www.ex.com\"");
    idempotent("a ;www.ex.com\"", Lang::EnGb);
    idempotent("voir ;www.ex.com'a", Lang::EnGb);
}

#[test]
fn urls_and_emails_untouched() {
    assert_eq!(fr("https://liberte-actus.fr/?a=1:2"), "https://liberte-actus.fr/?a=1:2");
    assert_eq!(fr("voir www.example.com/a'b !"), "voir www.example.com/a'b\u{202F}!");
    assert_eq!(fr("écrire à jean.dupont@exemple.fr ?"), "écrire à jean.dupont@exemple.fr\u{202F}?");
    assert_eq!(
        apply_language_rules("see https://a.org/x?y=\"z\" now", Lang::EnGb).0,
        "see https://a.org/x?y=\"z\" now"
    );
}

#[test]
fn compound_hyphen_space_is_reported_not_changed() {
    let (text, warnings) = apply_language_rules("Mots -clé", Lang::Fr);
    assert_eq!(text, "Mots -clé");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, "spacing");
    assert_eq!(warnings[0].column, Some(5));
    assert!(warnings[0].message.contains("Mots -clé"));
    // A spaced dash used as punctuation is fine.
    assert!(apply_language_rules("oui - non", Lang::Fr).1.is_empty());
}

#[test]
fn english_quotes_and_spacing() {
    let en = |s| apply_language_rules(s, Lang::EnGb).0;
    assert_eq!(
        en("\"Hello,\" she said 'quietly' ; it's fine !"),
        "“Hello,” she said ‘quietly’; it’s fine!"
    );
    assert_eq!(en("Note : done ?"), "Note: done?");
    idempotent("\"Hello,\" she said 'quietly' ; it's fine !", Lang::EnUs);
}

#[test]
fn other_languages_apostrophe_and_ellipsis_only() {
    let it = apply_language_rules("l'Italia... \"si\" ?", Lang::It).0;
    assert_eq!(it, "l’Italia… \"si\" ?");
    assert_eq!(apply_language_rules("\"Ja\"", Lang::De).0, "„Ja“");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of text the rules act on: letters and words, every kind of space, quotes
    /// straight and curly, high punctuation, ellipses, numbers and units, and the
    /// addresses the rules must leave alone.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "a", "l", "Le", "mot", "it", "s", "É", "km", "h", "millions", "m²", "°C", "12", "000",
        "3,5", "1719", "0", " ", "  ", "\u{A0}", "\u{202F}", "\u{2009}", "\t", "\n", ";", ":",
        "!", "?", ".", ",", "...", "…", "\"", "'", "«", "»", "“", "”", "‘", "’", "„", "%", "‰",
        "€", "-", "‐", "–", "—", "(", ")", "[", "http://x.fr/a:b", "www.ex.com", "a@b.fr",
        "15h30", "9 h", "h 45", "24", "59", "1,",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn french_rules_applied_twice_change_nothing(text in text()) {
            let once = apply_language_rules(&text, Lang::Fr).0;
            prop_assert_eq!(&apply_language_rules(&once, Lang::Fr).0, &once);
        }

        #[test]
        fn english_rules_applied_twice_change_nothing(text in text()) {
            for lang in [Lang::EnGb, Lang::EnUs] {
                let once = apply_language_rules(&text, lang).0;
                prop_assert_eq!(&apply_language_rules(&once, lang).0, &once);
            }
        }
    }
}
