//! `landeval demo`: the whole job on the bundled sample province.

use crate::cli::args::{RenderArgs, ScoreArgs};
use crate::cli::session::progress;
use landeval::error::Result;
use landeval::ingest::Limits;
use landeval::{model, pipeline};
use std::path::Path;

pub fn run(out: &Path, render: &RenderArgs, score: &ScoreArgs, quiet: bool) -> Result<()> {
    progress(quiet, "使用内置样例数据（虚构的青岚省）和默认模型 national-2025");
    super::evaluate::committee(
        pipeline::demo_sources(),
        model::DEFAULT_MODEL,
        out,
        render,
        score,
        &Limits::default(),
        quiet,
    )
}
