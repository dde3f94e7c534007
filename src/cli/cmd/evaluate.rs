//! `landeval evaluate`: the committee's ranking, selection and reports.

use crate::cli::args::{InputArgs, RenderArgs, ScoreArgs};
use crate::cli::session::{finish, prepare, print_written, read_sources};
use landeval::error::Result;
use landeval::ingest::{Limits, Source};
use landeval::pipeline;
use landeval::report::text::method::robustness_summary_line;
use std::path::Path;

pub fn run(input: &InputArgs, out: &Path, render: &RenderArgs, score: &ScoreArgs, quiet: bool) -> Result<()> {
    let sources = read_sources(&input.files)?;
    committee(sources, &input.model, out, render, score, &input.limits.limits(), quiet)
}

/// Score `sources` and write the committee outputs.
pub fn committee(
    sources: Vec<Source>,
    model: &str,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    limits: &Limits,
    quiet: bool,
) -> Result<()> {
    let (run, opts) = prepare(sources, model, out, render, score, limits, quiet)?;
    let written = pipeline::write_committee(&run, out, &opts)?;
    if !quiet {
        let projects = &run.eval.projects;
        println!(
            "评估完成：{} 个项目，一票否决 {} 个，入选示范 {} 个",
            projects.len(),
            projects.iter().filter(|p| p.vetoed).count(),
            projects.iter().filter(|p| p.selected).count()
        );
        if let Some(r) = &run.eval.robustness {
            println!("{}", robustness_summary_line(r));
        }
    }
    print_written(&written, quiet);
    finish(&run)
}
