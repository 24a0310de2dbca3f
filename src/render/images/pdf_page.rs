//! Advertisers' PDF pages, embedded as delivered: the first page of the file becomes a form
//! XObject with its content stream and a copy of every object its resources reach (fonts,
//! images, colour spaces), so its text stays text and its images stay as the advertiser
//! made them.
//!
//! The form's matrix maps its box (the page's trim box, else crop box, else media box) onto
//! the unit square, so it is drawn exactly like a photo: scaled into its placement.
//!
//! Advertisers deliver PDF/X-1a: CMYK only. An ad that uses RGB (DeviceRGB, CalRGB, an ICC
//! profile of three components, or the `rg`/`RG` operators) cannot go into a PDF/X-1a file,
//! and is an error there rather than a silent conversion of someone else's colours.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_writer::{Filter, Name, Obj, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};

use super::super::Refs;
use super::ImageObject;
use crate::diag::Diagnostic;
use crate::model::Standard;

/// Most decompressed bytes read from one content stream of an ad: a real ad's page is a few
/// megabytes at most; a deflate bomb must not fill the memory.
const MAX_CONTENT_BYTES: usize = 256 << 20;

/// An ad page read and checked, ready to be written.
pub(super) struct AdPage {
    doc: Document,
    content: Vec<u8>,
    resources: Object,
    bbox: [f32; 4],
    /// Every object the resources reach, in number order (deterministic output).
    objects: Vec<ObjectId>,
}

/// Reads the first page of the PDF at `path` and checks its colour against `standard`.
pub(super) fn read(path: &Path, standard: Standard) -> Result<AdPage, Diagnostic> {
    let fail = |why: String| {
        Diagnostic::error("bad-ad", format!("ad {}: {why}", path.display())).in_file(path)
    };
    let doc = Document::load(path).map_err(|e| fail(format!("not a readable PDF ({e})")))?;
    let page = crate::load::first_page(&doc).ok_or_else(|| fail("no page".into()))?;
    let bbox = crate::load::page_box(&doc, page).ok_or_else(|| fail("no media box".into()))?;
    let content = doc
        .get_page_content_with_limit(page, MAX_CONTENT_BYTES)
        .map_err(|e| fail(format!("unreadable page content ({e})")))?;
    let resources = page_resources(&doc, page);
    let mut reached = BTreeSet::new();
    reach(&doc, &resources, &mut reached);
    let ad = AdPage { objects: reached.into_iter().collect(), doc, content, resources, bbox };
    if standard == Standard::PdfX1a
        && let Some(what) = ad.rgb()
    {
        return Err(fail(format!("uses RGB colour ({what}), which PDF/X-1a does not allow"))
            .hint("ask the advertiser for a PDF/X-1a (CMYK) file, or build in PDF/X-4"));
    }
    Ok(ad)
}

