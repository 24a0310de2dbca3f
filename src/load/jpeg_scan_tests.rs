//! Tests of the scan check, on JPEGs made here (whole, cut, or with a lying header) and on
//! the example issues' photos.

use super::*;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// A JPEG of `width` x `height` pixels of noisy gradients in `color`, encoded as `setup`
/// sets the encoder.
fn encode(
    width: u16,
    height: u16,
    color: ColorType,
    setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
) -> Vec<u8> {
    let channels = match color {
        ColorType::Luma => 1,
        ColorType::Rgb => 3,
        _ => 4,
    };
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height) * channels)
        .map(|i| ((i % 251) ^ (i / 7 % 253) ^ (i * 13 % 17)) as u8)
        .collect();
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 85);
    setup(&mut encoder);
    encoder.encode(&pixels, width, height, color).unwrap();
    out
}

/// Whole JPEGs of the kinds the tests cut: sizes that are not whole MCUs, subsampled and
/// not, with restart intervals, progressive.
fn sound_jpegs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "rgb 4:4:4",
            encode(61, 47, ColorType::Rgb, |e| e.set_sampling_factor(SamplingFactor::R_4_4_4)),
        ),
        (
            "rgb 4:2:0",
            encode(61, 47, ColorType::Rgb, |e| e.set_sampling_factor(SamplingFactor::R_4_2_0)),
        ),
        ("grey", encode(61, 47, ColorType::Luma, |_| {})),
        ("cmyk", encode(61, 47, ColorType::Cmyk, |_| {})),
        ("ycck", encode(40, 33, ColorType::CmykAsYcck, |_| {})),
        (
            "restart intervals",
            encode(100, 70, ColorType::Rgb, |e| {
                e.set_sampling_factor(SamplingFactor::R_4_2_0);
                e.set_restart_interval(3);
            }),
        ),
        (
            "grey, restart intervals",
            encode(100, 70, ColorType::Luma, |e| e.set_restart_interval(1)),
        ),
        ("progressive", encode(61, 47, ColorType::Rgb, |e| e.set_progressive(true))),
        ("progressive grey", encode(61, 47, ColorType::Luma, |e| e.set_progressive(true))),
    ]
}

#[test]
fn whole_jpegs_pass() {
    for (kind, jpeg) in sound_jpegs() {
        assert_eq!(check_scans(&jpeg), Ok(Scans::Counted), "{kind}");
    }
}

