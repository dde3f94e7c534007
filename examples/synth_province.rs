//! Synthetic province for load tests of the reports (nothing is committed).
//!
//! ```text
//! cargo run --example synth_province -- [PROJECTS=300] [OUT_DIR]
//! ```
//!
//! Writes one canonical workbook per county (8 cities × 4 counties) with
//! `PROJECTS` seeded random projects (`support/province.rs`) into `OUT_DIR`
//! (default: a `landeval-synth` folder in the system temp dir), then evaluates them with the default model, renders the
//! committee report, the bulletin and one self-assessment, and prints the
//! time of each step. The same seed gives the same workbooks.

use anyhow::{Context, Result};
use landeval::fields::FieldDict;
use landeval::ingest::Source;
use landeval::model::{DEFAULT_MODEL, Model};
use landeval::pipeline;
use landeval::report::RenderOptions;
use landeval::report::engine::fonts::FontSet;
use landeval::template::write_workbook;
use std::path::PathBuf;
use std::time::Instant;

#[path = "support/province.rs"]
mod province;

/// Cities and counties per city of the synthetic province.
const CITIES: usize = 8;
const COUNTIES: usize = 4;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(Ok(300), |s| s.parse()).context("项目数应为整数")?;
    let out: PathBuf = args
        .next()
        .map_or_else(|| std::env::temp_dir().join("landeval-synth"), PathBuf::from);
    let inputs = out.join("inputs");
    std::fs::create_dir_all(&inputs)?;
    let dict = FieldDict::bundled();
    let t = Instant::now();
    let mut sources = Vec::new();
    for county in province::generate(count, CITIES, COUNTIES, |_| None) {
        let path = inputs.join(format!("{}{}.xlsx", county.city, county.name));
        write_workbook(&path, &dict, &county.data)?;
        sources.push(Source::from_path(&path)?);
    }
    println!(
        "生成 {count} 个项目、{} 个工作簿：{:.1} s",
        sources.len(),
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let fonts = FontSet::load(None)?;
    let ds = pipeline::read(&sources, &dict, &fonts);
    let run = pipeline::evaluate(ds, dict, Model::load(DEFAULT_MODEL)?, None)?;
    println!("读取并评分：{:.1} s", t.elapsed().as_secs_f64());
    let opts = RenderOptions {
        fonts: Some(fonts),
        ..Default::default()
    };
    let t = Instant::now();
    let w = pipeline::write_committee(&run, &out.join("committee"), &opts)?;
    println!(
        "评估报告：{} 页，{:.1} s → {}",
        w.pages,
        t.elapsed().as_secs_f64(),
        w.pdf.display()
    );
    let t = Instant::now();
    let b = pipeline::write_bulletin(
        &run,
        &out.join("bulletin"),
        &landeval::report::bulletin::BulletinOptions::issued_by("省自然资源厅"),
        &opts,
    )?;
    println!(
        "通报：{} 页，{:.1} s → {}",
        b.pages,
        t.elapsed().as_secs_f64(),
        b.pdf.display()
    );
    let t = Instant::now();
    let id = &run.eval.projects[0].id;
    let s = pipeline::write_self_assessment(&run, &out.join("self"), id, None, &opts)?;
    println!(
        "自评报告：{} 页，{:.1} s → {}",
        s.pages,
        t.elapsed().as_secs_f64(),
        s.pdf.display()
    );
    Ok(())
}
