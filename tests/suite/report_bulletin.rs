//! Provincial bulletin on the sample province.

use crate::common;

use calamine::{Data, Reader, open_workbook_auto};
use landeval::pipeline::Run;
use landeval::report::{RenderOptions, Written};
use std::sync::OnceLock;

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| common::evaluate(&common::fixture_sources(), "national-2025"))
}

fn written() -> &'static Written {
    static W: OnceLock<Written> = OnceLock::new();
    W.get_or_init(|| {
        let dir = common::scratch("bulletin");
        landeval::pipeline::write_bulletin(run(), &dir, "青岚省自然资源厅", &RenderOptions::default()).unwrap()
    })
}

/// QL-0101-01 (rank 1, the first typical case), from its fixture rows:
/// patches 10000 → 5800: −42%; fields ≥ 100 mu 5 → 30: +25; new farmland 800 亩;
/// reclaimed 400 亩, surplus 400 − 100 = 300 亩; GEP 20 → 25.6 亿元 (+28%);
/// 6 channels, 10000 万元 in place = 1 亿元; social capital 2500 万元.
#[test]
fn typical_case_figures_become_a_sentence() {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written().json).unwrap()).unwrap();
    let case = &json["cases"][0];
    assert!(case["name"].as_str().unwrap().contains("堃山镇"), "{case}");
    assert_eq!(
        case["sentence"],
        "通过整治，耕地图斑数减少42%，新增集中连片田块25个，新增耕地800亩，拆旧复垦400亩、形成节余指标300亩，GEP由20亿元增至25.6亿元、增长28%，整合6个渠道资金1亿元，吸引社会资本2500万元。"
    );
    let pdf = std::fs::read(&written().pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "耕地图斑数减少42%"));
    assert!(common::pdf_has_text(&pdf, "青岚省自然资源厅"));
    let html = std::fs::read_to_string(written().html.as_ref().unwrap()).unwrap();
    assert!(html.contains("耕地图斑数减少42%"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "HTML must be self-contained"
    );
}

/// Per-city rows add up to the province: 40 projects, the same vetoes and demonstrations.
#[test]
fn results_by_city_add_up() {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written().json).unwrap()).unwrap();
    let cities = json["cities"].as_array().unwrap();
    assert_eq!(cities.len(), 5);
    let sum = |k: &str| cities.iter().map(|c| c[k].as_u64().unwrap()).sum::<u64>() as usize;
    let ps = &run().eval.projects;
    assert_eq!(sum("projects"), 40);
    assert_eq!(sum("vetoed"), ps.iter().filter(|p| p.vetoed).count());
    assert_eq!(sum("selected"), ps.iter().filter(|p| p.selected).count());
    assert_eq!(json["demos"].as_array().unwrap().len(), sum("selected"));
    // Every vetoed project is named among the problems.
    let problems: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    for p in ps.iter().filter(|p| p.vetoed) {
        assert!(problems.iter().any(|t| t.contains(&p.name)), "{} not listed", p.name);
    }

    let mut wb = open_workbook_auto(&written().xlsx).unwrap();
    let sheet = wb.worksheet_range("分市情况").unwrap();
    let total: f64 = sheet
        .rows()
        .skip(1)
        .map(|r| match r[1] {
            Data::Float(x) => x,
            _ => 0.0,
        })
        .sum();
    assert_eq!(total, 40.0);
    for name in ["示范项目", "典型案例", "发现的问题", "计划完成", "排名"] {
        assert!(wb.sheet_names().iter().any(|s| s == name), "missing sheet {name}");
    }
}

/// Progress against plan targets sums the projects whose plan set the task.
#[test]
fn progress_against_plan_targets() {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written().json).unwrap()).unwrap();
    let g = json["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["task"] == "新增耕地")
        .unwrap();
    let (planned, actual) = (g["planned"].as_f64().unwrap(), g["actual"].as_f64().unwrap());
    assert!(planned > 0.0);
    assert!((g["rate"].as_f64().unwrap() - actual / planned).abs() < 1e-12);
}

/// Every page is A4 (GB/T 9704), and two runs give identical bytes.
#[test]
fn bulletin_is_a4_and_deterministic() {
    let pdf = std::fs::read(&written().pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/MediaBox[0 0 595.2756 841.8898]"));
    assert!(!text.contains("/MediaBox[0 0 1"), "a page that is not A4");
    let dir = common::scratch("bulletin-again");
    let again = common::evaluate(&common::fixture_sources(), "national-2025");
    let w2 = landeval::pipeline::write_bulletin(&again, &dir, "青岚省自然资源厅", &RenderOptions::default()).unwrap();
    let w1 = written();
    for (x, y) in [
        (&w1.pdf, &w2.pdf),
        (&w1.xlsx, &w2.xlsx),
        (&w1.json, &w2.json),
        (w1.html.as_ref().unwrap(), w2.html.as_ref().unwrap()),
    ] {
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
}
