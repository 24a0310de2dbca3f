//! Telling rebuilds apart: the modification time stamped in a PDF (from the inputs, never
//! the clock) and the version of the document, read back from the previous output.
//!
//! A rebuild whose content changed gets a new `ModDate` and the next `xmpMM:VersionID`,
//! under the same `xmpMM:DocumentID`; a rebuild whose content did not change takes the
//! previous file's date and version, and so comes out byte for byte the same.

use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::model::{Article, Date, FontSource, Issue, ProfileChoice};

/// A moment in UTC, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Calendar date.
    pub date: (i32, u32, u32),
    /// Hour, minute, second.
    pub time: (u32, u32, u32),
}

impl Timestamp {
    /// The moment `seconds` after 1970-01-01 UTC.
    pub fn from_unix(seconds: i64) -> Self {
        let day = super::options::civil_date(seconds.div_euclid(86_400));
        let second = seconds.rem_euclid(86_400) as u32;
        Self {
            date: (day.year, day.month, day.day),
            time: (second / 3600, second / 60 % 60, second % 60),
        }
    }

    /// Midnight UTC of `date`.
    pub fn midnight(date: (i32, u32, u32)) -> Self {
        Self { date, time: (0, 0, 0) }
    }

    /// Seconds since 1970-01-01 UTC (Howard Hinnant's days-from-civil).
    fn to_unix(self) -> i64 {
        let ((year, month, day), (h, mi, s)) = (self.date, self.time);
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (i64::from(month) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)
    }

    /// From an XMP date in UTC as rotative writes it, `YYYY-MM-DDTHH:mm:SSZ`.
    fn parse_xmp(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')];
        if bytes.len() != 20 || separators.iter().any(|&(at, c)| bytes[at] != c) {
            return None;
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 14 {
            return None;
        }
        Self::parse(&digits)
    }

    /// From `YYYYMMDDHHmmSS` (what follows `D:` in a PDF date).
    fn parse(digits: &str) -> Option<Self> {
        let field = |range: std::ops::Range<usize>| digits.get(range)?.parse::<u32>().ok();
        Some(Self {
            date: (field(0..4)? as i32, field(4..6)?, field(6..8)?),
            time: (field(8..10)?, field(10..12)?, field(12..14)?),
        })
    }
}

/// When the inputs of `issue` last changed: `SOURCE_DATE_EPOCH` (reproducible-builds.org)
/// if set, else the newest modification time of `issue.yaml`, the articles, their photos,
/// font files and the output profile file. `None` if none can be read.
pub fn inputs_modified(issue: &Issue) -> Option<Timestamp> {
    if let Some(seconds) = super::options::source_date_epoch_seconds() {
        return Some(Timestamp::from_unix(seconds));
    }
    let config = &issue.config;
    let mut files: Vec<&Path> = issue.config_file.iter().map(|p| p.as_path()).collect();
    for entry in &issue.articles {
        files.push(&entry.path);
        if let Ok(Article { photo: Some(photo), .. }) = &entry.article {
            files.push(&photo.path);
        }
    }
    let roles = &config.fonts;
    for family in [&roles.body, &roles.heading, &roles.kicker, &roles.caption] {
        for source in [&family.regular, &family.italic, &family.bold, &family.bold_italic] {
            if let FontSource::File(path) = source {
                files.push(path);
            }
        }
    }
    if let ProfileChoice::File(path) = &config.output.icc_profile {
        files.push(path);
    }
    let newest = files
        .iter()
        .filter_map(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok())
        .filter_map(|time| time.duration_since(UNIX_EPOCH).ok())
        .map(|since| since.as_secs() as i64)
        .max()?;
    Some(Timestamp::from_unix(newest))
}

/// What the previous output file at the same path says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousVersion {
    /// The content digest it was written from (the second part of its trailer `/ID`, hex).
    pub content_id: String,
    /// Its `ModDate`.
    pub modified: Timestamp,
    /// Its `xmpMM:VersionID` (1 for a PDF/X-1a file, which has no XMP).
    pub version: u32,
    /// Its `xmpMM:DocumentID`, kept by every version of the document.
    pub document_id: Option<String>,
}

