//! The messy copy of the sample province (fixtures/sample-province-messy/,
//! written by `examples/make_messy.rs`) reads to exactly the same data and
//! scores as the clean fixtures.

use crate::common;

use landeval::ingest::{Severity, Source};
use std::path::PathBuf;

/// The messy copy's files, sorted by name.
pub(crate) fn messy_sources() -> Vec<Source> {
    messy_paths(&common::repo().join("fixtures/sample-province-messy"))
        .iter()
        .map(|p| Source::from_path(p).expect("readable"))
        .collect()
}

#[test]
fn messy_fixtures_give_the_same_scores_and_ranking() {
    let clean = common::evaluate(&common::fixture_sources(), "national-2025");
    let messy = common::evaluate(&messy_sources(), "national-2025");
    let errors: Vec<String> = messy
        .dataset
        .log
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| format!("{} {}：{}（{}）", f.severity.label(), f.origin, f.message, f.raw))
        .collect();
    assert!(errors.is_empty(), "messy fixtures: {errors:#?}");

    // Same data, project by project and column by column (row order aside),
    // and the same scores.
    common::assert_same_data(&clean, &messy);
    common::assert_same_scores(&clean, &messy);
}

#[test]
fn messy_fixtures_log_every_conversion_and_skip() {
    let ds = common::evaluate(&messy_sources(), "national-2025").dataset;
    let log = &ds.log;
    let has = |s: &str| log.findings.iter().any(|f| f.message.contains(s));
    assert!(has("已换算为“亩”（×15）"), "公顷 columns are converted");
    assert!(has("已换算为“万元”（×0.0001）"), "元 columns are converted");
    assert!(has("按 GBK/GB18030 编码读取"));
    assert!(has("合计行，不作为项目数据导入"));
    assert!(has("小计行，不作为项目数据导入"));
    assert!(has("说明或签字行"));
    assert!(has("未识别的列，已忽略"));
    for t in &log.tallies {
        assert_eq!(t.rows_read, t.rows_used + t.rows_skipped, "{} / {}", t.file, t.sheet);
    }
    // 鹤汀县 项目台账: 5 projects + 合计 + 注 + 签字 = 8 rows read, 3 skipped.
    let t = log
        .tallies
        .iter()
        .find(|t| t.file == "鹤汀县.xlsx" && t.sheet == "项目台账")
        .expect("tally");
    assert_eq!((t.rows_read, t.rows_used, t.rows_skipped), (8, 5, 3));
}

#[test]
fn validate_prints_the_tallies_and_exits_0_on_the_messy_fixtures() {
    let dir = common::scratch("validate-messy");
    let fixtures = common::repo().join("fixtures/sample-province-messy");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_landeval"))
        .arg("validate")
        .args(messy_paths(&fixtures))
        .arg("-o")
        .arg(dir.join("数据质量.xlsx"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("鹤汀县.xlsx / 项目台账：读取 8 行 = 导入 5 行 + 跳过 3 行"),
        "{stdout}"
    );
    // validate scores like evaluate, so it shows the same 6 warnings as the clean
    // fixtures' evaluation (1 ESV loss, 3 surplus-quota mismatches, 2 missing
    // indicators of QL-0103-03: its GEP growth uses the estimate from its land
    // use structure), totals first.
    let totals = stdout.find("合计：错误 0 条，警告 6 条").expect("totals line");
    assert!(totals < stdout.find("[警告]").expect("a warning"), "{stdout}");
    // A missing value is located at the empty cell it should be in (QL-0103-03's
    // row 7 of the csv, column J 群众满意度), not at the project's 项目台账 row.
    assert!(
        stdout.contains(
            "[警告] 澜坪县-过程管理.csv / 过程管理 / J7：项目“QL-0103-03”指标“群众满意度”缺少：“群众满意度”（澜坪县-过程管理.csv / 过程管理 / J7）；该指标按 0 分计"
        ),
        "{stdout}"
    );
    assert!(dir.join("数据质量.xlsx").exists());
}

fn messy_paths(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "csv"))
        .collect();
    paths.sort();
    paths
}
