//! The `compose` stage: page geometry, columns and frames; produces the display list.

pub mod display;
