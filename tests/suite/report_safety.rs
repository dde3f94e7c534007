//! Report safety: user strings are printed literally in every PDF (never run
//! as typst), written as text in every workbook (never as formulas), escaped
//! in the HTML bulletin; `--templates DIR` overrides the bundled templates.

use crate::common;

use calamine::{Data, Reader, open_workbook_auto};
use landeval::ingest::Source;
use landeval::pipeline::Run;
use landeval::report::RenderOptions;
use landeval::report::bulletin::BulletinOptions;
use landeval::template::{CellValue, WorkbookData, write_workbook};
use std::path::Path;
use std::sync::OnceLock;

/// A project name that is typst code in every mode.
const NASTY: &str = r#"#set page(width: 1pt) *x* $y$ [z] \ "q" // c"#;
/// Strings that spreadsheet programs would read as formulas.
const CITY: &str = "=1+1";
const COUNTY: &str = "+SUM(A1)";
const NAME2: &str = "@evil -2 <b>&amp;</b>";
const TOWNS: &str = "-3";

use crate::common::{row, text};

/// Two projects with hostile names and a few numbers.
fn workbook(path: &Path) {
    let mut data = WorkbookData::new();
    let ledger = |id: &str, name: &str| {
        row(&[
            ("project_id", text(id)),
            ("project_name", text(name)),
            ("city", text(CITY)),
            ("county", text(COUNTY)),
            ("townships", text(TOWNS)),
            ("area_total", CellValue::Number(10000.0)),
            ("accepted_on", CellValue::Date("2025-06-30".into())),
        ])
    };
    data.insert("ledger".into(), vec![ledger("T-01", NASTY), ledger("T-02", NAME2)]);
    let farmland = |id: &str, after: f64| {
        row(&[
            ("project_id", text(id)),
            ("farmland_before", CellValue::Number(1000.0)),
            ("farmland_after", CellValue::Number(after)),
            ("farmland_patches_before", CellValue::Number(500.0)),
            ("farmland_patches_after", CellValue::Number(300.0)),
        ])
    };
    data.insert(
        "farmland".into(),
        vec![farmland("T-01", 1100.0), farmland("T-02", 1050.0)],
    );
    let process = |id: &str| {
        row(&[
            ("project_id", text(id)),
            ("schedule_completion", CellValue::Number(90.0)),
            ("satisfaction", CellValue::Number(92.0)),
        ])
    };
    data.insert("process".into(), vec![process("T-01"), process("T-02")]);
    // Every red line checkable and passed (a blank one would keep the
    // projects out of the selection).
    for id in ["T-01", "T-02"] {
        common::add_passing_redlines(&mut data, id);
    }
    write_workbook(path, &landeval::fields::FieldDict::bundled(), &data).expect("workbook written");
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = common::scratch("safety-input");
        let path = dir.join("恶意名称.xlsx");
        workbook(&path);
        common::evaluate(&[Source::from_path(&path).unwrap()], "national-2025")
    })
}

/// Every page box in the PDF is A4 (595.28 × 841.89 pt): `#set page(width: 1pt)` did not run.
fn all_pages_a4(pdf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pdf);
    let boxes: Vec<&str> = text.match_indices("/MediaBox").map(|(i, _)| &text[i..i + 40]).collect();
    !boxes.is_empty() && boxes.iter().all(|b| b.contains("595.27") || b.contains("595.28"))
}

/// Each whitespace-separated piece of the nasty name appears as text.
fn shows_literally(pdf: &[u8]) -> bool {
    NASTY.split_whitespace().all(|tok| common::pdf_has_text(pdf, tok))
}

/// No cell of any sheet is a formula, and the formula-like strings come back as strings.
fn assert_no_formulas(path: &Path) {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut seen = 0;
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{} / {sheet} holds a formula",
            path.display()
        );
        let range = wb.worksheet_range(&sheet).unwrap();
        for (_, _, cell) in range.used_cells() {
            if let Data::String(s) = cell
                && [CITY, COUNTY, NAME2, TOWNS].contains(&s.as_str())
            {
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "{} never shows the formula-like strings", path.display());
}

#[test]
fn committee_report_prints_user_strings_literally() {
    let dir = common::scratch("safety-committee");
    let w = landeval::pipeline::write_committee(run(), &dir, &RenderOptions::default()).unwrap();
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(all_pages_a4(&pdf));
    assert!(shows_literally(&pdf), "the nasty name is not printed literally");
    assert!(common::pdf_has_text(&pdf, CITY));
    assert!(common::pdf_has_text(&pdf, "@evil"));
    assert_no_formulas(&w.xlsx);
    // JSON keeps the name byte for byte.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    assert!(json["projects"].as_array().unwrap().iter().any(|p| p["name"] == NASTY));
}

#[test]
fn self_assessment_prints_user_strings_literally() {
    let dir = common::scratch("safety-self");
    let w = landeval::pipeline::write_self_assessment(run(), &dir, "T-01", None, &RenderOptions::default()).unwrap();
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(all_pages_a4(&pdf));
    assert!(shows_literally(&pdf));
    assert_no_formulas(&w.xlsx);
}

