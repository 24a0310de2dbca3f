//! rotative: a typesetter for the print edition of a newspaper.
//!
//! Start at [`pipeline::typeset`]: it takes a loaded issue and runs the stages in order,
//! with plain data between them.
//!
//! ```text
//! load ──> text ──> compose ──> render ──> check
//! files    lines    pages       PDF/X      findings
//! ```
//!
//! | stage | module | in | out |
//! |---|---|---|---|
//! | load | [`load`] | `issue.yaml`, Markdown files | [`model::Issue`] |
//! | text | [`text`] | styled text, a measure | set lines of glyphs |
//! | compose | [`compose`] | set articles, the page grid | [`compose::display::Page`]s |
//! | render | [`render`] | pages | PDF/X bytes |
//! | check | [`check`] | pages as rendered | findings per article |
//!
//! Shared by the stages: the validated [`model`], [`geom`] (points, rectangles),
//! [`color`], [`diag`] (diagnostics with file and line), [`fonts`] (loaded once, used by
//! shaping and embedding), [`qr`] (the QR block's data) and [`raster`] (large photos
//! decoded at a reduced scale, for load's proof and render's samples alike).
//! [`batch`] is the command's driver around the pipeline: output files, atomic writes, the
//! JSON report.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Diagnostics travel on the error path, once per article at most: boxing them would add
// noise to every signature for no measurable gain.
#![allow(clippy::result_large_err)]

// The stages, in pipeline order.
pub mod load;

pub mod text;

pub mod compose;

pub mod render;

pub mod check;

pub mod batch;
pub mod pipeline;

pub mod cache;
pub mod color;
pub mod diag;
pub mod fonts;
pub mod geom;
pub mod model;
pub mod qr;
pub mod raster;
