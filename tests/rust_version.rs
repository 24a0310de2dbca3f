//! The `rust-version` declared in Cargo.toml is the real minimum: at least what the code's own
//! language features need, and at least every locked dependency's declared `rust-version`.

use std::path::{Path, PathBuf};

/// What sets the floor, with the Rust release it needs. Found by reading each locked
/// dependency's `rust-version` in the cargo registry when this was written: serde-saphyr 2.2
/// needs 1.89, jpeg-encoder 0.7 needs 1.87, rqrr 0.11 1.85.1, every other dependency 1.85 or
/// less. Std APIs newer than the declared version are caught by clippy's `incompatible_msrv`.
const FLOOR: &[(&str, (u32, u32, u32))] = &[
    ("let-chains (`if let … && let …`, stable in 1.88)", (1, 88, 0)),
    ("serde-saphyr 2.2", (1, 89, 0)),
    ("jpeg-encoder 0.7", (1, 87, 0)),
];

/// `1.89` or `1.85.1` as a comparable triple.
fn version(text: &str) -> (u32, u32, u32) {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u32>().expect("numeric version"));
    let major = parts.next().expect("major version");
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn declared() -> (u32, u32, u32) {
    version(env!("CARGO_PKG_RUST_VERSION"))
}

#[test]
fn rust_version_covers_the_language_features_and_known_dependency_minima() {
    for (why, needed) in FLOOR {
        assert!(
            declared() >= *needed,
            "rust-version {} is below {needed:?}, needed by {why}",
            env!("CARGO_PKG_RUST_VERSION")
        );
    }
}

#[test]
fn readme_names_the_declared_rust_version() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let line = format!("Rust ({} or newer)", env!("CARGO_PKG_RUST_VERSION"));
    assert!(readme.contains(&line), "README.md should say `{line}`");
}

/// The `rust-version` line of a dependency's (normalised) Cargo.toml.
fn rust_version_of(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|line| {
        let value = line.strip_prefix("rust-version")?.trim_start().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    })
}

/// `(name, version)` of every registry package in Cargo.lock.
fn locked_registry_packages() -> Vec<(String, String)> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    lock.split("[[package]]")
        .filter(|entry| entry.contains("source = \"registry+"))
        .filter_map(|entry| {
            let field = |key: &str| {
                entry.lines().find_map(|l| {
                    Some(
                        l.strip_prefix(key)?
                            .trim_start()
                            .strip_prefix('=')?
                            .trim()
                            .trim_matches('"'),
                    )
                })
            };
            Some((field("name")?.to_string(), field("version")?.to_string()))
        })
        .collect()
}

/// The unpacked sources of the crates.io registry, where cargo put the dependencies it built.
fn registry_sources() -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry").join("src")) else { return Vec::new() };
    std::fs::read_dir(src)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Every locked dependency whose sources are on this machine (the ones built here; crates for
/// other platforms are not unpacked) declares a minimum no higher than ours. Skipped, with a
/// note, when the registry sources are elsewhere (vendored builds).
#[test]
fn no_locked_dependency_needs_a_newer_rust() {
    let registries = registry_sources();
    let mut checked = 0;
    let mut too_new = Vec::new();
    for (name, version_text) in locked_registry_packages() {
        let manifest = registries.iter().find_map(|r| {
            std::fs::read_to_string(r.join(format!("{name}-{version_text}")).join("Cargo.toml"))
                .ok()
        });
        let Some(manifest) = manifest else { continue };
        checked += 1;
        if let Some(needed) = rust_version_of(&manifest)
            && version(&needed) > declared()
        {
            too_new.push(format!("{name} {version_text} needs {needed}"));
        }
    }
    if checked == 0 {
        eprintln!("note: no registry sources found; dependency minima not cross-checked");
    }
    assert!(
        too_new.is_empty(),
        "rust-version {} is below: {}",
        env!("CARGO_PKG_RUST_VERSION"),
        too_new.join(", ")
    );
}
