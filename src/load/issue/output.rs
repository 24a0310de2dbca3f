//! What the files are written as: PDF standard, bleed, printer's marks, output profile, ink
//! limit, rendering intent and photo encoding; then the QR codes and the photo limits.

use std::ops::RangeInclusive;

use super::Resolver;
use super::page::COLUMNS;
use super::schema::{RawOutput, RawPhotoSpec, RawQr};
use crate::geom::{mm, to_mm};
use crate::model::{
    BundledCondition, EcLevel, Intent, Marks, OutputSpec, PhotoEncoding, PhotoSpec, ProfileChoice,
    QrPlacement, QrSpec, Standard,
};

/// Bleed in millimetres: printers ask for 3 to 5; beyond 20 it is a unit mistake.
const BLEED_MM: RangeInclusive<f32> = 0.0..=20.0;

/// Total area coverage (the ink limit) in percent: under 100 not even solid black prints,
/// over 400 is more than four solid inks.
const TAC_PERCENT: RangeInclusive<f32> = 100.0..=400.0;

/// JPEG quality of converted photos: under 50 the blocks show in print.
const JPEG_QUALITY: RangeInclusive<u8> = 50..=100;

use crate::qr::MIN_MODULE_MM as MIN_QR_MODULE_MM;

/// Photo resolution thresholds in pixels per inch, up to an imagesetter's resolution.
const PPI: RangeInclusive<f32> = 1.0..=2400.0;

/// The largest photo accepted, in megapixels: a guard on decoding memory, up to what a
/// medium-format camera gives many times over.
const MEGAPIXELS: RangeInclusive<f32> = 1.0..=1000.0;

/// Lines the printed address under a QR code may take: past a dozen, no reader types it.
const ADDRESS_LINES: RangeInclusive<usize> = 1..=12;

