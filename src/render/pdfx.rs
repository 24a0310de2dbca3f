//! The PDF/X layer: what makes a PDF a PDF/X file rather than just a PDF.
//!
//! Owns the PDF version per standard, the page boxes (computed from one source of truth),
//! the CMYK output profile and the one `GTS_PDFX` output intent, the registration colour
//! used by printer's marks, the Info dictionary, the XMP packet (PDF/X-4) and the document
//! digest behind `/ID`. References: ISO 15930-1 (PDF/X-1a:2001), ISO 15930-7 (PDF/X-4).

use std::sync::{Arc, Mutex, PoisonError};

use pdf_writer::types::{OutputIntentSubtype, TrappingStatus};
use pdf_writer::{Finish, Name, Pdf, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::streams::Deflater;
use super::version::{Timestamp, pdf_date, this_version, xmp_date};
use super::{PdfBox, Refs, RenderOptions, round};
use crate::diag::Diagnostic;
use crate::geom::mm;
use crate::model::{Marks, Standard};

use crate::color::profile::description;
use crate::model::ProfileChoice;

/// What the producer calls itself in Info and XMP.
const PRODUCER: &str = concat!("rotative ", env!("CARGO_PKG_VERSION"));

/// Space outside the BleedBox kept for crop marks and the slug line when marks are drawn:
/// 3 mm gap + 6 mm marks + 3 mm for the slug text.
pub(crate) const MARKS_MARGIN_MM: f32 = 12.0;

/// The minor PDF version a standard allows: X-1a:2001 is PDF 1.3, X-4 at most 1.6.
pub(crate) fn version(standard: Standard) -> u8 {
    match standard {
        Standard::PdfX1a => 3,
        Standard::PdfX4 => 6,
        Standard::None => 7,
    }
}

/// A CMYK output profile, checked, and the output intent's keys for it.
pub(crate) struct OutputProfile {
    /// The ICC file.
    pub data: Vec<u8>,
    /// Its description (`OutputCondition` and `Info` of the output intent): the profile's
    /// `desc` tag, else its file name.
    pub name: String,
    /// `OutputConditionIdentifier`.
    pub identifier: String,
    /// `RegistryName`, for a condition registered there.
    pub registry: Option<&'static str>,
}

/// Reads the output profile (or takes a bundled one) and checks it is a CMYK printer
/// profile: an RGB or monitor profile as output intent makes every RIP convert wrongly.
/// `condition` is the `OutputConditionIdentifier` the issue gives, if any.
pub(crate) fn output_profile(
    choice: &ProfileChoice,
    condition: Option<&str>,
) -> Result<OutputProfile, Diagnostic> {
    let path = match choice {
        ProfileChoice::Bundled(bundled) => {
            let data = bundled.data().to_vec();
            return Ok(OutputProfile {
                name: description(&data).unwrap_or_else(|| bundled.identifier().into()),
                data,
                identifier: condition.unwrap_or(bundled.identifier()).to_string(),
                registry: Some(bundled.registry()),
            });
        }
        ProfileChoice::File(path) => path,
    };
    let data = std::fs::read(path).map_err(|e| {
        Diagnostic::error("icc-profile", format!("cannot read the output profile: {e}"))
            .in_file(path)
            .field("output.icc_profile")
    })?;
    let bad = |why: &str| {
        Diagnostic::error("icc-profile", format!("the output profile {why}"))
            .in_file(path)
            .field("output.icc_profile")
            .hint("give the print shop's CMYK output (printer) profile, e.g. ISOnewspaper26v4.icc")
    };
    if data.len() < 132 || &data[36..40] != b"acsp" {
        return Err(bad("is not an ICC profile"));
    }
    if &data[16..20] != b"CMYK" {
        let space = String::from_utf8_lossy(&data[16..20]).trim().to_string();
        return Err(bad(&format!("describes {space}, not CMYK")));
    }
    if &data[12..16] != b"prtr" {
        let class = String::from_utf8_lossy(&data[12..16]).to_string();
        return Err(bad(&format!("has class `{class}`, not an output (`prtr`) profile")));
    }
    let stem = || path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = description(&data).unwrap_or_else(stem);
    // A shop's own profile names an unregistered condition unless the issue says which
    // registered one it is: "Custom", as Acrobat writes.
    let identifier = condition.unwrap_or("Custom").to_string();
    Ok(OutputProfile { data, name, identifier, registry: None })
}

/// The three boxes of one page in PDF user space, all derived from the trim size, the bleed
/// and the marks setting, so TrimBox ⊆ BleedBox ⊆ MediaBox holds by construction: every
/// edge is obtained from the one inside it by adding or subtracting a non-negative amount.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageBoxes {
    /// The finished page.
    pub trim: PdfBox,
    /// Trim plus bleed.
    pub bleed: PdfBox,
    /// The sheet: bleed plus room for marks.
    pub media: PdfBox,
}

