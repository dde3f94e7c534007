//! `landeval validate`: check the data as the committee will — read, compute
//! the indicators and score under the model — and list every finding,
//! without writing reports.

use crate::cli::args::InputArgs;
use crate::cli::session::{checked_model, load_fonts, read_sources};
use anyhow::anyhow;
use landeval::error::{Error, Result};
use landeval::fields::FieldDict;
use landeval::ingest::layers::{Layer, LayerKind};
use landeval::pipeline;
use landeval::report::{output, workbook};
use std::path::Path;

pub fn run(input: &InputArgs, out: &Path, font_dir: Option<&Path>, quiet: bool) -> Result<()> {
    let sources = read_sources(&input.files)?;
    let model = checked_model(&input.model, &Default::default())?;
    let fonts = load_fonts(font_dir)?;
    let dict = FieldDict::bundled();
    let ds = pipeline::read_with(&sources, &dict, &fonts, &input.limits.limits());
    let layers: Vec<String> = ds.layers.layers.iter().map(layer_line).collect();
    let model_id = model.model.id.clone();
    let mut log = ds.log.clone();
    match pipeline::evaluate(ds, dict, model, None) {
        Ok(run) => log = run.log,
        Err(e) => log.error(
            Default::default(),
            "",
            format!("按评估模型 {model_id} 计算指标和评分时出错：{e:#}"),
        ),
    }
    println!("按评估模型 {model_id} 检查（读取、计算指标、评分，与正式评估相同）");
    print!("{}", pipeline::log_table(&log, usize::MAX));
    for t in &log.tallies {
        println!(
            "{} / {}：读取 {} 行 = 导入 {} 行 + 跳过 {} 行",
            t.file, t.sheet, t.rows_read, t.rows_used, t.rows_skipped
        );
    }
    for line in &layers {
        println!("{line}");
    }
    output::write_one(out, |tmp| workbook::write_quality_workbook(tmp, &log))?;
    if !quiet {
        println!("数据质量报告：{}", out.display());
    }
    if log.has_errors() {
        return Err(Error::data(anyhow!("输入数据有错误，请按上表修改后重新提交")));
    }
    Ok(())
}

/// What a survey layer gave: its project, stage, kind and polygons.
fn layer_line(l: &Layer) -> String {
    let stage = l.stage.map_or("", |s| s.label());
    let polygons = if l.kind == LayerKind::Dltb {
        format!("耕地图斑 {} 个，其他地类图斑 {} 个", l.patches.len(), l.non_farmland)
    } else {
        format!("图斑 {} 个", l.patches.len())
    };
    format!(
        "{}：项目 {} {stage}{}图层，{polygons}",
        l.file,
        l.project,
        l.kind.label()
    )
}
