//! Tests of photo handling: pass-through, conversion, storage.

use std::io::{Cursor, Read};

use lcms2::{Flags, PixelFormat, Profile, Transform};

use super::convert::over_white;
use super::ink::{ink_limit, limit_ink};
use super::jpeg::{JpegInfo, encode_cmyk_jpeg};
use super::*;
use crate::model::{Intent, PhotoEncoding};
use crate::render::tests::with_icc;

/// Inflates a `compress_rows` stream and undoes the PNG Up predictor.
fn decode_rows(data: &[u8], row: usize) -> Vec<u8> {
    let mut predicted = Vec::new();
    flate2::read::ZlibDecoder::new(data).read_to_end(&mut predicted).unwrap();
    let mut out: Vec<u8> = Vec::with_capacity(predicted.len());
    for line in predicted.chunks(row + 1) {
        assert_eq!(line[0], 2, "every row tagged Up");
        let start = out.len();
        for (i, &v) in line[1..].iter().enumerate() {
            let up = if start >= row { out[start - row + i] } else { 0 };
            out.push(v.wrapping_add(up));
        }
    }
    out
}

/// The old, obvious pipeline: one transform per image, every pixel converted at once,
/// then the ink limit.
fn reference_cmyk(rgb: &[u8], intent: lcms2::Intent, flags: Flags, tac: f32) -> Vec<u8> {
    let output = Profile::new_icc(crate::color::BUNDLED_OUTPUT_PROFILE).unwrap();
    let transform: Transform<u8, u8> = Transform::new_flags(
        &Profile::new_srgb(),
        PixelFormat::RGB_8,
        &output,
        PixelFormat::CMYK_8,
        intent,
        flags,
    )
    .unwrap();
    let mut cmyk = vec![0u8; rgb.len() / 3 * 4];
    transform.transform_pixels(rgb, &mut cmyk);
    let limit = ink_limit(tac);
    for pixel in cmyk.chunks_exact_mut(4) {
        limit_ink(<&mut [u8; 4]>::try_from(pixel).unwrap(), limit);
    }
    cmyk
}

/// Decodes a CMYK JPEG written by [`encode_cmyk_jpeg`] back to ink values (it stores
/// them inverted, Adobe-style).
fn decode_cmyk_jpeg(data: &[u8]) -> Vec<u8> {
    let options = zune_core::options::DecoderOptions::default()
        .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::CMYK);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(data), options);
    decoder.decode().unwrap().into_iter().map(|v| 255 - v).collect()
}

#[test]
fn converted_jpeg_photos_go_back_to_jpeg_close_to_the_exact_separations() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("issues/liberte-actus-1719/photos/dune-rgb.jpg");
    let rgb = image::open(&path).unwrap().to_rgb8();
    let (w, h) = rgb.dimensions();
    let mut options = RenderOptions::default();
    options.output.tac = 240.0;
    let intent = Intent::RelativeColorimetric;
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, intent);
    let (encoded, _) = encode_file(&path, None, &space, &options).unwrap();
    assert!(encoded.jpeg && encoded.inverted && !encoded.passthrough && !encoded.gray);
    let info = JpegInfo::read(&encoded.data).unwrap();
    assert_eq!((info.components, info.size, info.adobe), (4, (w, h), true));
    let decoded = decode_cmyk_jpeg(&encoded.data);
    // Lossless keeps the exact separations (checked against Little CMS in the test
    // below), at more than twice the size.
    let mut lossless_options = options.clone();
    lossless_options.output.photo_encoding = PhotoEncoding::Lossless;
    let (lossless, _) = encode_file(&path, None, &space, &lossless_options).unwrap();
    assert!(!lossless.jpeg && lossless.data.len() > 2 * encoded.data.len());
    let exact = decode_rows(&lossless.data, w as usize * 4);
    assert_eq!(decoded.len(), exact.len());
    let errors: Vec<u32> =
        decoded.iter().zip(&exact).map(|(&a, &b)| u32::from(a.abs_diff(b))).collect();
    let mean = errors.iter().sum::<u32>() as f64 / errors.len() as f64;
    assert!(mean < 1.0, "mean error {mean}");
    // JPEG ringing lifts pixels over the ink limit; the photo is re-encoded until
    // preflight's measure (2x2 minimum) finds none.
    assert!(crate::raster::peak_ink(&decoded, w as usize) <= ink_limit(240.0));
}

