//! Writes `fixtures/candidate-townships/`: twelve fictional candidate
//! townships of the fictional 青岚省 before any project starts (baseline,
//! implementation-plan targets and planned funds), for the admission model
//! `sichuan-admission-2025` (有需求、有条件、有能力).
//!
//! `cargo run --example make_candidate_townships` — deterministic output.

use anyhow::{Context, Result};
use landeval::fields::FieldDict;
use landeval::template::{CellValue, Row, WorkbookData, write_workbook};
use std::path::Path;

/// One candidate: id, township, city, county, terrain, area (亩),
/// farmland (亩), farmland patches, ≥ threshold blocks, quality grade,
/// construction land (亩), village land per person (m²), consent (%),
/// planned: new farmland, HSF, reclamation, restoration, surplus quota (亩),
/// investment (万元), integrated funds (万元), fund lines (channel, department, amount).
struct Candidate {
    id: &'static str,
    town: &'static str,
    city: &'static str,
    county: &'static str,
    terrain: &'static str,
    area: f64,
    farmland: f64,
    patches: f64,
    blocks: f64,
    grade: f64,
    construction: f64,
    village_pc: f64,
    consent: f64,
    plan: [f64; 5],
    investment: f64,
    integrated: f64,
    funds: &'static [(&'static str, &'static str, &'static str, f64)],
}

const F_A: &[(&str, &str, &str, f64)] = &[
    ("省级财政", "高标准农田建设", "农业农村局", 3200.0),
    ("市县财政", "土地整理复垦", "自然资源局", 2100.0),
    ("市县财政", "农村人居环境整治", "住建局", 900.0),
    ("社会资本", "企业投资", "发展改革局", 1500.0),
];
const F_B: &[(&str, &str, &str, f64)] = &[
    ("省级财政", "高标准农田建设", "农业农村局", 1800.0),
    ("市县财政", "土地整理复垦", "自然资源局", 1200.0),
];
const F_C: &[(&str, &str, &str, f64)] = &[
    ("市县财政", "土地整理复垦", "自然资源局", 900.0),
    ("政策性金融", "政策性贷款", "财政局", 1200.0),
    ("村集体及群众自筹", "投工投劳折资", "乡镇人民政府", 150.0),
];

/// Candidates with an unresolved land-tenure dispute (vetoed by the admission model).
const TENURE_DISPUTED: &[&str] = &["HX-0401"];