#[test]
fn the_example_photos_pass() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let folders =
        std::fs::read_dir(root.join("issues")).unwrap().flatten().map(|e| e.path().join("photos"));
    for folder in folders.chain([root.join("tests/fixtures/images")]) {
        for photo in std::fs::read_dir(&folder).into_iter().flatten().flatten().map(|e| e.path()) {
            if photo.extension().is_some_and(|e| e == "jpg") {
                assert_eq!(
                    check_scans(&std::fs::read(&photo).unwrap()),
                    Ok(Scans::Counted),
                    "{}",
                    photo.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "{checked} photos checked");
}

/// Where the first scan's data starts.
fn first_scan(jpeg: &[u8]) -> usize {
    jpeg_segments_from(jpeg, 2).flatten().find(|s| s.marker == 0xDA).unwrap().end
}

#[test]
fn a_scan_cut_and_closed_with_an_end_marker_is_short() {
    for (kind, jpeg) in sound_jpegs() {
        let start = first_scan(&jpeg);
        for fraction in [0.05, 0.3, 0.5, 0.9] {
            let mut cut =
                jpeg[..start + ((jpeg.len() - start) as f64 * fraction) as usize].to_vec();
            cut.extend([0xFF, 0xD9]);
            let why = check_scans(&cut).unwrap_err();
            assert!(
                why.contains("cut short") || why.contains("corrupt"),
                "{kind} at {fraction}: {why}"
            );
        }
    }
    // The message says how far the data goes.
    let jpeg = encode(160, 160, ColorType::Luma, |_| {});
    let start = first_scan(&jpeg);
    let mut cut = jpeg[..start + (jpeg.len() - start) / 2].to_vec();
    cut.extend([0xFF, 0xD9]);
    let why = check_scans(&cut).unwrap_err();
    assert!(why.starts_with("is cut short: its image data ends after "), "{why}");
    assert!(why.contains("of the 400 blocks (") && why.contains(" of 20 rows)"), "{why}");
}

#[test]
fn a_scan_without_an_end_marker_is_cut_short() {
    let jpeg = encode(61, 47, ColorType::Rgb, |_| {});
    let why = check_scans(&jpeg[..jpeg.len() - 2]).unwrap_err();
    assert!(why.contains("cut short"), "{why}");
    let why = check_scans(&jpeg[..jpeg.len() / 2]).unwrap_err();
    assert!(why.contains("cut short"), "{why}");
}

/// `jpeg` with its frame header's height set to `height`.
fn with_height(mut jpeg: Vec<u8>, height: u16) -> Vec<u8> {
    let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[frame + 5..frame + 7].copy_from_slice(&height.to_be_bytes());
    jpeg
}

#[test]
fn a_frame_header_that_disagrees_with_the_scan_is_an_error() {
    let jpeg = encode(64, 64, ColorType::Rgb, |e| e.set_sampling_factor(SamplingFactor::R_4_4_4));
    // Twice the rows the data holds: not enough for the cheap one-bit-a-block check.
    let why = check_scans(&with_height(jpeg.clone(), 128)).unwrap_err();
    assert!(why.contains("cut short") && why.contains("of the 128 blocks"), "{why}");
    // Fewer rows than the data holds.
    let why = check_scans(&with_height(jpeg, 32)).unwrap_err();
    assert!(why.contains("more image data") && why.contains("the 32 blocks"), "{why}");
}

#[test]
fn a_missing_or_misnumbered_restart_marker_is_an_error() {
    let jpeg = encode(100, 70, ColorType::Rgb, |e| e.set_restart_interval(2));
    let start = first_scan(&jpeg);
    let restarts: Vec<usize> = (start..jpeg.len() - 1)
        .filter(|&i| jpeg[i] == 0xFF && (0xD0..=0xD7).contains(&jpeg[i + 1]))
        .collect();
    assert!(restarts.len() > 4);
    let mut swapped = jpeg.clone();
    swapped.swap(restarts[1] + 1, restarts[2] + 1);
    let why = check_scans(&swapped).unwrap_err();
    assert!(why.contains("restart marker"), "{why}");
    // One interval's data and its marker taken out.
    let mut missing = jpeg[..restarts[1]].to_vec();
    missing.extend(&jpeg[restarts[2]..]);
    assert!(check_scans(&missing).is_err());
}

#[test]
fn huffman_tables_decode_their_own_codes() {
    // Codes of 1, 2, 3 and 12 bits: 0, 10, 110 and 111000000000.
    let mut counts = [0u8; 16];
    counts[0] = 1;
    counts[1] = 1;
    counts[2] = 1;
    counts[11] = 1;
    let table = Huffman::new(&counts, &[7, 8, 9, 10]).unwrap();
    // 0 | 10 | 110 | 111000000000, then padding ones.
    let data = [0b0101_1011, 0b1000_0000, 0b0011_1111];
    let mut bits = Bits::new(&data, 0);
    let symbols: Vec<u8> = (0..4).map(|_| bits.symbol(&table).ok().unwrap()).collect();
    assert_eq!(symbols, [7, 8, 9, 10]);
    assert!(!bits.overran());
    // Two codes of one bit and one more: more than one-bit codes can hold.
    assert!(Huffman::new(&[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], &[1, 2, 3]).is_none());
}

#[test]
fn a_large_photo_is_checked_to_its_last_block() {
    // About 5 MB of scan data, 4:4:4: 23,750 blocks of 8 x 8 (tests never assert on time;
    // the module doc gives the check's rate).
    let jpeg =
        encode(3000, 2000, ColorType::Rgb, |e| e.set_sampling_factor(SamplingFactor::R_4_4_4));
    assert_eq!(check_scans(&jpeg), Ok(Scans::Counted));
}

#[test]
fn a_component_without_its_quantization_table_is_an_error() {
    // A decoder refuses it; the count must too, since load then does not decode.
    for color in [ColorType::Luma, ColorType::Rgb] {
        let mut jpeg = encode(32, 32, color, |_| {});
        let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[frame + 12] = 3; // The first component's table: one no DQT defines.
        let why = check_scans(&jpeg).unwrap_err();
        assert!(why.contains("no quantization table for component"), "{why}");
    }
}

#[test]
fn a_lossless_frame_is_left_uncounted() {
    let mut jpeg = encode(32, 32, ColorType::Luma, |_| {});
    let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[frame + 1] = 0xC3;
    assert_eq!(check_scans(&jpeg), Ok(Scans::Uncounted));
}

/// `jpeg` without its APP14 "Adobe" segment: CMYK stored as ink, not inverted.
fn without_adobe(jpeg: &[u8]) -> Vec<u8> {
    let app14 = jpeg_segments_from(jpeg, 2).flatten().find(|s| s.marker == 0xEE).unwrap();
    let start = app14.end - app14.payload.len() - 4;
    [&jpeg[..start], &jpeg[app14.end..]].concat()
}

/// The highest total ink of a pixel of a CMYK JPEG as the decoder decodes it.
fn highest_pixel(jpeg: &[u8], adobe: bool) -> u32 {
    let inks = raster::decode_inks(jpeg, false, adobe, false).unwrap();
    inks.chunks_exact(4).map(|p| p.iter().map(|&v| u32::from(v)).sum()).max().unwrap()
}

#[test]
fn the_ink_bound_covers_every_pixel_the_decoder_decodes() {
    let fixture = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images/cmyk.jpg"),
    )
    .unwrap();
    let whole = SamplingFactor::R_4_4_4;
    let noisy = encode(61, 47, ColorType::Cmyk, |e| e.set_sampling_factor(whole));
    let restarts = encode(100, 70, ColorType::Cmyk, |e| {
        e.set_sampling_factor(whole);
        e.set_restart_interval(3);
    });
    let mut checked = 0;
    for (kind, jpeg) in [("fixture", fixture), ("noisy", noisy), ("restart intervals", restarts)] {
        for (adobe, jpeg) in [(true, jpeg.clone()), (false, without_adobe(&jpeg))] {
            let (scans, bound) = check_cmyk_scans(&jpeg, adobe, 612).unwrap();
            assert_eq!(scans, Scans::Counted, "{kind}");
            let bound = bound.unwrap_or_else(|| panic!("{kind}: no bound"));
            let highest = highest_pixel(&jpeg, adobe);
            // At least every pixel's total, and near enough to pass a photo under the limit:
            // within the decoder's rounding, two units an ink each way (or within the limit).
            assert!(bound >= highest, "{kind}, adobe {adobe}: {bound} under {highest}");
            let near = highest.max(612) + 16;
            assert!(bound <= near, "{kind}, adobe {adobe}: {bound} far over {highest}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}

#[test]
fn a_progressive_or_subsampled_cmyk_jpeg_is_not_bounded() {
    let bounded = |jpeg: &[u8]| check_cmyk_scans(jpeg, true, 612).unwrap().1;
    let whole = SamplingFactor::R_4_4_4;
    let progressive = encode(40, 33, ColorType::Cmyk, |e| {
        e.set_sampling_factor(whole);
        e.set_progressive(true);
    });
    assert_eq!(bounded(&progressive), None);
    let subsampled = encode(40, 33, ColorType::Cmyk, |e| {
        e.set_sampling_factor(SamplingFactor::R_4_2_0);
    });
    assert_eq!(bounded(&subsampled), None);
    assert!(bounded(&encode(40, 33, ColorType::Cmyk, |e| e.set_sampling_factor(whole))).is_some());
    // Damage found by the count is still an error when the ink is measured.
    let jpeg = encode(100, 70, ColorType::Cmyk, |e| e.set_sampling_factor(whole));
    let start = first_scan(&jpeg);
    let mut cut = jpeg[..start + (jpeg.len() - start) / 2].to_vec();
    cut.extend([0xFF, 0xD9]);
    assert!(check_cmyk_scans(&cut, true, 612).unwrap_err().contains("cut short"));
}
