//! `landeval validate`: check the input data only.

use crate::cli::args::LimitArgs;
use crate::cli::session::{load_fonts, read_sources};
use anyhow::anyhow;
use landeval::error::{Error, Result};
use landeval::fields::FieldDict;
use landeval::pipeline;
use landeval::report::{output, workbook};
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], out: &Path, font_dir: Option<&Path>, limits: &LimitArgs, quiet: bool) -> Result<()> {
    let sources = read_sources(files)?;
    let fonts = load_fonts(font_dir)?;
    let ds = pipeline::read_with(&sources, &FieldDict::bundled(), &fonts, &limits.limits());
    print!("{}", pipeline::log_table(&ds.log, usize::MAX));
    for t in &ds.log.tallies {
        println!(
            "{} / {}：读取 {} 行 = 导入 {} 行 + 跳过 {} 行",
            t.file, t.sheet, t.rows_read, t.rows_used, t.rows_skipped
        );
    }
    output::write_one(out, |tmp| workbook::write_quality_workbook(tmp, &ds.log))?;
    if !quiet {
        println!("数据质量报告：{}", out.display());
    }
    if ds.log.has_errors() {
        return Err(Error::data(anyhow!("输入数据有错误，请按上表修改后重新提交")));
    }
    Ok(())
}
