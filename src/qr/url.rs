//! Article URLs for the QR block: validation and normalisation of what the author typed,
//! URLs built from the publication's pattern, tracking parameters, and the short address
//! printed for humans under the symbol.
//!
//! A wrong URL cannot be fixed after the press run, so anything that looks like a typo is an
//! error (with a suggested fix when one is obvious) rather than silently "repaired". Only
//! lossless normalisations pass silently: IDNA punycode for non-ASCII hosts and
//! percent-encoding of non-ASCII paths, which the `url` crate performs.

use url::{Host, Url};

/// Why a URL was refused, with the corrected URL when the fix is unambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem {
    /// What is wrong, for the diagnostic.
    pub message: String,
    /// A normalised URL the author probably meant.
    pub suggestion: Option<String>,
}

/// ASCII characters that may not appear raw in a URL (RFC 3986), and any Unicode space: the
/// `url` crate would escape them silently, which would hide a typo (a no-break space pasted
/// from a word processor becomes `%C2%A0`).
fn needs_escaping(c: char) -> bool {
    c.is_ascii_control()
        || c.is_whitespace()
        || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// Invisible format characters (zero-width space, joiners, word joiner, byte-order mark)
/// that sneak in with copy and paste; the suggestion drops them.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Splits `scheme:` off `s` when it starts with one (letters, digits, `+-.`, then `:`).
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then(|| (scheme, &s[colon + 1..]))
}

fn is_http(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Whether `rest` (after `scheme:`) starts with another http(s) scheme: `https://https://x`.
fn doubled_scheme(rest: &str) -> Option<&str> {
    let inner = rest.trim_start_matches('/');
    split_scheme(inner).filter(|(scheme, _)| is_http(scheme)).map(|_| inner)
}

/// Whether byte `i` of `b` is a `%` that does not start an escape of two hex digits.
fn stray_percent_at(b: &[u8], i: usize) -> bool {
    b[i] == b'%'
        && !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit())
}

/// Percent-encodes the characters that need it; a backslash is almost always a mistyped `/`.
fn escape_specials(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        if c == '\\' {
            out.push('/');
        } else if is_invisible(c) {
            // Dropped: the author never meant it.
        } else if c.is_whitespace() {
            out.push_str("%20");
        } else if needs_escaping(c) || stray_percent_at(b, i) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` with a mistyped http(s) scheme put right: `htps://`, `hhtps://`, `htttp://` (one or
/// two letters off, by edit distance), `https//` (no colon), `https:/` (one slash; the
/// general repair below fixes that too). `None` when the start is no such typo.
fn fix_scheme_typo(s: &str) -> Option<String> {
    let (head, rest) = s.split_once('/')?;
    let rest = rest.trim_start_matches('/');
    let written = head.strip_suffix(':').unwrap_or(head);
    if written.is_empty() || written.contains(['.', ':']) || is_http(written) && head.ends_with(':')
    {
        return None;
    }
    let lower = written.to_ascii_lowercase();
    let scheme = if is_http(&lower) {
        lower
    } else if lower.len() >= 3 && lower.starts_with('h') {
        crate::diag::closest(&lower, ["https", "http"])?.to_string()
    } else {
        return None;
    };
    Some(format!("{scheme}://{rest}"))
}

/// Applies every fix we know of; used only to build suggestions.
fn repair(raw: &str) -> String {
    let mut s = raw.trim().to_string();
    if let Some(fixed) = fix_scheme_typo(&s) {
        s = fixed;
    }
    while let Some(inner) = split_scheme(&s).and_then(|(_, rest)| doubled_scheme(rest)) {
        s = inner.to_string();
    }
    match split_scheme(&s) {
        Some((scheme, rest)) if is_http(scheme) => {
            if !rest.starts_with("//") {
                s = format!("{scheme}://{}", rest.trim_start_matches('/'));
            }
        }
        // `liberte-actus.fr:8080/x` parses as scheme `liberte-actus.fr`: a dot means a host.
        Some((scheme, _)) if !scheme.contains('.') => {}
        _ => s = format!("https://{}", s.trim_start_matches('/')),
    }
    escape_specials(&s)
}

/// The first problem found in `raw`, or the normalised URL.
fn check(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("the URL is empty".into());
    }
    if raw.trim() != raw {
        return Err("the URL has leading or trailing whitespace".into());
    }
    let Some((scheme, rest)) = split_scheme(raw).filter(|(s, _)| !s.contains('.')) else {
        return Err("the URL has no scheme (it should start with https://)".into());
    };
    if !is_http(scheme) {
        return Err(format!(
            "the URL scheme `{scheme}:` is not allowed: only http:// and https:// work in print"
        ));
    }
    if doubled_scheme(rest).is_some() {
        return Err("the URL has its scheme twice".into());
    }
    let Some(after_slashes) = rest.strip_prefix("//") else {
        return Err(format!("`{scheme}:` must be followed by `//`"));
    };
    if after_slashes.is_empty() || after_slashes.starts_with(['/', '?', '#']) {
        return Err("the URL has no host".into());
    }
    if let Some(c) = raw.chars().find(|&c| needs_escaping(c) || is_invisible(c)) {
        let what = match c {
            ' ' => "a space".to_string(),
            c if c.is_whitespace() => format!("the space character U+{:04X}", c as u32),
            c if is_invisible(c) => format!("the invisible character U+{:04X}", c as u32),
            c if c.is_ascii_control() => format!("the control character U+{:04X}", c as u32),
            c => format!("the character `{c}`"),
        };
        return Err(format!("the URL contains {what}, which must be percent-encoded or removed"));
    }
    if (0..raw.len()).any(|i| stray_percent_at(raw.as_bytes(), i)) {
        return Err("the URL has a `%` that does not start a %XX escape".into());
    }
    let url = Url::parse(raw).map_err(|e| format!("the URL is invalid: {e}"))?;
    match url.host() {
        None => return Err("the URL has no host".into()),
        // The WHATWG parser accepts `{`, `}`, `*`… in hosts; DNS names are letters, digits,
        // hyphens and dots (IDNA has turned any other letter into `xn--` already).
        Some(Host::Domain(d))
            if !d.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                || d.strip_suffix('.').unwrap_or(d).split('.').any(str::is_empty) =>
        {
            return Err(format!("the host `{d}` is not a valid domain name"));
        }
        Some(Host::Domain(d)) if !d.trim_end_matches('.').contains('.') => {
            return Err(format!("the host `{d}` has no domain suffix (like .fr)"));
        }
        Some(_) => {}
    }
    Ok(url.into())
}

