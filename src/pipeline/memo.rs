//! Set articles kept from one build to the next in the same process, for `rotative watch`:
//! an article whose inputs have not changed since the last build is not set again (its QR
//! code not read back again either), only composed with the others.
//!
//! The memo is plain data the caller owns and hands to [`super::typeset_with`]; the
//! pipeline keeps nothing of its own between runs. An article's entry is keyed by a SHA-256
//! of everything its setting depends on: the article as loaded from its file (front
//! matter and body), its photo's bytes (or the digest load took of them), the issue's
//! settings with the command line's overrides, the frame shape it is set for and
//! `--strict`. Any change to one of them is a new key, so a kept article is exactly the one
//! a fresh build would set.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::SetArticle;
use crate::compose::StoryShape;
use crate::model::{ArticleEntry, IssueConfig};

/// What an article's setting depends on, hashed.
pub(super) type Key = [u8; 32];

/// The articles set by the last build of a process, by a hash of all that their setting
/// depends on.
#[derive(Default)]
pub struct SetMemo {
    kept: HashMap<Key, SetArticle>,
}

impl SetMemo {
    /// The article set from `key`, if the last build set it.
    pub(super) fn get(&self, key: &Key) -> Option<SetArticle> {
        self.kept.get(key).cloned()
    }

    /// Keeps the articles of this build, and only them: an article edited away will not
    /// come back, and the memo stays the size of one issue.
    pub(super) fn keep(&mut self, set: impl IntoIterator<Item = (Key, SetArticle)>) {
        self.kept = set.into_iter().collect();
    }
}

/// The key of `entry` set for `shape` under `config`; `None` for an article that did not
/// load (it has nothing to set) or whose photo cannot be read (it is set afresh and fails
/// there as a fresh build would).
pub(super) fn key(
    entry: &ArticleEntry,
    config: &IssueConfig,
    shape: Option<StoryShape>,
    strict: bool,
) -> Option<Key> {
    let article = entry.article.as_ref().ok()?;
    let mut hash = Sha256::new();
    // The loaded article stands for its file's bytes: it is made from them alone, with
    // the issue's settings hashed below.
    hash.update(format!("{article:?}\n{config:?}\n{shape:?}\n{strict}\n").as_bytes());
    // The digest load took of the photo (with the build cache) is in the article above and
    // stands for its bytes; without one they are read: a watched issue of RGB photos was
    // tens of megabytes read at every rebuild.
    if let Some(photo) = article.photo.as_ref().filter(|photo| photo.digest.is_none()) {
        hash.update(std::fs::read(&photo.path).ok()?);
    }
    Some(hash.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{LoadOptions, load_issue};

    #[test]
    fn an_article_s_key_follows_its_photo_s_digest_or_else_its_bytes() {
        let dir = std::env::temp_dir().join(format!("rotative-memo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let issue_dir = dir.join("issue");
        for folder in ["articles", "photos"] {
            std::fs::create_dir_all(issue_dir.join(folder)).unwrap();
        }
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("issues/liberte-actus-1719");
        std::fs::copy(example.join("photos/wood-grey.jpg"), issue_dir.join("photos/p.jpg"))
            .unwrap();
        std::fs::write(issue_dir.join("issue.yaml"), "publication: P\n").unwrap();
        let article = "---\ntitle: T\nphoto: ../photos/p.jpg\n---\nTexte.\n";
        std::fs::write(issue_dir.join("articles/a.md"), article).unwrap();
        let proofs = Some(dir.join("proofs"));
        let cached = LoadOptions { allow_outside: false, photo_proofs: proofs, auto: false };
        let uncached = LoadOptions { photo_proofs: None, ..cached.clone() };
        let key_of = |options: &LoadOptions| {
            let issue = load_issue(&issue_dir, options).unwrap();
            key(&issue.articles[0], &issue.config, None, false).unwrap()
        };
        let (with_digest, without) = (key_of(&cached), key_of(&uncached));
        assert_eq!(key_of(&cached), with_digest, "the same inputs, the same key");
        // The photo rewritten with other bytes: a new digest with the cache, other bytes
        // read without it.
        let mut bytes = std::fs::read(issue_dir.join("photos/p.jpg")).unwrap();
        bytes.extend_from_slice(b"\xFF\xFE\x00\x04ok");
        std::fs::write(issue_dir.join("photos/p.jpg"), &bytes).unwrap();
        assert_ne!(key_of(&cached), with_digest);
        assert_ne!(key_of(&uncached), without);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
