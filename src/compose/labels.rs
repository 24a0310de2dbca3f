//! Printed labels in the eight languages the text engine sets (French, English, German,
//! Spanish, Italian, Portuguese, Dutch), dates written out in each, and reading time.
//! `issue.yaml` can override any label per language.

use crate::model::{Date, IssueConfig, Labels, Lang};

/// Labels resolved for one language: built-ins with the issue's overrides on top.
#[derive(Debug, Clone)]
pub struct ResolvedLabels {
    /// "Mise à jour le {date}".
    pub updated: String,
    /// "Publié le {date}".
    pub published: String,
    /// "Temps de lecture : {minutes} minutes".
    pub reading_time: String,
    /// Reading time when it is one minute.
    pub reading_time_one: String,
    /// "Accès abonné".
    pub subscribers: String,
    /// "Accès libre".
    pub free: String,
    /// "Mots-clés".
    pub keywords: String,
    /// "Page".
    pub page: String,
    /// QR caption.
    pub qr_caption: String,
    /// "Cet article est lisible à cette adresse sur le site {publication} :".
    pub qr_address: String,
    /// "Par {author}".
    pub by: String,
    /// "Suite page {page}".
    pub continued: String,
    /// "N°".
    pub number: String,
}

/// The built-in labels of a language.
fn builtin(lang: Lang) -> ResolvedLabels {
    let owned = |items: [&str; 13]| ResolvedLabels {
        updated: items[0].into(),
        published: items[1].into(),
        reading_time: items[2].into(),
        reading_time_one: items[3].into(),
        subscribers: items[4].into(),
        free: items[5].into(),
        keywords: items[6].into(),
        page: items[7].into(),
        qr_caption: items[8].into(),
        qr_address: items[9].into(),
        by: items[10].into(),
        continued: items[11].into(),
        number: items[12].into(),
    };
    match lang {
        Lang::Fr => owned([
            "Mise à jour le {date}",
            "Publié le {date}",
            "Temps de lecture : {minutes} minutes",
            "Temps de lecture : 1 minute",
            "Accès abonné",
            "Accès libre",
            "Mots-clés",
            "page",
            "Flashez le QR code suivant pour retrouver l’article en ligne",
            "Cet article est lisible à cette adresse sur le site {publication} :",
            "Par {author}",
            "Suite page {page}",
            "N°",
        ]),
        Lang::De => owned([
            "Aktualisiert am {date}",
            "Veröffentlicht am {date}",
            "Lesezeit: {minutes} Minuten",
            "Lesezeit: 1 Minute",
            "Für Abonnenten",
            "Frei zugänglich",
            "Schlagwörter",
            "Seite",
            "Scannen Sie den QR-Code, um den Artikel online zu lesen",
            "Dieser Artikel steht auf der Website von {publication} unter:",
            "Von {author}",
            "Fortsetzung auf Seite {page}",
            "Nr.",
        ]),
        Lang::Es => owned([
            "Actualizado el {date}",
            "Publicado el {date}",
            "Tiempo de lectura: {minutes} minutos",
            "Tiempo de lectura: 1 minuto",
            "Solo para suscriptores",
            "Acceso libre",
            "Palabras clave",
            "página",
            "Escanee el código QR para leer el artículo en línea",
            "Este artículo puede leerse en el sitio de {publication}:",
            "Por {author}",
            "Continúa en la página {page}",
            "N.º",
        ]),
        Lang::It => owned([
            "Aggiornato il {date}",
            "Pubblicato il {date}",
            "Tempo di lettura: {minutes} minuti",
            "Tempo di lettura: 1 minuto",
            "Riservato agli abbonati",
            "Accesso libero",
            "Parole chiave",
            "pagina",
            "Inquadra il codice QR per leggere l’articolo online",
            "Questo articolo si legge sul sito di {publication} all’indirizzo:",
            "Di {author}",
            "Continua a pagina {page}",
            "N.",
        ]),
        Lang::Pt => owned([
            "Atualizado em {date}",
            "Publicado em {date}",
            "Tempo de leitura: {minutes} minutos",
            "Tempo de leitura: 1 minuto",
            "Exclusivo para assinantes",
            "Acesso livre",
            "Palavras-chave",
            "página",
            "Leia o código QR para ver o artigo online",
            "Este artigo pode ser lido no site de {publication} em:",
            "Por {author}",
            "Continua na página {page}",
            "N.º",
        ]),
        Lang::Nl => owned([
            "Bijgewerkt op {date}",
            "Gepubliceerd op {date}",
            "Leestijd: {minutes} minuten",
            "Leestijd: 1 minuut",
            "Voor abonnees",
            "Vrij toegankelijk",
            "Trefwoorden",
            "pagina",
            "Scan de QR-code om het artikel online te lezen",
            "Dit artikel staat op de website van {publication}:",
            "Door {author}",
            "Vervolg op pagina {page}",
            "Nr.",
        ]),
        Lang::EnGb | Lang::EnUs => owned([
            "Updated {date}",
            "Published {date}",
            "Reading time: {minutes} minutes",
            "Reading time: 1 minute",
            "Subscribers only",
            "Free access",
            "Keywords",
            "page",
            "Scan the QR code to read this article online",
            "This article can be read on the {publication} website at:",
            "By {author}",
            "Continued on page {page}",
            "No.",
        ]),
    }
}