/// Validates and normalises an article URL: absolute http(s) only.
///
/// Whitespace, a doubled scheme (`https://https://x`), a missing scheme, a missing host,
/// other schemes and ASCII characters that need escaping are errors, with a suggestion when
/// the fix is obvious. Non-ASCII hosts (IDNA punycode) and non-ASCII paths
/// (percent-encoding) are normalised silently, as the `url` crate does.
pub fn normalize_url(raw: &str) -> Result<String, UrlProblem> {
    check(raw).map_err(|message| {
        let repaired = repair(raw);
        let suggestion = check(&repaired).ok().filter(|s| s != raw);
        UrlProblem { message, suggestion }
    })
}

/// The id used by URL patterns: the leading digits of an article file stem
/// (`1719-budget` gives `1719`), or the whole stem when it does not start with a digit.
pub fn article_id(stem: &str) -> &str {
    let digits = stem.find(|c: char| !c.is_ascii_digit()).unwrap_or(stem.len());
    if digits == 0 { stem } else { &stem[..digits] }
}

/// Builds the URL from a pattern like `{site}/{id}` (`site` or `website`: the publication website, `id`:
/// see [`article_id`]) and normalises it. A trailing `/` on the site is not doubled.
pub fn url_from_pattern(pattern: &str, site: &str, id: &str) -> Result<String, UrlProblem> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(UrlProblem {
                message: format!("the URL pattern `{pattern}` has an unclosed `{{`"),
                suggestion: None,
            });
        };
        let name = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        match name {
            // `{website}` reads as the `website` field it stands for.
            "site" | "website" if rest.starts_with('/') => out.push_str(site.trim_end_matches('/')),
            "site" | "website" => out.push_str(site),
            "id" => out.push_str(id),
            _ => {
                return Err(UrlProblem {
                    message: format!(
                        "the URL pattern `{pattern}` uses `{{{name}}}`; known: {{site}}, {{id}}"
                    ),
                    suggestion: None,
                });
            }
        }
    }
    out.push_str(rest);
    normalize_url(&out)
}

