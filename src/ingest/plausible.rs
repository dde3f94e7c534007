//! Plausibility of values as they are read (`[[plausible]]` in fields.toml):
//! negative areas, shares beyond 100%, amounts of 1e20 or 5e-324, dates in
//! 2999 are reported with their cell instead of flowing into the scores.

use super::cell::format_number;
use super::log::{Finding, Origin, Severity};
use super::{Dataset, PROJECT_ID};
use crate::fields::{FieldDef, FieldDict, FieldType, Plausible};

/// The outcome of checking one value.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Fine,
    /// Kept, with a warning.
    Warn(String),
    /// Not imported: an error.
    Error(String),
}

/// A number for messages: plain, or in exponent form when very large or small.
pub fn shown(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format_number((x * 1e9).round() / 1e9)
    }
}

/// Check a number in the field's canonical unit (percent fields as fractions).
pub fn number(f: &FieldDef, rule: &Plausible, canonical: f64) -> Verdict {
    let pct = f.is_percent();
    let x = if pct { canonical * 100.0 } else { canonical };
    let unit = f.unit.as_deref().unwrap_or("");
    let with_unit = |v: f64| format!("{}{}{unit}", shown(v), if pct || unit.is_empty() { "" } else { " " });
    let name = &f.name;
    let value = with_unit(x);
    if let Some(b) = rule.below
        && x < b
    {
        return Verdict::Error(if b == 0.0 {
            format!("“{name}”为 {value}，不能为负数；该值未导入，请核对")
        } else {
            format!("“{name}”为 {value}，不能小于 {}；该值未导入，请核对", with_unit(b))
        });
    }
    if let Some(a) = rule.above
        && x > a
    {
        return Verdict::Error(format!(
            "“{name}”为 {value}，超过合理上限 {}；该值未导入，请核对数值和单位",
            with_unit(a)
        ));
    }
    if let Some(b) = rule.warn_below
        && x < b
    {
        return Verdict::Warn(format!(
            "“{name}”为 {value}，低于常见范围（一般不低于 {}）；请核对",
            with_unit(b)
        ));
    }
    if let Some(a) = rule.warn_above
        && x > a
    {
        return Verdict::Warn(format!(
            "“{name}”为 {value}，超过常见范围（一般不超过 {}）；请核对数值和单位",
            with_unit(a)
        ));
    }
    if let Some(t) = rule.warn_tiny
        && x != 0.0
        && x.abs() < t
    {
        return Verdict::Warn(format!(
            "“{name}”为 {value}，不为 0 但小于 {}，多为单位填错或单元格损坏；请核对",
            with_unit(t)
        ));
    }
    if rule.integer && x.fract() != 0.0 {
        return Verdict::Warn(format!("“{name}”应为整数，填写的是 {value}；请核对"));
    }
    Verdict::Fine
}

/// Check an ISO date against the rule's range.
pub fn date(f: &FieldDef, rule: &Plausible, iso: &str) -> Verdict {
    let name = &f.name;
    if let Some(b) = rule.not_before.as_deref()
        && iso < b
    {
        return Verdict::Error(format!("“{name}”为 {iso}，早于 {b}，不合理；该值未导入，请核对"));
    }
    if let Some(a) = rule.not_after.as_deref()
        && iso > a
    {
        return Verdict::Error(format!("“{name}”为 {iso}，晚于 {a}，不合理；该值未导入，请核对"));
    }
    Verdict::Fine
}

/// Check a value of field `f` (number in canonical unit, or ISO date).
pub fn check(dict: &FieldDict, f: &FieldDef, value: &super::cell::Value) -> Verdict {
    let Some(rule) = dict.plausible_rule(f) else {
        return Verdict::Fine;
    };
    match (f.kind, value) {
        (FieldType::Number, super::cell::Value::Number(x)) => number(f, rule, *x),
        (FieldType::Date, super::cell::Value::Date(d)) => date(f, rule, d),
        _ => Verdict::Fine,
    }
}

