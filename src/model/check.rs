//! `landeval model check`: validate a model against the field dictionary.

use super::ahp::{CR_LIMIT, ahp, non_reciprocal};
use super::{Model, Scale, WeightMethod};
use crate::fields::FieldDict;
use crate::score::expr;
use polars::prelude::{Column, DataFrame, DataType, NamedFrom, Series};
use serde::Serialize;

/// Problems found in a model, each with the line it concerns.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Line (1-based) of `id = "x"` in the model text, for messages.
fn line_of(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| l.trim_start().starts_with("id") && l.contains(&needle))
        .map_or(0, |i| i + 1)
}

/// Check a parsed model; `text` is its source for line numbers.
pub fn check_model(model: &Model, text: &str, dict: &FieldDict) -> CheckReport {
    let mut r = CheckReport::default();
    let cx = ExprCheck {
        dict,
        sample: sample_table(model, dict),
    };
    check_finite(&mut r, model, text);
    let at = |id: &str| format!("第 {} 行", line_of(text, id));
    let total = model.total_points();
    if (total - 100.0).abs() > 1e-6 {
        r.errors.push(format!("全部指标分值合计为 {total}，应为 100"));
    }
    let mut ids = std::collections::BTreeSet::new();
    for i in &model.indicators {
        if !ids.insert(i.id.as_str()) {
            r.errors.push(format!("{}：指标 id “{}”重复", at(&i.id), i.id));
        }
        if !model.dimensions.iter().any(|d| d.id == i.dimension) {
            r.errors
                .push(format!("{}：指标“{}”的维度“{}”未定义", at(&i.id), i.id, i.dimension));
        }
        if i.points <= 0.0 {
            r.errors.push(format!("{}：指标“{}”的分值应大于 0", at(&i.id), i.id));
        }
        check_expr(
            &mut r,
            &cx,
            &at(&i.id),
            &format!("指标“{}”的 expr", i.id),
            &i.expr,
            false,
        );
        if let Some(a) = &i.applies {
            check_expr(&mut r, &cx, &at(&i.id), &format!("指标“{}”的 applies", i.id), a, true);
        }
        check_scale(&mut r, &cx, &at(&i.id), &i.id, &i.scale);
    }
    for d in &model.dimensions {
        if model.dimension_points(&d.id) == 0.0 {
            r.warnings.push(format!("{}：维度“{}”没有指标", at(&d.id), d.id));
        }
    }
    for v in &model.vetoes {
        let place = v.shared.map_or_else(|| at(&v.id), |s| s.label().to_string());
        check_expr(&mut r, &cx, &place, &format!("否决项“{}”的 when", v.id), &v.when, true);
    }
    check_redlines(&mut r, model, text);
    for a in &model.adjustments {
        check_expr(
            &mut r,
            &cx,
            &at(&a.id),
            &format!("加减分项“{}”的 when", a.id),
            &a.when,
            true,
        );
        if let Some(p) = &a.per {
            check_expr(&mut r, &cx, &at(&a.id), &format!("加减分项“{}”的 per", a.id), p, false);
        }
    }
    if model.grades.is_empty() {
        r.errors.push("[grades] 至少应有一个等级".into());
    }
    if let Some(s) = &model.selection
        && s.count == 0
    {
        r.errors.push("[selection] count 应大于 0".into());
    }
    for t in &model.targets {
        check_expr(
            &mut r,
            &cx,
            &at(&t.id),
            &format!("目标“{}”的 expr", t.id),
            &t.expr,
            false,
        );
        if t.goal <= 0.0 {
            r.errors.push(format!("{}：目标“{}”的 goal 应大于 0", at(&t.id), t.id));
        }
    }
    check_selection(&mut r, model, text);
    check_tie_break(&mut r, model, text);
    check_weights(&mut r, model, text);
    if !(0.0..1.0).contains(&model.robustness.weight_jitter) {
        r.errors.push(format!(
            "{}：[robustness] weight_jitter 应在 0–1 之间",
            at_key(text, "weight_jitter")
        ));
    }
    r
}