impl PageBoxes {
    /// Boxes for a `width` x `height` trim, `bleed` per side.
    pub(crate) fn new(width: f32, height: f32, bleed: f32, marks: Marks) -> Self {
        let bleed = round(bleed.max(0.0));
        let extra = match marks {
            Marks::None => 0.0,
            Marks::Crop | Marks::All => round(mm(MARKS_MARGIN_MM)),
        };
        let (width, height) = (round(width.max(0.0)), round(height.max(0.0)));
        let media = PdfBox {
            x0: 0.0,
            y0: 0.0,
            x1: extra + bleed + width + bleed + extra,
            y1: extra + bleed + height + bleed + extra,
        };
        let bleed_box = PdfBox {
            x0: extra,
            y0: extra,
            x1: extra + bleed + width + bleed,
            y1: extra + bleed + height + bleed,
        };
        let trim = PdfBox {
            x0: extra + bleed,
            y0: extra + bleed,
            x1: extra + bleed + width,
            y1: extra + bleed + height,
        };
        Self { trim, bleed: bleed_box, media }
    }

    /// Page coordinates (from the trim's top-left, y down) to PDF user space.
    pub(crate) fn point(&self, x: f32, y: f32) -> (f32, f32) {
        (round(self.trim.x0 + x), round(self.trim.y1 - y))
    }
}

/// Writes the registration colour: `[/Separation /All /DeviceCMYK f]`, which every plate
/// prints (allowed in PDF/X-1a), with a tint function giving 100 % of each ink at tint 1.
pub(crate) fn write_registration_space(pdf: &mut Pdf, id: Ref) {
    let mut separation = pdf.color_space(id).separation(Name(b"All"));
    separation.alternate_color_space().device_cmyk();
    separation
        .tint_exponential()
        .domain([0.0, 1.0])
        .c0([0.0, 0.0, 0.0, 0.0])
        .c1([1.0, 1.0, 1.0, 1.0])
        .n(1.0);
}

/// SHA-256 of the body written so far (as the bytes around the image objects and the
/// digests of those objects) and of the metadata that will follow it.
pub(crate) fn document_digest(
    body: [&[u8]; 2],
    images: &[[u8; 32]],
    options: &RenderOptions,
) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(body[0]);
    for image in images {
        hash.update(image);
    }
    hash.update(body[1]);
    hash.update(options.title.as_bytes());
    hash.update(options.lang.as_bytes());
    hash.update(format!("{:?}{:?}", options.output.icc_profile, options.output.output_condition));
    hash.update(format!(
        "{:?}{:?}{}",
        options.date, options.output.standard, options.output.trapped
    ));
    hash.finalize().into()
}

/// The last output profile compressed, and its compressed form.
type CompressedProfile = (Vec<u8>, Arc<Vec<u8>>);

/// The output profile deflated, once per process rather than once per PDF: it is the same
/// profile in every file of a run, and the bundled one (654 KB) takes longer to compress
/// than all the pages of an issue. Across builds, `deflater`'s cache keeps it.
fn compressed_profile(data: &[u8], deflater: &Deflater) -> Arc<Vec<u8>> {
    static LAST: Mutex<Option<CompressedProfile>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((raw, compressed)) = &*last
        && raw.as_slice() == data
    {
        return Arc::clone(compressed);
    }
    let compressed = Arc::new(deflater.deflate(data, 1));
    *last = Some((data.to_vec(), Arc::clone(&compressed)));
    compressed
}

