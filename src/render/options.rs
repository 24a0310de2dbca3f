//! How to write the PDF: [`RenderOptions`], resolved from the issue's settings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::version::{PreviousVersion, Timestamp, at_midnight, inputs_modified};
use crate::model::{Date, InkMeasure, Issue, IssueConfig, OutputSpec, PhotoDigest, Standard};

/// How to write the PDF.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Standard, bleed, marks, output profile and condition, ink limit, rendering intent
    /// and trapping, as resolved from `issue.yaml` and the command line.
    pub output: OutputSpec,
    /// Document title (Info and XMP).
    pub title: String,
    /// Document language tag, e.g. `fr`.
    pub lang: String,
    /// Date stamped as CreationDate (year, month, day): the issue's, never the clock, so two
    /// builds of one issue are identical.
    pub date: (i32, u32, u32),
    /// When the inputs last changed, the ModDate of a new version (see [`super::version`]).
    pub modified: Timestamp,
    /// The file this one replaces, if there is one: an unchanged rebuild takes its date
    /// and version, a changed one the next version.
    pub previous: Option<PreviousVersion>,
    /// Slug line text (file, date, standard); the page number is appended.
    pub slug: String,
    /// Largest image, in pixels, that will be decoded (checked from the header first).
    pub max_pixels: u64,
    /// The folder of the build cache's converted photos (`.rotative-cache/photos` in the
    /// output folder, see [`crate::cache`]); `None`: every photo is converted.
    pub photo_cache: Option<std::path::PathBuf>,
    /// The ink load measured of each photo file ([`crate::model::Photo::ink`]), by path: render judges a
    /// CMYK photo by it when its bytes are the ones measured, instead of decoding it again.
    pub measured: BTreeMap<PathBuf, InkMeasure>,
    /// The digest load took of each photo file ([`crate::model::Photo::digest`]), by path:
    /// render takes it while the file keeps the stamp it had, instead of hashing it again.
    pub loaded: BTreeMap<PathBuf, PhotoDigest>,
}

impl Default for RenderOptions {
    /// The defaults of `issue.yaml`: PDF/X-4 on Coated FOGRA39, 3 mm bleed, crop marks, a
    /// 240 % ink limit.
    fn default() -> Self {
        Self {
            output: OutputSpec::default(),
            title: String::new(),
            lang: "fr".into(),
            date: (2025, 1, 1),
            modified: Timestamp::midnight((2025, 1, 1)),
            previous: None,
            slug: String::new(),
            max_pixels: 200_000_000,
            photo_cache: None,
            measured: BTreeMap::new(),
            loaded: BTreeMap::new(),
        }
    }
}

impl RenderOptions {
    /// The render settings of `issue` with `config` (its settings after the command line's
    /// overrides).
    pub fn for_issue(config: &IssueConfig, issue: &Issue) -> RenderOptions {
        // The PDF's dates come from the input, never the clock, so builds are reproducible:
        // the issue date, else SOURCE_DATE_EPOCH (reproducible-builds.org), else an article's.
        let date = config.date.or_else(source_date_epoch).or_else(|| {
            issue
                .articles
                .iter()
                .find_map(|a| a.article.as_ref().ok().and_then(|a| a.updated.or(a.date)))
        });
        let modified = inputs_modified(issue);
        // Without any date, the inputs' time (which a file system always has).
        let date = date
            .map(|d| (d.year, d.month, d.day))
            .or(modified.map(|m| m.date))
            .unwrap_or((1970, 1, 1));
        let modified =
            modified.or(config.date.map(at_midnight)).unwrap_or(Timestamp::midnight(date));
        let standard = match config.output.standard {
            Standard::PdfX4 => "PDF/X-4",
            Standard::PdfX1a => "PDF/X-1a:2001",
            Standard::None => "PDF",
        };
        let photos =
            || issue.articles.iter().filter_map(|a| a.article.as_ref().ok()?.photo.as_ref());
        let measured =
            photos().filter_map(|photo| Some((photo.path.clone(), photo.ink.clone()?))).collect();
        let loaded = photos()
            .filter_map(|photo| Some((photo.path.clone(), photo.digest.clone()?)))
            .collect();
        RenderOptions {
            output: config.output.clone(),
            title: match &config.number {
                Some(n) => format!("{} {n}", config.publication),
                None => config.publication.clone(),
            },
            lang: config.lang.tag().to_string(),
            date,
            modified,
            previous: None,
            slug: format!("{:04}-{:02}-{:02} · {standard}", date.0, date.1, date.2),
            max_pixels: config.photo.max_pixels,
            photo_cache: None,
            measured,
            loaded,
        }
    }
}

/// The calendar date of `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC), if set.
fn source_date_epoch() -> Option<Date> {
    Some(civil_date(source_date_epoch_seconds()? / 86_400))
}

/// `SOURCE_DATE_EPOCH`, seconds since 1970-01-01 UTC, if set to a usable value.
pub(super) fn source_date_epoch_seconds() -> Option<i64> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    // Far beyond any printable year: ignore rather than wrap.
    (0..=253_402_300_799).contains(&seconds).then_some(seconds)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(super) fn civil_date(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_to_dates() {
        let date = |d: Date| (d.year, d.month, d.day);
        assert_eq!(date(civil_date(0)), (1970, 1, 1));
        assert_eq!(date(civil_date(20_342)), (2025, 9, 11));
        assert_eq!(date(civil_date(11_016)), (2000, 2, 29));
    }
}
