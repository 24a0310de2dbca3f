//! Lengths and rectangles shared by every stage.
//!
//! All lengths inside rotative are PostScript points (1/72 in) stored as `f32`; millimetres
//! appear only at the edges (YAML input, messages). Coordinates on a page have their origin at
//! the top-left corner of the trim box with y growing downwards, as a layout person reads a
//! page; the PDF renderer flips them.

/// Points per millimetre (72 / 25.4).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Converts millimetres to points.
pub fn mm(value: f32) -> f32 {
    value * PT_PER_MM
}

/// Converts points to millimetres.
pub fn to_mm(points: f32) -> f32 {
    points / PT_PER_MM
}

/// An axis-aligned rectangle in points, origin top-left, y downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// Creates a rectangle from its top-left corner and size.
    pub fn new(x: f32, y: f32, width: f32, height: f32) -> Self {
        Self { x, y, width, height }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    /// The rectangle grown by `by` on every side.
    pub fn outset(&self, by: f32) -> Rect {
        Rect::new(self.x - by, self.y - by, self.width + 2.0 * by, self.height + 2.0 * by)
    }

    /// Whether the two rectangles share any area.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// Effective resolution of an image of `pixels` drawn at `placement`, in pixels per inch
/// (the lower of the two axes).
pub fn effective_ppi(pixels: (u32, u32), placement: &Rect) -> f32 {
    if placement.width <= 0.0 || placement.height <= 0.0 {
        return 0.0;
    }
    let inches = |points: f32| points / 72.0;
    (pixels.0 as f32 / inches(placement.width)).min(pixels.1 as f32 / inches(placement.height))
}

/// Share of a photo of `pixels` that a frame `width` by `height` crops away when the photo
/// covers it: of its height when the frame is wider than the photo's shape, else of its
/// width (0: the frame has the photo's own shape).
pub fn crop_share(width: f32, height: f32, pixels: (u32, u32)) -> f32 {
    if width <= 0.0 || height <= 0.0 || pixels.0 == 0 || pixels.1 == 0 {
        return 0.0;
    }
    let (frame, photo) = (height / width, pixels.1 as f32 / pixels.0 as f32);
    if frame < photo { 1.0 - frame / photo } else { 1.0 - photo / frame }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppi_uses_the_weaker_axis() {
        // 1000 x 500 px over 5 x 2 inches: 200 and 250 ppi, so 200.
        let placement = Rect::new(0.0, 0.0, 360.0, 144.0);
        assert!((effective_ppi((1000, 500), &placement) - 200.0).abs() < 0.01);
    }

    #[test]
    fn crop_share_is_what_the_frame_cuts_from_the_longer_side() {
        // A 2:3 portrait photo in a 3:2 frame keeps 4/9 of its height.
        assert!((crop_share(300.0, 200.0, (600, 900)) - 5.0 / 9.0).abs() < 1e-5);
        // A 3:1 panorama in the same frame keeps half its width.
        assert!((crop_share(300.0, 200.0, (900, 300)) - 0.5).abs() < 1e-5);
        assert!(crop_share(300.0, 450.0, (600, 900)).abs() < 1e-5, "its own shape");
    }
}
