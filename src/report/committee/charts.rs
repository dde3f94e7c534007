//! The committee report's charts: stacked totals, distribution, the four
//! headline effects before and after, rank intervals of the candidates.

use super::view::{breached_names, robust_candidates};
use crate::model::{Aggregation, Model};
use crate::report::ReportInput;
use crate::report::engine::{VirtualFile, charts};
use crate::report::fields::FieldTable;
use crate::score::ProjectScore;
use anyhow::Result;

/// Projects per stacked score chart (one chart fits on a page).
const BARS_PER_CHART: usize = 40;

/// Every chart of the report as a virtual file; the stacked score charts
/// come first, their paths returned separately for the view.
pub fn files(input: &ReportInput) -> Result<(Vec<String>, Vec<VirtualFile>)> {
    let scores = score_charts(input)?;
    let paths: Vec<String> = (0..scores.len()).map(|i| format!("/charts/scores-{i}.svg")).collect();
    let mut files: Vec<VirtualFile> = paths
        .iter()
        .zip(scores)
        .map(|(p, svg)| VirtualFile::new(p.clone(), svg))
        .collect();
    let projects = &input.eval.projects;
    let eligible: Vec<f64> = projects.iter().filter(|p| !p.vetoed).map(|p| p.total).collect();
    files.push(VirtualFile::new(
        "/charts/distribution.svg",
        charts::histogram(&eligible, projects.len() - eligible.len())?,
    ));
    files.push(VirtualFile::new(
        "/charts/effects.svg",
        charts::before_after(&headline_effects(input))?,
    ));
    files.push(VirtualFile::new(
        "/charts/rank-intervals.svg",
        charts::rank_intervals(&rank_intervals(input))?,
    ));
    Ok((paths, files))
}

/// The four headline effects before and after, over the eligible (not vetoed)
/// projects that give both values: farmland patches and contiguous fields
/// (sums), village land per capita (mean), GEP (sum).
pub fn headline_effects(input: &ReportInput) -> Vec<charts::BeforeAfter> {
    let table = FieldTable::new(input.fields);
    let specs: [(&str, &str, &str, bool); 4] = [
        (
            "耕地图斑数（个）",
            "farmland_patches_before",
            "farmland_patches_after",
            false,
        ),
        ("集中连片田块（个）", "fields_100mu_before", "fields_100mu_after", false),
        (
            "人均村庄建设用地（m²）",
            "village_land_pc_before",
            "village_land_pc_after",
            true,
        ),
        ("GEP（亿元）", "gep_before", "gep_after", false),
    ];
    specs
        .iter()
        .filter_map(|(title, b, a, mean)| {
            let pairs: Vec<(f64, f64)> = input
                .eval
                .projects
                .iter()
                .filter(|p| !p.vetoed)
                .filter_map(|p| Some((table.num(&p.id, b)?, table.num(&p.id, a)?)))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let k = if *mean { pairs.len() as f64 } else { 1.0 };
            Some(charts::BeforeAfter {
                title: title.to_string(),
                before: pairs.iter().map(|x| x.0).sum::<f64>() / k,
                after: pairs.iter().map(|x| x.1).sum::<f64>() / k,
            })
        })
        .collect()
}

/// Rank intervals of the robustness table's candidates, for the error-bar chart.
fn rank_intervals(input: &ReportInput) -> Vec<charts::RankInterval> {
    robust_candidates(&input.eval.projects)
        .into_iter()
        .filter_map(|p| {
            let r = p.robustness.as_ref()?;
            Some(charts::RankInterval {
                label: p.name.clone(),
                rank: p.rank?,
                median: r.median_rank,
                low: r.rank_p05,
                high: r.rank_p95,
            })
        })
        .collect()
}

/// Dimension points for a stacked bar. Under geometric or TOPSIS aggregation
/// they are shares of the indicator total in proportion to each dimension's
/// points earned (points × score rate), so the bar ends at the total.
fn dimension_parts(model: &Model, p: &ProjectScore) -> Vec<f64> {
    let earned: Vec<f64> = p.dimensions.iter().map(|d| d.earned).collect();
    let sum: f64 = earned.iter().sum();
    if model.model.aggregation == Aggregation::Sum || sum <= 0.0 {
        return earned;
    }
    earned.iter().map(|e| e / sum * p.indicator_total).collect()
}

fn score_charts(input: &ReportInput) -> Result<Vec<String>> {
    let bars: Vec<charts::ScoreBar> = input
        .eval
        .projects
        .iter()
        .map(|p| charts::ScoreBar {
            label: match p.rank {
                Some(r) => format!("{r} {}", p.name),
                None => format!("否决 {}", p.name),
            },
            parts: dimension_parts(input.model, p),
            total: p.total,
            vetoed: p.vetoed,
            note: if p.vetoed {
                format!("一票否决：{}", breached_names(input.model, p).join("、"))
            } else {
                String::new()
            },
        })
        .collect();
    let dims: Vec<String> = input.model.dimensions.iter().map(|d| d.name.clone()).collect();
    if bars.is_empty() {
        return Ok(vec![charts::score_bars(&[], &dims)?]);
    }
    bars.chunks(BARS_PER_CHART)
        .map(|chunk| charts::score_bars(chunk, &dims))
        .collect()
}