/// Appends tracking parameters (`utm_source=print`), keeping the existing query and any
/// parameter already present. A URL that does not parse is returned unchanged (it was
/// validated by [`normalize_url`] before).
pub fn with_tracking(url: &str, params: &[(String, String)]) -> String {
    let Ok(mut parsed) = Url::parse(url) else {
        return url.to_string();
    };
    let existing: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
    let new: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| !existing.iter().any(|e| e == k)).collect();
    if new.is_empty() {
        return url.to_string();
    }
    parsed.query_pairs_mut().extend_pairs(new.iter().map(|(k, v)| (k, v)));
    parsed.into()
}

/// The address printed for humans, as browsers show it: without the scheme and a bare
/// trailing `/` (`liberte-actus.fr/1719`), the host in Unicode rather than IDNA punycode,
/// and percent-encoded UTF-8 decoded where that cannot change what a reader would type back
/// (see `decode_for_display`). Returns it with the byte offsets where a line may break, as long
/// addresses are broken in print: after `/`, before `.` `-` `_` `?` `#` `&` `=`; never at
/// either end. Pass the URL before [`with_tracking`]; the QR code keeps the encoded URL.
pub fn display_address(url: &str) -> (String, Vec<usize>) {
    let rest = match split_scheme(url) {
        Some((scheme, rest)) if is_http(scheme) => rest.trim_start_matches('/'),
        _ => url,
    };
    let host_end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(host_end);
    let (unicode_host, idna) = idna::domain_to_unicode(host);
    let host = if idna.is_ok() { unicode_host } else { host.to_string() };
    let mut text = host + &decode_for_display(tail);
    if text.ends_with('/') && !text[..text.len() - 1].contains('/') {
        text.pop();
    }
    let breaks = text
        .char_indices()
        .filter_map(|(i, c)| match c {
            '/' => Some(i + 1),
            '.' | '-' | '_' | '?' | '#' | '&' | '=' => Some(i),
            _ => None,
        })
        .filter(|&b| b > 0 && b < text.len())
        .collect::<Vec<usize>>();
    let mut breaks = breaks;
    breaks.dedup();
    (text, breaks)
}

/// Decodes the `%XX` escapes of a URL's path, query and fragment that stand for characters a
/// reader can type back as they are: letters in any script (`%C3%A9` is `é`) and the ASCII
/// punctuation that means the same raw or escaped (`%27` is `'`). Escapes of delimiters
/// (`%2F`, `%3F`, `%23`, `%26`, `%3D`, `%25`…), spaces, control, invisible and
/// bidirectional characters, and bytes that are not UTF-8 stay escaped, as in browsers.
fn decode_for_display(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let Some(first) = escape_at(bytes, i) else {
            let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        // A UTF-8 sequence of 1 to 4 escaped bytes.
        let len = match first {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        let encoded: Option<Vec<u8>> = (0..len).map(|k| escape_at(bytes, i + 3 * k)).collect();
        let decoded = encoded
            .filter(|_| len > 0)
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| t.chars().next())
            .filter(|&c| safe_to_show(c));
        match decoded {
            Some(c) => {
                out.push(c);
                i += 3 * len;
            }
            None => {
                out.push_str(&s[i..i + 3]);
                i += 3;
            }
        }
    }
    out
}

/// The byte a `%XX` escape at `i` stands for.
fn escape_at(b: &[u8], i: usize) -> Option<u8> {
    if b.get(i) != Some(&b'%') {
        return None;
    }
    let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
    u8::from_str_radix(hex, 16).ok()
}

