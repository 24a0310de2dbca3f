//! rotative: a typesetter for the print edition of a newspaper.
//!
//! The pipeline, one module per stage, with plain data between them:
//!
//! ```text
//! load ──> text ──> compose ──> render ──> check
//! files    lines    pages       PDF/X      findings
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Diagnostics travel on the error path, once per article at most: boxing them would add
// noise to every signature for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod check;
pub mod cli;
pub mod color;
pub mod compose;
pub mod diag;
pub mod geom;
pub mod init;
pub mod load;
pub mod qr;
pub mod render;
pub mod text;