/// Numbers of the model that must be finite (a model built in code can
/// hold NaN; a model file cannot, see [`super::load`]).
fn check_finite(r: &mut CheckReport, model: &Model, text: &str) {
    let mut bad = |at: String, what: String, x: f64| {
        if !x.is_finite() {
            r.errors.push(format!("{at}：{what}为 {x}，不是有限的数"));
        }
    };
    let m = &model.model;
    for (key, x) in [
        ("bonus_cap", m.bonus_cap),
        ("deduction_cap", m.deduction_cap),
        ("geometric_floor", m.geometric_floor),
    ] {
        bad(at_key(text, key), key.to_string(), x);
    }
    for i in &model.indicators {
        let at = format!("第 {} 行", line_of(text, &i.id));
        bad(at.clone(), format!("指标“{}”的分值", i.id), i.points);
        let params: Vec<f64> = match &i.scale {
            Scale::Plan { cap, .. } => vec![*cap],
            Scale::Target { floor, target } => vec![*floor, *target],
            Scale::Steps { steps, .. } => steps.iter().flat_map(|s| [s.at, s.value]).collect(),
            Scale::Piecewise { points } => points.iter().flatten().copied().collect(),
            _ => Vec::new(),
        };
        for x in params {
            bad(at.clone(), format!("指标“{}”的换算参数", i.id), x);
        }
    }
    for a in &model.adjustments {
        let at = format!("第 {} 行", line_of(text, &a.id));
        bad(at.clone(), format!("加减分项“{}”的分值", a.id), a.points);
        if let Some(x) = a.max {
            bad(at, format!("加减分项“{}”的上限", a.id), x);
        }
    }
    for (g, x) in &model.grades {
        bad(at_key(text, &format!("\"{g}\"")), format!("等级“{g}”的分数线"), *x);
    }
    for t in &model.targets {
        bad(
            format!("第 {} 行", line_of(text, &t.id)),
            format!("目标“{}”的 goal", t.id),
            t.goal,
        );
    }
    if let Some(s) = &model.selection {
        bad(at_key(text, "min_score"), "min_score".into(), s.min_score);
    }
    bad(
        at_key(text, "weight_jitter"),
        "weight_jitter".into(),
        model.robustness.weight_jitter,
    );
}

/// A model that selects or rewards must check every red line of the
/// shared set: warn for each one it drops, and for each one it defers when
/// it selects among accepted projects or hands out money (the outcome
/// exists then, so nothing is left to defer).
fn check_redlines(r: &mut CheckReport, model: &Model, text: &str) {
    let selects = model.selection.is_some() || !model.rewards.is_empty();
    if !selects {
        return;
    }
    let what = if model.rewards.is_empty() {
        "遴选示范项目"
    } else {
        "遴选并奖补"
    };
    for d in &model.dropped_redlines {
        r.warnings.push(format!(
            "{}：本模型{what}，但去掉了{}的“{}”（理由：{}）；触碰该红线的项目可能入选，请确认理由成立",
            at_key(text, "[[redline_drop]]"),
            model.model.redlines.label(),
            d.name,
            d.reason
        ));
    }
    let after_acceptance = model.selection.as_ref().is_some_and(|s| s.accepted_only) || !model.rewards.is_empty();
    for v in model.vetoes.iter().filter(|v| v.deferred.is_some()) {
        if after_acceptance {
            r.warnings.push(format!(
                "{}：本模型在整体验收后{what}，但推迟核查红线“{}”；整治结果已经存在，数据缺失时应按“待核实”处理",
                at_key(text, "[[redline_defer]]"),
                v.name
            ));
        }
    }
}

/// Line (1-based) of the first line starting with `key`, as a message prefix.
fn at_key(text: &str, key: &str) -> String {
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(0, |i| i + 1);
    format!("第 {line} 行")
}

fn check_selection(r: &mut CheckReport, model: &Model, text: &str) {
    if let Some(s) = &model.selection {
        if let Some(g) = &s.required_grade
            && !model.grades.contains_key(g)
        {
            r.errors.push(format!(
                "{}：required_grade “{g}”不在 [grades] 中",
                at_key(text, "required_grade")
            ));
        }
        if s.county_reward_cap.is_some_and(|c| c <= 0.0) {
            r.errors.push(format!(
                "{}：county_reward_cap 应大于 0（万元）",
                at_key(text, "county_reward_cap")
            ));
        }
    }
    for w in &model.rewards {
        if w.ranks[0] == 0 || w.ranks[0] > w.ranks[1] || w.amount < 0.0 {
            r.errors.push(format!(
                "{}：奖励档次 ranks = [{}, {}]、amount = {} 无效（名次从 1 起、由小到大，金额不小于 0）",
                at_key(text, "ranks"),
                w.ranks[0],
                w.ranks[1],
                w.amount
            ));
        }
    }
}

