//! Benchmark (not a test): reading a 图斑明细 parquet file of 10 million rows
//! through ingest, then the fragmentation metrics.
//!
//! Synthesises the table (2,000 projects × 5,000 patches, half before and
//! half after, 5% non-farmland; columns 项目编号, 阶段, 图斑编号 as integers,
//! 地类, 图斑面积（亩）), writes it with zstd to the target's tmp directory
//! (not timed), then times `ingest_with` on a 2,000-project ledger csv plus
//! the parquet file, and `metrics::patches` on the result. Prints the peak
//! resident memory of the process.
//!
//! Run: `cargo run --example bench_parquet [rows]` (debug) or with `--release`.
//! Measured on this 2-core machine, 10 M rows (88.9 MB zstd): release,
//! ingest 5.3–5.8 s + metrics 2.0–2.3 s = 7.6–7.8 s, peak memory 2.1 GB
//! (before per-row origins were grouped: 8.9 s + 2.1 s, 3.9 GB); debug,
//! ingest 46.6 s, metrics 10.8 s (before grouping, other builds running).

use landeval::fields::FieldDict;
use landeval::ingest::{Limits, Source, ingest_with};
use landeval::metrics::patches;
use polars::prelude::{DataFrame, ParquetCompression, ParquetWriter};
use std::time::Instant;

#[path = "support/patches.rs"]
mod support;
use support::{PROJECTS, Patches, project_id};

/// The patch table with the column names a county would use.
fn synthesise(rows: usize) -> DataFrame {
    Patches::synthesise(rows).county_frame(1)
}

fn ledger() -> Source {
    let mut text = String::from("项目编号,项目名称,地形,整治区域面积（亩）\n");
    for p in 0..PROJECTS {
        let terrain = support::terrain(p);
        text.push_str(&format!("{},基准项目{p},{terrain},50000\n", project_id(p)));
    }
    Source {
        name: "基准县-项目台账.csv".into(),
        data: text.into_bytes(),
        siblings: Vec::new(),
    }
}

/// Peak resident memory (VmHWM) in MB, where /proc is available.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let rows = support::rows_from_args();
    let t = Instant::now();
    let mut df = synthesise(rows);
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)?;
    drop(df);
    let path = std::env::temp_dir().join("landeval-bench-图斑明细.parquet");
    std::fs::write(&path, &bytes)?;
    println!(
        "合成并写出 {rows} 行 parquet（zstd，{:.1} MB）：{:.2} s（不计入）",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let sources = [ledger(), Source::from_path(&path)?];
    let limits = Limits {
        max_rows: rows.max(Limits::default().max_rows),
        ..Limits::default()
    };
    let ds = ingest_with(&sources, &FieldDict::bundled(), &limits);
    let t_read = t.elapsed().as_secs_f64();
    let errors = ds.log.findings.iter().filter(|f| f.severity.label() == "错误").count();
    println!(
        "读取（ingest，含来源行号）：{t_read:.2} s（图斑 {} 行，错误 {errors} 条）",
        ds.patches.height()
    );

    let t = Instant::now();
    let stages = patches::stage_aggregates(&ds.patches)?;
    let fields = patches::per_project(&stages, &ds.projects)?;
    let t_metrics = t.elapsed().as_secs_f64();
    println!("破碎度指标：{t_metrics:.2} s（{} 个项目）", fields.height());
    println!("合计：{:.2} s", t_read + t_metrics);
    if let Some(mb) = peak_mb() {
        println!("峰值内存：{mb:.0} MB");
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}