/// The output profile's stream, compressed, when the file carries the output intent (in a
/// PDF/X standard): for [`write_document`], compressed while the pages are drawn rather
/// than after them (some 3 ms of a cold build, the bundled profile at level 1).
pub(crate) fn profile_stream(
    profile: &OutputProfile,
    options: &RenderOptions,
) -> Option<Arc<Vec<u8>>> {
    pdfx_keys(options.output.standard)
        .map(|_| compressed_profile(&profile.data, &Deflater::new(options)))
}

/// The `GTS_PDFXVersion` (and for X-1a `GTS_PDFXConformance`) values of a standard.
fn pdfx_keys(standard: Standard) -> Option<(&'static str, Option<&'static str>)> {
    match standard {
        Standard::PdfX1a => Some(("PDF/X-1:2001", Some("PDF/X-1a:2001"))),
        Standard::PdfX4 => Some(("PDF/X-4", None)),
        Standard::None => None,
    }
}

/// Writes the catalog, the Info dictionary, the output intent with its profile (PDF/X
/// only) and (from PDF 1.4 on) the XMP metadata.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_document(
    pdf: &mut Pdf,
    refs: &mut Refs,
    catalog_id: Ref,
    page_tree_id: Ref,
    info_id: Ref,
    profile: &OutputProfile,
    profile_stream: Option<&[u8]>,
    options: &RenderOptions,
    digest: &[u8; 32],
) {
    let created = Timestamp::midnight(options.date);
    let content_id: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let version = this_version(options.previous.as_ref(), &content_id, options.modified);
    let trapped =
        if options.output.trapped { TrappingStatus::Trapped } else { TrappingStatus::NotTrapped };
    let keys = pdfx_keys(options.output.standard);

    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&options.title))
        .creator(TextStr(PRODUCER))
        .producer(TextStr(PRODUCER))
        .creation_date(pdf_date(created))
        .modified_date(pdf_date(version.0))
        .trapped(trapped);
    if let Some((version, conformance)) = keys {
        info.pair(Name(b"GTS_PDFXVersion"), Str(version.as_bytes()));
        if let Some(conformance) = conformance {
            info.pair(Name(b"GTS_PDFXConformance"), Str(conformance.as_bytes()));
        }
    }
    info.finish();

    // A plain PDF is a screen proof: it names no press, so it carries neither the output
    // intent nor its profile (654 KB for the bundled one). Its photos are still converted
    // with the profile, so the proof shows the press's separations.
    let profile_id = profile_stream.map(|compressed| {
        let id = refs.next();
        pdf.icc_profile(id, compressed).n(4).filter(pdf_writer::Filter::FlateDecode);
        id
    });

    // XMP needs PDF 1.4; PDF/X-1a:2001 files are 1.3 and identify themselves in Info only.
    let metadata_id = (options.output.standard != Standard::PdfX1a).then(|| {
        let id = refs.next();
        let xmp = xmp_packet(options, keys.map(|k| k.0), digest, &version);
        // Left uncompressed so that file-level tools can find it, as XMP intends.
        pdf.metadata(id, xmp.as_bytes());
        id
    });

    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(page_tree_id);
    if let Some(id) = metadata_id {
        catalog.metadata(id);
    }
    if options.output.standard != Standard::PdfX1a && !options.lang.is_empty() {
        catalog.lang(TextStr(&options.lang));
    }
    if let Some(profile_id) = profile_id {
        let mut intents = catalog.output_intents();
        let mut intent = intents.push();
        intent
            .subtype(OutputIntentSubtype::PDFX)
            .output_condition_identifier(TextStr(&profile.identifier))
            .output_condition(TextStr(&profile.name))
            .info(TextStr(&profile.name))
            .dest_output_profile(profile_id);
        if let Some(registry) = profile.registry {
            intent.registry_name(TextStr(registry));
        }
    }
}

