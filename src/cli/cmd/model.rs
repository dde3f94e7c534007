//! `landeval model list | show | check`.

use crate::cli::args::ModelAction;
use anyhow::{Context, anyhow};
use landeval::error::{Error, Result};
use landeval::fields::FieldDict;
use landeval::model::{self, Model, WeightMethod};
use landeval::report::text::vocab::{adjust_points, scale_rule};
use std::path::Path;

pub fn run(action: ModelAction) -> Result<()> {
    match action {
        ModelAction::List => list(),
        ModelAction::Show { id } => show(&Model::load(&id)?),
        ModelAction::Check { file } => check(&file),
    }
}

fn list() -> Result<()> {
    for (id, text) in model::BUNDLED_MODELS {
        let m = Model::parse(text, id)?;
        println!("{id}\t{}\t版本 {}", m.model.name, m.model.version);
    }
    Ok(())
}

fn show(m: &Model) -> Result<()> {
    println!("{}（{} 版本 {}）", m.model.name, m.model.id, m.model.version);
    println!("依据：{}", m.model.basis.join("；"));
    for d in &m.dimensions {
        println!("\n【{}】{} 分", d.name, m.dimension_points(&d.id));
        for i in m.indicators.iter().filter(|i| i.dimension == d.id) {
            println!("  {:<24} {:>5} 分  {}", i.name, i.points, scale_rule(i, i.points));
        }
    }
    println!("\n一票否决（{}及本模型自定）：", m.model.redlines.label());
    for v in &m.vetoes {
        let deferred = v
            .deferred
            .as_ref()
            .map_or(String::new(), |r| format!("［实施后核查：{r}］"));
        println!("  {}：{}{deferred}", v.name, v.basis);
    }
    for d in &m.dropped_redlines {
        println!("  不核查“{}”：{}", d.name, d.reason);
    }
    if !m.adjustments.is_empty() {
        println!(
            "\n加分与扣分（加分合计不超过 {} 分，扣分合计不超过 {} 分）：",
            m.model.bonus_cap, m.model.deduction_cap
        );
        for a in &m.adjustments {
            println!("  {} {}：{}", a.name, adjust_points(a), a.basis);
        }
    }
    let grades: Vec<String> = m
        .grade_bounds()
        .iter()
        .map(|(g, b)| format!("{g} ≥ {b}"))
        .chain(std::iter::once(format!("其余及一票否决为{}", model::FAIL_GRADE)))
        .collect();
    println!("\n等级：{}", grades.join("；"));
    println!(
        "\n赋权：{}；合成：{}；同分排序：{}",
        m.weights.as_ref().map_or(WeightMethod::Fixed, |w| w.method).label(),
        m.model.aggregation.label(),
        m.tie_break_keys().join(" → ")
    );
    if let Some(s) = &m.selection {
        println!(
            "示范遴选：{} 个，最低 {} 分，每市（州）至多 {}，{}{}",
            s.count,
            s.min_score,
            s.max_per_city.map_or("不限".into(), |x| x.to_string()),
            if s.accepted_only {
                "须已整体验收"
            } else {
                "不要求验收"
            },
            s.required_grade
                .as_ref()
                .map_or(String::new(), |g| format!("，须达到“{g}”"))
        );
    }
    for r in &m.rewards {
        println!("  奖补：第 {}–{} 名每个 {} 万元", r.ranks[0], r.ranks[1], r.amount);
    }
    if let Some(cap) = m.selection.as_ref().and_then(|s| s.county_reward_cap) {
        println!("  每县奖补合计不超过 {cap} 万元");
    }
    for t in &m.targets {
        println!(
            "目标：{} {} {}（{}）",
            t.name,
            t.goal,
            t.unit.as_deref().unwrap_or(""),
            t.year.map_or(String::new(), |y| format!("{y} 年"))
        );
    }
    let r = &m.robustness;
    println!(
        "稳健性：{} 次抽样，权重 ±{:.0}%{}{}",
        r.draws,
        r.weight_jitter * 100.0,
        if r.switch_scaling {
            "，目标值法↔极差法"
        } else {
            ""
        },
        if r.switch_aggregation {
            "，求和↔几何平均"
        } else {
            ""
        }
    );
    Ok(())
}

fn check(file: &Path) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let m = Model::parse(&text, &file.display().to_string())?;
    let report = model::check_model(&m, &text, &FieldDict::bundled());
    for w in &report.warnings {
        println!("[警告] {w}");
    }
    for e in &report.errors {
        println!("[错误] {e}");
    }
    if !report.ok() {
        return Err(Error::usage(anyhow!("模型有 {} 处错误", report.errors.len())));
    }
    println!(
        "模型 {} 检查通过：{} 个指标，合计 {} 分",
        m.model.id,
        m.indicators.len(),
        m.total_points()
    );
    Ok(())
}
