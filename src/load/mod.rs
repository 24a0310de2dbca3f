//! The `load` stage: `issue.yaml` and article files to a validated [`model::Issue`].

pub mod article;
pub mod defaults;
pub mod issue;
pub mod markdown;
pub mod model;
pub mod source;
pub mod yaml;

pub use defaults::default_config;
