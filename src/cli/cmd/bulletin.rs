//! `landeval bulletin`: the provincial department's bulletin.

use crate::cli::args::{InputArgs, LetterheadArgs, RenderArgs, ScoreArgs};
use crate::cli::session::{finish, prepare, print_written, read_sources};
use anyhow::anyhow;
use landeval::error::Result;
use landeval::pipeline;
use landeval::report::bulletin::{BulletinOptions, view::doc_number};
use std::path::Path;

pub fn run(
    input: &InputArgs,
    letterhead: &LetterheadArgs,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    quiet: bool,
) -> Result<()> {
    let bulletin = options(letterhead)?;
    let sources = read_sources(&input.files)?;
    let (run, opts) = prepare(sources, &input.model, out, render, score, &input.limits.limits(), quiet)?;
    let written = pipeline::write_bulletin(&run, out, &bulletin, &opts)?;
    if !quiet {
        println!("通报已生成：{} 个项目", run.eval.projects.len());
    }
    print_written(&written, quiet);
    finish(&run)
}

/// The 版头 and 版记 options; a 发文字号 rewritten to GB/T 9704's form is said so.
fn options(args: &LetterheadArgs) -> Result<BulletinOptions> {
    let print_date = match &args.print_date {
        Some(d) => Some(pipeline::parse_ymd(d).ok_or_else(|| anyhow!("--print-date 应为 YYYY-MM-DD：{d}"))?),
        None => None,
    };
    if let Some(n) = &args.doc_number {
        let written = doc_number(n);
        // Said even under --quiet: the document does not print what was typed.
        if written != n.trim() {
            println!("发文字号按 GB/T 9704 写作“{written}”（输入为“{n}”）");
        }
    }
    Ok(BulletinOptions {
        issuer: args.issuer.clone(),
        doc_number: args.doc_number.clone(),
        cc: args.cc.clone(),
        printer: args.printer.clone(),
        print_date,
    })
}
