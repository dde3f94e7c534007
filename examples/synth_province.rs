//! Synthetic province for load tests of the reports (nothing is committed).
//!
//! ```text
//! cargo run --example synth_province -- [PROJECTS=300] [OUT_DIR]
//! ```
//!
//! Writes one canonical workbook per city with `PROJECTS` seeded random
//! projects into `OUT_DIR` (default: a `landeval-synth` folder in the system
//! temp dir), then evaluates them with the default model, renders the
//! committee report, the bulletin and one self-assessment, and prints the
//! time of each step. The same seed gives the same workbooks.

use anyhow::{Context, Result};
use landeval::fields::FieldDict;
use landeval::ingest::Source;
use landeval::model::{DEFAULT_MODEL, Model};
use landeval::pipeline;
use landeval::report::RenderOptions;
use landeval::report::engine::fonts::FontSet;
use landeval::template::{CellValue, Row, WorkbookData, write_workbook};
use std::path::PathBuf;
use std::time::Instant;

const SEED: u64 = 0x5EED_2025;
const CITIES: [&str; 8] = [
    "东岚市",
    "西岚市",
    "南溱市",
    "北溱市",
    "黛山州",
    "禾川市",
    "沣源市",
    "云岭州",
];
const TOWNS: [&str; 12] = [
    "柳塘", "桂桥", "荷坝", "杏坪", "梨湾", "竹岗", "菱溪", "蒲铺", "芦庄", "枫集", "槐口", "榆渡",
];

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

fn round(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

struct Builder<'a> {
    data: &'a mut WorkbookData,
    id: String,
}

impl Builder<'_> {
    /// Set values on the project's single row of a per-project sheet.
    fn set(&mut self, sheet: &str, pairs: Vec<(&str, CellValue)>) {
        let rows = self.data.entry(sheet.to_string()).or_default();
        let mut row: Row = Row::new();
        row.insert("project_id".into(), CellValue::Text(self.id.clone()));
        for (k, v) in pairs {
            row.insert(k.into(), v);
        }
        rows.push(row);
    }

    fn fund(&mut self, source: &str, channel: &str, dept: &str, planned: f64, in_place: f64, spent: f64) {
        self.set(
            "funds",
            vec![
                ("fund_source", CellValue::Text(source.into())),
                ("fund_channel", CellValue::Text(channel.into())),
                ("fund_department", CellValue::Text(dept.into())),
                ("fund_planned", CellValue::Number(planned)),
                ("fund_in_place", CellValue::Number(in_place)),
                ("fund_spent", CellValue::Number(spent)),
            ],
        );
    }
}

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}

