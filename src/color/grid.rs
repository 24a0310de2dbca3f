//! A fast RGB to CMYK path for photos: the Little CMS conversion sampled once (16 bits a
//! channel) on a 33 x 33 x 33 grid, the grid Little CMS precalculates for RGB itself, and
//! interpolated per pixel, tetrahedrally, as Little CMS does.
//!
//! Little CMS's 8-bit transform does the same arithmetic, but pixel by pixel through
//! function pointers, 16-bit packing and unpacking, one channel at a time; on the
//! benchmark's 1,400 x 875 photos it (with a memo of recent colours in front) took about
//! 17 ms of CPU a photo, this grid about 10. The colours are within a unit of 255 of
//! Little CMS's (`tests`, on a lattice of every colour in steps of 3), and the grid is
//! built once per conversion and process.

/// Grid points along each axis.
const NODES: usize = 33;

/// The axes (0 red, 1 green, 2 blue) in decreasing order of their fractions, by which of
/// red >= green (1), green >= blue (2) and red >= blue (4) hold; 3 and 4 cannot happen.
const ORDER: [[usize; 3]; 8] =
    [[2, 1, 0], [2, 0, 1], [1, 2, 0], [0, 1, 2], [0, 1, 2], [0, 2, 1], [1, 0, 2], [0, 1, 2]];

/// The conversion of 8-bit RGB to 8-bit CMYK as a grid of CMYK values.
pub struct RgbGrid {
    /// CMYK at each node (red slowest, blue fastest) in 256ths of an 8-bit unit, 32 bits
    /// a channel: cyan and magenta in the low and high halves of the first word, yellow
    /// and black in the second, so that one multiplication weighs two channels.
    nodes: Vec<[u64; 2]>,
    /// For each 8-bit value of a channel: the index of the node below it, and how far it
    /// is towards the next, in 256ths (0..=256).
    cells: [(u8, u16); 256],
}

impl RgbGrid {
    /// Samples `convert` (16-bit RGB to 16-bit CMYK, one call for all the nodes) on the grid.
    pub fn sample(convert: impl FnOnce(&[[u16; 3]], &mut [[u16; 4]])) -> Self {
        let last = (NODES - 1) as u32;
        let at = |i: usize| ((i as u32 * 65_535 + last / 2) / last) as u16;
        let mut inputs = Vec::with_capacity(NODES * NODES * NODES);
        for r in 0..NODES {
            for g in 0..NODES {
                for b in 0..NODES {
                    inputs.push([at(r), at(g), at(b)]);
                }
            }
        }
        let mut sampled = vec![[0u16; 4]; inputs.len()];
        convert(&inputs, &mut sampled);
        // 16 bits to 8 bits in 256ths: x 255 x 256 / 65,535, which is / 257.
        let scale = |v: u16| (u64::from(v) * 256 + 128) / 257;
        let nodes = sampled
            .iter()
            .map(|&[c, m, y, k]| [scale(c) | scale(m) << 32, scale(y) | scale(k) << 32])
            .collect();
        let mut cells = [(0u8, 0u16); 256];
        for (v, cell) in cells.iter_mut().enumerate() {
            // v / 255 of the axis, in 256ths of a cell; the top value sits at the end of
            // the last cell rather than at the start of one past it.
            let position = (v as u32 * last * 256 + 127) / 255;
            let (index, fraction) = (position / 256, position % 256);
            *cell =
                if index == last { (index as u8 - 1, 256) } else { (index as u8, fraction as u16) };
        }
        Self { nodes, cells }
    }