impl PreviousVersion {
    /// Reads what the PDF at `path` says (its trailer, Info and XMP, found as rotative
    /// writes them); `None` if there is no such file or it is not one of ours.
    ///
    /// Rotative writes them last, after the pages and photos: the XMP, whose dates are the
    /// Info's, in the file's last few KB, so its last 64 KB (`XMP_TAIL_BYTES`) are read first.
    /// Without an XMP date there (a PDF/X-1a file has no XMP), the Info dictionary is
    /// looked for behind the output profile: in the last 1 MB, then the last 4 MB
    /// (`TAIL_BYTES`) for a larger profile. Reading a 40-page issue whole to find them took
    /// 37 MB, more than the rest of a rebuild. A file whose tail does not have them is read
    /// whole.
    pub fn read(path: &Path) -> Option<Self> {
        let mut file = std::fs::File::open(path).ok()?;
        let length = file.metadata().ok()?.len();
        let xmp_tail = read_from(&mut file, length.saturating_sub(XMP_TAIL_BYTES))?;
        if let Some(found) = Self::parse(&xmp_tail, DateField::Xmp) {
            return Some(found);
        }
        // The shorter tail first: it holds them behind a profile of up to about 1 MB.
        for tail in [TAIL_BYTES / 4, TAIL_BYTES] {
            let start = length.saturating_sub(tail);
            let parsed = Self::parse(&read_from(&mut file, start)?, DateField::Info);
            if parsed.is_some() || start == 0 {
                return parsed;
            }
        }
        Self::parse(&read_from(&mut file, 0)?, DateField::Info)
    }

    /// What `bytes`, the end of a PDF or all of it, say, the modification date taken from
    /// `date`.
    fn parse(bytes: &[u8], date: DateField) -> Option<Self> {
        // The text after the last `open`, up to `close`.
        let after = |open: &str, close: u8| -> Option<String> {
            let start = bytes.windows(open.len()).rposition(|w| w == open.as_bytes())? + open.len();
            let end = bytes[start..].iter().position(|&b| b == close)? + start;
            Some(String::from_utf8_lossy(&bytes[start..end]).into_owned())
        };
        // `/ID [<first> <second>]`: the second, the content's.
        let id = after("/ID [", b']')?;
        let content_id = id.split('<').nth(2)?.split('>').next()?.to_ascii_lowercase();
        let modified = match date {
            DateField::Info => Timestamp::parse(&after("/ModDate (D:", b')')?)?,
            DateField::Xmp => Timestamp::parse_xmp(&after("<xmp:ModifyDate>", b'<')?)?,
        };
        let version = after("<xmpMM:VersionID>", b'<').and_then(|v| v.parse().ok()).unwrap_or(1);
        let document_id = after("<xmpMM:DocumentID>", b'<');
        Some(Self { content_id, modified, version, document_id })
    }
}

/// Where a previous file's modification date is read from: both say the same in a file of
/// ours.
#[derive(Debug, Clone, Copy)]
enum DateField {
    /// The Info dictionary's `/ModDate`.
    Info,
    /// The XMP's `xmp:ModifyDate`, in UTC.
    Xmp,
}

/// How much of the end of a previous file is read first, for its XMP: the packet (about
/// 2 KB), the catalogue and a cross-reference table of some 3,000 objects.
const XMP_TAIL_BYTES: u64 = 64 << 10;

/// How much of the end of a previous file is read for its version: the Info dictionary,
/// the output profile (200 KB for the bundled ones), the XMP, the catalogue and the
/// cross-reference table, with room to spare.
const TAIL_BYTES: u64 = 4 << 20;

/// The bytes of `file` from `start` to its end.
fn read_from(file: &mut std::fs::File, start: u64) -> Option<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let end = file.seek(SeekFrom::End(0)).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    // Sized at once: growing by doubling copied and faulted the tail in several times.
    let mut bytes = Vec::with_capacity(usize::try_from(end.saturating_sub(start)).ok()?);
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The modification time, version and document ID a new file gets: those of the previous
/// file when its content is unchanged (`content_id`, hex), else the inputs' time and the
/// next version.
pub(crate) fn this_version(
    previous: Option<&PreviousVersion>,
    content_id: &str,
    inputs_modified: Timestamp,
) -> (Timestamp, u32, Option<String>) {
    match previous {
        Some(p) if p.content_id == content_id => (p.modified, p.version, p.document_id.clone()),
        // Inputs no newer than the previous file (an older checkout): a second later, so
        // that the new version is still the newer one.
        Some(p) => {
            let later = Timestamp::from_unix(p.modified.to_unix() + 1);
            (inputs_modified.max(later), p.version + 1, p.document_id.clone())
        }
        None => (inputs_modified, 1, None),
    }
}

