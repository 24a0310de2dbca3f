//! EXIF orientation: a phone stores a portrait photo as a landscape one with a tag saying
//! "turn me"; the PDF must carry the photo turned, since no PDF reader looks at EXIF.
//!
//! The load stage already gives the layout the size as printed; here the samples are
//! turned before resampling, colour conversion and cropping. A greyscale or CMYK JPEG that
//! would have gone in byte for byte is decoded, turned and stored again as the issue stores
//! prepared photos, since a DCT stream cannot be turned in the PDF.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};

/// The EXIF orientation of an image file (no tag, or an unreadable one: as stored).
pub(super) fn orientation_of(bytes: &[u8]) -> Orientation {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|reader| reader.into_decoder().ok())
        .and_then(|mut decoder| decoder.orientation().ok())
        .unwrap_or(Orientation::NoTransforms)
}

/// Turns `samples` (`channels` bytes a pixel, `width` x `height`) as `orientation` says;
/// returns them with their new size.
pub(super) fn reorient(
    samples: Vec<u8>,
    (width, height): (u32, u32),
    channels: usize,
    orientation: Orientation,
) -> (Vec<u8>, (u32, u32)) {
    if orientation == Orientation::NoTransforms {
        return (samples, (width, height));
    }
    let (w, h) = (width as usize, height as usize);
    let (out_w, out_h) = if swaps_axes(orientation) { (h, w) } else { (w, h) };
    let mut out = vec![0u8; samples.len()];
    for y in 0..out_h {
        for x in 0..out_w {
            // The stored pixel that lands at (x, y) once turned.
            let (sx, sy) = match orientation {
                Orientation::FlipHorizontal => (w - 1 - x, y),
                Orientation::Rotate180 => (w - 1 - x, h - 1 - y),
                Orientation::FlipVertical => (x, h - 1 - y),
                Orientation::Rotate90FlipH => (y, x),
                Orientation::Rotate90 => (y, h - 1 - x),
                Orientation::Rotate270FlipH => (w - 1 - y, h - 1 - x),
                Orientation::Rotate270 => (w - 1 - y, x),
                Orientation::NoTransforms => (x, y),
            };
            let from = (sy * w + sx) * channels;
            let to = (y * out_w + x) * channels;
            out[to..to + channels].copy_from_slice(&samples[from..from + channels]);
        }
    }
    (out, (out_w as u32, out_h as u32))
}

/// The size of a `width` x `height` image once turned as `orientation` says.
pub(super) fn turned_size((width, height): (u32, u32), orientation: Orientation) -> (u32, u32) {
    if swaps_axes(orientation) { (height, width) } else { (width, height) }
}

/// Whether turning as `orientation` says swaps width and height (a quarter turn).
fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 x 2 image whose pixels are their own indices.
    fn numbered() -> Vec<u8> {
        (0..6).collect()
    }

    #[test]
    fn every_orientation_turns_as_exif_says() {
        // Stored:  0 1 2
        //          3 4 5
        let cases = [
            (Orientation::NoTransforms, (3, 2), vec![0, 1, 2, 3, 4, 5]),
            (Orientation::FlipHorizontal, (3, 2), vec![2, 1, 0, 5, 4, 3]),
            (Orientation::Rotate180, (3, 2), vec![5, 4, 3, 2, 1, 0]),
            (Orientation::FlipVertical, (3, 2), vec![3, 4, 5, 0, 1, 2]),
            (Orientation::Rotate90FlipH, (2, 3), vec![0, 3, 1, 4, 2, 5]),
            (Orientation::Rotate90, (2, 3), vec![3, 0, 4, 1, 5, 2]),
            (Orientation::Rotate270FlipH, (2, 3), vec![5, 2, 4, 1, 3, 0]),
            (Orientation::Rotate270, (2, 3), vec![2, 5, 1, 4, 0, 3]),
        ];
        for (orientation, size, expected) in cases {
            let (turned, turned_size) = reorient(numbered(), (3, 2), 1, orientation);
            assert_eq!((turned, turned_size), (expected, size), "{orientation:?}");
        }
    }

    #[test]
    fn multi_channel_pixels_move_whole() {
        let samples: Vec<u8> = (0..24).collect(); // 3 x 2, four bytes a pixel
        let (turned, _) = reorient(samples, (3, 2), 4, Orientation::Rotate90);
        assert_eq!(&turned[..8], &[12, 13, 14, 15, 0, 1, 2, 3]);
    }
}
