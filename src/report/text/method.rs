//! Method sentences several documents print: why points do not add up under
//! geometric or TOPSIS aggregation, the Monte Carlo set-up and what it found.

use super::format::{fmt_num, fmt2};
use crate::model::{Aggregation, Model};
use crate::score::ProjectScore;
use crate::score::robust::MonteCarloSummary;

/// Under geometric or TOPSIS aggregation the points earned per indicator
/// (points × score rate) do not add up to the indicator total. Says so in
/// words, with the project's two figures; empty under the weighted sum.
pub fn aggregation_note(model: &Model, p: &ProjectScore) -> String {
    let earned: f64 = p.indicators.iter().map(|s| s.earned).sum();
    let how = match model.model.aggregation {
        Aggregation::Sum => return String::new(),
        Aggregation::Geometric => format!(
            "本模型以加权几何平均汇总指标：指标总分 = 100 × Π 得分率^(分值 ÷ 分值合计)，得分率低于 {} 的按 {} 计；\
             短板指标对总分的拉低大于其分值占比",
            model.model.geometric_floor, model.model.geometric_floor
        ),
        Aggregation::Topsis => "本模型以 TOPSIS 贴近度汇总指标：各指标得分率按同批项目向量规范化并乘以权重，\
             求与正理想解（同批各指标最优）和负理想解（同批各指标最差）的距离 D+、D-，\
             指标总分 = 100 × D- ÷ (D+ + D-)，取决于与同批项目的相对位置"
            .to_string(),
    };
    format!(
        "{how}。表中“得分”（分值 × 得分率）合计 {} 分，只表示各指标的完成程度，不直接相加为总分；\
         本项目指标总分 {} 分，加减分另计。",
        fmt2(earned),
        fmt2(p.indicator_total)
    )
}

/// The Monte Carlo set-up, in words.
pub fn robustness_method(s: &MonteCarloSummary) -> String {
    format!(
        "按模型种子 {} 抽样 {} 次：每个指标的分值在 ±{:.0}% 内随机扰动后按总分 100 重新归一{}{}；每次按{}重新排名遴选。",
        s.seed,
        s.draws,
        s.weight_jitter * 100.0,
        if s.switch_scaling {
            "，目标值法与极差法随机互换"
        } else {
            ""
        },
        if s.switch_aggregation {
            "，加权求和与加权几何平均随机互换"
        } else {
            ""
        },
        if s.uses_selection_rules {
            "模型的遴选规则".to_string()
        } else {
            format!("前 {} 名", s.top_n)
        },
    )
}

/// How often the selected set recurs across the draws, in words.
pub fn set_stability(s: &MonteCarloSummary) -> String {
    format!(
        "本次入选组合在 {:.1}% 的抽样中完全重现；共出现 {} 种不同的入选组合，最常见的一种占 {:.1}%。",
        s.base_set_frequency * 100.0,
        s.distinct_sets,
        s.modal_set_frequency * 100.0
    )
}

/// The one-line summary the CLI prints after an evaluation.
pub fn robustness_summary_line(s: &MonteCarloSummary) -> String {
    let set = if s.uses_selection_rules {
        "本次入选组合".to_string()
    } else {
        format!("前 {} 名组合", s.top_n)
    };
    format!(
        "稳健性：{} 次抽样，{set}重现 {:.1}%",
        s.draws,
        s.base_set_frequency * 100.0
    )
}

/// The points missing to the next grade, in a sentence (or why there is none).
pub fn grade_gap(model: &Model, p: &ProjectScore) -> String {
    if p.vetoed {
        return "项目触碰法定红线，一票否决，等级为不合格；须先整改消除否决事项，得分才计入等级。".to_string();
    }
    match &p.next_grade {
        Some(g) => format!(
            "距“{}”等级（{} 分）还差 {} 分。",
            model.grade_name(g.next),
            fmt_num(p.total + g.points_missing, 2),
            fmt2(g.points_missing)
        ),
        None => "已达到最高等级。".into(),
    }
}