/// A UUID-shaped string from digest bytes (version 4 layout bits set), deterministic.
fn uuid(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The XMP packet; its values mirror the Info dictionary, as PDF/X-4 requires.
/// `version` is the modification time, version number and document ID of this version
/// ([`this_version`]).
fn xmp_packet(
    options: &RenderOptions,
    pdfx_version: Option<&str>,
    digest: &[u8; 32],
    version: &(Timestamp, u32, Option<String>),
) -> String {
    let created = xmp_date(Timestamp::midnight(options.date));
    let modified = xmp_date(version.0);
    // XML 1.0 has no way to write most control characters, even escaped.
    let title: String =
        options.title.chars().filter(|&c| c >= ' ' || matches!(c, '\t' | '\n' | '\r')).collect();
    // The first version's ID, kept by the later ones; the instance is this content.
    let document_id = version.2.clone().unwrap_or_else(|| format!("uuid:{}", uuid(digest)));
    let instance_id = format!("uuid:{}", uuid(&digest[16..]));
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.format("application/pdf").title([(None, title.as_str())]);
    if !options.lang.is_empty() {
        xmp.language([xmp_writer::LangId(&options.lang)]);
    }
    xmp.create_date(created)
        .modify_date(modified)
        .metadata_date(modified)
        .creator_tool(PRODUCER)
        .producer(PRODUCER)
        .trapped(options.output.trapped)
        .document_id(&document_id)
        .instance_id(&instance_id)
        .version_id(&version.1.to_string())
        .rendition_class(xmp_writer::RenditionClass::Default);
    if let Some(version) = pdfx_version {
        xmp.pdfx_version(version);
    }
    xmp.finish(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn boxes_nest_with_exact_bleed() {
        let b = PageBoxes::new(mm(315.0), mm(470.0), mm(3.0), Marks::All);
        assert!(b.media.x0 <= b.bleed.x0 && b.bleed.x0 <= b.trim.x0);
        assert!(b.media.y1 >= b.bleed.y1 && b.bleed.y1 >= b.trim.y1);
        assert!((b.trim.x0 - b.bleed.x0 - mm(3.0)).abs() < 0.01);
        assert!((b.bleed.x0 - b.media.x0 - mm(MARKS_MARGIN_MM)).abs() < 0.01);
        let none = PageBoxes::new(100.0, 100.0, mm(3.0), Marks::None);
        assert_eq!(none.media, none.bleed);
    }

    #[test]
    fn xmp_escapes_the_title_and_drops_what_xml_cannot_hold() {
        let options =
            RenderOptions { title: "Le \"Canard\" & <Cie>\u{1}".into(), ..Default::default() };
        let version = (Timestamp::midnight((2025, 9, 11)), 1, None);
        let xmp = xmp_packet(&options, Some("PDF/X-4"), &[7; 32], &version);
        assert!(xmp.contains("Le &quot;Canard&quot; &amp; &lt;Cie&gt;</rdf:li>"), "{xmp}");
        assert!(!xmp.contains('\u{1}'));
        assert!(xmp.contains("<xmpMM:DocumentID>uuid:07070707-0707-4707-8707-070707070707<"));
    }

    #[test]
    fn rejects_rgb_and_non_printer_profiles() {
        let dir = std::env::temp_dir().join(format!("rotative-icc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bundled = crate::color::BUNDLED_OUTPUT_PROFILE;
        let file = |path: &Path| ProfileChoice::File(path.to_path_buf());
        let mut rgb = bundled[..200].to_vec();
        rgb[16..20].copy_from_slice(b"RGB ");
        let path = dir.join("rgb.icc");
        std::fs::write(&path, &rgb).unwrap();
        let err = output_profile(&file(&path), None).err().unwrap();
        assert!(err.message.contains("not CMYK"), "{err}");
        let mut monitor = bundled[..200].to_vec();
        monitor[12..16].copy_from_slice(b"mntr");
        std::fs::write(&path, &monitor).unwrap();
        assert!(output_profile(&file(&path), None).err().unwrap().message.contains("prtr"));
        std::fs::write(&path, bundled).unwrap();
        let own = output_profile(&file(&path), None).unwrap();
        // Named by its description, not its file name; an unregistered condition.
        assert!(own.name.contains("TR 002"), "{}", own.name);
        assert_eq!((own.identifier.as_str(), own.registry), ("Custom", None));
        let named = output_profile(&file(&path), Some("ISOnewspaper26v4")).unwrap();
        assert_eq!(named.identifier, "ISOnewspaper26v4");
        assert!(output_profile(&file(&dir.join("missing.icc")), None).is_err());
    }
}
