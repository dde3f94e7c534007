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
