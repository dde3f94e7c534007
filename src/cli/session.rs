//! Steps the reporting commands share: read the inputs, load and check the
//! model, score, print what was written.

use super::args::{RenderArgs, ScoreArgs};
use anyhow::{Context, anyhow};
use landeval::error::{Error, Result};
use landeval::fields::FieldDict;
use landeval::ingest::{Limits, Source};
use landeval::model::{self, Model};
use landeval::pipeline::{self, Run};
use landeval::progress::Stage;
use landeval::report::engine::fonts::FontSet;
use landeval::report::{RenderOptions, Written, output, workbook};
use std::path::{Path, PathBuf};

/// A progress line on stderr unless `--quiet`.
pub fn progress(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("· {msg}");
    }
}

/// Read the input files; a folder stands for every input file inside it
/// (subfolders included, sorted by path), since the Windows command prompt
/// does not expand `*.xlsx`. A file that cannot be read is a data error.
pub fn read_sources(files: &[PathBuf]) -> Result<Vec<Source>> {
    let mut paths = Vec::new();
    for f in files {
        if f.is_dir() && !landeval::ingest::is_geodatabase(f) {
            let found = input_files_in(f)?;
            if found.is_empty() {
                return Err(Error::data(anyhow!(
                    "文件夹 {} 中没有可读取的输入文件（{}）",
                    f.display(),
                    landeval::ingest::INPUT_EXTENSIONS.join("、")
                )));
            }
            paths.extend(found);
        } else {
            paths.push(f.clone());
        }
    }
    Source::from_paths(&paths).map_err(Error::data)
}

/// Input files under a folder, sorted by path.
fn input_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).with_context(|| format!("无法读取文件夹 {}", d.display()))?;
        for entry in entries {
            let path = entry.with_context(|| format!("无法读取文件夹 {}", d.display()))?.path();
            if landeval::ingest::is_geodatabase(&path) {
                out.push(path);
            } else if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .is_some_and(|n| landeval::ingest::is_input_file(&n.to_string_lossy()))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The shipped fonts plus `--font-dir`.
pub fn load_fonts(dir: Option<&Path>) -> Result<FontSet> {
    Ok(FontSet::load(dir).with_context(|| {
        format!(
            "无法读取字体目录 {}",
            dir.map(|d| d.display().to_string()).unwrap_or_default()
        )
    })?)
}

/// Load a model and refuse one with errors (`model check` lists them all).
pub fn checked_model(name: &str, score: &ScoreArgs) -> Result<Model> {
    let (mut model, text) = Model::load_with_source(name)?;
    if let Some(n) = score.draws {
        model.robustness.draws = n;
    }
    if let Some(e) = model::check_model(&model, &text, &FieldDict::bundled()).errors.first() {
        return Err(Error::usage(anyhow!(
            "评估模型 {} 有错误：{e}（用 landeval model check 查看全部）",
            model.model.id
        )));
    }
    Ok(model)
}

/// `--date YYYY-MM-DD`.
fn report_date(render: &RenderArgs) -> Result<Option<[i32; 3]>> {
    match &render.date {
        Some(d) => Ok(Some(
            pipeline::parse_ymd(d).ok_or_else(|| anyhow!("--date 应为 YYYY-MM-DD：{d}"))?,
        )),
        None => Ok(None),
    }
}

/// Read, check and score the inputs, showing progress unless `quiet`.
/// Data errors stop the run with exit 1 after writing `数据质量.xlsx` into `out`.
pub fn prepare(
    sources: Vec<Source>,
    model_name: &str,
    out: &Path,
    render: &RenderArgs,
    score: &ScoreArgs,
    limits: &Limits,
    quiet: bool,
) -> Result<(Run, RenderOptions)> {
    let model = checked_model(model_name, score)?;
    let date = report_date(render)?;
    let fonts = load_fonts(render.font_dir.as_deref())?;
    let shown = super::progress::for_run(quiet);
    progress(quiet, &format!("读取 {} 个文件", sources.len()));
    let dict = FieldDict::bundled();
    let ds = shown.stage(Stage::Ingest, || pipeline::read_with(&sources, &dict, &fonts, limits));
    drop(sources);
    if ds.log.has_errors() {
        eprint!("{}", pipeline::log_table(&ds.log, 50));
        let path = out.join("数据质量.xlsx");
        output::write_one(&path, |tmp| workbook::write_quality_workbook(tmp, &ds.log))?;
        return Err(Error::data(anyhow!(
            "输入数据有错误，未生成评估结果；数据质量报告见 {}",
            path.display()
        )));
    }
    if pipeline::report_date(&ds, date).is_none() {
        return Err(Error::usage(pipeline::no_date_error()));
    }
    progress(quiet, &format!("计算指标并评分：{} 个项目", ds.projects.height()));
    let run = pipeline::evaluate_observed(ds, dict, model, date, &shown)?;
    progress(quiet, "排版 PDF、写出 Excel 与 JSON");
    let opts = RenderOptions {
        templates: render.templates.clone(),
        fonts: Some(fonts),
        progress: shown,
    };
    Ok((run, opts))
}

/// The files a document wrote, one per line (nothing when `quiet`).
pub fn print_written(w: &Written, quiet: bool) {
    if quiet {
        return;
    }
    println!("  {}（{} 页）", w.pdf.display(), w.pages);
    for v in &w.annexes {
        println!("  {}（{} 页）", v.path.display(), v.pages);
    }
    if let Some(h) = &w.html {
        println!("  {}", h.display());
    }
    println!("  {}", w.xlsx.display());
    println!("  {}", w.json.display());
}

/// Exit 1 when scoring found data errors.
pub fn finish(run: &Run) -> Result<()> {
    if run.log.has_errors() {
        eprint!("{}", pipeline::log_table(&run.log, 50));
        return Err(Error::data(anyhow!("评分中发现数据错误，见数据质量表")));
    }
    Ok(())
}
