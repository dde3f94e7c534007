//! landeval — 全域土地综合整治项目综合成效评估.
//!
//! Pipeline, data flowing one way: [`ingest`] → [`metrics`] → [`score`] → [`report`].

pub mod error;
pub mod explain;
pub mod fields;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod score;
pub mod template;
