//! "Did you mean …?" for a file that is not there: the path as written, with each part
//! that does not exist replaced by the nearest name in its folder (edit distance, as for
//! field names), so `../photos/caligraphie.jpg` suggests `../photos/calligraphie.jpg` and
//! `../photo/dune.jpg` suggests `../photos/dune.jpg`.

use std::path::{Component, Path, PathBuf};

use crate::diag::closest;

/// The existing path nearest to `written` (relative to `base`), spelt as the author would
/// write it; `None` when some part has no close enough neighbour.
pub(crate) fn nearest_existing(base: &Path, written: &str) -> Option<String> {
    let mut at = base.to_path_buf();
    let mut parts: Vec<String> = Vec::new();
    let mut changed = false;
    for component in Path::new(written).components() {
        let part = match component {
            Component::Normal(name) => {
                let name = name.to_string_lossy().into_owned();
                if at.join(&name).exists() {
                    name
                } else {
                    changed = true;
                    let siblings = names_in(&at);
                    closest(&name, siblings.iter().map(String::as_str))?.to_string()
                }
            }
            Component::RootDir => {
                at = PathBuf::from("/");
                parts.push(String::new());
                continue;
            }
            other => other.as_os_str().to_string_lossy().into_owned(),
        };
        at.push(&part);
        parts.push(part);
    }
    (changed && at.exists()).then(|| parts.join("/"))
}

/// The names of the entries of `folder`, sorted (so the nearest of two equally near names
/// is always the same one).
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_file_or_folder_finds_its_neighbour() {
        let root = std::env::temp_dir().join(format!("rotative-suggest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("photos")).unwrap();
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::write(root.join("photos/calligraphie.jpg"), b"").unwrap();
        let articles = root.join("articles");
        assert_eq!(
            nearest_existing(&articles, "../photos/caligraphie.jpg").as_deref(),
            Some("../photos/calligraphie.jpg")
        );
        assert_eq!(
            nearest_existing(&articles, "../photo/calligraphie.jpg").as_deref(),
            Some("../photos/calligraphie.jpg")
        );
        assert_eq!(nearest_existing(&articles, "../photos/storm.jpg"), None);
        assert_eq!(nearest_existing(&articles, "../photos/calligraphie.jpg"), None, "exists");
        let _ = std::fs::remove_dir_all(&root);
    }
}
