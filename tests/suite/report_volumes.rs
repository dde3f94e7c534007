//! The committee report in volumes: the main volume without scorecards and
//! one scorecard annex per city, each card in its city's annex (issue 14).

use crate::common;
use landeval::pipeline::Run;
use landeval::report::RenderOptions;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| common::evaluate(&common::fixture_sources(), "national-2025"))
}

#[test]
fn one_annex_per_city_holds_exactly_that_citys_cards() {
    let dir = common::scratch("volumes");
    // An annex left by an earlier run for a city no longer in the data.
    std::fs::write(dir.join("评估报告-评分卡-已撤并市.pdf"), "old").unwrap();
    let w = landeval::pipeline::write_committee(run(), &dir, &RenderOptions::default()).unwrap();
    let cities: BTreeSet<&str> = run().eval.projects.iter().map(|p| p.city.as_str()).collect();
    let files: BTreeSet<String> = w
        .annexes
        .iter()
        .map(|v| v.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = cities.iter().map(|c| format!("评估报告-评分卡-{c}.pdf")).collect();
    assert_eq!(files, expected);
    assert!(!dir.join("评估报告-评分卡-已撤并市.pdf").exists(), "stale annex kept");

    let main = std::fs::read(&w.pdf).unwrap();
    assert!(
        !common::pdf_has_text(&main, "项目编号："),
        "a scorecard in the main volume"
    );
    for v in &w.annexes {
        let pdf = std::fs::read(&v.path).unwrap();
        let name = v.path.file_name().unwrap().to_string_lossy().into_owned();
        let city = name.trim_start_matches("评估报告-评分卡-").trim_end_matches(".pdf");
        let own: Vec<_> = run().eval.projects.iter().filter(|p| p.city == city).collect();
        // Cover, contents page and one page per card.
        assert_eq!(v.pages, own.len() + 2, "{name}");
        for p in &run().eval.projects {
            assert_eq!(common::pdf_has_text(&pdf, &p.id), p.city == city, "{} in {name}", p.id);
        }
    }
    assert_eq!(
        w.total_pages(),
        w.pages + run().eval.projects.len() + 2 * w.annexes.len()
    );
}
