//! `landeval bulletin`: the provincial department's bulletin.

use crate::cli::args::{InputArgs, RenderArgs, ScoreArgs};
use crate::cli::session::{finish, prepare, print_written, read_sources};
use landeval::error::Result;
use landeval::pipeline;
use std::path::Path;

pub fn run(
    input: &InputArgs,
    issuer: &str,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    quiet: bool,
) -> Result<()> {
    let sources = read_sources(&input.files)?;
    let (run, opts) = prepare(sources, &input.model, out, render, score, &input.limits.limits(), quiet)?;
    let written = pipeline::write_bulletin(&run, out, issuer, &opts)?;
    if !quiet {
        println!("通报已生成：{} 个项目", run.eval.projects.len());
    }
    print_written(&written, quiet);
    finish(&run)
}