fn check_tie_break(r: &mut CheckReport, model: &Model, text: &str) {
    for key in &model.model.tie_break {
        let ok = match key.split_once(':') {
            Some(("dimension", d)) => model.dimensions.iter().any(|x| x.id == d),
            Some(("indicator", i)) => model.indicators.iter().any(|x| x.id == i),
            _ => matches!(key.as_str(), "fewer_deductions" | "more_bonus" | "project_id"),
        };
        if !ok {
            r.errors.push(format!(
                "{}：tie_break 规则“{key}”无效（可用 dimension:维度、indicator:指标、fewer_deductions、more_bonus、project_id）",
                at_key(text, "tie_break")
            ));
        }
    }
}

/// Line of `level = "x"` of an AHP matrix.
fn at_level(text: &str, level: &str) -> String {
    let needle = format!("\"{level}\"");
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("level") && l.contains(&needle))
        .map_or(0, |i| i + 1);
    format!("第 {line} 行")
}

fn check_weights(r: &mut CheckReport, model: &Model, text: &str) {
    let Some(w) = &model.weights else { return };
    if w.alpha.is_some_and(|a| !(0.0..=1.0).contains(&a)) {
        r.errors.push(format!("{}：alpha 应在 0–1 之间", at_key(text, "alpha")));
    }
    if w.objective
        .is_some_and(|o| !matches!(o, WeightMethod::Entropy | WeightMethod::Critic))
    {
        r.errors.push(format!(
            "{}：objective 只能是 entropy 或 critic",
            at_key(text, "objective")
        ));
    }
    if w.method == WeightMethod::Ahp && w.ahp.is_empty() {
        r.errors
            .push("[weights] method = \"ahp\" 但没有给出判断矩阵 [[weights.ahp]]".into());
    }
    for m in &w.ahp {
        let at = at_level(text, &m.level);
        let known: Vec<&str> = if m.level == "dimensions" {
            model.dimensions.iter().map(|d| d.id.as_str()).collect()
        } else if model.dimensions.iter().any(|d| d.id == m.level) {
            model
                .indicators
                .iter()
                .filter(|i| i.dimension == m.level)
                .map(|i| i.id.as_str())
                .collect()
        } else {
            r.errors.push(format!(
                "{at}：判断矩阵的 level “{}”既不是 dimensions 也不是维度 id",
                m.level
            ));
            continue;
        };
        for it in &m.items {
            if !known.contains(&it.as_str()) {
                r.errors
                    .push(format!("{at}：判断矩阵“{}”的项目“{it}”不属于该层级", m.level));
            }
        }
        for k in &known {
            if !m.items.iter().any(|x| x == k) {
                r.errors.push(format!("{at}：判断矩阵“{}”缺少“{k}”", m.level));
            }
        }
        let a = match m.values() {
            Ok(a) => a,
            Err(e) => {
                r.errors.push(format!("{at}：判断矩阵“{}”：{e}", m.level));
                continue;
            }
        };
        if a.len() != m.items.len() || a.iter().any(|row| row.len() != m.items.len()) {
            r.errors.push(format!(
                "{at}：判断矩阵“{}”应为 {n}×{n} 方阵",
                m.level,
                n = m.items.len()
            ));
            continue;
        }
        for (i, j) in non_reciprocal(&a) {
            let what = if i == j {
                "对角线元素应为 1".to_string()
            } else {
                format!(
                    "第 {} 行第 {} 列（{}）与第 {} 行第 {} 列（{}）不互为倒数",
                    i + 1,
                    j + 1,
                    a[i][j],
                    j + 1,
                    i + 1,
                    a[j][i]
                )
            };
            r.errors.push(format!("{at}：判断矩阵“{}”{what}", m.level));
        }
        if let Ok(res) = ahp(&a)
            && res.cr >= CR_LIMIT
        {
            r.errors.push(format!(
                "{at}：判断矩阵“{}”一致性比率 CR = {:.4} ≥ 0.10，未通过一致性检验",
                m.level, res.cr
            ));
        }
    }
}

/// What expressions are checked against: the dictionary, and a one-row
/// table typed as scoring sees it (`None` when it could not be built).
struct ExprCheck<'a> {
    dict: &'a FieldDict,
    sample: Option<DataFrame>,
}

