//! One file per command.

pub mod bulletin;
pub mod demo;
pub mod evaluate;
pub mod explain;
pub mod model;
pub mod self_assess;
pub mod template;
pub mod validate;
