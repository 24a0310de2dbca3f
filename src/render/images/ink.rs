//! Ink limiting: holding converted photos under the press's total area coverage (TAC), the
//! most ink the paper takes at one spot before it smears or shows through (240 % on
//! coldset newsprint, where 400 % would be all four inks solid).

pub(super) use crate::raster::ink_limit;

/// Holds every pixel of a CMYK row under `limit` (see [`limit_ink`]); returns the highest
/// total ink of a pixel afterwards (0 for an empty row).
///
/// Most rows of most photos are under the limit everywhere: their highest total is
/// measured first ([`highest_ink`], several times faster than limiting pixel by pixel),
/// and only a row that goes over is limited, pixel by pixel.
pub(super) fn limit_row_ink(cmyk: &mut [u8], limit: u32) -> u32 {
    let highest = highest_ink(cmyk);
    if highest <= limit {
        return highest;
    }
    let mut highest = 0;
    for pixel in cmyk.chunks_exact_mut(4) {
        if let Ok(pixel) = <&mut [u8; 4]>::try_from(pixel) {
            highest = highest.max(limit_ink(pixel, limit));
        }
    }
    highest
}

/// The highest total ink (sum of the four 8-bit channels) of a pixel of `cmyk`, 0 for none.
///
/// Written for the compiler to vectorise with the baseline instruction set: eight pixels
/// at a time, each read as one 32-bit word whose bytes are summed in pairs then halves
/// (a total is at most 1,020, so nothing carries), into eight running maxima.
fn highest_ink(cmyk: &[u8]) -> u32 {
    const LANES: usize = 8;
    let mut high = [0u32; LANES];
    let mut blocks = cmyk.chunks_exact(4 * LANES);
    for block in &mut blocks {
        for (high, pixel) in high.iter_mut().zip(block.chunks_exact(4)) {
            let word = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
            let pairs = (word & 0x00FF_00FF) + (word >> 8 & 0x00FF_00FF);
            *high = (*high).max((pairs & 0xFFFF) + (pairs >> 16));
        }
    }
    let rest = blocks.remainder().chunks_exact(4);
    let rest = rest.map(|pixel| pixel.iter().map(|&v| u32::from(v)).sum::<u32>());
    high.into_iter().chain(rest).max().unwrap_or(0)
}

/// Holds one CMYK pixel under `limit` (sum of 8-bit channels). First a grey-component
/// replacement step moves common C=M=Y into K (each unit removes three of colour and adds
/// one of black, keeping the neutral roughly the same), then C, M and Y are scaled down
/// together; K is never reduced, so shadows keep their depth and text-like detail.
///
/// A pixel over the limit ends within 2 units of it, never over: the replacement step takes
/// at most one unit more than the excess, and the scaling rounds each of C, M and Y down
/// (less than one unit each). A pixel at or under the limit is left as it is. Returns the
/// pixel's total ink afterwards.
pub(super) fn limit_ink(pixel: &mut [u8; 4], limit: u32) -> u32 {
    let sum = |p: &[u8; 4]| p.iter().map(|&v| u32::from(v)).sum::<u32>();
    let total = sum(pixel);
    if total <= limit {
        return total;
    }
    let [c, m, y, k] = *pixel;
    let grey = u32::from(c.min(m).min(y));
    let excess = total - limit;
    let moved = grey.min(255 - u32::from(k)).min(excess.div_ceil(2)) as u8;
    *pixel = [c - moved, m - moved, y - moved, k + moved];
    let total = sum(pixel);
    if total > limit {
        let k = u32::from(pixel[3]);
        let cmy = total - k;
        let room = limit.saturating_sub(k);
        for v in &mut pixel[..3] {
            *v = (u32::from(*v) * room / cmy) as u8;
        }
        return sum(pixel);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn total(pixel: [u8; 4]) -> u32 {
        pixel.iter().map(|&v| u32::from(v)).sum()
    }

    #[test]
    fn ink_limit_holds_and_keeps_black() {
        let limit = ink_limit(240.0);
        for pixel in
            [[255, 255, 255, 255], [200, 180, 170, 250], [255, 0, 255, 200], [90, 80, 70, 60]]
        {
            let mut p = pixel;
            limit_ink(&mut p, limit);
            assert!(total(p) <= limit, "{pixel:?} -> {p:?}");
            assert!(p[3] >= pixel[3], "black reduced: {pixel:?} -> {p:?}");
        }
        let mut light = [90, 80, 70, 60];
        limit_ink(&mut light, limit);
        assert_eq!(light, [90, 80, 70, 60]);
    }

    #[test]
    fn the_limit_is_the_percentage_of_one_solid_ink_clamped_to_what_inks_can_sum_to() {
        assert_eq!(ink_limit(240.0), 612);
        assert_eq!(ink_limit(50.0), 255);
        assert_eq!(ink_limit(1000.0), 1020);
    }

    proptest! {
        #[test]
        fn limited_pixels_stay_within_the_limit_and_keep_their_black(
            pixel in any::<[u8; 4]>(),
            tac in 0.0f32..500.0,
        ) {
            let limit = ink_limit(tac);
            let mut limited = pixel;
            limit_ink(&mut limited, limit);
            if total(pixel) <= limit {
                prop_assert_eq!(limited, pixel);
            } else {
                prop_assert!(total(limited) <= limit, "{:?} -> {:?}", pixel, limited);
                // Rounding down takes off at most 2 units more than needed.
                prop_assert!(total(limited) + 2 >= limit, "{:?} -> {:?}", pixel, limited);
            }
            prop_assert!(limited[3] >= pixel[3], "black lowered: {:?} -> {:?}", pixel, limited);
            for (after, before) in limited[..3].iter().zip(&pixel[..3]) {
                prop_assert!(after <= before, "a colour raised: {:?} -> {:?}", pixel, limited);
            }
        }

        #[test]
        fn the_highest_ink_of_a_row_is_its_highest_pixel_total(
            row in proptest::collection::vec(any::<[u8; 4]>(), 0..40),
        ) {
            let flat: Vec<u8> = row.concat();
            let expected = row.iter().map(|&pixel| total(pixel)).max().unwrap_or(0);
            prop_assert_eq!(highest_ink(&flat), expected);
        }

        #[test]
        fn a_row_is_limited_pixel_by_pixel(
            row in proptest::collection::vec(any::<[u8; 4]>(), 0..64),
            tac in 100.0f32..400.0,
        ) {
            let limit = ink_limit(tac);
            let mut flat: Vec<u8> = row.concat();
            let highest = limit_row_ink(&mut flat, limit);
            for (pixel, limited) in row.iter().zip(flat.chunks_exact(4)) {
                let mut one = *pixel;
                prop_assert_eq!(limit_ink(&mut one, limit), total(one));
                prop_assert_eq!(&one[..], limited);
            }
            // The highest total it returns is the row's after limiting.
            let after = flat.chunks_exact(4).map(|p| total([p[0], p[1], p[2], p[3]])).max();
            prop_assert_eq!(highest, after.unwrap_or(0));
        }
    }
}
