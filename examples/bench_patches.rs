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

const PROJECTS: usize = 2_000;
const CLASSES: [&str; 5] = ["水田", "旱地", "水浇地", "水田", "林地"];

/// xorshift64*: deterministic pseudo-random numbers in [0, 1).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn synthesise(rows: usize) -> (DataFrame, DataFrame) {
    let ids: Vec<String> = (0..PROJECTS).map(|i| format!("BENCH-{i:05}")).collect();
    let per = rows.div_ceil(PROJECTS);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut project = Vec::with_capacity(rows);
    let mut stage = Vec::with_capacity(rows);
    let mut class = Vec::with_capacity(rows);
    let mut area = Vec::with_capacity(rows);
    for i in 0..rows {
        let p = i / per;
        project.push(ids[p].as_str());
        stage.push(if (i % per) < per / 2 { "整治前" } else { "整治后" });
        let r = rng.next();
        class.push(if r < 0.05 {
            CLASSES[4]
        } else {
            CLASSES[(r * 40.0) as usize % 4]
        });
        // Heavy-tailed areas: mostly a few 亩, some hundreds, rare thousands.
        let u = rng.next();
        area.push(0.1 + 3.0 / (1.0 - u * 0.9995).powf(1.2) - 3.0);
    }
    let patches = DataFrame::new(
        rows,
        vec![
            Column::new("project_id".into(), project),
            Column::new("patch_stage".into(), stage),
            Series::full_null("patch_id".into(), rows, &polars::prelude::DataType::String).into(),
            Column::new("patch_class".into(), class),
            Column::new("patch_area".into(), area),
        ],
    )
    .expect("equal lengths");
    let terrain: Vec<&str> = (0..PROJECTS).map(|i| ["平原", "丘陵", "山区"][i % 3]).collect();
    let projects = DataFrame::new(
        PROJECTS,
        vec![
            Column::new("project_id".into(), ids),
            Column::new("terrain".into(), terrain),
            Column::new("area_total".into(), vec![50_000.0; PROJECTS]),
        ],
    )
    .expect("equal lengths");
    (patches, projects)
}

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
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