    /// Converts RGB pixels (`rgb`, three bytes each) into CMYK (`cmyk`, four bytes each).
    pub fn convert(&self, rgb: &[u8], cmyk: &mut [u8]) {
        const STEPS: [u32; 3] = [(NODES * NODES) as u32, NODES as u32, 1];
        for (pixel, out) in rgb.chunks_exact(3).zip(cmyk.chunks_exact_mut(4)) {
            let (ir, fr) = self.cells[usize::from(pixel[0])];
            let (ig, fg) = self.cells[usize::from(pixel[1])];
            let (ib, fb) = self.cells[usize::from(pixel[2])];
            let base = u32::from(ir) * STEPS[0] + u32::from(ig) * STEPS[1] + u32::from(ib);
            let (fr, fg, fb) = (u32::from(fr), u32::from(fg), u32::from(fb));
            // The tetrahedron the point is in: the axes in the order of their fractions,
            // looked up rather than branched on (the fractions of a photo's pixels are as
            // good as random, and a mispredicted branch costs more than the lookup).
            let case =
                usize::from(fr >= fg) | usize::from(fg >= fb) << 1 | usize::from(fr >= fb) << 2;
            let [a, m, c] = ORDER[case];
            let fs = [fr, fg, fb];
            let (fa, fm, fc) = (fs[a], fs[m], fs[c]);
            let (sa, sm, sc) = (STEPS[a], STEPS[m], STEPS[c]);
            let n0 = self.nodes[base as usize];
            let n1 = self.nodes[(base + sa) as usize];
            let n2 = self.nodes[(base + sa + sm) as usize];
            let n3 = self.nodes[(base + sa + sm + sc) as usize];
            let (w0, w1, w2, w3) =
                (u64::from(256 - fa), u64::from(fa - fm), u64::from(fm - fc), u64::from(fc));
            // Two channels a 64-bit word, 32 bits each: the weights sum to 256, so each
            // channel's sum stays under 2^24 and never spills into the next.
            const HALF: u64 = 1 << 15 | 1 << 47;
            let first = w0 * n0[0] + w1 * n1[0] + w2 * n2[0] + w3 * n3[0] + HALF;
            let second = w0 * n0[1] + w1 * n1[1] + w2 * n2[1] + w3 * n3[1] + HALF;
            out.copy_from_slice(&[
                (first >> 16) as u8,
                (first >> 48) as u8,
                (second >> 16) as u8,
                (second >> 48) as u8,
            ]);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::color::{BUNDLED_OUTPUT_PROFILE, Intent, OutputSpace};

    /// The largest and the mean difference, per channel, between the grid and Little CMS
    /// over a lattice of colours (every channel in steps of 3, and every grey).
    fn error(intent: Intent) -> (u8, f64) {
        let space = OutputSpace::new(BUNDLED_OUTPUT_PROFILE, intent);
        let exact = space.transform_from(None).unwrap();
        let grid = space.photo_transform_from(None).unwrap();
        let mut rgb: Vec<u8> = (0..=255u8).flat_map(|v| [v, v, v]).collect();
        for r in (0..=255u8).step_by(3) {
            for g in (0..=255u8).step_by(3) {
                for b in (0..=255u8).step_by(3) {
                    rgb.extend([r, g, b]);
                }
            }
        }
        let mut expected = vec![0u8; rgb.len() / 3 * 4];
        let mut got = expected.clone();
        exact.convert(&rgb, &mut expected);
        grid.convert(&rgb, &mut got);
        let differences = expected.iter().zip(&got).map(|(a, b)| a.abs_diff(*b));
        let total: f64 = differences.clone().map(f64::from).sum();
        (differences.max().unwrap_or(0), total / expected.len() as f64)
    }

    #[test]
    fn the_grid_gives_little_cms_colours_within_one_percent() {
        for intent in [Intent::Perceptual, Intent::RelativeColorimetric] {
            let (max, mean) = error(intent);
            eprintln!("{intent:?}: max {max}, mean {mean:.4}");
            // 1 % of 255 is 2.55 units.
            assert!(max <= 1, "{intent:?}: {max} units off");
            assert!(mean < 0.05, "{intent:?}: {mean} units off on average");
        }
    }
}
