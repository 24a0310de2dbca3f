//! The record of what rotative wrote into an output folder, so a later build can remove the
//! files it no longer produces (a page the issue lost) without ever touching a file it did
//! not write (a layout person's notes, another program's output).
//!
//! The manifest is a text file, `.rotative-manifest`, one line per file: the kind of build
//! that wrote it (`issue`, `pages`, `articles`, with `-proof` for proofs), a tab, the file
//! name. A build judges staleness only against files of its own kind: building the issue PDF
//! does not remove the page files of an earlier `--split pages` build in the same folder.
//!
//! It also records the place each article took in the flow of the last build that set it
//! (`place`, its file within the issue, its page count, the space left at the foot of its
//! last page): when the article fails later, its "MISSING" placeholder keeps that place
//! under `--allow-incomplete`, so the stories after it keep their pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::output;
use crate::compose::HeldPlace;

/// File name of the manifest inside the output folder. It starts with a dot, as the
/// temporary files do, so a listing of PDFs leaves it out.
pub const MANIFEST: &str = ".rotative-manifest";

/// The word that starts a line recording an article's place rather than a file.
const PLACE: &str = "place";

/// The files of an output folder rotative wrote, by kind of build, and the places its
/// articles took.
#[derive(Debug, Default)]
pub struct Manifest {
    entries: BTreeSet<(String, String)>,
    places: BTreeMap<String, HeldPlace>,
}

impl Manifest {
    /// Reads the manifest of `folder`; a missing or unreadable one is empty (nothing is
    /// known to be ours, so nothing will be removed).
    pub fn read(folder: &Path) -> Self {
        let text = std::fs::read_to_string(folder.join(MANIFEST)).unwrap_or_default();
        let (places, files): (Vec<&str>, Vec<&str>) =
            text.lines().partition(|line| line.starts_with(&format!("{PLACE}\t")));
        let entries = files
            .iter()
            .filter_map(|line| line.split_once('\t'))
            // Only plain names: a hand-edited line must never lead outside the folder.
            .filter(|(_, name)| is_plain_name(name))
            .map(|(kind, name)| (kind.to_string(), name.to_string()))
            .collect();
        let places = places
            .iter()
            .filter_map(|line| {
                let mut fields = line.split('\t').skip(1);
                let (article, pages, underset) = (fields.next()?, fields.next()?, fields.next()?);
                let place =
                    HeldPlace { pages: pages.parse().ok()?, underset: underset.parse().ok()? };
                (place.pages > 0 && place.underset.is_finite())
                    .then(|| (article.to_string(), place))
            })
            .collect();
        Manifest { entries, places }
    }

    /// The place the article `article` (its path within the issue) took in the last build
    /// that set it, if one is recorded.
    pub fn place(&self, article: &str) -> Option<HeldPlace> {
        self.places.get(article).copied()
    }

    /// Records the places of the articles this build set (their paths within the issue);
    /// those of the others stay as recorded.
    pub fn record_places(&mut self, places: impl IntoIterator<Item = (String, HeldPlace)>) {
        self.places.extend(places);
    }

    /// The files of `kind` recorded here that are not in `produced`: a previous build's
    /// outputs this one no longer makes.
    pub fn stale(&self, kind: &str, produced: &BTreeSet<String>) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(k, name)| k == kind && !produced.contains(name))
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// Replaces the files of `kind` by `files`, keeps the other kinds, and writes the
    /// manifest atomically; names of files no longer on disk are dropped.
    pub fn update(
        mut self,
        folder: &Path,
        kind: &str,
        files: &BTreeSet<String>,
    ) -> std::io::Result<()> {
        // A build that wrote nothing into a folder that does not exist leaves no trace.
        if !folder.is_dir() {
            return Ok(());
        }
        self.entries.retain(|(k, _)| k != kind);
        self.entries.extend(files.iter().map(|name| (kind.to_string(), name.clone())));
        self.entries.retain(|(_, name)| folder.join(name).is_file());
        let mut text = String::new();
        for (k, name) in &self.entries {
            text.push_str(&format!("{k}\t{name}\n"));
        }
        // `{}` of an f32 reads back as the same number, so the place is kept exactly.
        for (article, place) in &self.places {
            text.push_str(&format!("{PLACE}\t{article}\t{}\t{}\n", place.pages, place.underset));
        }
        output::write_atomic(&folder.join(MANIFEST), text.as_bytes()).map(|_| ())
    }
}

/// A file name with no folder part.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != MANIFEST
        && Path::new(name).file_name().is_some_and(|n| n == name)
        && !name.contains(['/', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_files_are_those_of_the_same_kind_no_longer_produced() {
        let dir = std::env::temp_dir().join(format!("rotative-manifest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["p1.pdf", "p2.pdf", "p3.pdf", "issue.pdf"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let all: BTreeSet<String> = ["p1.pdf", "p2.pdf", "p3.pdf"].map(String::from).into();
        Manifest::read(&dir).update(&dir, "pages", &all).unwrap();
        let issue: BTreeSet<String> = ["issue.pdf".to_string()].into();
        Manifest::read(&dir).update(&dir, "issue", &issue).unwrap();
        let two: BTreeSet<String> = ["p1.pdf", "p2.pdf"].map(String::from).into();
        let manifest = Manifest::read(&dir);
        assert_eq!(manifest.stale("pages", &two), ["p3.pdf"]);
        assert!(manifest.stale("issue", &issue).is_empty());
        let mut manifest = Manifest::read(&dir);
        let place = HeldPlace { pages: 2, underset: 123.456_79 };
        manifest.record_places([("articles/b.md".to_string(), place)]);
        manifest.update(&dir, "issue", &issue).unwrap();
        let manifest = Manifest::read(&dir);
        assert_eq!(manifest.place("articles/b.md"), Some(place), "read back exactly");
        assert_eq!(manifest.stale("pages", &two), ["p3.pdf"], "a place is not a file");
        std::fs::write(dir.join(MANIFEST), "pages\t../escape.pdf\npages\tp1.pdf\n").unwrap();
        assert!(Manifest::read(&dir).stale("pages", &BTreeSet::new()) == ["p1.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
