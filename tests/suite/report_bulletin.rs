//! Provincial bulletin on the sample province.

use crate::common;

use calamine::{Data, Reader, open_workbook_auto};
use landeval::pipeline::Run;
use landeval::report::bulletin::BulletinOptions;
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
        landeval::pipeline::write_bulletin(
            run(),
            &dir,
            &BulletinOptions::issued_by("青岚省自然资源厅"),
            &RenderOptions::default(),
        )
        .unwrap()
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
    let w2 = landeval::pipeline::write_bulletin(
        &again,
        &dir,
        &BulletinOptions::issued_by("青岚省自然资源厅"),
        &RenderOptions::default(),
    )
    .unwrap();
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

/// Sections 二–四 name a project once with its place: 岚城市 + 鹤汀县 +
/// “鹤汀县堃山镇喆溪乡…” is “岚城市鹤汀县堃山镇喆溪乡…”, never “鹤汀县鹤汀县”.
#[test]
fn county_names_are_not_doubled() {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written().json).unwrap()).unwrap();
    assert_eq!(
        json["demos"][0]["label"],
        "岚城市鹤汀县堃山镇喆溪乡全域土地综合整治项目"
    );
    assert_eq!(
        json["cases"][0]["label"],
        "岚城市鹤汀县堃山镇喆溪乡全域土地综合整治项目"
    );
    assert_eq!(
        json["problems"][0],
        "沣源市桐沣县桂口乡全域土地综合整治项目触碰“新增耕地未实测”红线，实行一票否决，评定为不合格。"
    );
    let html = std::fs::read_to_string(written().html.as_ref().unwrap()).unwrap();
    let pdf = std::fs::read(&written().pdf).unwrap();
    assert!(common::pdf_has_text(
        &pdf,
        "岚城市鹤汀县堃山镇喆溪乡全域土地综合整治项目；"
    ));
    for p in &run().eval.projects {
        let twice = format!("{}{}", p.county, p.county);
        assert!(!html.contains(&twice), "{twice} in the HTML");
        assert!(!common::pdf_has_text(&pdf, &twice), "{twice} in the PDF");
        assert!(!json.to_string().contains(&twice), "{twice} in the JSON");
    }
}

/// The three projects not yet accepted (QL-0502-03 ranked 5th, QL-0302-03,
/// QL-0203-02) carry 未验收 in the annex; the opening paragraph counts them.
#[test]
fn projects_not_accepted_are_marked() {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written().json).unwrap()).unwrap();
    assert_eq!(json["unaccepted"], 3);
    let pending: Vec<&str> = json["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["accepted"] == false)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(pending, ["QL-0502-03", "QL-0302-03", "QL-0203-02"]);
    assert!(json["intro"].as_str().unwrap().contains("其中3个项目尚未通过整体验收"));
    let html = std::fs::read_to_string(written().html.as_ref().unwrap()).unwrap();
    assert!(html.contains("<th>示范</th><th>未验收</th>"));
    // Rank 5: no demonstration mark, the 未验收 mark in the last column.
    assert!(
        html.contains("<td>90.58</td><td>优秀</td><td></td><td>√</td></tr>"),
        "{html}"
    );
}

/// 版头 and 版记 from the options: “青岚省自然资源厅文件”, the 发文字号 typed
/// with square brackets, 第 and a leading zero comes out as GB/T 9704 writes
/// it, the copies end with 。, the printing office defaults to the issuer's 办公室.
#[test]
fn letterhead_and_imprint() {
    let dir = common::scratch("bulletin-letterhead");
    let opts = BulletinOptions {
        issuer: Some("青岚省自然资源厅".into()),
        doc_number: Some("青自然资发[2025]第012号".into()),
        cc: vec!["自然资源部国土空间生态修复司".into(), "省财政厅".into()],
        printer: None,
        print_date: Some([2025, 9, 20]),
    };
    let w = landeval::pipeline::write_bulletin(run(), &dir, &opts, &RenderOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    assert_eq!(json["masthead"], "青岚省自然资源厅文件");
    assert_eq!(json["doc_number"], "青自然资发〔2025〕12号");
    assert_eq!(json["imprint"]["printer"], "青岚省自然资源厅办公室");
    assert_eq!(json["imprint"]["print_date"], "2025年9月20日");
    let pdf = std::fs::read(&w.pdf).unwrap();
    for text in [
        "青岚省自然资源厅文件",
        "青自然资发〔2025〕12号",
        "自然资源部国土空间生态修复司，省财政厅。",
        "青岚省自然资源厅办公室",
        "2025年9月20日印发",
    ] {
        assert!(common::pdf_has_text(&pdf, text), "{text} not in the PDF");
    }
    let html = std::fs::read_to_string(w.html.as_ref().unwrap()).unwrap();
    assert!(html.contains("<span>抄送：</span><span>自然资源部国土空间生态修复司，省财政厅。</span>"));
    assert!(html.contains("<span>2025年9月20日印发</span>"));
}

/// The model's `[bulletin]` section names issuer, masthead, recipients,
/// copies, printer and 附注 when the command line does not.
#[test]
fn the_model_section_fills_the_letterhead() {
    let base = landeval::model::BUNDLED_MODELS
        .iter()
        .find(|(id, _)| *id == "national-2025")
        .unwrap()
        .1;
    let text = format!(
        "{base}\n[bulletin]\nissuer = \"青岚省自然资源厅\"\nrecipients = \"各市州自然资源局\"\ncc = [\"省财政厅\"]\nprinter = \"青岚省自然资源厅秘书处\"\nnote = \"此件公开发布\"\n"
    );
    let model = landeval::model::Model::parse(&text, "test.toml").unwrap();
    let r = run();
    let input = landeval::report::ReportInput {
        model: &model,
        ..r.report_input().unwrap()
    };
    let view = landeval::report::bulletin::view::build(&input, &BulletinOptions::default());
    assert_eq!(view.masthead, "青岚省自然资源厅文件");
    assert_eq!(view.recipients, "各市州自然资源局");
    assert_eq!(view.imprint.cc, ["省财政厅"]);
    assert_eq!(view.imprint.printer, "青岚省自然资源厅秘书处");
    assert_eq!(view.note, "（此件公开发布）");
    // The command line wins.
    let view = landeval::report::bulletin::view::build(&input, &BulletinOptions::issued_by("测试厅"));
    assert_eq!((view.issuer.as_str(), view.masthead.as_str()), ("测试厅", "测试厅文件"));
    assert_eq!(view.imprint.printer, "青岚省自然资源厅秘书处");
}

/// The command line: `--doc-number` typed with 【】 is rewritten and said so.
#[test]
fn cli_takes_the_letterhead_options() {
    let dir = common::scratch("bulletin-cli");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_landeval"));
    cmd.args(["--quiet", "bulletin"]);
    for s in common::fixture_paths() {
        cmd.arg(s);
    }
    let out = cmd
        .args([
            "--draws",
            "0",
            "--issuer",
            "青岚省自然资源厅",
            "--doc-number",
            "青自然资发【2025】3号",
        ])
        .args([
            "--cc",
            "省财政厅",
            "--cc",
            "省农业农村厅",
            "--print-date",
            "2025-09-20",
            "-o",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("发文字号按 GB/T 9704 写作“青自然资发〔2025〕3号”"),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("通报.json")).unwrap()).unwrap();
    assert_eq!(json["imprint"]["cc"], serde_json::json!(["省财政厅", "省农业农村厅"]));
    assert_eq!(json["imprint"]["print_date"], "2025年9月20日");
}
