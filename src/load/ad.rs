//! Ad files of the page plan: a PDF page's size (the render stage embeds the page itself).

use lopdf::{Document, Object, ObjectId};

/// How deep a page's `Parent` chain is followed for an inherited box: a real page tree is a
/// few levels deep; a loop in a broken file must not hang the build.
const MAX_TREE_DEPTH: usize = 32;

/// Width and height, points, of the first page of the PDF in `bytes` (its trim box, else its
/// crop box, else its media box), or why it cannot be used.
pub(crate) fn pdf_page_size(bytes: &[u8]) -> Result<(f32, f32), String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("is not a readable PDF ({e})"))?;
    let page = first_page(&doc).ok_or("has no page")?;
    let [x0, y0, x1, y1] = page_box(&doc, page).ok_or("has a page without a media box")?;
    let size = ((x1 - x0).abs(), (y1 - y0).abs());
    if size.0 < 1.0 || size.1 < 1.0 {
        return Err(String::from("has an empty page"));
    }
    Ok(size)
}

/// The first page of `doc`.
pub fn first_page(doc: &Document) -> Option<ObjectId> {
    doc.get_pages().values().next().copied()
}

/// The box an ad page is placed by: its trim box (the ad's size, without bleed), else its
/// crop box, else its media box, each possibly inherited from the page tree.
pub fn page_box(doc: &Document, page: ObjectId) -> Option<[f32; 4]> {
    for key in [&b"TrimBox"[..], b"CropBox", b"MediaBox"] {
        let mut id = page;
        for _ in 0..MAX_TREE_DEPTH {
            let Ok(dict) = doc.get_dictionary(id) else { break };
            if let Ok(found) = dict.get(key) {
                let array = match found {
                    Object::Reference(r) => doc.get_object(*r).ok().and_then(|o| o.as_array().ok()),
                    other => other.as_array().ok(),
                };
                let numbers: Vec<f32> =
                    array.into_iter().flatten().filter_map(|n| n.as_float().ok()).collect();
                if let [x0, y0, x1, y1] = numbers[..] {
                    return Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
                }
            }
            match dict.get(b"Parent").and_then(Object::as_reference) {
                Ok(parent) => id = parent,
                Err(_) => break,
            }
        }
    }
    None
}