const CANDIDATES: &[Candidate] = &[
    Candidate {
        id: "HX-0101",
        town: "岚溪镇",
        city: "岚城市",
        county: "鹤汀县",
        terrain: "平原",
        area: 52000.0,
        farmland: 31000.0,
        patches: 6200.0,
        blocks: 9.0,
        grade: 7.2,
        construction: 5200.0,
        village_pc: 236.0,
        consent: 96.0,
        plan: [620.0, 9000.0, 310.0, 1800.0, 260.0],
        investment: 9800.0,
        integrated: 7700.0,
        funds: F_A,
    },
    Candidate {
        id: "HX-0102",
        town: "枫林乡",
        city: "岚城市",
        county: "枫渡县",
        terrain: "丘陵",
        area: 38000.0,
        farmland: 17500.0,
        patches: 5100.0,
        blocks: 3.0,
        grade: 8.1,
        construction: 3100.0,
        village_pc: 198.0,
        consent: 91.0,
        plan: [420.0, 5200.0, 180.0, 1500.0, 150.0],
        investment: 6200.0,
        integrated: 3000.0,
        funds: F_B,
    },
    Candidate {
        id: "HX-0103",
        town: "澜口镇",
        city: "岚城市",
        county: "澜坪县",
        terrain: "平原",
        area: 61000.0,
        farmland: 39000.0,
        patches: 4300.0,
        blocks: 24.0,
        grade: 6.4,
        construction: 6900.0,
        village_pc: 158.0,
        consent: 88.0,
        plan: [240.0, 6000.0, 90.0, 900.0, 70.0],
        investment: 7100.0,
        integrated: 2100.0,
        funds: F_B,
    },
    Candidate {
        id: "HX-0201",
        town: "苇荡镇",
        city: "溱阳市",
        county: "苇塘县",
        terrain: "平原",
        area: 47000.0,
        farmland: 28000.0,
        patches: 7400.0,
        blocks: 6.0,
        grade: 7.8,
        construction: 4800.0,
        village_pc: 251.0,
        consent: 97.0,
        plan: [700.0, 8800.0, 420.0, 2100.0, 380.0],
        investment: 11200.0,
        integrated: 7700.0,
        funds: F_A,
    },
    Candidate {
        id: "HX-0202",
        town: "石门乡",
        city: "溱阳市",
        county: "石罗县",
        terrain: "山区",
        area: 44000.0,
        farmland: 12600.0,
        patches: 5900.0,
        blocks: 1.0,
        grade: 9.3,
        construction: 2300.0,
        village_pc: 212.0,
        consent: 93.0,
        plan: [380.0, 3100.0, 140.0, 2600.0, 110.0],
        investment: 5400.0,
        integrated: 2250.0,
        funds: F_C,
    },
    Candidate {
        id: "HX-0203",
        town: "沄川镇",
        city: "溱阳市",
        county: "沄水县",
        terrain: "丘陵",
        area: 35000.0,
        farmland: 16200.0,
        patches: 3200.0,
        blocks: 7.0,
        grade: 7.0,
        construction: 2900.0,
        village_pc: 171.0,
        consent: 79.0,
        plan: [160.0, 2600.0, 60.0, 700.0, 40.0],
        investment: 3900.0,
        integrated: 3000.0,
        funds: F_B,
    },
    Candidate {
        id: "HX-0301",
        town: "雾溪乡",
        city: "黛山州",
        county: "雾岭县",
        terrain: "山区",
        area: 58000.0,
        farmland: 14800.0,
        patches: 8100.0,
        blocks: 2.0,
        grade: 9.8,
        construction: 2600.0,
        village_pc: 244.0,
        consent: 95.0,
        plan: [510.0, 4200.0, 230.0, 3900.0, 190.0],
        investment: 8300.0,
        integrated: 7700.0,
        funds: F_A,
    },
    Candidate {
        id: "HX-0302",
        town: "杉坪镇",
        city: "黛山州",
        county: "杉坳县",
        terrain: "山区",
        area: 41000.0,
        farmland: 11900.0,
        patches: 4700.0,
        blocks: 4.0,
        grade: 8.9,
        construction: 2100.0,
        village_pc: 189.0,
        consent: 90.0,
        plan: [300.0, 2800.0, 120.0, 2400.0, 90.0],
        investment: 4700.0,
        integrated: 2250.0,
        funds: F_C,
    },
    Candidate {
        id: "HX-0401",
        town: "稻香镇",
        city: "禾川市",
        county: "稻溪县",
        terrain: "平原",
        area: 49000.0,
        farmland: 33000.0,
        patches: 5600.0,
        blocks: 15.0,
        grade: 6.8,
        construction: 5600.0,
        village_pc: 205.0,
        consent: 94.0,
        plan: [450.0, 9600.0, 260.0, 1200.0, 220.0],
        investment: 9100.0,
        integrated: 7700.0,
        funds: F_A,
    },
    Candidate {
        id: "HX-0402",
        town: "芰荷乡",
        city: "禾川市",
        county: "芰湖县",
        terrain: "丘陵",
        area: 33000.0,
        farmland: 15400.0,
        patches: 3900.0,
        blocks: 5.0,
        grade: 7.6,
        construction: 2700.0,
        village_pc: 176.0,
        consent: 86.0,
        plan: [230.0, 3000.0, 80.0, 800.0, 60.0],
        investment: 4100.0,
        integrated: 3000.0,
        funds: F_B,
    },
    Candidate {
        id: "HX-0501",
        town: "桐湾镇",
        city: "沣源市",
        county: "桐沣县",
        terrain: "丘陵",
        area: 46000.0,
        farmland: 21000.0,
        patches: 6600.0,
        blocks: 4.0,
        grade: 8.3,
        construction: 3900.0,
        village_pc: 228.0,
        consent: 92.0,
        plan: [560.0, 6400.0, 300.0, 1700.0, 250.0],
        investment: 8800.0,
        integrated: 2250.0,
        funds: F_C,
    },
    Candidate {
        id: "HX-0502",
        town: "麦田乡",
        city: "沣源市",
        county: "麦垄县",
        terrain: "平原",
        area: 40000.0,
        farmland: 27000.0,
        patches: 2900.0,
        blocks: 21.0,
        grade: 6.1,
        construction: 4300.0,
        village_pc: 149.0,
        consent: 83.0,
        plan: [120.0, 4000.0, 40.0, 500.0, 30.0],
        investment: 3600.0,
        integrated: 3000.0,
        funds: F_B,
    },
];

