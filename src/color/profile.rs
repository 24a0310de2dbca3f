//! The bundled output conditions, and what the program reads in ICC profiles: the
//! description, and whether two CMYK profiles describe the same printing condition.

use std::sync::{Mutex, PoisonError};

use lcms2::{DisallowCache, Flags, PixelFormat, Profile, ThreadContext, Transform};
use sha2::{Digest, Sha256};

/// A printing condition whose profile is compiled into the program (licences beside the
/// files in `icc/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundledCondition {
    /// Coldset offset on newsprint, built with ArgyllCMS from the CGATS/SNAP TR 002
    /// characterization data (heavy black generation, 240 % total ink; `icc/README.md`).
    Newsprint,
    /// Adobe's Coated FOGRA39 (sheet-fed offset on coated paper, ISO 12647-2:2004).
    Fogra39,
}

impl BundledCondition {
    /// The names `output.icc_profile` accepts for the bundled profiles.
    pub const NAMES: [(&'static str, BundledCondition); 2] =
        [("newsprint", BundledCondition::Newsprint), ("fogra39", BundledCondition::Fogra39)];

    /// The ICC profile.
    pub const fn data(self) -> &'static [u8] {
        match self {
            BundledCondition::Newsprint => include_bytes!("../../icc/Newsprint-TR002.icc"),
            BundledCondition::Fogra39 => include_bytes!("../../icc/CoatedFOGRA39.icc"),
        }
    }

    /// The reference name of its characterization data in the ICC registry, which PDF/X
    /// output intents give as `OutputConditionIdentifier`.
    pub fn identifier(self) -> &'static str {
        match self {
            BundledCondition::Newsprint => "CGATS TR 002",
            BundledCondition::Fogra39 => "FOGRA39",
        }
    }

    /// The registry the identifier is found in (`RegistryName`).
    pub fn registry(self) -> &'static str {
        "http://www.color.org"
    }
}

/// The profile's description (`desc` tag: ICC v2 text description or v4 multi-localised
/// Unicode), what a PDF/X output intent gives as `OutputCondition`.
pub fn description(icc: &[u8]) -> Option<String> {
    let tag = find_tag(icc, b"desc")?;
    let text = match tag.get(..4)? {
        b"desc" => {
            let length = u32_at(tag, 8)? as usize;
            let ascii = tag.get(12..12 + length)?;
            String::from_utf8_lossy(ascii).trim_end_matches('\0').to_string()
        }
        b"mluc" => {
            // The first record's UTF-16BE string.
            let length = u32_at(tag, 20)? as usize;
            let offset = u32_at(tag, 24)? as usize;
            let units: Vec<u16> = tag
                .get(offset..offset + length)?
                .chunks_exact(2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .collect();
            String::from_utf16_lossy(&units).trim_end_matches('\0').to_string()
        }
        _ => return None,
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The body of the tag `signature`, if the profile has it.
fn find_tag<'a>(icc: &'a [u8], signature: &[u8; 4]) -> Option<&'a [u8]> {
    let count = u32_at(icc, 128)? as usize;
    (0..count.min(1000)).find_map(|i| {
        let entry = 132 + i * 12;
        if icc.get(entry..entry + 4)? != signature {
            return None;
        }
        let offset = u32_at(icc, entry + 4)? as usize;
        let size = u32_at(icc, entry + 8)? as usize;
        icc.get(offset..offset.checked_add(size)?)
    })
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The L* (relative colorimetric, paper = 100) of black ink alone at each 8-bit tint, as
/// the CMYK profile `icc` prints it; cached by the profile's SHA-256. `None` if it is not a
/// usable CMYK profile.
pub fn black_ramp(icc: &[u8]) -> Option<Vec<f64>> {
    type Ramps = Vec<([u8; 32], Vec<f64>)>;
    static RAMPS: Mutex<Ramps> = Mutex::new(Vec::new());
    let key: [u8; 32] = Sha256::digest(icc).into();
    let mut ramps = RAMPS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, ramp)) = ramps.iter().find(|(k, _)| *k == key) {
        return Some(ramp.clone());
    }
    let tints: Vec<[u8; 4]> = (0..=255).map(|k| [0, 0, 0, k]).collect();
    let ramp: Vec<f64> = to_lab(icc, &tints)?.iter().map(|lab| lab[0]).collect();
    if ramps.len() >= 8 {
        ramps.remove(0);
    }
    ramps.push((key, ramp.clone()));
    Some(ramp)
}

