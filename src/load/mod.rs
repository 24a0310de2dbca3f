//! The `load` stage: `issue.yaml` and article files to a validated [`model::Issue`].

pub mod markdown;
pub mod model;
pub mod source;
pub mod yaml;