/// Dates after the report date (given with `--date`): errors naming the cell,
/// except for fields whose rule allows future dates.
pub fn dates_after(ds: &Dataset, dict: &FieldDict, run_date: [i32; 3]) -> Vec<Finding> {
    let run = format!("{:04}-{:02}-{:02}", run_date[0], run_date[1], run_date[2]);
    let mut out = Vec::new();
    let dated = dict
        .fields
        .iter()
        .filter(|f| f.kind == FieldType::Date && !dict.plausible_rule(f).is_some_and(|r| r.future_ok));
    for f in dated {
        let per_project = dict.sheet(&f.sheet).is_some_and(|s| s.per_project);
        let frame = if per_project {
            &ds.projects
        } else if f.sheet == "funds" {
            &ds.funds
        } else {
            continue;
        };
        let (Ok(ids), Ok(col)) = (frame.column(PROJECT_ID), frame.column(&f.id)) else {
            continue;
        };
        let (Ok(ids), Ok(col)) = (ids.str(), col.str()) else {
            continue;
        };
        let mut row_in_project: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (id, d) in ids.iter().zip(col.iter()) {
            let Some(id) = id else { continue };
            let k = row_in_project.entry(id).or_default();
            let i = *k;
            *k += 1;
            let Some(d) = d.filter(|d| *d > run.as_str()) else {
                continue;
            };
            let origin = if per_project {
                ds.origins.cell(id, &f.id).cloned()
            } else {
                ds.origins
                    .rows
                    .get(&(f.sheet.clone(), id.to_string()))
                    .and_then(|r| r.get(i))
            };
            out.push(Finding {
                severity: Severity::Error,
                origin: origin.unwrap_or_else(Origin::default),
                raw: d.to_string(),
                message: format!(
                    "项目“{id}”的“{}”为 {d}，晚于报告日期 {run}；请核对日期，或用 --date 指定正确的报告日期",
                    f.name
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::cell::Value;

    fn verdict(id: &str, canonical: f64) -> Verdict {
        let d = FieldDict::bundled();
        let f = d.field(id).unwrap();
        check(&d, f, &Value::Number(canonical))
    }

    fn is_error(v: &Verdict, text: &str) -> bool {
        matches!(v, Verdict::Error(m) if m.contains(text))
    }

    fn is_warning(v: &Verdict, text: &str) -> bool {
        matches!(v, Verdict::Warn(m) if m.contains(text))
    }

    #[test]
    fn areas_amounts_and_shares() {
        assert!(is_error(&verdict("farmland_before", -1e9), "不能为负数"));
        assert_eq!(verdict("farmland_before", 12_000.0), Verdict::Fine);
        assert!(is_warning(&verdict("area_total", 2e6), "超过常见范围"));
        assert!(is_error(
            &verdict("investment_planned", 1e20),
            "超过合理上限 100000000 万元"
        ));
        assert!(is_warning(&verdict("fund_planned", 5e-324), "5e-324 万元"));
        // Shares are stored as fractions: 1.9 is 190%.
        assert!(is_error(&verdict("satisfaction", 1.9), "为 190%，超过合理上限 100%"));
        assert_eq!(verdict("satisfaction", 0.95), Verdict::Fine);
        assert_eq!(verdict("farmer_income_growth", -0.2), Verdict::Fine);
        assert!(is_error(&verdict("farmer_income_growth", -1.5), "不能小于 -100%"));
        assert!(is_warning(&verdict("farmland_patches_before", 12.5), "应为整数"));
    }

    #[test]
    fn dates_before_2000_or_after_2100() {
        let d = FieldDict::bundled();
        let f = d.field("accepted_on").unwrap();
        assert!(is_error(
            &check(&d, f, &Value::Date("2999-01-01".into())),
            "晚于 2100-12-31"
        ));
        assert!(is_error(
            &check(&d, f, &Value::Date("1999-12-31".into())),
            "早于 2000-01-01"
        ));
        assert_eq!(check(&d, f, &Value::Date("2024-05-01".into())), Verdict::Fine);
        let due = d.field("fund_due_on").unwrap();
        assert!(d.plausible_rule(due).is_some_and(|r| r.future_ok));
    }
}
