//! The default model is valid; a broken copy is caught with line numbers.

use landeval::fields::FieldDict;
use landeval::model::{Model, check_model};

#[test]
fn default_model_passes_check_and_sums_to_100() {
    let (m, text) = Model::load_with_source("national-2025").unwrap();
    let r = check_model(&m, &text, &FieldDict::bundled());
    assert!(r.ok(), "{:#?}", r.errors);
    assert!((m.total_points() - 100.0).abs() < 1e-9);
    assert_eq!(m.dimension_points("process"), 25.0);
    assert_eq!(m.dimension_points("management"), 25.0);
    assert_eq!(m.dimension_points("result"), 50.0);
    assert!(
        m.indicators.iter().all(|i| i.basis.is_some()),
        "every indicator names its basis"
    );
}

#[test]
fn broken_model_is_reported_with_lines() {
    let (_, text) = Model::load_with_source("national-2025").unwrap();
    let broken = text
        .replacen("expr = \"schedule_completion\"", "expr = \"schedule_done\"", 1)
        .replacen(
            "points = 6\nexpr = \"subprojects_accepted / subprojects_total\"",
            "points = 7\nexpr = \"subprojects_accepted / / subprojects_total\"",
            1,
        );
    let m = Model::parse(&broken, "broken.toml").unwrap();
    let r = check_model(&m, &broken, &FieldDict::bundled());
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let all = r.errors.join("\n");
    assert!(all.contains("分值合计为 101"), "{all}");
    assert!(
        all.contains(&format!(
            "第 {} 行：指标“schedule”的 expr引用了未知字段“schedule_done”",
            line_of("id = \"schedule\"")
        )),
        "{all}"
    );
    assert!(
        all.contains("指标“subproject_acceptance”的 expr“subprojects_accepted / / subprojects_total”无法解析"),
        "{all}"
    );
}

fn errors_of(text: &str) -> String {
    let m = Model::parse(text, "broken.toml").unwrap();
    check_model(&m, text, &FieldDict::bundled()).errors.join("\n")
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn every_bundled_model_passes_check() {
    for id in landeval::model::bundled_ids() {
        let (m, text) = Model::load_with_source(id).unwrap();
        let r = check_model(&m, &text, &FieldDict::bundled());
        assert!(r.ok(), "{id}: {:#?}", r.errors);
    }
}

#[test]
fn ahp_matrix_not_reciprocal_is_reported_with_its_line() {
    let (_, text) = Model::load_with_source("academic-ahp-entropy-topsis").unwrap();
    // a_12 = 2 in the process matrix, so a_21 must be 1/2: make it 1/3.
    let broken = text.replacen(
        "  [\"1/2\", 1, 2],\n  [\"1/3\", \"1/2\", 1],",
        "  [\"1/3\", 1, 2],\n  [\"1/3\", \"1/2\", 1],",
        1,
    );
    assert_ne!(broken, text);
    let all = errors_of(&broken);
    let at = line_of(&broken, "level = \"process\"");
    assert!(
        all.contains(&format!(
            "第 {at} 行：判断矩阵“process”第 1 行第 2 列（2）与第 2 行第 1 列（0.3333333333333333）不互为倒数"
        )),
        "{all}"
    );
}

#[test]
fn inconsistent_ahp_matrix_is_refused() {
    let (_, text) = Model::load_with_source("academic-ahp-entropy-topsis").unwrap();
    // A cycle: process ≻ management ≻ result ≻ process, each 5 times.
    let broken = text.replacen(
        "  [1, \"1/2\", \"1/3\"],\n  [2, 1, \"1/2\"],\n  [3, 2, 1],",
        "  [1, 5, \"1/5\"],\n  [\"1/5\", 1, 5],\n  [5, \"1/5\", 1],",
        1,
    );
    assert_ne!(broken, text);
    let all = errors_of(&broken);
    let at = line_of(&broken, "level = \"dimensions\"");
    assert!(
        all.contains(&format!("第 {at} 行：判断矩阵“dimensions”一致性比率 CR = ")),
        "{all}"
    );
    assert!(all.contains("≥ 0.10"), "{all}");
}

#[test]
fn bad_tie_break_piecewise_grade_and_reward_are_reported() {
    let (_, text) = Model::load_with_source("sichuan-2025").unwrap();
    let broken = text
        .replacen("\"dimension:result\"", "\"dimension:outcome\"", 1)
        .replacen("[[0.67, 0.0], [0.8, 0.6], [0.95, 1.0]]", "[[0.8, 0.0], [0.67, 0.6]]", 1)
        .replacen("required_grade = \"良好\"", "required_grade = \"卓越\"", 1)
        .replacen("ranks = [4, 8]", "ranks = [8, 4]", 1);
    let all = errors_of(&broken);
    for needle in [
        "tie_break 规则“dimension:outcome”无效",
        "指标“villager_consent”的 piecewise 各点的 x 应严格递增",
        "required_grade “卓越”不在 [grades] 中",
        "奖励档次 ranks = [8, 4]",
    ] {
        assert!(all.contains(needle), "missing “{needle}” in:\n{all}");
    }
    let at = line_of(&broken, "tie_break");
    assert!(all.contains(&format!("第 {at} 行：tie_break")), "{all}");
}
