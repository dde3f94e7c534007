//! The 问题与建议 section: problems found across the cohort, each with the
//! projects concerned, and the recommendations they call for. Everything is
//! built from the evaluation (vetoes by red line, red lines left unchecked,
//! the most frequent obstacle indicators, missing data, data-quality
//! problems by kind, deductions, self-assessments far above the evaluation);
//! a kind of problem that did not occur is not mentioned.

use super::quality::{FindingGroup, groups};
use crate::model::{Indicator, Model, Veto};
use crate::report::ReportInput;
use crate::report::fields::{FieldTable, input_fields};
use crate::report::text::{fmt_num, fmt2, vocab};
use crate::score::{ProjectScore, Status, VetoStatus, expr};
use serde::Serialize;
use std::collections::HashSet;

/// Obstacles of each project counted (its largest first).
pub const TOP_OBSTACLES: usize = 3;
/// Obstacle indicators listed as common weaknesses.
pub const FREQUENT_OBSTACLES: usize = 3;
/// Project names listed per line before `等 N 个项目`.
pub const NAMES_LISTED: usize = 8;
/// Self-assessed minus evaluated total that is reported (one grade band).
pub const SELF_GAP: f64 = 10.0;

/// The section: problems, then recommendations.
#[derive(Serialize)]
pub struct Problems {
    pub problems: Vec<Problem>,
    pub advice: Vec<Advice>,
}

/// One problem found across the cohort.
#[derive(Serialize)]
pub struct Problem {
    /// Short heading, e.g. `触碰法定红线`.
    pub title: String,
    /// What was found, with the counts, in a sentence.
    pub finding: String,
    /// One line per red line, indicator, field or kind, with its projects.
    pub lines: Vec<ProblemLine>,
}

/// One line of a problem: what, in more detail, and the projects concerned.
#[derive(Serialize)]
pub struct ProblemLine {
    /// e.g. `新增耕地未实测（2 个）`.
    pub label: String,
    /// More about it (missing fields, the first finding's message), empty when the label says all.
    pub detail: String,
    /// Project names, `、`-joined, at most [`NAMES_LISTED`] then `等 N 个项目`; empty when none is named.
    pub projects: String,
}

/// One recommendation.
#[derive(Serialize)]
pub struct Advice {
    pub title: String,
    pub text: String,
}

/// A problem and the recommendation it calls for.
type Finding = (Problem, Advice);

/// Build the section.
pub fn build(input: &ReportInput) -> Problems {
    let table = FieldTable::new(input.fields);
    let found: Vec<Finding> = [
        vetoes(input),
        unchecked_red_lines(input, &table),
        obstacles(input),
        missing_data(input, &table),
        data_quality(input),
        deductions(input),
        self_assessment(input),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (problems, advice) = found.into_iter().unzip();
    Problems { problems, advice }
}

/// Names of the projects, at most [`NAMES_LISTED`].
fn names(projects: &[&ProjectScore]) -> String {
    listed(projects.iter().map(|p| p.name.clone()))
}

/// At most [`NAMES_LISTED`] items, `、`-joined, then `等 N 个项目`.
fn listed(items: impl ExactSizeIterator<Item = String>) -> String {
    let n = items.len();
    let mut text = items.take(NAMES_LISTED).collect::<Vec<_>>().join("、");
    if n > NAMES_LISTED {
        text.push_str(&format!(" 等 {n} 个项目"));
    }
    text
}

/// The distinct counties of the projects, `、`-joined in order of appearance.
fn counties<'a>(projects: impl IntoIterator<Item = &'a ProjectScore>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in projects {
        if !out.contains(&p.county.as_str()) {
            out.push(&p.county);
        }
    }
    out.join("、")
}

/// Distinct projects of several lists, in order.
fn union<'a, 'b>(lists: impl IntoIterator<Item = &'b [&'a ProjectScore]>) -> Vec<&'a ProjectScore>
where
    'a: 'b,
{
    let mut out: Vec<&ProjectScore> = Vec::new();
    for p in lists.into_iter().flatten() {
        if !out.iter().any(|q| q.id == p.id) {
            out.push(p);
        }
    }
    out
}

