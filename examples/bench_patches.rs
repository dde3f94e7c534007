//! Benchmark (not a test): fragmentation metrics over 10 million patch rows.
//!
//! Synthesises a 图斑明细 frame in memory (2,000 projects × 5,000 patches,
//! half before and half after, 5% non-farmland rows) in the shape ingest
//! produces, then times the polars queries of `metrics::patches`:
//! stage aggregates, per-project fields and the excluded-rows note.
//!
//! Run: `cargo run --release --example bench_patches [rows]`. Target < 10 s;
//! measured 4.8–6.6 s on the 2-core machine while other builds ran (load 7–9).

use landeval::metrics::patches;
use polars::prelude::{Column, DataFrame, Series};
use std::time::Instant;

#[path = "support/patches.rs"]
mod support;
use support::{PROJECTS, Patches};

fn synthesise(rows: usize) -> (DataFrame, DataFrame) {
    let synth = Patches::synthesise(rows);
    let (project, stage, class, area) = (synth.project_ids(), &synth.stage, &synth.class, &synth.area);
    let patches = DataFrame::new(
        rows,
        vec![
            Column::new("project_id".into(), project),
            Column::new("patch_stage".into(), stage.as_slice()),
            Series::full_null("patch_id".into(), rows, &polars::prelude::DataType::String).into(),
            Column::new("patch_class".into(), class.as_slice()),
            Column::new("patch_area".into(), area.as_slice()),
        ],
    )
    .expect("equal lengths");
    let terrain: Vec<&str> = (0..PROJECTS).map(support::terrain).collect();
    let projects = DataFrame::new(
        PROJECTS,
        vec![
            Column::new("project_id".into(), synth.ids.clone()),
            Column::new("terrain".into(), terrain),
            Column::new("area_total".into(), vec![50_000.0; PROJECTS]),
        ],
    )
    .expect("equal lengths");
    (patches, projects)
}

fn main() -> anyhow::Result<()> {
    let rows = support::rows_from_args();
    let t = Instant::now();
    let (frame, projects) = synthesise(rows);
    println!("合成 {rows} 行图斑明细：{:.2} s（不计入）", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let stages = patches::stage_aggregates(&frame)?;
    let t_agg = t.elapsed().as_secs_f64();
    let fields = patches::per_project(&stages, &projects)?;
    let t_fields = t.elapsed().as_secs_f64() - t_agg;
    let excluded = patches::excluded(&frame)?;
    let total = t.elapsed().as_secs_f64();
    println!("分阶段聚合：{t_agg:.2} s（{} 组）", stages.height());
    println!(
        "项目指标：{t_fields:.3} s（{} 个项目 × {} 列）",
        fields.height(),
        fields.width()
    );
    println!(
        "非耕地图斑统计：{:.2} s（{} 个项目）",
        total - t_agg - t_fields,
        excluded.height()
    );
    println!("合计：{total:.2} s（目标 < 10 s）");
    Ok(())
}