/// The page's resources, its own or inherited from the page tree (merged, the page's first).
fn page_resources(doc: &Document, page: ObjectId) -> Object {
    let mut merged = Dictionary::new();
    if let Ok((own, inherited)) = doc.get_page_resources(page) {
        let dicts =
            own.into_iter().chain(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        for dict in dicts {
            for (key, value) in dict.iter() {
                if !merged.has(key) {
                    merged.set(key.clone(), value.clone());
                }
            }
        }
    }
    Object::Dictionary(merged)
}

/// Collects the objects `object` refers to, transitively.
fn reach(doc: &Document, object: &Object, seen: &mut BTreeSet<ObjectId>) {
    match object {
        Object::Reference(id) => {
            if seen.insert(*id)
                && let Ok(target) = doc.get_object(*id)
            {
                reach(doc, target, seen);
            }
        }
        Object::Array(items) => items.iter().for_each(|o| reach(doc, o, seen)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| reach(doc, o, seen)),
        Object::Stream(stream) => stream.dict.iter().for_each(|(_, o)| reach(doc, o, seen)),
        _ => {}
    }
}

impl AdPage {
    /// What in the page is RGB, if anything.
    fn rgb(&self) -> Option<String> {
        let mut contents = vec![self.content.clone()];
        let mut objects: Vec<&Object> = vec![&self.resources];
        objects.extend(self.objects.iter().filter_map(|id| self.doc.get_object(*id).ok()));
        for object in &objects {
            if let Some(what) = rgb_space(&self.doc, object) {
                return Some(what);
            }
            // The content of forms inside the ad draws too.
            if let Object::Stream(stream) = object
                && stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form")
                && let Ok(data) = stream.decompressed_content_with_limit(MAX_CONTENT_BYTES)
            {
                contents.push(data);
            }
        }
        contents.iter().find_map(|data| {
            let ops = Content::decode(data).ok()?;
            ops.operations
                .iter()
                .find(|op| op.operator == "rg" || op.operator == "RG")
                .map(|op| format!("the `{}` operator", op.operator))
        })
    }

    /// Writes the form XObject `id` and the objects it needs; returns what the page
    /// resources and the report need to know of it.
    pub(super) fn write(
        self,
        pdf: &mut Pdf,
        refs: &mut Refs,
        id: Ref,
        resource_name: String,
    ) -> ImageObject {
        let start = pdf.as_bytes().len();
        let map: BTreeMap<ObjectId, Ref> = self.objects.iter().map(|o| (*o, refs.next())).collect();
        for (old, new) in &map {
            match self.doc.get_object(*old) {
                Ok(Object::Stream(stream)) => {
                    let mut written = pdf.stream(*new, &stream.content);
                    for (key, value) in stream.dict.iter() {
                        // The writer states the length of what it writes.
                        if key.as_slice() != b"Length" {
                            copy(written.insert(Name(key)), value, &map);
                        }
                    }
                }
                Ok(object) => copy(pdf.indirect(*new), object, &map),
                Err(_) => pdf.indirect(*new).primitive(pdf_writer::Null),
            }
        }
        let [x0, y0, x1, y1] = self.bbox;
        let (width, height) = (x1 - x0, y1 - y0);
        let data = miniz(&self.content);
        let mut form = pdf.form_xobject(id, &data);
        form.filter(Filter::FlateDecode);
        form.bbox(Rect::new(x0, y0, x1, y1));
        form.matrix([1.0 / width, 0.0, 0.0, 1.0 / height, -x0 / width, -y0 / height]);
        copy(form.insert(Name(b"Resources")), &self.resources, &map);
        drop(form);
        let digest: [u8; 32] = Sha256::digest(&pdf.as_bytes()[start..]).into();
        ImageObject {
            id,
            resource_name,
            pixels: (width.round() as u32, height.round() as u32),
            digest,
            passthrough: true,
            color: String::from("PDF page"),
            cached: false,
        }
    }
}

/// Compresses a content stream.
fn miniz(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Why `object` is an RGB colour space, if it is one.
fn rgb_space(doc: &Document, object: &Object) -> Option<String> {
    match object {
        Object::Name(name) if name == b"DeviceRGB" || name == b"CalRGB" => {
            Some(String::from_utf8_lossy(name).into_owned())
        }
        Object::Array(items) => {
            let icc = items.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased".as_slice());
            let profile = items.get(1).and_then(|o| match o {
                Object::Reference(r) => doc.get_object(*r).ok(),
                other => Some(other),
            });
            let components = profile
                .and_then(|p| p.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok())
                .and_then(|n| n.as_i64().ok());
            if icc && components == Some(3) {
                return Some(String::from("an RGB ICC profile"));
            }
            items.iter().find_map(|o| rgb_space(doc, o))
        }
        Object::Dictionary(dict) => dict.iter().find_map(|(_, o)| rgb_space(doc, o)),
        Object::Stream(stream) => stream.dict.iter().find_map(|(_, o)| rgb_space(doc, o)),
        _ => None,
    }
}

/// Writes a copy of `object`, its references renumbered through `map`.
fn copy(obj: Obj<'_>, object: &Object, map: &BTreeMap<ObjectId, Ref>) {
    match object {
        Object::Null => obj.primitive(pdf_writer::Null),
        Object::Boolean(b) => obj.primitive(*b),
        Object::Integer(i) => obj.primitive(i32::try_from(*i).unwrap_or(i32::MAX)),
        Object::Real(r) => obj.primitive(*r),
        Object::Name(name) => obj.primitive(Name(name)),
        Object::String(bytes, _) => obj.primitive(Str(bytes)),
        Object::Array(items) => {
            let mut array = obj.array();
            for item in items {
                copy(array.push(), item, map);
            }
        }
        Object::Dictionary(dict) => {
            let mut written = obj.dict();
            for (key, value) in dict.iter() {
                copy(written.insert(Name(key)), value, map);
            }
        }
        Object::Reference(id) => match map.get(id) {
            Some(r) => obj.primitive(*r),
            None => obj.primitive(pdf_writer::Null),
        },
        // A stream is only ever an indirect object, written by `AdPage::write`.
        Object::Stream(_) => obj.primitive(pdf_writer::Null),
    }
}