/// A line of a problem and the projects it concerns, while the problem is built.
struct Concern<'a> {
    line: ProblemLine,
    projects: Vec<&'a ProjectScore>,
}

impl<'a> Concern<'a> {
    fn new(label: String, detail: String, projects: Vec<&'a ProjectScore>) -> Self {
        let line = ProblemLine {
            label,
            detail,
            projects: names(&projects),
        };
        Self { line, projects }
    }
}

/// The distinct projects of the concerns, in order.
fn concerned<'a>(concerns: &[Concern<'a>]) -> Vec<&'a ProjectScore> {
    union(concerns.iter().map(|c| c.projects.as_slice()))
}

fn lines(concerns: Vec<Concern>) -> Vec<ProblemLine> {
    concerns.into_iter().map(|c| c.line).collect()
}

/// Each red line of the model that some projects' checks gave `status`, with those projects.
fn red_lines_with<'a>(input: &'a ReportInput, status: VetoStatus) -> Vec<(&'a Veto, Vec<&'a ProjectScore>)> {
    input
        .model
        .vetoes
        .iter()
        .enumerate()
        .map(|(k, rule)| {
            let ps: Vec<&ProjectScore> = input
                .eval
                .projects
                .iter()
                .filter(|p| p.vetoes.get(k).is_some_and(|v| v.status == status))
                .collect();
            (rule, ps)
        })
        .filter(|(_, ps)| !ps.is_empty())
        .collect()
}

/// `红线（N 个）` with its projects.
fn red_line_concern<'a>(rule: &Veto, projects: Vec<&'a ProjectScore>) -> Concern<'a> {
    Concern::new(
        format!("{}（{} 个）", rule.name, projects.len()),
        String::new(),
        projects,
    )
}

fn vetoes(input: &ReportInput) -> Option<Finding> {
    let breached = red_lines_with(input, VetoStatus::Breached);
    if breached.is_empty() {
        return None;
    }
    let rules: Vec<String> = breached
        .iter()
        .map(|(v, ps)| format!("“{}”（{}）——{}", v.name, counties(ps.iter().copied()), v.basis))
        .collect();
    let concerns: Vec<Concern> = breached.into_iter().map(|(v, ps)| red_line_concern(v, ps)).collect();
    let all = concerned(&concerns);
    let problem = Problem {
        title: "触碰法定红线".into(),
        finding: format!(
            "{} 个项目触碰法定红线，实行一票否决，等级为不合格，不参加排名和示范遴选；其计算得分不计入本报告的统计。",
            all.len()
        ),
        lines: lines(concerns),
    };
    let advice = Advice {
        title: "限期整改红线问题".into(),
        text: format!(
            "责成有关县（市、区）对触碰红线的 {} 个项目按规定整改：{}。整改到位并经复核前，项目不得评为合格，也不得申报示范样板。",
            all.len(),
            rules.join("；")
        ),
    };
    Some((problem, advice))
}

/// Labels of the input fields behind `fields` that `project` left blank.
fn blank_inputs(input: &ReportInput, table: &FieldTable, project: &str, fields: Vec<String>) -> Vec<String> {
    input_fields(input.dict, fields)
        .into_iter()
        .filter(|f| table.get(project, f).is_none())
        .collect()
}

