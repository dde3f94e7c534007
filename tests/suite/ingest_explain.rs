//! `explain` traces a score to its cells, values, conversions and points.

use crate::common;

use landeval::explain::explain;
use landeval::ingest::Source;
use std::process::Command;

#[test]
fn ordinary_project_traced_to_cells() {
    let run = common::evaluate(&common::fixture_sources(), "national-2025");
    let text = explain(&run, "QL-0101-02", None).expect("explain");
    // 耕地图斑数减少率: (4000 − 3000) / 4000 = 0.25; linear 0 → 0.4 gives 0.625; × 8 = 5.
    for line in [
        "farmland_patches_before（整治前耕地图斑数）= 4000个  ← 鹤汀县.xlsx / 农用地整治 / F3",
        "farmland_patches_after（整治后耕地图斑数）= 3000个  ← 鹤汀县.xlsx / 农用地整治 / G3",
        "原始值：0.25 = 25%",
        "标准化：0% 及以下得 0 分，40% 及以上得满分 8 分，其间按比例 → 得分率 0.625",
        "得分：8 × 得分率 = 5 分（已计分）",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
    // 资金到位率: (900 + 540 + 360) / (1000 + 600 + 400) = 0.9; (0.9 − 0.6) / 0.4 = 0.75; × 5 = 3.75.
    let one = explain(&run, "QL-0101-02", Some("fund_in_place")).expect("explain");
    assert!(one.contains("鹤汀县.xlsx / 资金台账：A8、A9、A10（共 3 行）"), "{one}");
    assert!(one.contains("得分：5 × 得分率 = 3.75 分"), "{one}");
    assert!(!one.contains("【schedule】"), "only the asked indicator: {one}");
}

#[test]
fn conversions_and_vetoes_are_shown() {
    let dir = common::repo().join("fixtures/sample-province-messy");
    let sources: Vec<Source> = ["鹤汀县.xlsx", "枫渡县.xls"]
        .iter()
        .map(|n| Source::from_path(&dir.join(n)).expect("fixture"))
        .collect();
    let run = common::evaluate(&sources, "national-2025");
    // The exemplar's 800 亩 of new farmland is written in 公顷 in the messy copy: 800 / 15.
    let text = explain(&run, "QL-0101-01", Some("new_farmland_completion")).expect("explain");
    assert!(
        text.contains("new_farmland（新增耕地面积）= 800亩  ← 鹤汀县.xlsx / 农用地整治 / ")
            && text.contains("公顷 × 15 = 800 亩）"),
        "{text}"
    );
    // QL-0102-01 breaks the farmland red line: 40760.95 < 40951.87.
    let veto = explain(&run, "QL-0102-01", None).expect("explain");
    assert!(veto.contains("耕地面积减少：触碰（一票否决）"), "{veto}");
    assert!(
        veto.contains("farmland_after（整治后耕地面积）= 40760.95亩  ← 枫渡县.xls / 农用地整治 / "),
        "{veto}"
    );
    assert!(explain(&run, "QL-9999-99", None).is_err());
}

#[test]
fn cli_explain_unknown_indicator_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .current_dir(common::repo().join("fixtures/sample-province"))
        .args([
            "explain",
            "鹤汀县.xlsx",
            "--project",
            "QL-0101-02",
            "--indicator",
            "没有这个指标",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("中没有指标“没有这个指标”"));
}
