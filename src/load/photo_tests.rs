//! Tests of the photo checks, on photos made here and then damaged.

use super::*;

fn rgb_jpeg(width: u16, height: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height))
        .flat_map(|i| [(i % 251) as u8, (i / 7 % 253) as u8, (i * 3 % 255) as u8])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

fn ycck_jpeg(width: u16, height: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height) * 4)
        .map(|i| ((i % 241) ^ (i / 9 % 127)) as u8)
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&pixels, width, height, jpeg_encoder::ColorType::CmykAsYcck)
        .unwrap();
    out
}

#[test]
fn a_sound_jpeg_passes_with_its_size() {
    let facts = inspect_photo(&rgb_jpeg(64, 48), u64::MAX).unwrap();
    assert_eq!((facts.width_px, facts.height_px, facts.orientation), (64, 48, 1));
    assert_eq!(facts.profile_problem, None);
}

#[test]
fn a_truncated_jpeg_is_corrupt() {
    let jpeg = rgb_jpeg(64, 48);
    for keep in [jpeg.len() - 2, jpeg.len() * 2 / 3, jpeg.len() / 2] {
        let fault = inspect_photo(&jpeg[..keep], u64::MAX).unwrap_err();
        assert_eq!(fault.kind, "corrupt-photo", "{keep}: {}", fault.message);
        // Closed again with an end marker, it decodes (grey where it was cut) but its scan
        // is counted short.
        let closed = [&jpeg[..keep - 2], &[0xFF, 0xD9]].concat();
        let fault = inspect_photo(&closed, u64::MAX).unwrap_err();
        assert_eq!(fault.kind, "corrupt-photo", "{keep}: {}", fault.message);
        assert!(fault.message.starts_with("is cut short"), "{keep}: {}", fault.message);
    }
}

#[test]
fn a_jpeg_claiming_far_more_pixels_than_it_holds_is_refused_before_decoding() {
    let mut jpeg = rgb_jpeg(16, 16);
    // The frame header's height and width (SOF0 at a fixed place in this encoder's output).
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]); // 10000 x 10000
    let fault = inspect_photo(&jpeg, u64::MAX).unwrap_err();
    assert_eq!(fault.kind, "corrupt-photo");
    assert!(fault.message.contains("10000x10000"), "{}", fault.message);
}