/// The PDF date of `moment`, `D:YYYYMMDDHHmmSSZ`, as pdf-writer writes it.
pub(crate) fn pdf_date(moment: Timestamp) -> pdf_writer::Date {
    let ((y, mo, d), (h, mi, s)) = (moment.date, moment.time);
    pdf_writer::Date::new(y.clamp(0, 9999) as u16)
        .month(mo.clamp(1, 12) as u8)
        .day(d.clamp(1, 31) as u8)
        .hour(h.min(23) as u8)
        .minute(mi.min(59) as u8)
        .second(s.min(59) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The XMP date of `moment`.
pub(crate) fn xmp_date(moment: Timestamp) -> xmp_writer::DateTime {
    let ((y, mo, d), (h, mi, s)) = (moment.date, moment.time);
    xmp_writer::DateTime::new(
        y.clamp(0, 9999) as u16,
        mo.clamp(1, 12) as u8,
        d.clamp(1, 31) as u8,
        h.min(23) as u8,
        mi.min(59) as u8,
        s.min(59) as u8,
        xmp_writer::Timezone::Utc,
    )
}

/// The date of a [`Date`] at midnight.
pub(crate) fn at_midnight(date: Date) -> Timestamp {
    Timestamp::midnight((date.year, date.month, date.day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_from_seconds_and_back_from_pdf_digits() {
        let moment = Timestamp::from_unix(1_757_590_245);
        assert_eq!(moment, Timestamp { date: (2025, 9, 11), time: (11, 30, 45) });
        assert_eq!(Timestamp::parse("20250911113045"), Some(moment));
        assert_eq!(Timestamp::parse_xmp("2025-09-11T11:30:45Z"), Some(moment));
        assert_eq!(Timestamp::parse_xmp("2025-09-11T11:30:45"), None);
        assert_eq!(Timestamp::parse_xmp("2025-09-11 11:30:45Z"), None);
        assert_eq!(moment.to_unix(), 1_757_590_245);
    }

    #[test]
    fn a_changed_content_gets_the_next_version_and_an_unchanged_one_keeps_its_own() {
        let earlier = Timestamp::from_unix(1_757_000_000);
        let later = Timestamp::from_unix(1_757_590_245);
        let previous = PreviousVersion {
            content_id: "abcd".into(),
            modified: earlier,
            version: 3,
            document_id: Some("uuid:x".into()),
        };
        assert_eq!(
            this_version(Some(&previous), "abcd", later),
            (earlier, 3, Some("uuid:x".into()))
        );
        assert_eq!(this_version(Some(&previous), "ef01", later), (later, 4, Some("uuid:x".into())));
        // Inputs older than the previous file (an older checkout): time never goes back.
        let after = this_version(Some(&previous), "ef01", Timestamp::from_unix(1_000)).0;
        assert_eq!(after, Timestamp::from_unix(1_757_000_001));
        assert_eq!(this_version(None, "ef01", later), (later, 1, None));
    }

    #[test]
    fn the_previous_version_is_read_from_the_file_s_end_or_else_whole() {
        let dir = std::env::temp_dir().join(format!("rotative-version-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let info = b"/ModDate (D:20250911113045Z)".to_vec();
        let xmp = b"<xmpMM:VersionID>7</xmpMM:VersionID><xmpMM:DocumentID>uuid:d</".to_vec();
        let trailer = b"trailer << /ID [<AB> <CD>] >>\nstartxref\n0\n%%EOF".to_vec();
        // Photos' worth of bytes before the tail, as rotative writes an issue.
        let photos = vec![b'x'; (TAIL_BYTES + 1000) as usize];
        let expected = PreviousVersion {
            content_id: "cd".into(),
            modified: Timestamp::parse("20250911113045").unwrap(),
            version: 7,
            document_id: Some("uuid:d".into()),
        };
        let tail = dir.join("tail.pdf");
        std::fs::write(&tail, [&photos[..], &info, &xmp, &trailer].concat()).unwrap();
        assert_eq!(PreviousVersion::read(&tail).as_ref(), Some(&expected));
        // Behind a 2 MB profile: found in the longer tail.
        let profile = vec![b'p'; 2 << 20];
        let behind = dir.join("behind.pdf");
        std::fs::write(&behind, [&photos[..], &info, &profile, &xmp, &trailer].concat()).unwrap();
        assert_eq!(PreviousVersion::read(&behind).as_ref(), Some(&expected));
        // The Info dictionary further from the end than the tail read: the file whole.
        let whole = dir.join("whole.pdf");
        std::fs::write(&whole, [&info[..], &photos, &xmp, &trailer].concat()).unwrap();
        assert_eq!(PreviousVersion::read(&whole).as_ref(), Some(&expected));
        assert_eq!(PreviousVersion::read(&dir.join("none.pdf")), None);
        // An XMP with its date, as rotative writes one: the Info is not needed, however far
        // it is, and a date that is not UTC is not taken from there.
        let dated = b"<xmp:ModifyDate>2025-09-11T11:30:45Z</xmp:ModifyDate>".to_vec();
        let xmp_only = dir.join("xmp.pdf");
        let old_info = b"/ModDate (D:20200101000000Z)".to_vec();
        std::fs::write(&xmp_only, [&old_info[..], &photos, &dated, &xmp, &trailer].concat())
            .unwrap();
        assert_eq!(PreviousVersion::read(&xmp_only).as_ref(), Some(&expected));
        let offset = b"<xmp:ModifyDate>2025-09-11T13:30:45+02:00</xmp:ModifyDate>".to_vec();
        let zoned = dir.join("zoned.pdf");
        std::fs::write(&zoned, [&photos[..], &info, &offset, &xmp, &trailer].concat()).unwrap();
        assert_eq!(PreviousVersion::read(&zoned).as_ref(), Some(&expected));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
