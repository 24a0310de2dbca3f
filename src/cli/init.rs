//! `rotative init`: a clean starting issue, written without asking anything: an
//! `issue.yaml` with the publication's name, number, date, language and page format (each
//! a flag, each with a default), one article to replace, and an empty `photos/` folder.
//! Nothing of the example issue (its name, its stories, its photos) is copied.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

/// What the new issue is called and how it is printed.
#[derive(Debug, Clone)]
pub(crate) struct Starter {
    /// Publication name (default: the folder's name).
    pub name: Option<String>,
    /// Issue date, `YYYY-MM-DD` (default: today, UTC).
    pub date: Option<String>,
    /// Issue number.
    pub number: String,
    /// Language of the articles.
    pub language: String,
    /// Page format.
    pub format: String,
}

/// The languages `lang` takes (docs/input-format.md).
const LANGUAGES: &[&str] = &["fr", "en", "en-GB", "en-US", "de", "es", "it", "pt", "nl"];
/// The named page formats `page` takes.
const FORMATS: &[&str] = &["a4", "a3", "a5", "tabloid", "compact", "berliner", "rhenish", "nordic"];

/// Writes a new issue into `folder`, which must not exist or be empty. Errors are usage
/// errors: a bad option value, a folder in use or not writable.
pub(crate) fn scaffold(folder: &Path, starter: &Starter) -> Result<(), String> {
    if folder.exists() && fs::read_dir(folder).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} exists and is not empty", folder.display()));
    }
    let name = starter.name.clone().unwrap_or_else(|| {
        folder.file_name().map_or_else(|| "Mon journal".into(), |n| n.to_string_lossy().into())
    });
    let date = match &starter.date {
        Some(date) => checked_date(date)?,
        None => today(),
    };
    if !LANGUAGES.contains(&starter.language.as_str()) {
        return Err(format!(
            "--language {}: not a language rotative sets (one of {})",
            starter.language,
            LANGUAGES.join(", ")
        ));
    }
    let format = starter.format.to_ascii_lowercase();
    if !FORMATS.contains(&format.as_str()) && !is_size(&format) {
        return Err(format!(
            "--format {}: not a page format (one of {}, or WIDTHxHEIGHT in mm such as 280x430)",
            starter.format,
            FORMATS.join(", ")
        ));
    }
    let french = starter.language == "fr";
    let files = [
        ("issue.yaml", issue_yaml(&name, &starter.number, &date, &starter.language, &format)),
        ("articles/01-premier-article.md", first_article(&date, french)),
        ("photos/README.md", PHOTOS_README.to_string()),
    ];
    for (file, text) in files {
        let path = folder.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `issue.yaml`: the values given, every other key left to its default, with comments
/// pointing at the reference.
fn issue_yaml(name: &str, number: &str, date: &str, language: &str, format: &str) -> String {
    // A JSON string is a YAML double-quoted scalar: any name (colons, quotes) stays text.
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    format!(
        "# A new issue, made by `rotative init`. Every key is explained, with its default, in\n\
         # docs/input-format.md of rotative; build it with `rotative build <this folder>`.\n\
         publication: {}\n\
         number: {}\n\
         date: {date}\n\
         lang: {language}\n\
         # website: https://example.org     # printed in the folio, and the base of the QR codes\n\
         \n\
         page: {format}\n\
         margins: 15\n\
         columns: 3\n\
         gutter: 5\n\
         \n\
         output:\n\
         \x20 standard: pdf-x-4\n\
         \x20 icc_profile: newsprint      # `fogra39` for coated offset\n\
         \n\
         articles:\n\
         \x20 - articles/01-premier-article.md\n",
        quote(name),
        quote(number),
    )
}

/// The article to replace: every common field, and the Markdown a story uses.
fn first_article(date: &str, french: bool) -> String {
    let (front, body) = if french {
        (
            "kicker: Rubrique\n\
             title: Le titre de l'article\n\
             standfirst: Le chapô, qui résume l'article en deux ou trois phrases.\n\
             author: La rédaction\n",
            "Le premier paragraphe de l'article. Remplacez ce texte par le vôtre : \
             *l'italique* et **le gras** s'écrivent en Markdown.\n\n\
             ## Un intertitre\n\n\
             Un autre paragraphe. Une photo s'ajoute dans l'en-tête, sous `photo:`, avec le \
             fichier placé dans `photos/`.\n\n\
             :::encadre Un encadré\n\
             - Un point à retenir\n\
             - Un autre\n\
             :::\n",
        )
    } else {
        (
            "kicker: Section\n\
             title: The headline of the story\n\
             standfirst: The standfirst, which sums up the story in two or three sentences.\n\
             author: The newsroom\n",
            "The first paragraph of the story. Replace this text with yours: *italic* and \
             **bold** are written in Markdown.\n\n\
             ## An intertitle\n\n\
             Another paragraph. A photo is added in the front matter, under `photo:`, with \
             its file in `photos/`.\n\n\
             :::sidebar A sidebar\n\
             - A point to remember\n\
             - Another\n\
             :::\n",
        )
    };
    let lang = if french { String::new() } else { "lang: en\n".into() };
    format!("---\n{front}date: {date}\n{lang}---\n\n{body}")
}

const PHOTOS_README: &str = "Photos of this issue: JPEG or PNG, named in an article's front \
matter as `photo: { file: ../photos/name.jpg, credit: …, caption: … }`.\n";

/// `date` if it is a real calendar date written `YYYY-MM-DD`.
fn checked_date(date: &str) -> Result<String, String> {
    let bad = || format!("--date {date}: not a calendar date written YYYY-MM-DD");
    let parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return Err(bad()) };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return Err(bad());
    }
    let (year, month, day): (i64, u32, u32) = (
        year.parse().map_err(|_| bad())?,
        month.parse().map_err(|_| bad())?,
        day.parse().map_err(|_| bad())?,
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if day == 0 || day > days {
        return Err(bad());
    }
    Ok(date.to_string())
}

/// Whether `format` is `WIDTHxHEIGHT` in whole millimetres.
fn is_size(format: &str) -> bool {
    format.split_once('x').is_some_and(|(w, h)| {
        [w, h].iter().all(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Today's date, UTC, as `YYYY-MM-DD` (civil from days, Howard Hinnant's algorithm).
fn today() -> String {
    let seconds =
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!(checked_date("2026-02-28").is_ok());
        assert!(checked_date("2024-02-29").is_ok());
        assert!(checked_date("2026-02-29").is_err());
        assert!(checked_date("2026-13-01").is_err());
        assert!(checked_date("26-01-01").is_err());
        assert!(checked_date(&today()).is_ok());
    }

    #[test]
    fn sizes_are_width_by_height() {
        assert!(is_size("280x430"));
        assert!(!is_size("280x"));
        assert!(!is_size("a4"));
    }
}