#[test]
fn bulletin_prints_user_strings_literally_and_escapes_html() {
    let dir = common::scratch("safety-bulletin");
    let w = landeval::pipeline::write_bulletin(
        run(),
        &dir,
        &BulletinOptions::issued_by("测试厅 #x"),
        &RenderOptions::default(),
    )
    .unwrap();
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(all_pages_a4(&pdf));
    assert!(shows_literally(&pdf));
    assert!(common::pdf_has_text(&pdf, "#x"));
    assert_no_formulas(&w.xlsx);
    let html = std::fs::read_to_string(w.html.unwrap()).unwrap();
    assert!(
        html.contains("@evil -2 &lt;b&gt;&amp;amp;&lt;&#x2f;b&gt;"),
        "HTML not escaped"
    );
    assert!(!html.contains("<b>"));
}

#[test]
fn templates_dir_overrides_bundled_templates() {
    let tdir = common::scratch("safety-templates");
    std::fs::write(
        tdir.join("bulletin.typ.j2"),
        "#set page(paper: \"a4\")\n#set text(font: \"Noto Sans CJK SC\")\n自定义通报模板 {{ issuer }} {% for r in ranking %}{{ r.name }} {% endfor %}\n",
    )
    .unwrap();
    std::fs::write(tdir.join("bulletin.html.j2"), "<p>自定义网页 {{ issuer }}</p>").unwrap();
    let dir = common::scratch("safety-templates-out");
    let opts = RenderOptions {
        templates: Some(tdir),
        ..Default::default()
    };
    let w = landeval::pipeline::write_bulletin(run(), &dir, &BulletinOptions::issued_by("<厅>"), &opts).unwrap();
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert_eq!(w.pages, 1);
    assert!(common::pdf_has_text(&pdf, "自定义通报模板"));
    // The override still escapes: the nasty name is text, not code.
    assert!(all_pages_a4(&pdf));
    assert!(shows_literally(&pdf));
    let html = std::fs::read_to_string(w.html.unwrap()).unwrap();
    assert_eq!(html, "<p>自定义网页 &lt;厅&gt;</p>");
}

/// The two projects above have the same indicator data, so they tie at rank 1.
/// Rewards go to selected demonstration projects; with the selection opened to
/// any score and unaccepted projects, both are selected and share place 1, so
/// with reward tiers 1–1: 1000 万元 and 2–3: 600 万元 each gets 1000, 2000 in all.
/// Headline effects: patches 500 → 300 in each project, so 1000 → 600 summed.
#[test]
fn committee_reward_estimate_and_headline_effects_by_hand() {
    let base = run();
    let mut model = base.model.clone();
    model.rewards = vec![
        landeval::model::Reward {
            ranks: [1, 1],
            amount: 1000.0,
        },
        landeval::model::Reward {
            ranks: [2, 3],
            amount: 600.0,
        },
    ];
    let rule = model.selection.as_mut().expect("national-2025 selects demonstrations");
    rule.min_score = 0.0;
    rule.accepted_only = false;
    rule.required_grade = None;
    let dir = common::scratch("safety-input-reward");
    let path = dir.join("恶意名称.xlsx");
    workbook(&path);
    let dict = landeval::fields::FieldDict::bundled();
    let fonts = landeval::report::engine::fonts::FontSet::load(None).unwrap();
    let ds = landeval::pipeline::read(&[Source::from_path(&path).unwrap()], &dict, &fonts);
    let r = landeval::pipeline::evaluate(ds, dict, model, None).unwrap();
    assert!(r.eval.projects.iter().all(|p| p.rank == Some(1)));
    let out = common::scratch("safety-reward");
    let w = landeval::pipeline::write_committee(&r, &out, &RenderOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    let rewards = json["rewards"].as_array().unwrap();
    assert_eq!(rewards.len(), 2);
    assert!(rewards.iter().all(|x| x[1].as_f64() == Some(1000.0)));
    let e = &json["headline_effects"][0];
    assert_eq!(e["title"], "耕地图斑数（个）");
    assert_eq!((e["before"].as_f64(), e["after"].as_f64()), (Some(1000.0), Some(600.0)));
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "奖励资金估算"));
    assert!(common::pdf_has_text(&pdf, "合计 2000 万元"));
    // 示范候选 and 原始数据 sheets: 原始数据 keeps the typed values (patches 500).
    let mut wb = open_workbook_auto(&w.xlsx).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "排名",
            "指标得分",
            "否决与扣分",
            "示范候选",
            "数据质量",
            "读取情况",
            "原始数据"
        ]
    );
    let raw = wb.worksheet_range("原始数据").unwrap();
    let header: Vec<String> = raw.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = header.iter().position(|h| h.starts_with("整治前耕地图斑数")).unwrap();
    assert_eq!(raw.rows().nth(1).unwrap()[col], Data::Float(500.0));
}