/// "Suite de la page {page}": the jump head over the continuation of a story, in `lang`.
pub fn continued_from(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Suite de la page {page}",
        Lang::De => "Fortsetzung von Seite {page}",
        Lang::Es => "Viene de la página {page}",
        Lang::It => "Segue da pagina {page}",
        Lang::Pt => "Continuação da página {page}",
        Lang::Nl => "Vervolg van pagina {page}",
        Lang::EnGb | Lang::EnUs => "Continued from page {page}",
    }
}

/// "En bref": the label over a frame of briefs, in `lang`.
pub fn briefs(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "En bref",
        Lang::De => "Kurz notiert",
        Lang::Es => "En breve",
        Lang::It => "In breve",
        Lang::Pt => "Em resumo",
        Lang::Nl => "In het kort",
        Lang::EnGb | Lang::EnUs => "In brief",
    }
}

/// "Publicité": the word on an ad placeholder, in `lang`.
pub fn advertisement(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Publicité",
        Lang::De => "Anzeige",
        Lang::Es => "Publicidad",
        Lang::It => "Pubblicità",
        Lang::Pt => "Publicidade",
        Lang::Nl => "Advertentie",
        Lang::EnGb | Lang::EnUs => "Advertisement",
    }
}

/// Labels for `lang`, with the overrides of `issue.yaml` applied.
pub fn labels(config: &IssueConfig, lang: Lang) -> ResolvedLabels {
    let mut resolved = builtin(lang);
    let family = |l: Lang| if l.is_english() { Lang::EnGb } else { l };
    for (override_lang, labels) in &config.labels {
        if family(*override_lang) == family(lang) {
            apply(&mut resolved, labels);
        }
    }
    resolved
}

fn apply(into: &mut ResolvedLabels, from: &Labels) {
    let pairs: [(&mut String, &Option<String>); 11] = [
        (&mut into.updated, &from.updated),
        (&mut into.published, &from.published),
        (&mut into.reading_time, &from.reading_time),
        (&mut into.subscribers, &from.subscribers),
        (&mut into.free, &from.free),
        (&mut into.keywords, &from.keywords),
        (&mut into.page, &from.page),
        (&mut into.qr_caption, &from.qr_caption),
        (&mut into.qr_address, &from.qr_address),
        (&mut into.by, &from.by),
        (&mut into.continued, &from.continued),
    ];
    for (slot, value) in pairs {
        if let Some(value) = value {
            *slot = value.clone();
        }
    }
    if from.reading_time.is_some() {
        into.reading_time_one = fill(&into.reading_time, &[("minutes", "1")]);
    }
}