/// `字段（工作表）、…` for field ids.
fn field_list(input: &ReportInput, fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            let name = input.dict.label(f).unwrap_or(f);
            let sheet = input
                .dict
                .field(f)
                .and_then(|d| input.dict.sheet(&d.sheet))
                .map(|s| s.name.as_str());
            match sheet {
                Some(s) => format!("{name}（{s}）"),
                None => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn push_new(out: &mut Vec<String>, items: Vec<String>) {
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
}

fn unchecked_red_lines(input: &ReportInput, table: &FieldTable) -> Option<Finding> {
    let unknown = red_lines_with(input, VetoStatus::Unknown);
    if unknown.is_empty() {
        return None;
    }
    let mut fields: Vec<String> = Vec::new();
    for (rule, ps) in &unknown {
        let read = expr::parse(&rule.when).map(|e| expr::fields_of(&e)).unwrap_or_default();
        for p in ps {
            push_new(
                &mut fields,
                blank_inputs(input, table, &p.id, read.iter().cloned().collect()),
            );
        }
    }
    let concerns: Vec<Concern> = unknown.into_iter().map(|(v, ps)| red_line_concern(v, ps)).collect();
    let all = concerned(&concerns);
    let problem = Problem {
        title: "红线无法核查".into(),
        finding: format!(
            "{} 个项目缺少核查红线所需的数据，红线状态为待核实：补齐数据并核查之前，不能确认这些项目未触碰红线。",
            all.len()
        ),
        lines: lines(concerns),
    };
    let advice = Advice {
        title: "补报红线核查数据".into(),
        text: format!(
            "请{}补报{}，重新核查红线后再确认上述 {} 个项目的等级和遴选结果。",
            counties(all.iter().copied()),
            if fields.is_empty() {
                "红线核查所需的数据".to_string()
            } else {
                field_list(input, &fields)
            },
            all.len()
        ),
    };
    Some((problem, advice))
}

/// An indicator that is among the largest obstacles of several eligible projects.
struct Weakness<'a> {
    indicator: &'a Indicator,
    projects: Vec<&'a ProjectScore>,
    /// Points lost on it, summed over `projects`.
    lost: f64,
}

/// The indicators most often among the eligible projects' largest obstacles,
/// most projects first (then most points lost).
fn weaknesses<'a>(model: &'a Model, projects: &'a [ProjectScore]) -> Vec<Weakness<'a>> {
    let mut found: Vec<Weakness<'a>> = Vec::new();
    for p in projects.iter().filter(|p| !p.vetoed) {
        for o in p.obstacles.iter().take(TOP_OBSTACLES) {
            let Some(ind) = model.indicators.iter().find(|i| i.id == o.id) else {
                continue;
            };
            match found.iter_mut().find(|w| w.indicator.id == o.id) {
                Some(w) => {
                    w.projects.push(p);
                    w.lost += o.lost;
                }
                None => found.push(Weakness {
                    indicator: ind,
                    projects: vec![p],
                    lost: o.lost,
                }),
            }
        }
    }
    found.sort_by(|a, b| b.projects.len().cmp(&a.projects.len()).then(b.lost.total_cmp(&a.lost)));
    found.truncate(FREQUENT_OBSTACLES);
    found
}

fn obstacles(input: &ReportInput) -> Option<Finding> {
    let projects = &input.eval.projects;
    let eligible = projects.iter().filter(|p| !p.vetoed).count();
    let found = weaknesses(input.model, projects);
    if found.is_empty() {
        return None;
    }
    let mean_lost = |w: &Weakness| w.lost / w.projects.len() as f64;
    let summary: Vec<String> = found
        .iter()
        .map(|w| {
            format!(
                "“{}”（{} 个项目，平均失分 {} 分）",
                w.indicator.name,
                w.projects.len(),
                fmt2(mean_lost(w))
            )
        })
        .collect();
    let problem = Problem {
        title: "共性短板指标".into(),
        finding: format!(
            "未否决的 {eligible} 个项目中，列各项目前 {TOP_OBSTACLES} 位障碍因素（失分最多）次数最多的指标是{}。",
            summary.join("、")
        ),
        lines: found
            .iter()
            .map(|w| ProblemLine {
                label: format!(
                    "{}（{} 个项目，平均失分 {} 分）",
                    w.indicator.name,
                    w.projects.len(),
                    fmt2(mean_lost(w))
                ),
                detail: String::new(),
                projects: names(&w.projects),
            })
            .collect(),
    };
    let concerned = union(found.iter().map(|w| w.projects.as_slice())).len();
    let rules: Vec<String> = found
        .iter()
        .map(|w| {
            let points = input.eval.method.indicator_points(input.model, &w.indicator.id);
            format!("{}：{}", w.indicator.name, vocab::scale_rule(w.indicator, points))
        })
        .collect();
    let advice = Advice {
        title: "补齐共性短板".into(),
        text: format!(
            "{}在 {} 个项目中失分集中，建议在实施方案编制和实施中对照评分规则设定目标、加强技术指导：{}。",
            found
                .iter()
                .map(|w| format!("“{}”", w.indicator.name))
                .collect::<Vec<_>>()
                .join("、"),
            concerned,
            rules.join("；")
        ),
    };
    Some((problem, advice))
}

fn is_missing(s: Status) -> bool {
    matches!(s, Status::MissingZero | Status::MissingExcluded | Status::MissingError)
}

fn missing_data(input: &ReportInput, table: &FieldTable) -> Option<Finding> {
    let projects = &input.eval.projects;
    let mut fields: Vec<String> = Vec::new();
    let mut concerns: Vec<Concern> = Vec::new();
    for (k, ind) in input.model.indicators.iter().enumerate() {
        let ps: Vec<&ProjectScore> = projects
            .iter()
            .filter(|p| p.indicators.get(k).is_some_and(|s| is_missing(s.status)))
            .collect();
        let Some(first) = ps.first() else { continue };
        let mut blank: Vec<String> = Vec::new();
        for p in &ps {
            if let Some(s) = p.indicators.get(k) {
                push_new(&mut blank, blank_inputs(input, table, &p.id, s.missing_fields.clone()));
            }
        }
        let status = first.indicators.get(k).map_or("", |s| vocab::status_label(s.status));
        let detail = if blank.is_empty() {
            "取值无法计算（如除数为 0）".to_string()
        } else {
            format!("缺少{}", field_list(input, &blank))
        };
        push_new(&mut fields, blank);
        concerns.push(Concern::new(
            format!("{}（{status}，{} 个）", ind.name, ps.len()),
            detail,
            ps,
        ));
    }
    if concerns.is_empty() {
        return None;
    }
    let all = concerned(&concerns);
    let problem = Problem {
        title: "数据缺失".into(),
        finding: format!(
            "{} 个项目有指标因数据缺失未能正常计分（按模型规定计 0 分或不计分），数据质量附录列出了缺失的项目和指标。",
            all.len()
        ),
        lines: lines(concerns),
    };
    let advice = Advice {
        title: "补齐缺失数据".into(),
        text: format!(
            "请{}补齐{}；缺失数据不作推算，补齐并复核后可重新评估。",
            counties(all.iter().copied()),
            if fields.is_empty() {
                "相关指标所需的数据".to_string()
            } else {
                field_list(input, &fields)
            }
        ),
    };
    Some((problem, advice))
}

/// The projects a group of findings names (by project id in the message or as raw content).
fn named_projects<'a>(projects: &'a [ProjectScore], group: &FindingGroup) -> Vec<&'a ProjectScore> {
    projects.iter().filter(|p| group.ids.contains(&p.id)).collect()
}

