//! Ingest throughput against calamine reading the same cells bare.
//!
//! ```text
//! cargo run --release --example bench_ingest
//! ```
//!
//! Times (best of 3): the sample province (12 workbooks), its messy copy, and
//! a 50,000-row × 20-column 图斑明细 sheet (5 dictionary columns + 15 extra
//! numeric columns) as xlsx and as csv — each through landeval's ingest
//! (header detection, typing, units, origins, log, frames) and through
//! calamine's `worksheet_range` touching every cell. Debug builds are ~10×
//! slower; say which profile the numbers come from.

use anyhow::Result;
use landeval::fields::FieldDict;
use landeval::ingest::{Source, ingest};
use rust_xlsxwriter::Workbook;
use std::path::Path;

#[path = "support/bare.rs"]
mod bare;
use bare::{best_of, calamine_bare};

const ROWS: usize = 50_000;
const EXTRA_COLS: usize = 15;
const PROJECTS: usize = 10;

fn dir_sources(dir: &Path) -> Result<Vec<Source>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "csv"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Source::from_path(p)).collect()
}

/// One 图斑明细 row: project, stage, patch id, class, area then the extra numbers.
type PatchRow = (String, &'static str, String, &'static str, Vec<f64>);

/// A 图斑明细 grid: header and rows.
fn patch_rows() -> (Vec<String>, Vec<PatchRow>) {
    let mut header: Vec<String> = ["项目编号", "阶段", "图斑编号", "地类", "图斑面积（亩）"]
        .map(String::from)
        .to_vec();
    header.extend((1..=EXTRA_COLS).map(|i| format!("备用{i}")));
    let mut x: u64 = 7;
    let rows = (0..ROWS)
        .map(|i| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let area = ((x >> 40) % 10_000) as f64 / 100.0 + 0.5;
            // 图斑面积 then the 15 extra columns.
            let extras = (0..=EXTRA_COLS).map(|k| area * (k + 1) as f64).collect();
            (
                format!("B-{:02}", i % PROJECTS),
                if i % 2 == 0 { "整治前" } else { "整治后" },
                format!("TB{i:06}"),
                if i % 3 == 0 { "水田" } else { "旱地" },
                extras,
            )
        })
        .collect();
    (header, rows)
}

fn big_xlsx() -> Result<Vec<u8>> {
    let (header, rows) = patch_rows();
    let mut wb = Workbook::new();
    let ledger = wb.add_worksheet();
    ledger.set_name("项目台账")?;
    ledger.write_string(0, 0, "项目编号")?;
    for p in 0..PROJECTS {
        ledger.write_string(p as u32 + 1, 0, format!("B-{p:02}"))?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("图斑明细")?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h)?;
    }
    for (i, (pid, stage, id, class, nums)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, pid)?;
        ws.write_string(r, 1, *stage)?;
        ws.write_string(r, 2, id)?;
        ws.write_string(r, 3, *class)?;
        for (k, v) in nums.iter().enumerate() {
            ws.write_number(r, 4 + k as u16, *v)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn big_csv() -> Vec<u8> {
    let (header, rows) = patch_rows();
    let mut s = header.join(",");
    s.push('\n');
    for (pid, stage, id, class, nums) in rows {
        let nums: Vec<String> = nums.iter().map(|v| format!("{v}")).collect();
        s.push_str(&format!("{pid},{stage},{id},{class},{}\n", nums.join(",")));
    }
    s.into_bytes()
}

fn ledger_csv() -> Vec<u8> {
    let mut s = String::from("项目编号\n");
    for p in 0..PROJECTS {
        s.push_str(&format!("B-{p:02}\n"));
    }
    s.into_bytes()
}

fn report(label: &str, sources: &[Source], dict: &FieldDict) {
    let (t_ingest, ds) = best_of(3, || ingest(sources, dict));
    let (t_bare, cells) = best_of(3, || calamine_bare(sources));
    let bare = if cells > 0 {
        format!("calamine 裸读 {:>8.3} s（{cells} 个非空单元格）", t_bare.as_secs_f64())
    } else {
        "calamine 不读 csv".to_string()
    };
    println!(
        "{label:<28} landeval ingest {:>8.3} s（{} 个项目，{} 行图斑）  {bare}",
        t_ingest.as_secs_f64(),
        ds.projects.height(),
        ds.patches.height()
    );
}

fn main() -> Result<()> {
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!("构建配置：{profile}");
    let dict = FieldDict::bundled();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    report(
        "样例省（12 个 xlsx）",
        &dir_sources(&root.join("fixtures/sample-province"))?,
        &dict,
    );
    report(
        "样例省杂乱版（xlsx/xls/csv）",
        &dir_sources(&root.join("fixtures/sample-province-messy"))?,
        &dict,
    );
    let xlsx = vec![Source {
        name: "big.xlsx".into(),
        data: big_xlsx()?,
        siblings: Vec::new(),
    }];
    report("50,000 行 × 20 列 xlsx", &xlsx, &dict);
    let csv = vec![
        Source {
            name: "big-项目台账.csv".into(),
            data: ledger_csv(),
            siblings: Vec::new(),
        },
        Source {
            name: "big-图斑明细.csv".into(),
            data: big_csv(),
            siblings: Vec::new(),
        },
    ];
    report("50,000 行 × 20 列 csv", &csv, &dict);
    Ok(())
}