impl Resolver<'_> {
    /// The output settings given; the others keep their defaults.
    pub(super) fn output(&mut self, o: &RawOutput, out: &mut OutputSpec) {
        out.standard = self.choice(
            &o.standard,
            "output.standard",
            &[
                ("pdf-x-4", Standard::PdfX4),
                ("pdf-x-1a", Standard::PdfX1a),
                ("none", Standard::None),
            ],
            out.standard,
        );
        if o.bleed_mm.is_some() {
            out.bleed = mm(self.number(&o.bleed_mm, "output.bleed_mm", BLEED_MM, to_mm(out.bleed)));
        }
        out.marks = self.choice(
            &o.marks,
            "output.marks",
            &[("crop", Marks::Crop), ("all", Marks::All), ("none", Marks::None)],
            out.marks,
        );
        if let Some(at) = &o.icc_profile {
            let written = at.value.0.trim();
            let path = self.root.join(written);
            let bundled = BundledCondition::NAMES.iter().find(|(name, _)| name == &written);
            if let Some((_, condition)) = bundled {
                out.icc_profile = ProfileChoice::Bundled(*condition);
            } else if path.is_file() {
                out.icc_profile = ProfileChoice::File(std::fs::canonicalize(&path).unwrap_or(path));
            } else {
                let d = self.error(
                    "io",
                    format!("ICC profile `{written}` not found (looked for {})", path.display()),
                    "output.icc_profile",
                    at,
                );
                d.hint = Some(String::from(
                    "give `newsprint` or `fogra39` (bundled), or a path relative to the issue folder",
                ));
            }
        }
        if let Some(cond) = &o.output_condition {
            out.output_condition = Some(cond.value.0.trim().to_string());
            // A bundled profile declares its own registered condition; another name beside
            // it would tell the print shop the file was separated for a press it was not.
            if let ProfileChoice::Bundled(bundled) = out.icc_profile {
                let d = self.error(
                    "invalid-value",
                    format!(
                        "`output.output_condition` names the condition of a profile file; the \
                         bundled profile declares its own (`{}`)",
                        bundled.identifier()
                    ),
                    "output.output_condition",
                    cond,
                );
                d.hint = Some(String::from(
                    "remove the line, or give the profile it names as `output.icc_profile: <file>`",
                ));
            }
        }
        out.tac = self.number(&o.tac, "output.tac", TAC_PERCENT, out.tac);
        out.max_ppi = self.number(&o.max_ppi, "output.max_ppi", PPI, out.max_ppi);
        out.target_ppi = self.number(&o.target_ppi, "output.target_ppi", PPI, out.target_ppi);
        if out.target_ppi > out.max_ppi
            && let Some(at) = o.target_ppi.as_ref().or(o.max_ppi.as_ref())
        {
            let d = self.error(
                "invalid-value",
                format!(
                    "`output.target_ppi` ({}) is above `output.max_ppi` ({})",
                    out.target_ppi, out.max_ppi
                ),
                "output.target_ppi",
                at,
            );
            d.hint = Some(String::from("photos above max_ppi are resampled down to target_ppi"));
        }
        out.intent = self.choice(
            &o.intent,
            "output.intent",
            &[("relative", Intent::RelativeColorimetric), ("perceptual", Intent::Perceptual)],
            out.intent,
        );
        if let Some(at) = &o.jpeg_quality {
            let written = at.value.0.trim();
            match written.parse::<u8>() {
                Ok(quality) if JPEG_QUALITY.contains(&quality) => {
                    out.photo_encoding = PhotoEncoding::Jpeg(quality);
                }
                _ if written == "lossless" => out.photo_encoding = PhotoEncoding::Lossless,
                _ => {
                    let d = self.error(
                        "invalid-value",
                        format!(
                            "`output.jpeg_quality` must be a number from {} to {} or `lossless`, not `{written}`",
                            JPEG_QUALITY.start(),
                            JPEG_QUALITY.end()
                        ),
                        "output.jpeg_quality",
                        at,
                    );
                    d.hint = Some(String::from(
                        "92 keeps converted photos indistinguishable in print; `lossless` stores them uncompressed by JPEG",
                    ));
                }
            }
        }
        if let Some(t) = o.trapped {
            out.trapped = t;
        }
    }

    /// Where the QR code goes, its error correction, module size and address.
    pub(super) fn qr(&mut self, q: &RawQr, qr: &mut QrSpec) {
        qr.placement = self.choice(
            &q.placement,
            "qr.placement",
            &[
                ("head", QrPlacement::Head),
                ("end", QrPlacement::End),
                ("corner", QrPlacement::Corner),
                ("off", QrPlacement::Off),
            ],
            qr.placement,
        );
        qr.ec_level = self.choice(
            &q.ec,
            "qr.ec",
            &[("l", EcLevel::L), ("m", EcLevel::M), ("q", EcLevel::Q), ("h", EcLevel::H)],
            qr.ec_level,
        );
        if let Some(at) = &q.module_mm {
            if at.value < MIN_QR_MODULE_MM {
                let d = self.error(
                    "invalid-value",
                    format!("QR module of {} mm is too small to scan in print", at.value),
                    "qr.module_mm",
                    at,
                );
                d.hint = Some(format!("use at least {MIN_QR_MODULE_MM} mm (0.6 mm on newsprint)"));
            } else {
                qr.module = mm(at.value);
            }
        }
        qr.url_pattern = q.url_pattern.as_ref().map(|p| p.0.trim().to_string());
        qr.short_url = q.short_url.as_ref().map(|p| p.0.trim().to_string());
        qr.address_lines =
            self.number(&q.address_lines, "qr.address_lines", ADDRESS_LINES, qr.address_lines);
        if let Some(tracking) = &q.tracking {
            qr.tracking = tracking.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect();
        }
    }

    /// Photo resolution thresholds, the size limit and the default width in columns.
    pub(super) fn photo(&mut self, p: &RawPhotoSpec, photo: &mut PhotoSpec) {
        photo.warn_ppi = self.number(&p.warn_ppi, "photo.warn_ppi", PPI, photo.warn_ppi);
        photo.min_ppi = self.number(&p.min_ppi, "photo.min_ppi", PPI, photo.min_ppi);
        let megapixels = photo.max_pixels as f32 / 1e6;
        let megapixels =
            self.number(&p.max_megapixels, "photo.max_megapixels", MEGAPIXELS, megapixels);
        photo.max_pixels = (f64::from(megapixels) * 1e6) as u64;
        photo.columns = self.number(&p.columns, "photo.columns", COLUMNS, photo.columns);
        let percent = photo.max_crop * 100.0;
        let percent =
            self.number(&p.max_crop_percent, "photo.max_crop_percent", 0.0..=100.0, percent);
        photo.max_crop = percent / 100.0;
        if photo.min_ppi > photo.warn_ppi
            && let Some(at) = &p.min_ppi
        {
            let d = self.fragment.warning(
                "invalid-value",
                "photo.min_ppi is above photo.warn_ppi",
                "photo.min_ppi",
                at,
            );
            self.warnings.push(d);
        }
    }
}