fn data_quality(input: &ReportInput) -> Option<Finding> {
    // Missing indicator values and unchecked red lines are reported above.
    let score_issues: HashSet<String> = input
        .eval
        .issues
        .iter()
        .map(|i| vocab::issue_finding(i, input.model, input.dict, &input.dataset.origins).message)
        .collect();
    let ids: Vec<&str> = input.eval.projects.iter().map(|p| p.id.as_str()).collect();
    let serious = input
        .log
        .sorted()
        .into_iter()
        .filter(|f| f.severity != crate::ingest::Severity::Info)
        .filter(|f| !score_issues.contains(&f.message));
    let found = groups(serious, &ids);
    if found.is_empty() {
        return None;
    }
    let count = |sev: &str| {
        found
            .iter()
            .filter(|g| g.severity == sev)
            .map(|g| g.count)
            .sum::<usize>()
    };
    let concerns: Vec<Concern> = found
        .iter()
        .map(|g| {
            let named = named_projects(&input.eval.projects, g);
            let detail = if named.is_empty() {
                format!("{}（{}）", g.message, g.places)
            } else {
                g.message.clone()
            };
            Concern::new(format!("{}（{} {} 条）", g.sheet, g.severity, g.count), detail, named)
        })
        .collect();
    let all = concerned(&concerns);
    let problem = Problem {
        title: "数据质量问题".into(),
        finding: format!(
            "报送数据中有错误 {} 条、警告 {} 条（不含上述数据缺失），分 {} 类，每类举首条为例：",
            count("错误"),
            count("警告"),
            found.len()
        ),
        lines: lines(concerns),
    };
    let whom = if all.is_empty() {
        "有关县（市、区）".to_string()
    } else {
        counties(all.iter().copied())
    };
    let advice = Advice {
        title: "报送前自查数据".into(),
        text: format!(
            "建议{whom}在报送前用 landeval validate 自查，按数据质量表（评估结果.xlsx 的“数据质量”工作表）逐条核实上述 {} 条问题，更正后重新报送。",
            count("错误") + count("警告")
        ),
    };
    Some((problem, advice))
}