/// Whether a decoded character may be printed as itself: it reads the same to a person and
/// means the same to a server when typed back raw.
fn safe_to_show(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || "-._~'()!*,;:@".contains(c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || is_invisible(c)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{FFF9}'..='\u{FFFF}' | '\u{E000}'..='\u{F8FF}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistyped_schemes_get_a_suggestion() {
        for (typed, meant) in [
            ("htps://liberte-actus.fr/1719", "https://liberte-actus.fr/1719"),
            ("https//liberte-actus.fr/1719", "https://liberte-actus.fr/1719"),
            ("hhtps://liberte-actus.fr/1719", "https://liberte-actus.fr/1719"),
            ("htp://liberte-actus.fr/1719", "http://liberte-actus.fr/1719"),
            ("http//liberte-actus.fr/1719", "http://liberte-actus.fr/1719"),
            ("https:/liberte-actus.fr/1719", "https://liberte-actus.fr/1719"),
        ] {
            let found = normalize_url(typed).expect_err(typed);
            assert_eq!(found.suggestion.as_deref(), Some(meant), "{typed}: {}", found.message);
        }
        // Not a typo of http(s): no guess.
        assert_eq!(normalize_url("ftp://liberte-actus.fr/x").unwrap_err().suggestion, None);
    }

    fn problem(raw: &str) -> UrlProblem {
        match normalize_url(raw) {
            Ok(ok) => panic!("{raw:?} was accepted as {ok:?}"),
            Err(p) => p,
        }
    }

    #[test]
    fn clean_url_passes_unchanged() {
        for u in [
            "https://liberte-actus.fr/1719",
            "http://liberte-actus.fr/a/b?x=1&y=2#frag",
            "https://www.liberte-actus.fr/2024/06/article-1719.html",
        ] {
            assert_eq!(normalize_url(u).as_deref(), Ok(u));
        }
    }

    #[test]
    fn seed_doubled_scheme_is_refused_with_fix() {
        let p = problem("https://https://liberte-actus.fr/1719");
        assert!(p.message.contains("twice"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
        let p = problem("http://https://liberte-actus.fr/1719");
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
    }

    #[test]
    fn spaces_are_refused() {
        let p = problem("https://liberte-actus.fr/17 19");
        assert!(p.message.contains("space"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/17%2019"));
        let p = problem(" https://liberte-actus.fr/1719\n");
        assert!(p.message.contains("whitespace"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
    }

    #[test]
    fn characters_needing_escapes_are_refused() {
        let p = problem("https://liberte-actus.fr/<1719>");
        assert!(p.message.contains('<'), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/%3C1719%3E"));
        let p = problem("https://liberte-actus.fr/100%");
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/100%25"));
        let p = problem("https://liberte-actus.fr\\1719");
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
        // Copy-paste debris: a no-break space, a zero-width space.
        let p = problem("https://liberte-actus.fr/17\u{A0}19");
        assert!(p.message.contains("U+00A0"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/17%2019"));
        let p = problem("https://liberte-actus.fr/\u{200B}1719");
        assert!(p.message.contains("U+200B"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
        // An existing escape is kept as is.
        assert!(normalize_url("https://liberte-actus.fr/a%20b").is_ok());
    }

    #[test]
    fn missing_host_is_refused() {
        for raw in ["https://", "https:///path", "https://?q=1"] {
            let p = problem(raw);
            assert!(p.message.contains("no host"), "{raw}: {}", p.message);
        }
        let p = problem("https://liberte-actus.fr%7D/1719");
        assert!(p.message.contains("not a valid domain"), "{}", p.message);
        let p = problem("https://liberte..actus.fr/1719");
        assert!(p.message.contains("not a valid domain"), "{}", p.message);
        let p = problem("https://liberte-actus/1719");
        assert!(p.message.contains("domain suffix"), "{}", p.message);
    }

    #[test]
    fn other_schemes_are_refused() {
        let p = problem("ftp://liberte-actus.fr/1719");
        assert!(p.message.contains("ftp"), "{}", p.message);
        assert_eq!(p.suggestion, None);
        assert_eq!(problem("mailto:redaction@liberte-actus.fr").suggestion, None);
    }

    #[test]
    fn missing_scheme_gets_https() {
        let p = problem("liberte-actus.fr/1719");
        assert!(p.message.contains("no scheme"), "{}", p.message);
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
        let p = problem("www.liberte-actus.fr:8080/1719");
        assert_eq!(p.suggestion.as_deref(), Some("https://www.liberte-actus.fr:8080/1719"));
        let p = problem("https:/liberte-actus.fr/1719");
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
    }

    #[test]
    fn idn_and_unicode_paths_are_normalised() {
        assert_eq!(
            normalize_url("https://liberté-actus.fr/été").as_deref(),
            Ok("https://xn--libert-actus-geb.fr/%C3%A9t%C3%A9")
        );
        // Host case and an empty path are normalised too.
        assert_eq!(
            normalize_url("HTTPS://Liberte-Actus.FR").as_deref(),
            Ok("https://liberte-actus.fr/")
        );
    }

    #[test]
    fn pattern_builds_and_validates() {
        assert_eq!(
            url_from_pattern("{site}/{id}", "https://liberte-actus.fr", "1719").as_deref(),
            Ok("https://liberte-actus.fr/1719")
        );
        assert_eq!(
            url_from_pattern("{site}/{id}", "https://liberte-actus.fr/", "1719").as_deref(),
            Ok("https://liberte-actus.fr/1719")
        );
        assert_eq!(
            url_from_pattern("{site}/articles/{id}.html", "https://liberte-actus.fr", "1719")
                .as_deref(),
            Ok("https://liberte-actus.fr/articles/1719.html")
        );
        assert_eq!(
            url_from_pattern("{website}/{id}", "https://liberte-actus.fr", "1719").as_deref(),
            Ok("https://liberte-actus.fr/1719")
        );
        // A website typed without scheme is caught by normalisation.
        let p = url_from_pattern("{site}/{id}", "liberte-actus.fr", "1719").unwrap_err();
        assert_eq!(p.suggestion.as_deref(), Some("https://liberte-actus.fr/1719"));
        assert!(url_from_pattern("{site}/{slug}", "https://x.fr", "1").is_err());
        assert!(url_from_pattern("{site}/{id", "https://x.fr", "1").is_err());
    }

    #[test]
    fn article_id_takes_leading_digits() {
        assert_eq!(article_id("1719-budget-municipal"), "1719");
        assert_eq!(article_id("1719"), "1719");
        assert_eq!(article_id("edito"), "edito");
    }

    #[test]
    fn tracking_appends_to_query() {
        let utm = [("utm_source".to_string(), "print".to_string())];
        assert_eq!(
            with_tracking("https://liberte-actus.fr/1719", &utm),
            "https://liberte-actus.fr/1719?utm_source=print"
        );
        assert_eq!(
            with_tracking("https://liberte-actus.fr/1719?a=1", &utm),
            "https://liberte-actus.fr/1719?a=1&utm_source=print"
        );
        // The fragment stays last; existing escapes are not re-encoded.
        assert_eq!(
            with_tracking("https://liberte-actus.fr/1719?q=%C3%A9#suite", &utm),
            "https://liberte-actus.fr/1719?q=%C3%A9&utm_source=print#suite"
        );
        // Not added twice.
        let tracked = "https://liberte-actus.fr/1719?utm_source=web";
        assert_eq!(with_tracking(tracked, &utm), tracked);
        assert_eq!(
            with_tracking("https://liberte-actus.fr/1719", &[]),
            "https://liberte-actus.fr/1719"
        );
    }

    #[test]
    fn display_address_breaks_where_print_breaks_addresses() {
        let (text, breaks) = display_address("https://liberte-actus.fr/1719");
        assert_eq!(text, "liberte-actus.fr/1719");
        // Before `-` and `.`, after `/`.
        assert_eq!(breaks, vec![7, 13, 17]);
        let (text, breaks) = display_address("https://www.liberte-actus.fr/");
        assert_eq!(text, "www.liberte-actus.fr");
        assert_eq!(breaks, vec![3, 11, 17]);
        let (text, breaks) = display_address("http://liberte-actus.fr/a/");
        assert_eq!(text, "liberte-actus.fr/a/");
        assert_eq!(breaks, vec![7, 13, 17]);
        let (text, breaks) = display_address("https://x.fr/a_b?c=1&d=2#e");
        assert_eq!(text, "x.fr/a_b?c=1&d=2#e");
        for &b in &breaks {
            let after_slash = text[..b].ends_with('/');
            let before_mark = text[b..].starts_with(['.', '-', '_', '?', '#', '&', '=']);
            assert!(after_slash || before_mark, "{b} in {text}");
        }
        assert_eq!(breaks.len(), 8);
        // Degenerate input does not panic.
        assert_eq!(display_address("https://"), (String::new(), vec![]));
    }

    #[test]
    fn display_address_is_what_a_browser_shows() {
        // Punycode host back to Unicode, accents decoded, the escaped `?` kept escaped.
        let url = normalize_url("https://liberté-actus.fr/été").unwrap();
        assert_eq!(display_address(&url).0, "liberté-actus.fr/été");
        let (text, _) = display_address(
            "https://fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d%27Envoy%C3%A9_sp%C3%A9cial_%3F",
        );
        assert_eq!(
            text,
            "fr.wikinews.org/wiki/France_:_faut-il_croire_en_la_suite_d'Envoyé_spécial_%3F"
        );
        // Delimiters, spaces, invisible and bidi characters, broken UTF-8 stay escaped.
        for kept in
            ["%2F", "%23", "%26", "%3D", "%25", "%20", "%E2%80%8B", "%E2%80%AE", "%C3", "%FF"]
        {
            let url = format!("https://x.fr/a{kept}b");
            assert_eq!(display_address(&url).0, format!("x.fr/a{kept}b"), "{kept}");
        }
        // A decoded query keeps its structure.
        assert_eq!(display_address("https://x.fr/?q=caf%C3%A9&n=1").0, "x.fr/?q=café&n=1");
    }
}
