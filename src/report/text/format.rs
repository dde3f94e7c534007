//! Numbers, money, ranks and dates as the reports print them.

use crate::model::{Indicator, Scale};
use crate::score::ProjectScore;

/// Two decimals, as scores are shown everywhere.
pub fn fmt2(x: f64) -> String {
    unsigned_zero(format!("{x:.2}"))
}

/// Two decimals with a sign (`+1.50`, `-2.00`), for adjustments and differences.
pub fn signed2(x: f64) -> String {
    format!("{x:+.2}")
}

/// "-0.00" (a negative zero, or a tiny negative rounded away) printed as "0.00".
fn unsigned_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// A number with up to `digits` decimals, trailing zeros trimmed.
pub fn fmt_num(x: f64, digits: usize) -> String {
    let s = unsigned_zero(format!("{x:.digits$}"));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A scaled value (score rate) as a percentage, `—` when there is none.
pub fn scaled_text(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{}%", fmt_num(x * 100.0, 1)))
}

/// A raw indicator value in its display unit.
pub fn fmt_value(ind: &Indicator, v: Option<f64>) -> String {
    match (v, &ind.scale, ind.unit.as_deref()) {
        (None, _, _) => "—".into(),
        (Some(x), Scale::Bool { .. }, _) => if x != 0.0 { "是" } else { "否" }.into(),
        (Some(x), _, Some("%")) => format!("{}%", fmt_num(x * 100.0, 1)),
        (Some(x), _, Some(u)) => format!("{} {u}", fmt_num(x, 2)),
        (Some(x), _, None) => fmt_num(x, 2),
    }
}

/// Money in 万元 as read aloud: ≥ 1 亿元 in 亿元.
pub fn money(wan: f64) -> String {
    if wan.abs() >= 10_000.0 {
        format!("{}亿元", fmt_num(wan / 10_000.0, 2))
    } else {
        format!("{}万元", fmt_num(wan, 1))
    }
}

/// A project's rank, `—` when it has none (vetoed).
pub fn rank_text(p: &ProjectScore) -> String {
    p.rank.map_or_else(|| "—".into(), |r| r.to_string())
}

/// `2025年6月30日`.
pub fn date_cn(date: [i32; 3]) -> String {
    let [y, m, d] = date;
    format!("{y}年{m}月{d}日")
}

/// `2025-06-30`.
pub fn date_iso(date: [i32; 3]) -> String {
    format!("{:04}-{:02}-{:02}", date[0], date[1], date[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_prints_without_sign() {
        assert_eq!(fmt2(-0.0), "0.00");
        assert_eq!(fmt2(-0.004), "0.00");
        assert_eq!(fmt2(-1.5), "-1.50");
        assert_eq!(fmt_num(-0.0, 2), "0");
        assert_eq!(fmt_num(-2.26, 1), "-2.3");
    }

    #[test]
    fn money_switches_to_yi_at_ten_thousand_wan() {
        assert_eq!(money(9_999.0), "9999万元");
        assert_eq!(money(12_500.0), "1.25亿元");
    }
}