fn deductions(input: &ReportInput) -> Option<Finding> {
    let projects = &input.eval.projects;
    let mut kinds: Vec<String> = Vec::new();
    let mut concerns: Vec<Concern> = Vec::new();
    for a in input.model.adjustments.iter().filter(|a| a.points < 0.0) {
        let hits: Vec<(&ProjectScore, f64)> = projects
            .iter()
            .filter_map(|p| p.adjustments.iter().find(|h| h.id == a.id).map(|h| (p, h.points)))
            .filter(|(_, pts)| *pts != 0.0)
            .collect();
        if hits.is_empty() {
            continue;
        }
        let ps: Vec<&ProjectScore> = hits.iter().map(|x| x.0).collect();
        let total: f64 = hits.iter().map(|x| x.1.abs()).sum();
        kinds.push(format!("“{}”（{} 个）", a.name, ps.len()));
        let label = format!("{}（{} 个项目，共扣 {} 分）", a.name, ps.len(), fmt_num(total, 2));
        concerns.push(Concern::new(label, a.basis.clone(), ps));
    }
    if concerns.is_empty() {
        return None;
    }
    let all = concerned(&concerns);
    let problem = Problem {
        title: "扣分事项".into(),
        finding: format!("{} 个项目因下列事项被扣分（按各事项自身的上限计）：", all.len()),
        lines: lines(concerns),
    };
    let advice = Advice {
        title: "跟踪问题整改".into(),
        text: format!(
            "对被扣分的 {} 个项目（涉及{}），跟踪{}所涉问题的整改落实，整改情况纳入下一年度评估。",
            all.len(),
            counties(all.iter().copied()),
            kinds.join("、")
        ),
    };
    Some((problem, advice))
}

fn self_assessment(input: &ReportInput) -> Option<Finding> {
    let given: Vec<(&ProjectScore, f64)> = input
        .eval
        .projects
        .iter()
        .filter(|p| !p.vetoed)
        .filter_map(|p| Some((p, p.self_score?)))
        .collect();
    let far: Vec<(&ProjectScore, f64)> = given.iter().filter(|(p, s)| s - p.total >= SELF_GAP).copied().collect();
    if far.is_empty() {
        return None;
    }
    let ps: Vec<&ProjectScore> = far.iter().map(|x| x.0).collect();
    let problem = Problem {
        title: "县级自评偏高".into(),
        finding: format!(
            "填报了自评总分的 {} 个未否决项目中，{} 个自评比评估得分高出 {} 分（一个等级的分差）以上：",
            given.len(),
            far.len(),
            fmt_num(SELF_GAP, 2)
        ),
        lines: vec![ProblemLine {
            label: format!("自评高出评估得分 {} 分以上（{} 个）", fmt_num(SELF_GAP, 2), far.len()),
            detail: String::new(),
            projects: listed(
                far.iter()
                    .map(|(p, s)| format!("{}（自评 {}，评估 {}）", p.name, fmt2(*s), fmt2(p.total))),
            ),
        }],
    };
    let advice = Advice {
        title: "规范县级自评".into(),
        text: format!(
            "建议{}严格对照评分规则逐项自评并附佐证材料；省级复核时重点核查上述 {} 个项目的自评依据。",
            counties(ps.iter().copied()),
            ps.len()
        ),
    };
    Some((problem, advice))
}
