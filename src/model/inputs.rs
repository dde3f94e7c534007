//! The input fields a model reads, and the review of a dataset under a
//! model: a column the ingest could not read for its unit is an error when
//! the model's red lines or indicators read that field (ingest does not
//! know the model, so it only records such columns).

use super::{Model, Scale};
use crate::fields::FieldDict;
use crate::ingest::{Dataset, Severity, plausible, sheet};
use std::collections::{BTreeMap, BTreeSet};

/// One model item that reads a field, named in Chinese: `否决项“耕地面积减少”`.
pub type Reader = String;

impl Model {
    /// Every expression of the model with the item it belongs to (Chinese).
    fn expressions(&self) -> Vec<(Reader, &str)> {
        let mut v: Vec<(Reader, &str)> = Vec::new();
        for i in &self.indicators {
            let who = format!("指标“{}”", i.name);
            v.push((who.clone(), &i.expr));
            if let Some(a) = &i.applies {
                v.push((who.clone(), a));
            }
            if let Scale::Plan { planned, .. } = &i.scale {
                v.push((who, planned));
            }
        }
        for w in &self.vetoes {
            v.push((format!("否决项“{}”", w.name), &w.when));
        }
        for a in &self.adjustments {
            let who = format!("加减分项“{}”", a.name);
            v.push((who.clone(), &a.when));
            if let Some(p) = &a.per {
                v.push((who, p));
            }
        }
        for t in &self.targets {
            v.push((format!("目标“{}”", t.name), &t.expr));
        }
        v
    }

    /// The input fields (columns of the workbook) the model reads, each with
    /// the items that read it. Derived fields are expanded through their
    /// `from` lists in fields.toml (a detail sheet there means all its fields).
    pub fn input_fields(&self, dict: &FieldDict) -> BTreeMap<String, Vec<Reader>> {
        let mut out: BTreeMap<String, Vec<Reader>> = BTreeMap::new();
        for (who, text) in self.expressions() {
            let Ok(e) = crate::score::expr::parse(text) else {
                continue;
            };
            let mut inputs = BTreeSet::new();
            for f in crate::score::expr::fields_of(&e) {
                expand(dict, &f, &mut BTreeSet::new(), &mut inputs);
            }
            for f in inputs {
                let readers = out.entry(f).or_default();
                if !readers.contains(&who) {
                    readers.push(who.clone());
                }
            }
        }
        out
    }
}

/// Add the input fields behind `id` (itself when it is an input field).
fn expand(dict: &FieldDict, id: &str, seen: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
    if !seen.insert(id.to_string()) {
        return;
    }
    if dict.field(id).is_some() {
        out.insert(id.to_string());
    } else if let Some(d) = dict.derived(id) {
        for f in &d.from {
            expand(dict, f, seen, out);
        }
    } else if dict.sheet(id).is_some() {
        for f in dict.sheet_fields(id) {
            expand(dict, &f.id, seen, out);
        }
    }
}

/// Review a dataset under the model before scoring: columns not imported
/// for their unit become errors when the model reads the field (naming the
/// items that read it), and with a report date given, dates after it are
/// errors. Called by the pipeline.
pub fn review(ds: &mut Dataset, model: &Model, dict: &FieldDict, report_date: Option<[i32; 3]>) {
    let reads = model.input_fields(dict);
    for u in &ds.unknown_units {
        let (Some(readers), Some(f)) = (reads.get(&u.field), dict.field(&u.field)) else {
            continue;
        };
        let message = sheet::unknown_unit_message(f, &u.unit);
        let usage = format!(
            "；评估模型“{}”的{}读取该字段，无法核查或计分，请改用可用的单位",
            model.model.name,
            readers.join("、")
        );
        match ds
            .log
            .findings
            .iter_mut()
            .find(|x| x.origin == u.origin && x.message == message)
        {
            Some(finding) => {
                finding.severity = Severity::Error;
                finding.message.push_str(&usage);
            }
            None => ds.log.error(u.origin.clone(), &u.unit, format!("{message}{usage}")),
        }
    }
    if let Some(date) = report_date {
        let late = plausible::dates_after(ds, dict, date);
        ds.log.findings.extend(late);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_fields_expand_to_their_inputs() {
        let dict = FieldDict::bundled();
        let model = Model::load("national-2025").unwrap();
        let reads = model.input_fields(&dict);
        // The red line 耕地面积减少 reads farmland_decreased, derived from farmland_before/after.
        let readers = reads.get("farmland_before").expect("farmland_before is read");
        assert!(
            readers.iter().any(|r| r.starts_with("否决项“") && r.contains("耕地")),
            "{readers:?}"
        );
        // Fund totals come from the 资金台账 sheet: its amounts are inputs.
        assert!(reads.contains_key("fund_in_place"));
        assert!(!reads.contains_key("derived_only_never"));
    }
}
