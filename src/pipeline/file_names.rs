//! Output file names: slugs of the publication and article names, page patterns, and names
//! made distinct within one run.

/// Lower-case ASCII slug for file names: "Liberté Actus" -> "liberte-actus".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let folded = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            _ => "",
        };
        if !folded.is_empty() {
            out.push_str(folded);
            continue;
        }
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Longest file-name stem written, in bytes. File systems allow 255 bytes a name; this
/// leaves room for the extension, a `-N` to tell names apart, and the temporary-file prefix
/// of an atomic write (`.rotative-tmp-<pid>-<16 hex digits>-`).
pub const MAX_STEM_BYTES: usize = 150;

/// A stem cut to [`MAX_STEM_BYTES`]: the start kept, then `-` and 12 hex digits of the
/// SHA-256 of the whole stem, so two long names that share a start stay distinct.
fn fit_stem(stem: &str) -> String {
    if stem.len() <= MAX_STEM_BYTES {
        return stem.to_string();
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(stem.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let mut keep = MAX_STEM_BYTES - hex.len() - 1;
    while !stem.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}-{hex}", stem[..keep].trim_end_matches('-'))
}

/// Makes file names usable and distinct: an empty stem (a title in a script the slug does
/// not keep) becomes `fallback-N`, a long one is cut (with a hash), and a repeated name gets
/// `-2`, `-3`, ...
pub fn distinct_names(names: &mut [String], fallback: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, name) in names.iter_mut().enumerate() {
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), "pdf"));
        let stem = if stem.is_empty() { format!("{fallback}-{}", i + 1) } else { fit_stem(stem) };
        let extension = extension.to_string();
        let mut candidate = format!("{stem}.{extension}");
        let mut n = 2;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{stem}-{n}.{extension}");
            n += 1;
        }
        *name = candidate;
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => 'A',
        'ç' => 'c',
        'Ç' => 'C',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'Î' | 'Ï' | 'Í' | 'Ì' => 'I',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'O',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
        'ÿ' | 'ý' => 'y',
        'ñ' => 'n',
        'Ñ' => 'N',
        other => other,
    }
}

/// Fills a file-name pattern: `{publication}`, `{date}`, `{number}`, `{page}` and
/// `{page:02}` (zero-padded to the given width), each value slugged.
pub fn fill_pattern(pattern: &str, values: &[(&str, String)], page: u32) -> String {
    let mut out = pattern.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &slug(value));
    }
    while let Some(start) = out.find("{page") {
        let Some(len) = out[start..].find('}') else { break };
        let spec = &out[start + 5..start + len];
        // A page number never needs more than a few digits; cap what a pattern may ask for.
        let width: usize = spec.trim_start_matches(':').parse().unwrap_or(0).min(6);
        out.replace_range(start..=start + len, &format!("{page:0width$}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Liberté Actus"), "liberte-actus");
        assert_eq!(slug("  N° 1719 / été "), "n-1719-ete");
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "a".repeat(240);
        let mut names = vec![format!("{long}.pdf"), format!("{long}b.pdf"), "short.pdf".into()];
        distinct_names(&mut names, "issue");
        assert!(names[0].len() <= MAX_STEM_BYTES + 4, "{}", names[0]);
        assert!(names[0].starts_with("aaaa") && names[0].ends_with(".pdf"));
        assert_ne!(names[0], names[1], "distinct by their hash");
        assert_eq!(names[2], "short.pdf");
    }

    #[test]
    fn names_are_never_empty_or_repeated() {
        assert_eq!(slug("Œuvres d’été, Straße"), "oeuvres-d-ete-strasse");
        let mut names: Vec<String> =
            ["01-a.pdf", "01-a.pdf", ".pdf", "b.pdf"].map(String::from).to_vec();
        distinct_names(&mut names, "article");
        assert_eq!(names, ["01-a.pdf", "01-a-2.pdf", "article-3.pdf", "b.pdf"]);
    }

    #[test]
    fn page_patterns_pad_numbers() {
        let values = [("publication", "Liberté Actus".to_string()), ("date", "2025-09-11".into())];
        assert_eq!(
            fill_pattern("{publication}-{date}-p{page:02}.pdf", &values, 3),
            "liberte-actus-2025-09-11-p03.pdf"
        );
        assert_eq!(fill_pattern("p{page}.pdf", &values, 12), "p12.pdf");
    }
}