/// A PNG of `width` x `height` pixels of 16-bit RGBA, whose header then claims `claimed`.
fn rgba16_png(width: u32, height: u32, claimed: (u32, u32)) -> Vec<u8> {
    let samples = vec![0x80u8; (width * height * 8) as usize];
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &samples,
        width,
        height,
        image::ExtendedColorType::Rgba16,
    )
    .unwrap();
    // IHDR is the first chunk: length, "IHDR", width, height, ..., CRC over type and data.
    png[16..20].copy_from_slice(&claimed.0.to_be_bytes());
    png[20..24].copy_from_slice(&claimed.1.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn the_memory_budget_counts_bytes_not_pixels() {
    // 5000 x 4000 of 16-bit RGBA is 160 MB decoded (280 MB while printed), over the
    // budget: decoded at half its width and height; the same pixels as 8-bit grey (20 MB
    // decoded) decode whole.
    let facts = inspect_photo(&rgba16_png(5000, 4000, (5000, 4000)), 100_000_000).unwrap();
    assert_eq!((facts.width_px, facts.height_px, facts.scale), (2500, 2000, 2));
    let grey = image::GrayImage::new(5000, 4000);
    let mut png = Vec::new();
    grey.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let facts = inspect_photo(&png, 100_000_000).unwrap();
    assert_eq!((facts.width_px, facts.height_px, facts.scale), (5000, 4000, 1));
}

#[test]
fn a_large_photo_whose_data_is_missing_fails_at_a_reduced_scale_too() {
    // The header claims 5000 x 4000 (decoded at 1/2), the data holds 4 x 4.
    let fault = inspect_photo(&rgba16_png(4, 4, (5000, 4000)), 100_000_000).unwrap_err();
    assert_eq!(fault.kind, "corrupt-photo", "{}", fault.message);
}

#[test]
fn a_large_jpeg_is_decoded_at_a_reduced_scale() {
    // 6000 x 5000 RGB is 90 MB decoded (270 MB while printed): over the budget, so half of
    // each side.
    let jpeg = rgb_jpeg(6000, 5000);
    let facts = inspect_photo(&jpeg, 100_000_000).unwrap();
    assert_eq!((facts.width_px, facts.height_px, facts.scale), (3000, 2500, 2));
    // Cut short, it is refused like any other.
    let fault = inspect_photo(&jpeg[..jpeg.len() * 3 / 4], 100_000_000).unwrap_err();
    assert_eq!(fault.kind, "corrupt-photo", "{}", fault.message);
    // Over `photo.max_megapixels`, it is refused before anything is decoded.
    let fault = inspect_photo(&jpeg, 20_000_000).unwrap_err();
    assert_eq!(fault.kind, "photo-too-large", "{}", fault.message);
}

#[test]
fn a_png_with_corrupt_or_missing_image_data_is_corrupt() {
    let png = rgba16_png(32, 32, (32, 32));
    assert!(inspect_photo(&png, u64::MAX).is_ok());
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    let mut flipped = png.clone();
    flipped[idat + 10] ^= 0x55;
    assert_eq!(inspect_photo(&flipped, u64::MAX).unwrap_err().kind, "corrupt-photo");
    let cut = &png[..idat + 20];
    assert_eq!(inspect_photo(cut, u64::MAX).unwrap_err().kind, "corrupt-photo");
}

#[test]
fn not_an_image_is_refused() {
    assert_eq!(inspect_photo(b"GIF89a....", u64::MAX).unwrap_err().kind, "corrupt-photo");
    assert_eq!(inspect_photo(b"", u64::MAX).unwrap_err().kind, "corrupt-photo");
}

#[test]
fn a_cmyk_jpeg_is_measured_for_its_ink_as_render_would_measure_it() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images");
    let cmyk = std::fs::read(fixtures.join("cmyk.jpg")).unwrap();
    let facts = inspect_photo(&cmyk, u64::MAX).unwrap();
    // Render's own decoding of the file (not strict) and measure.
    let layout = JpegLayout::read(&cmyk).unwrap();
    let inks = raster::decode_inks(&cmyk, layout.ycck, layout.adobe, false).unwrap();
    let peak = raster::peak_ink(&inks, facts.width_px as usize);
    // The fixture peaks at 241.6 % of one ink: over a 240 % limit (612), and so is the
    // bound load gives, taken from the coefficients without decoding.
    assert_eq!(peak, 616);
    let bound = facts.peak_ink.unwrap();
    assert!((peak..peak + 40).contains(&bound), "{bound}");
    // A YCCK photo is decoded for its ink, which is then measured as render measures it.
    let ycck = ycck_jpeg(48, 40);
    let layout = JpegLayout::read(&ycck).unwrap();
    assert!(layout.ycck);
    let inks = raster::decode_inks(&ycck, true, layout.adobe, false).unwrap();
    let facts = inspect_photo(&ycck, u64::MAX).unwrap();
    assert_eq!(facts.peak_ink, Some(raster::peak_ink(&inks, 48)));
    // Grey and RGB photos have no ink to measure.
    let gray = std::fs::read(fixtures.join("gray.jpg")).unwrap();
    assert_eq!(inspect_photo(&gray, u64::MAX).unwrap().peak_ink, None);
    assert_eq!(inspect_photo(&rgb_jpeg(64, 48), u64::MAX).unwrap().peak_ink, None);
}

#[test]
fn a_jpeg_with_damaged_codes_is_corrupt_though_load_does_not_decode_it() {
    // Grey and colour JPEGs are proven by the scan count alone: a code changed in the middle
    // of the data must still fail, as the strict decode failed it.
    let jpeg = rgb_jpeg(64, 48);
    let start = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap() + 14;
    let mut failed = 0;
    for at in (start..jpeg.len() - 2).step_by(7) {
        let mut damaged = jpeg.clone();
        damaged[at] = if damaged[at] == 0xFF { 0x00 } else { 0xFF };
        if let Err(fault) = inspect_photo(&damaged, u64::MAX) {
            assert_eq!(fault.kind, "corrupt-photo", "{at}: {}", fault.message);
            failed += 1;
        }
    }
    // 0xFF not followed by 0 is a marker where data should be: every one fails.
    assert!(failed * 10 >= (jpeg.len() - 2 - start) / 7 * 9, "{failed} failed");
}

#[test]
fn a_jpeg_without_a_quantization_table_is_corrupt() {
    let mut jpeg = rgb_jpeg(64, 48);
    let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[frame + 12] = 3;
    let fault = inspect_photo(&jpeg, u64::MAX).unwrap_err();
    assert_eq!(fault.kind, "corrupt-photo");
    assert!(fault.message.contains("quantization"), "{}", fault.message);
}