/// A date written out: "11 septembre 2025", "11 September 2025", "11. September 2025",
/// "11 de septiembre de 2025", ...
pub fn long_date(date: Date, lang: Lang) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const IT: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    const PT: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let month = (date.month.clamp(1, 12) - 1) as usize;
    let (day, year) = (date.day, date.year);
    match lang {
        Lang::Fr if day == 1 => format!("1er {} {year}", FR[month]),
        Lang::Fr => format!("{day} {} {year}", FR[month]),
        Lang::De => format!("{day}. {} {year}", DE[month]),
        Lang::EnUs => format!("{} {day}, {year}", EN[month]),
        Lang::EnGb => format!("{day} {} {year}", EN[month]),
        Lang::Es => format!("{day} de {} de {year}", ES[month]),
        // Italian writes the first of the month as an ordinal.
        Lang::It if day == 1 => format!("1º {} {year}", IT[month]),
        Lang::It => format!("{day} {} {year}", IT[month]),
        Lang::Pt => format!("{day} de {} de {year}", PT[month]),
        Lang::Nl => format!("{day} {} {year}", NL[month]),
    }
}

/// Minutes needed to read `words` words at `words_per_minute`, rounded up, at least one.
pub fn reading_minutes(words: usize, words_per_minute: u32) -> u32 {
    let wpm = words_per_minute.max(1) as usize;
    words.div_ceil(wpm).max(1) as u32
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_language() {
        let d = Date { year: 2025, month: 9, day: 11 };
        assert_eq!(long_date(d, Lang::Fr), "11 septembre 2025");
        assert_eq!(long_date(d, Lang::EnGb), "11 September 2025");
        assert_eq!(long_date(d, Lang::De), "11. September 2025");
        assert_eq!(long_date(Date { year: 2025, month: 5, day: 1 }, Lang::Fr), "1er mai 2025");
        assert_eq!(long_date(d, Lang::EnUs), "September 11, 2025");
        assert_eq!(long_date(d, Lang::Es), "11 de septiembre de 2025");
        assert_eq!(long_date(d, Lang::It), "11 settembre 2025");
        assert_eq!(long_date(Date { year: 2025, month: 5, day: 1 }, Lang::It), "1º maggio 2025");
        assert_eq!(long_date(d, Lang::Pt), "11 de setembro de 2025");
        assert_eq!(long_date(d, Lang::Nl), "11 september 2025");
    }

    #[test]
    fn every_language_has_its_own_labels() {
        let langs = [Lang::Fr, Lang::EnGb, Lang::De, Lang::Es, Lang::It, Lang::Pt, Lang::Nl];
        let reading: Vec<String> = langs.iter().map(|&l| builtin(l).reading_time).collect();
        for (i, a) in reading.iter().enumerate() {
            assert!(a.contains("{minutes}"), "{a}");
            assert!(reading[i + 1..].iter().all(|b| b != a), "{a} is used twice");
        }
        assert_eq!(builtin(Lang::EnUs).continued, builtin(Lang::EnGb).continued);
        assert_eq!(builtin(Lang::Es).continued, "Continúa en la página {page}");
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0, 230), 1);
        assert_eq!(reading_minutes(460, 230), 2);
        assert_eq!(reading_minutes(461, 230), 3);
    }

    #[test]
    fn an_overridden_reading_time_serves_one_minute_too() {
        let mut config = crate::load::default_config();
        let custom =
            Labels { reading_time: Some("Lecture : {minutes} min".into()), ..Labels::default() };
        config.labels.push((Lang::Fr, custom));
        let resolved = labels(&config, Lang::Fr);
        assert_eq!(resolved.reading_time_one, "Lecture : 1 min");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("Temps de lecture : {minutes} minutes", &[("minutes", "3")]),
            "Temps de lecture : 3 minutes"
        );
    }
}