/// One project of quality `q` in [0, 1].
fn project(data: &mut WorkbookData, rng: &mut Rng, city: usize, k: usize) {
    let id = format!("SY-{:02}-{k:03}", city + 1);
    let first = CITIES[city].chars().next().unwrap_or('新');
    let county = format!("{first}{}县", ["安", "平", "宁", "和"][k % 4]);
    let town = TOWNS[(k * 7 + city) % TOWNS.len()];
    let q = rng.unit();
    let mut b = Builder { data, id: id.clone() };
    let terrain = ["平原", "丘陵", "山区"][(k + city) % 3];
    let area = round(rng.range(20_000.0, 90_000.0), 10.0);
    b.set(
        "ledger",
        vec![
            (
                "project_name",
                CellValue::Text(format!("{county}{town}镇全域土地综合整治项目（{k}）")),
            ),
            ("city", CellValue::Text(CITIES[city].into())),
            ("county", CellValue::Text(county.clone())),
            (
                "townships",
                CellValue::Text(if rng.chance(0.3) {
                    format!("{town}镇、{town}乡")
                } else {
                    format!("{town}镇")
                }),
            ),
            ("terrain", CellValue::Text(terrain.into())),
            ("area_total", n(area)),
            ("approved_on", CellValue::Date("2023-03-15".into())),
            (
                "accepted_on",
                CellValue::Date(format!("2025-{:02}-{:02}", 3 + k % 9, 1 + k % 27)),
            ),
        ],
    );
    let farmland = round(area * rng.range(0.3, 0.5), 0.1);
    let new_farmland = round(rng.range(100.0, 1200.0), 0.1);
    let breach = rng.chance(0.06);
    let patches = round(rng.range(2_000.0, 12_000.0), 1.0);
    let fields_before = round(rng.range(2.0, 15.0), 1.0);
    b.set(
        "farmland",
        vec![
            ("farmland_before", n(farmland)),
            (
                "farmland_after",
                n(if breach {
                    farmland - 50.0
                } else {
                    farmland + new_farmland
                }),
            ),
            ("new_farmland", n(new_farmland)),
            ("new_farmland_method", CellValue::Text("实测".into())),
            ("farmland_patches_before", n(patches)),
            ("farmland_patches_after", n(round(patches * (1.0 - 0.45 * q), 1.0))),
            ("fields_100mu_before", n(fields_before)),
            ("fields_100mu_after", n(fields_before + round(25.0 * q, 1.0))),
            ("pbf_before", n(round(farmland * 0.8, 0.1))),
            ("pbf_after", n(round(farmland * 0.8 + 10.0, 0.1))),
            ("pbf_township_total", n(round(farmland * 1.5, 0.1))),
            ("pbf_adjusted", n(round(farmland * 0.02, 0.1))),
            ("quality_grade_before", n(6.0)),
            ("quality_grade_after", n(5.0)),
            ("hsf_built", n(round(farmland * 0.5 * (0.7 + 0.3 * q), 1.0))),
        ],
    );
    let construction = round(area * 0.08, 0.1);
    let reclaimed = round(rng.range(100.0, 600.0), 0.1);
    let rebuilt = round(reclaimed * rng.range(0.1, 0.4), 0.1);
    let pc = round(rng.range(160.0, 240.0), 0.1);
    b.set(
        "construction",
        vec![
            ("construction_before", n(construction)),
            ("construction_after", n(construction - reclaimed + rebuilt)),
            ("reclaimed_area", n(reclaimed)),
            ("rebuilt_area", n(rebuilt)),
            ("surplus_quota", n(reclaimed - rebuilt)),
            ("village_land_pc_before", n(pc)),
            ("village_land_pc_after", n(round(pc * (1.0 - 0.18 * q), 0.1))),
        ],
    );
    let gep = round(rng.range(10.0, 60.0), 0.01);
    let restored = round(area * 0.12 * (0.4 + 0.6 * q), 1.0);
    b.set(
        "ecology",
        vec![
            ("restored_area", n(restored)),
            ("gep_before", n(gep)),
            ("gep_after", n(round(gep * (1.0 + 0.3 * q), 0.01))),
            ("redline_before", n(round(area * 0.1, 0.1))),
            ("redline_after", n(round(area * 0.1, 0.1))),
        ],
    );
    let subs = round(rng.range(6.0, 20.0), 1.0);
    b.set(
        "process",
        vec![
            ("schedule_completion", n(round(70.0 + 30.0 * q, 0.1))),
            ("subprojects_total", n(subs)),
            ("subprojects_accepted", n(round(subs * (0.6 + 0.4 * q), 1.0))),
            ("villager_consent", n(round(85.0 + 14.0 * q, 0.1))),
            ("satisfaction", n(round(75.0 + 24.0 * q, 0.1))),
            ("villager_reps_in_acceptance", CellValue::Bool(rng.chance(0.8))),
            ("negative_list_issues", n(if rng.chance(0.05) { 1.0 } else { 0.0 })),
            ("audit_issues", n(if rng.chance(0.15) { 2.0 } else { 0.0 })),
            ("complaints_verified", n(0.0)),
            ("maintenance_funded", CellValue::Bool(rng.chance(0.7))),
            ("registered_in_system", CellValue::Bool(rng.chance(0.9))),
            ("forced_demolition", CellValue::Bool(false)),
            ("hidden_debt", CellValue::Bool(false)),
        ],
    );
    b.set(
        "livelihood",
        vec![("industry_projects", n(if q > 0.5 { 2.0 } else { 0.0 }))],
    );
    b.set(
        "plan",
        vec![
            (
                "new_farmland_planned",
                n(round(new_farmland * rng.range(0.9, 1.2), 1.0)),
            ),
            ("hsf_planned", n(round(farmland * 0.5, 1.0))),
            ("restored_area_planned", n(round(area * 0.1, 1.0))),
            ("reclaimed_area_planned", n(round(reclaimed, 1.0))),
            ("surplus_quota_planned", n(round((reclaimed - rebuilt) * 1.1, 1.0))),
        ],
    );
    let base = round(rng.range(3_000.0, 15_000.0), 10.0);
    let channels = 1 + (q * 6.0) as usize;
    let sources = [
        ("中央财政", "高标准农田建设", "农业农村局"),
        ("省级财政", "土地整理复垦", "自然资源局"),
        ("市县财政", "农田水利", "水利局"),
        ("地方政府专项债券", "四好农村路", "交通运输局"),
        ("政策性金融", "人居环境整治", "住房城乡建设局"),
        ("社会资本", "产业导入", "投资企业"),
    ];
    for (s, ch, dept) in sources.iter().take(channels) {
        let planned = round(base / channels as f64, 1.0);
        let in_place = round(planned * (0.7 + 0.3 * q), 1.0);
        b.fund(s, ch, dept, planned, in_place, round(in_place * (0.6 + 0.4 * q), 1.0));
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(Ok(300), |s| s.parse()).context("项目数应为整数")?;
    let out: PathBuf = args
        .next()
        .map_or_else(|| std::env::temp_dir().join("landeval-synth"), PathBuf::from);
    let inputs = out.join("inputs");
    std::fs::create_dir_all(&inputs)?;
    let dict = FieldDict::bundled();
    let mut rng = Rng(SEED);
    let t = Instant::now();
    let mut books: Vec<WorkbookData> = vec![WorkbookData::new(); CITIES.len()];
    for k in 0..count {
        project(&mut books[k % CITIES.len()], &mut rng, k % CITIES.len(), k);
    }
    let mut sources = Vec::new();
    for (city, data) in CITIES.iter().zip(&books) {
        let path = inputs.join(format!("{city}.xlsx"));
        write_workbook(&path, &dict, data)?;
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
        templates: None,
        fonts: Some(fonts),
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