/// A CMYK JPEG of 64x48 pixels whose shadows reach `peak` % of ink (a ramp across).
fn cmyk_ramp(peak: u32) -> (Vec<u8>, Vec<u8>) {
    let (w, h) = (64u32, 48u32);
    let samples: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let shade = ((i % w) * peak * 255 / 400 / (w - 1)) as u8;
            [shade, shade, shade, shade]
        })
        .collect();
    let jpeg = encode_cmyk_jpeg(&samples, (w, h), 95).unwrap();
    (samples, jpeg)
}

/// Whether a JPEG still carries an ICC profile (APP2 `ICC_PROFILE` segments).
fn has_icc(jpeg: &[u8]) -> bool {
    !JpegInfo::read(jpeg).unwrap().icc_chunks.is_empty()
}

#[test]
fn cmyk_photos_separated_for_another_press_are_converted_and_ink_limited() {
    let dir = std::env::temp_dir().join(format!("rotative-foreign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A heavy CMYK photo: 290 % of ink in its shadows, as a coated-paper separation has.
    let (samples, jpeg) = cmyk_ramp(290);
    let (w, h) = (64u16, 48u16);
    let output = crate::color::BUNDLED_OUTPUT_PROFILE;
    // Another press's profile: coated offset, under a newsprint output intent.
    let other = crate::color::profile::BundledCondition::Fogra39.data();
    let mut options = RenderOptions::default();
    options.output.tac = 240.0;
    let space = OutputSpace::new(output, Intent::RelativeColorimetric);

    let foreign = dir.join("foreign.jpg");
    std::fs::write(&foreign, with_icc(&jpeg, other)).unwrap();
    let (encoded, warnings) = encode_file(&foreign, None, &space, &options).unwrap();
    // The same photo stored as YCCK, as Photoshop often writes CMYK, converts alike.
    let mut ycck = Vec::new();
    jpeg_encoder::Encoder::new(&mut ycck, 95)
        .encode(&samples, w, h, jpeg_encoder::ColorType::CmykAsYcck)
        .unwrap();
    assert!(JpegInfo::read(&ycck).unwrap().ycck);
    let foreign_ycck = dir.join("foreign-ycck.jpg");
    std::fs::write(&foreign_ycck, with_icc(&ycck, other)).unwrap();
    let (from_ycck, _) = encode_file(&foreign_ycck, None, &space, &options).unwrap();
    let (a, b) = (decode_cmyk_jpeg(&encoded.data), decode_cmyk_jpeg(&from_ycck.data));
    let mean =
        a.iter().zip(&b).map(|(&x, &y)| f64::from(x.abs_diff(y))).sum::<f64>() / a.len() as f64;
    assert!(mean < 2.0, "YCCK and CMYK differ by {mean} on average");
    assert!(encoded.jpeg && !encoded.passthrough && encoded.inverted);
    assert_eq!(encoded.color, "CMYK (embedded ICC) -> CMYK");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, "photo-profile");
    assert!(crate::raster::peak_ink(&a, 64) <= ink_limit(240.0));

    // Made for the output profile, or untagged, and within the limit: in as it is, without
    // the profile the PDF does not read.
    let (_, light) = cmyk_ramp(230);
    for (name, file) in [("own.jpg", with_icc(&light, output)), ("untagged.jpg", light.clone())] {
        let path = dir.join(name);
        std::fs::write(&path, &file).unwrap();
        let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
        assert!(encoded.passthrough && warnings.is_empty(), "{name}");
        assert_eq!(encoded.data, light, "{name}: the file without its ICC segments");
        assert!(has_icc(&file) == (name == "own.jpg") && !has_icc(&encoded.data));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_400_percent_cmyk_photo_is_ink_limited_with_a_warning() {
    let dir = std::env::temp_dir().join(format!("rotative-400-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, jpeg) = cmyk_ramp(400);
    let path = dir.join("chart-400.jpg");
    std::fs::write(&path, &jpeg).unwrap();
    let mut options = RenderOptions::default();
    options.output.tac = 240.0;
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
    assert!(!encoded.passthrough && encoded.jpeg, "{}", encoded.color);
    assert_eq!(encoded.color, "CMYK, ink-limited");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, "ink-limit");
    assert!(warnings[0].message.contains("chart-400.jpg reaches 39"), "{}", warnings[0].message);
    let inks = decode_cmyk_jpeg(&encoded.data);
    assert!(crate::raster::peak_ink(&inks, 64) <= ink_limit(240.0));
    // Black is kept: the darkest column is still solid K.
    assert!(inks[63 * 4 + 3] >= 250, "{:?}", &inks[63 * 4..64 * 4]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_fogra39l_photo_under_a_fogra39_intent_goes_in_as_it_is() {
    let dir = std::env::temp_dir().join(format!("rotative-fogra39l-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Separated with a profile built by ArgyllCMS from the FOGRA39L data: every byte
    // differs from Adobe's Coated FOGRA39, the printing condition is the same.
    let fogra39l = include_bytes!("../../../tests/fixtures/icc/FOGRA39L-argyll.icc");
    let fogra39 = crate::color::profile::BundledCondition::Fogra39.data();
    let difference = crate::color::profile::max_difference(fogra39l, fogra39).unwrap();
    assert!(difference < 6.0, "{difference}");
    let (_, jpeg) = cmyk_ramp(300);
    let path = dir.join("fogra39l.jpg");
    let file = with_icc(&jpeg, fogra39l);
    std::fs::write(&path, &file).unwrap();
    let mut options = RenderOptions::default();
    options.output.tac = 330.0;
    let space = OutputSpace::new(fogra39, Intent::RelativeColorimetric);
    let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
    assert!(encoded.passthrough && warnings.is_empty(), "{} {warnings:?}", encoded.color);
    assert_eq!(encoded.data, jpeg);
    // Under newsprint it is another condition: re-separated.
    let newsprint = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let (encoded, warnings) = encode_file(&path, None, &newsprint, &options).unwrap();
    assert!(!encoded.passthrough && warnings[0].kind == "photo-profile");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_2560_pixel_photo_in_an_80_mm_frame_goes_in_at_300_ppi() {
    let dir = std::env::temp_dir().join(format!("rotative-ppi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (w, h) = (2560u32, 1707u32);
    let rgb = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x / 10) as u8, (y / 7) as u8, ((x + y) / 17) as u8])
    });
    let placed = (crate::geom::mm(80.0), crate::geom::mm(80.0) * h as f32 / w as f32);
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let options = RenderOptions::default();
    let ppi = |pixels: (u32, u32)| pixels.0 as f32 / (placed.0 / 72.0);
    // RGB (resampled, then converted), untagged CMYK and grey JPEGs (decoded, resampled
    // and re-encoded).
    let rgb_path = dir.join("big-rgb.jpg");
    rgb.save(&rgb_path).unwrap();
    let gray_path = dir.join("big-grey.jpg");
    image::DynamicImage::ImageRgb8(rgb.clone()).to_luma8().save(&gray_path).unwrap();
    let cmyk: Vec<u8> =
        rgb.pixels().flat_map(|p| [255 - p.0[0], 255 - p.0[1], 0, p.0[2] / 2]).collect();
    let cmyk_path = dir.join("big-cmyk.jpg");
    let jpeg = encode_cmyk_jpeg(&cmyk, (w, h), 90).unwrap();
    std::fs::write(&cmyk_path, jpeg).unwrap();
    for (path, gray) in [(&rgb_path, false), (&gray_path, true), (&cmyk_path, false)] {
        let (encoded, _) = encode_file(path, Some(placed), &space, &options).unwrap();
        assert!((ppi((w, h)) - 813.0).abs() < 1.0);
        assert!(
            (ppi(encoded.pixels) - 300.0).abs() < 0.5,
            "{}: {:?}",
            path.display(),
            encoded.pixels
        );
        assert!(encoded.jpeg && !encoded.passthrough && encoded.gray == gray);
        assert_eq!(JpegInfo::read(&encoded.data).unwrap().size, encoded.pixels);
        // The RGB photo needs 945 of its 2,560 pixels: decoded at half scale, not whole.
        let scaled = encoded.color.contains("decoded at 1/2 scale, resampled");
        assert_eq!(scaled, path == &rgb_path, "{}", encoded.color);
    }
    // At 400 ppi, a photo is left as it is.
    let (encoded, _) =
        encode_file(&gray_path, Some((placed.0 * 2.0, placed.1 * 2.0)), &space, &options).unwrap();
    assert!(encoded.passthrough && encoded.pixels == (w, h));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn odd_sized_jpegs_convert_to_jpegs_of_the_same_size() {
    let dir = std::env::temp_dir().join(format!("rotative-odd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    for (w, h) in [(1, 1), (17, 9), (8, 300)] {
        let rgb =
            image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 9) as u8, (y * 3) as u8, 200]));
        let path = dir.join(format!("odd-{w}x{h}.jpg"));
        rgb.save(&path).unwrap();
        let (encoded, _) = encode_file(&path, None, &space, &RenderOptions::default()).unwrap();
        assert!(encoded.jpeg && !encoded.passthrough);
        assert_eq!(JpegInfo::read(&encoded.data).unwrap().size, (w, h));
        assert_eq!(decode_cmyk_jpeg(&encoded.data).len(), (w * h * 4) as usize);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn converted_photos_match_a_plain_conversion_within_a_unit_or_two() {
    let dir = std::env::temp_dir().join(format!("rotative-images-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Saturated and dark colours, so the ink limit has work to do.
    let (w, h) = (97u32, 61u32);
    let rgb = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 5 % 256) as u8, (y * 7 % 256) as u8, ((x * y) % 256) as u8])
    });
    let path = dir.join("rgb.png");
    rgb.save(&path).unwrap();
    for (intent, lcms_intent, flags) in [
        (
            Intent::RelativeColorimetric,
            lcms2::Intent::RelativeColorimetric,
            Flags::BLACKPOINT_COMPENSATION,
        ),
        (Intent::Perceptual, lcms2::Intent::Perceptual, Flags::default()),
    ] {
        let mut options = RenderOptions::default();
        (options.output.intent, options.output.tac) = (intent, 260.0);
        let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, intent);
        // Twice: the second time the conversion comes from the cache.
        for _ in 0..2 {
            let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
            assert!(warnings.is_empty());
            assert_eq!(encoded.pixels, (w, h));
            let samples = decode_rows(&encoded.data, w as usize * 4);
            let expected = reference_cmyk(rgb.as_raw(), lcms_intent, flags, 260.0);
            // Photos convert through a grid sampled from Little CMS (`color::grid`):
            // within a unit of it, and the ink limiting after it moves a unit at most more.
            assert_eq!(samples.len(), expected.len());
            let off = samples.iter().zip(&expected).map(|(a, b)| a.abs_diff(*b)).max();
            assert!(off <= Some(2), "{intent:?}: separations differ by {off:?}");
            let limit = ink_limit(260.0);
            let totals = samples.chunks_exact(4).map(|p| p.iter().map(|&v| u32::from(v)).sum());
            assert!(totals.max() <= Some(limit), "{intent:?}: over the ink limit");
            assert_eq!(encoded.data_crc, crc32fast::hash(&encoded.data));
        }
    }
    // Grey with alpha: flattened on white, one channel, Up-predicted.
    let gray = image::GrayAlphaImage::from_fn(5, 3, |x, _| image::LumaA([0, (x * 60) as u8]));
    let path = dir.join("gray.png");
    gray.save(&path).unwrap();
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let (encoded, _) = encode_file(&path, None, &space, &RenderOptions::default()).unwrap();
    assert!(encoded.gray && !encoded.jpeg);
    let expected: Vec<u8> = (0..3).flat_map(|_| (0..5).map(|x| over_white(0, x * 60))).collect();
    assert_eq!(decode_rows(&encoded.data, 5), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn jpeg_size_comes_from_the_frame_header() {
    let mut jpeg = Vec::new();
    image::RgbImage::new(33, 17)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let info = JpegInfo::read(&jpeg).unwrap();
    assert_eq!((info.size, info.components, info.scan), ((33, 17), 3, true));
    // Cut before the scan: no size to trust.
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    assert!(!JpegInfo::read(&jpeg[..sos]).is_some_and(|i| i.scan));
}

#[test]
fn ppi_is_the_lower_axis() {
    let placement = crate::geom::Rect::new(0.0, 0.0, 720.0, 720.0);
    let ppi = crate::geom::effective_ppi((2000, 1000), &placement);
    assert!((ppi - 100.0).abs() < 1e-3);
}

#[test]
fn flattens_alpha_on_white() {
    assert_eq!(over_white(0, 0), 255);
    assert_eq!(over_white(0, 255), 0);
    assert_eq!(over_white(0, 128), 127);
}

#[test]
fn the_dct_scale_is_the_smallest_that_keeps_the_target_size() {
    // 6,000 pixels for a 1,400-pixel frame: 1/4 (1,500), since 1/8 (750) is too few.
    assert_eq!(super::dct_scale((6000, 4000), (1400, 933)), Some(4));
    assert_eq!(super::dct_scale((6000, 4000), (750, 500)), Some(8));
    // Exactly half on one side still works; under half on either side does not.
    assert_eq!(super::dct_scale((2000, 1001), (1000, 500)), Some(2));
    assert_eq!(super::dct_scale((2000, 1000), (1001, 500)), None);
}

#[test]
fn loads_ink_measure_is_taken_for_its_own_bytes_only() {
    // A 400 % chart, over a 240 % limit. Told (falsely) by a measure of these very bytes
    // that it is within the limit, render takes the measure and does not decode it: it
    // goes in as it is. A measure of other bytes is not taken: decoded, it is limited.
    let dir = std::env::temp_dir().join(format!("rotative-measured-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, jpeg) = cmyk_ramp(400);
    let path = dir.join("chart-400.jpg");
    std::fs::write(&path, &jpeg).unwrap();
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let digest: [u8; 32] = Sha256::digest(&jpeg).into();
    for (case, measured_digest, passed) in [("own", digest, true), ("other", [0; 32], false)] {
        let mut options = RenderOptions::default();
        options.output.tac = 240.0;
        options.photo_cache = Some(dir.join(case));
        let measure = crate::model::InkMeasure { digest: measured_digest, peak: 300 };
        options.measured.insert(path.clone(), measure);
        let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
        assert_eq!((encoded.passthrough, warnings.is_empty()), (passed, passed), "{case}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn loads_digest_is_taken_while_the_file_keeps_its_stamp() {
    // Render takes the digest load took of a photo, without hashing the file, while the
    // file has the stamp load saw. Shown through the ink measure, which holds for the bytes
    // of its digest only: given a made-up digest as both, the 400 % chart passes as
    // measured. Once the file has another stamp, render hashes it, the measure is not of
    // its bytes, and the chart is decoded and limited.
    let dir = std::env::temp_dir().join(format!("rotative-loaded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, jpeg) = cmyk_ramp(400);
    let path = dir.join("chart-400.jpg");
    std::fs::write(&path, &jpeg).unwrap();
    let space = OutputSpace::new(crate::color::BUNDLED_OUTPUT_PROFILE, Intent::Perceptual);
    let made_up = [7u8; 32];
    let stamp = crate::model::FileStamp::now(&path).unwrap();
    for (case, passed) in [("kept", true), ("touched", false)] {
        if case == "touched" {
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            let earlier =
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
            file.set_modified(earlier).unwrap();
        }
        let mut options = RenderOptions::default();
        options.output.tac = 240.0;
        options.photo_cache = Some(dir.join(case));
        let measure = crate::model::InkMeasure { digest: made_up, peak: 300 };
        options.measured.insert(path.clone(), measure);
        let loaded = crate::model::PhotoDigest { digest: made_up, stamp };
        options.loaded.insert(path.clone(), loaded);
        let (encoded, warnings) = encode_file(&path, None, &space, &options).unwrap();
        assert_eq!((encoded.passthrough, warnings.is_empty()), (passed, passed), "{case}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