/// The CIELAB values (relative colorimetric) that the CMYK profile `icc` gives `patches`;
/// `None` if it is not a usable CMYK profile.
fn to_lab(icc: &[u8], patches: &[[u8; 4]]) -> Option<Vec<[f64; 3]>> {
    if !super::transform::is_cmyk_profile(icc) {
        return None;
    }
    let context = ThreadContext::new();
    let input = Profile::new_icc_context(&context, icc).ok()?;
    let output = Profile::new_lab4_context(&context, lcms2::CIExyY::d50()).ok()?;
    let transform: Transform<[u8; 4], [f64; 3], ThreadContext, DisallowCache> =
        Transform::new_flags_context(
            &context,
            &input,
            PixelFormat::CMYK_8,
            &output,
            PixelFormat::Lab_DBL,
            lcms2::Intent::RelativeColorimetric,
            Flags::NO_CACHE,
        )
        .ok()?;
    let mut out = vec![[0.0; 3]; patches.len()];
    transform.transform_pixels(patches, &mut out);
    Some(out)
}

/// The largest colour difference (CIE ΔE*ab, relative colorimetric) allowed between two
/// profiles of one printing condition over the test patches. Profiles built from the same
/// characterization data by different tools differ by 1 to 3 (FOGRA39L through ArgyllCMS
/// against Adobe's Coated FOGRA39: see the test); two conditions differ by 10 and more
/// (coated against newsprint: the solids alone are 15 to 30 apart).
const SAME_CONDITION_DELTA_E: f64 = 6.0;

/// Whether two CMYK profiles describe the same printing condition: whether they print the
/// same CMYK values as the same colours. Compared by their colorimetry (the A2B tables
/// built from the characterization data, which is what a condition is), not their bytes:
/// FOGRA39 profiles from Adobe, ECI or ArgyllCMS differ in every byte and in their black
/// generation, but any CMYK value prints the same on the press they describe, so a photo
/// separated with one goes in as it is under the other. A photo re-separated instead would
/// get another black channel for no gain.
///
/// Answers are cached by the two profiles' SHA-256 (a photo desk sends many photos with the
/// same profile).
pub fn same_condition(a: &[u8], b: &[u8]) -> bool {
    type Answers = Vec<([u8; 32], [u8; 32], bool)>;
    static ANSWERS: Mutex<Answers> = Mutex::new(Vec::new());
    if a == b {
        return true;
    }
    let (ka, kb): ([u8; 32], [u8; 32]) = (Sha256::digest(a).into(), Sha256::digest(b).into());
    let cached = |answers: &Answers| {
        answers.iter().find(|(x, y, _)| (*x, *y) == (ka, kb) || (*x, *y) == (kb, ka)).map(|e| e.2)
    };
    if let Some(answer) = cached(&ANSWERS.lock().unwrap_or_else(PoisonError::into_inner)) {
        return answer;
    }
    let answer = max_difference(a, b).is_some_and(|d| d <= SAME_CONDITION_DELTA_E);
    let mut answers = ANSWERS.lock().unwrap_or_else(PoisonError::into_inner);
    if answers.len() >= 32 {
        answers.remove(0);
    }
    answers.push((ka, kb, answer));
    answer
}

/// The largest ΔE*ab between the colours the two CMYK profiles give a grid of CMYK patches
/// (every ink at 0, 40, 70 and 100 %, 256 patches, from paper to the four solids), in
/// relative colorimetry so that two measurements of one paper white agree. `None` when
/// either is not a usable CMYK profile.
pub fn max_difference(a: &[u8], b: &[u8]) -> Option<f64> {
    const LEVELS: [u8; 4] = [0, 102, 178, 255];
    let patches: Vec<[u8; 4]> = (0..256)
        .map(|i| [LEVELS[i & 3], LEVELS[(i >> 2) & 3], LEVELS[(i >> 4) & 3], LEVELS[i >> 6]])
        .collect();
    let (la, lb) = (to_lab(a, &patches)?, to_lab(b, &patches)?);
    let delta = |p: &[f64; 3], q: &[f64; 3]| {
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    };
    Some(la.iter().zip(&lb).map(|(p, q)| delta(p, q)).fold(0.0, f64::max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_from_the_desc_tag() {
        assert_eq!(
            description(BundledCondition::Fogra39.data()).as_deref(),
            Some("Coated FOGRA39 (ISO 12647-2:2004)")
        );
        let newsprint = description(BundledCondition::Newsprint.data()).unwrap();
        assert!(newsprint.contains("TR 002") && newsprint.contains("240"), "{newsprint}");
        assert_eq!(description(b"not a profile"), None);
    }

    #[test]
    fn newsprint_and_coated_are_different_conditions() {
        let (news, coated) = (BundledCondition::Newsprint.data(), BundledCondition::Fogra39.data());
        assert!(same_condition(news, news));
        let difference = max_difference(news, coated).unwrap();
        assert!(difference > 15.0, "{difference}");
        assert!(!same_condition(news, coated));
        assert!(max_difference(news, b"junk").is_none());
    }
}
