//! `rotative init`: a new issue folder made from the example issue shipped in the binary.

use std::fs;
use std::path::Path;

/// Files of the example issue, relative to the new folder.
const FILES: &[(&str, &[u8])] = &[
    ("issue.yaml", include_bytes!("../../issues/liberte-actus-1719/issue.yaml")),
    (
        "articles/01-kazakhstan.md",
        include_bytes!("../../issues/liberte-actus-1719/articles/01-kazakhstan.md"),
    ),
    (
        "articles/02-storm-warning.md",
        include_bytes!("../../issues/liberte-actus-1719/articles/02-storm-warning.md"),
    ),
    (
        "articles/03-bibliotheque.md",
        include_bytes!("../../issues/liberte-actus-1719/articles/03-bibliotheque.md"),
    ),
    ("photos/dune-rgb.jpg", include_bytes!("../../issues/liberte-actus-1719/photos/dune-rgb.jpg")),
    (
        "photos/storm-cmyk.jpg",
        include_bytes!("../../issues/liberte-actus-1719/photos/storm-cmyk.jpg"),
    ),
    (
        "photos/wood-grey.jpg",
        include_bytes!("../../issues/liberte-actus-1719/photos/wood-grey.jpg"),
    ),
    ("photos/README.md", include_bytes!("../../issues/liberte-actus-1719/photos/README.md")),
    ("photos/GPL-2.txt", include_bytes!("../../issues/liberte-actus-1719/photos/GPL-2.txt")),
];

/// Writes the example issue into `folder`, which must not exist or be empty.
pub fn scaffold(folder: &Path) -> Result<(), String> {
    if folder.exists() && fs::read_dir(folder).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} exists and is not empty", folder.display()));
    }
    for (name, bytes) in FILES {
        let path = folder.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
