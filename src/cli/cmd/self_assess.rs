//! `landeval self-assess`: a county's self-assessment of one project.

use crate::cli::args::{InputArgs, RenderArgs, ScoreArgs};
use crate::cli::session::{finish, prepare, print_written, read_sources};
use landeval::error::Result;
use landeval::pipeline;
use landeval::report::self_assessment::peers::PeerResults;
use landeval::report::text::fmt2;
use landeval::report::text::method::grade_gap;
use std::path::Path;

pub fn run(
    input: &InputArgs,
    project: &str,
    cohort: Option<&Path>,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    quiet: bool,
) -> Result<()> {
    let sources = read_sources(&input.files)?;
    let peers = cohort.map(|path| PeerResults::load(path, project)).transpose()?;
    let (run, opts) = prepare(sources, &input.model, out, render, score, &input.limits.limits(), quiet)?;
    let written = pipeline::write_self_assessment(&run, out, project, peers.as_ref(), &opts)?;
    if !quiet {
        println!("自评完成：项目 {project}");
    }
    print_written(&written, quiet);
    if let Some(p) = run.eval.projects.iter().find(|p| p.id == project).filter(|_| !quiet) {
        println!(
            "自评得分 {} 分，等级 {}。{}",
            fmt2(p.total),
            run.model.grade_name(p.grade),
            grade_gap(&run.model, p)
        );
    }
    finish(&run)
}