/// A one-row table of every field scoring sees (ingest of no input, then
/// the metrics stage), with a sample value of each column's type: text
/// “示例”, numbers 1, false. Evaluating an expression on it finds the type
/// errors and library failures `evaluate` would meet.
fn sample_table(model: &Model, dict: &FieldDict) -> Option<DataFrame> {
    let ds = crate::ingest::ingest(&[], dict);
    let empty = crate::metrics::compute_with(&ds, &model.prices).ok()?.frame;
    let columns: Vec<Column> = empty
        .columns()
        .iter()
        .map(|c| {
            let name = c.name().clone();
            let s = match c.dtype() {
                DataType::String => Series::new(name, ["示例"]),
                DataType::Boolean => Series::new(name, [false]),
                dt if dt.is_primitive_numeric() => Series::new(name, [1.0f64])
                    .cast(dt)
                    .unwrap_or_else(|_| Series::full_null(c.name().clone(), 1, dt)),
                dt => Series::full_null(name, 1, dt),
            };
            s.into()
        })
        .collect();
    DataFrame::new(1, columns).ok()
}

/// Parse an expression, check its fields, and evaluate it on the sample table.
fn check_expr(r: &mut CheckReport, cx: &ExprCheck, at: &str, what: &str, text: &str, as_bool: bool) {
    let e = match expr::parse(text) {
        Ok(e) => e,
        Err(e) => {
            // `e` reads 表达式“…”无法解析…: name the item instead.
            let e = e.to_string();
            r.errors.push(format!("{at}：{what}{}", e.trim_start_matches("表达式")));
            return;
        }
    };
    let fields = expr::fields_of(&e);
    let unknown: Vec<&String> = fields.iter().filter(|f| !cx.dict.knows(f)).collect();
    for name in &unknown {
        r.errors.push(format!("{at}：{what}引用了未知字段“{name}”"));
    }
    let Some(sample) = cx.sample.as_ref().filter(|_| unknown.is_empty()) else {
        return;
    };
    let item = expr::Named {
        column: "checked".into(),
        label: what.to_string(),
        text: text.to_string(),
        as_bool,
    };
    match expr::evaluate(sample, std::slice::from_ref(&item)) {
        Err(e) => r.errors.push(format!("{at}：{e}")),
        Ok(out) if fields.is_empty() => {
            let finite = as_bool || expr::floats(&out, "checked").is_ok_and(|v| v.iter().all(Option::is_some));
            if finite {
                r.warnings.push(format!(
                    "{at}：{what}“{}”不引用任何字段，所有项目得到相同的值",
                    expr::shown(text)
                ));
            } else {
                r.errors.push(format!(
                    "{at}：{what}“{}”的结果不是有限的数（如 power(10, 400) 超出数值范围）",
                    expr::shown(text)
                ));
            }
        }
        Ok(_) => {}
    }
}

fn check_scale(r: &mut CheckReport, cx: &ExprCheck, at: &str, id: &str, s: &Scale) {
    match s {
        Scale::Plan { planned, cap } => {
            check_expr(r, cx, at, &format!("指标“{id}”的 planned"), planned, false);
            if *cap <= 0.0 {
                r.errors.push(format!("{at}：指标“{id}”的 cap 应大于 0"));
            }
        }
        Scale::Target { floor, target } if floor == target => {
            r.errors
                .push(format!("{at}：指标“{id}”的 floor 与 target 相同，无法线性换算"));
        }
        Scale::Piecewise { points } => {
            if points.len() < 2 {
                r.errors.push(format!("{at}：指标“{id}”的 piecewise 至少需要两个点"));
            }
            if points.windows(2).any(|w| w[1][0] <= w[0][0]) {
                r.errors
                    .push(format!("{at}：指标“{id}”的 piecewise 各点的 x 应严格递增"));
            }
            if points.iter().any(|p| !(0.0..=1.0).contains(&p[1])) {
                r.errors
                    .push(format!("{at}：指标“{id}”的 piecewise 得分比例应在 0–1 之间"));
            }
        }
        Scale::Steps { steps, .. } => {
            if steps.is_empty() {
                r.errors.push(format!("{at}：指标“{id}”的 steps 为空"));
            }
            if steps.iter().any(|s| !(0.0..=1.0).contains(&s.value)) {
                r.errors.push(format!("{at}：指标“{id}”的 steps 得分比例应在 0–1 之间"));
            }
        }
        _ => {}
    }
}