fn row(pairs: &[(&str, CellValue)]) -> Row {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn t(s: &str) -> CellValue {
    CellValue::Text(s.to_string())
}

fn n(x: f64) -> CellValue {
    CellValue::Number(x)
}

fn main() -> Result<()> {
    let dict = FieldDict::bundled();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/candidate-townships");
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    let mut data = WorkbookData::new();
    let mut push = |sheet: &str, r: Row| data.entry(sheet.to_string()).or_default().push(r);
    for c in CANDIDATES {
        let id = t(c.id);
        push(
            "ledger",
            row(&[
                ("project_id", id.clone()),
                ("project_name", t(&format!("{}全域土地综合整治（候选）", c.town))),
                ("city", t(c.city)),
                ("county", t(c.county)),
                ("townships", t(c.town)),
                ("terrain", t(c.terrain)),
                ("area_total", n(c.area)),
                ("investment_planned", n(c.investment)),
                ("content_types", t("农用地整治、建设用地整理、生态保护修复")),
            ]),
        );
        push(
            "farmland",
            row(&[
                ("project_id", id.clone()),
                ("farmland_before", n(c.farmland)),
                ("farmland_patches_before", n(c.patches)),
                ("fields_100mu_before", n(c.blocks)),
                ("quality_grade_before", n(c.grade)),
            ]),
        );
        push(
            "construction",
            row(&[
                ("project_id", id.clone()),
                ("construction_before", n(c.construction)),
                ("village_land_pc_before", n(c.village_pc)),
            ]),
        );
        push("ecology", row(&[("project_id", id.clone())]));
        push(
            "process",
            row(&[
                ("project_id", id.clone()),
                ("villager_consent", n(c.consent)),
                ("hidden_debt", CellValue::Bool(false)),
                ("land_tenure_disputed", CellValue::Bool(TENURE_DISPUTED.contains(&c.id))),
            ]),
        );
        let [nf, hsf, rec, res, sq] = c.plan;
        push(
            "plan",
            row(&[
                ("project_id", id.clone()),
                ("new_farmland_planned", n(nf)),
                ("hsf_planned", n(hsf)),
                ("reclaimed_area_planned", n(rec)),
                ("restored_area_planned", n(res)),
                ("surplus_quota_planned", n(sq)),
                ("funds_integrated_planned", n(c.integrated)),
            ]),
        );
        for (source, channel, dept, amount) in c.funds {
            push(
                "funds",
                row(&[
                    ("project_id", id.clone()),
                    ("fund_source", t(source)),
                    ("fund_channel", t(channel)),
                    ("fund_department", t(dept)),
                    ("fund_planned", n(*amount)),
                ]),
            );
        }
    }
    for rows in data.values() {
        for r in rows {
            for k in r.keys() {
                dict.field(k).with_context(|| format!("未知字段 {k}"))?;
            }
        }
    }
    let path = dir.join("候选乡镇.xlsx");
    write_workbook(&path, &dict, &data)?;
    println!("已写入 {}（{} 个候选乡镇）", path.display(), CANDIDATES.len());
    Ok(())
}
