//! The shared red-line set (`scoring-models/redlines.toml`) every model
//! includes, and a model's explicit exceptions to it.
//!
//! A model cannot forget a legal red line: `[model] redlines = "national"` is
//! the default, the set's lines come first in the model's vetoes, and a
//! model's own `[[veto]]` may not reuse one of their ids. A model may
//! - drop a line (`[[redline_drop]]`): it is not checked; the reason is
//!   reported in the method section and `results.json`, and `model check`
//!   warns when the model selects or rewards;
//! - defer a line (`[[redline_defer]]`, for models scored before a project
//!   is carried out): a breach the data shows still vetoes, but data that
//!   cannot exist yet is reported as 实施后核查, not as missing.

use super::{Model, Veto};
use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// The bundled red-line sets: (id, TOML text).
const SETS: &[(RedlineSet, &str)] = &[(RedlineSet::National, include_str!("../../scoring-models/redlines.toml"))];

/// A shared red-line set a model includes.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RedlineSet {
    /// 全国红线集: the red lines of 自然资发〔2024〕149号 and DESIGN §2.
    #[default]
    National,
}

impl RedlineSet {
    /// Chinese name for reports and messages.
    pub fn label(self) -> &'static str {
        match self {
            RedlineSet::National => "全国红线集",
        }
    }
}

/// One id or several.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Ids {
    One(String),
    Many(Vec<String>),
}

impl Ids {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let v: Vec<&str> = match self {
            Ids::One(s) => vec![s.as_str()],
            Ids::Many(v) => v.iter().map(String::as_str).collect(),
        };
        v.into_iter()
    }
}

/// `[[redline_drop]]` / `[[redline_defer]]`: red lines and the model's reason.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedlineException {
    pub id: Ids,
    pub reason: String,
}

/// A red line of the shared set the model does not check, and why.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedRedline {
    pub id: String,
    pub name: String,
    pub basis: String,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    #[allow(dead_code)]
    set: SetMeta,
    #[serde(rename = "redline")]
    redlines: Vec<Veto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SetMeta {
    id: String,
    name: String,
    basis: Vec<String>,
}

/// The red lines of a shared set, in the set's order.
pub fn lines(set: RedlineSet) -> Vec<Veto> {
    let text = SETS.iter().find(|(s, _)| *s == set).map_or("", |(_, t)| *t);
    let file: SetFile = toml::from_str(text).expect("the bundled red-line set parses (tested)");
    file.redlines
        .into_iter()
        .map(|mut v| {
            v.shared = Some(set);
            v
        })
        .collect()
}

/// Put the shared set's red lines before the model's own vetoes, apply the
/// model's drops and deferrals, and refuse what would hide a red line.
pub fn resolve(model: &mut Model) -> Result<()> {
    let set = model.model.redlines;
    let shared = lines(set);
    let known = |id: &str| shared.iter().any(|v| v.id == id);
    for own in &model.vetoes {
        if known(&own.id) {
            bail!(
                "否决项“{}”已在{}中（每个模型都核查），请删除本条；如需改写该红线，先用 [[redline_drop]] 写明理由去掉它",
                own.id,
                set.label()
            );
        }
    }
    let mut dropped = Vec::new();
    for d in &model.redline_drops {
        check_reason(d, "redline_drop")?;
        for id in d.id.iter() {
            let Some(v) = shared.iter().find(|v| v.id == id) else {
                bail!(
                    "[[redline_drop]] 的 id “{id}”不在{}中（可用：{}）",
                    set.label(),
                    ids(&shared)
                );
            };
            if dropped.iter().any(|x: &DroppedRedline| x.id == id) {
                bail!("[[redline_drop]] 重复列出“{id}”");
            }
            dropped.push(DroppedRedline {
                id: id.to_string(),
                name: v.name.clone(),
                basis: v.basis.clone(),
                reason: d.reason.trim().to_string(),
            });
        }
    }
    let mut vetoes: Vec<Veto> = shared
        .into_iter()
        .filter(|v| !dropped.iter().any(|d| d.id == v.id))
        .collect();
    vetoes.append(&mut model.vetoes);
    for d in &model.redline_defers {
        check_reason(d, "redline_defer")?;
        for id in d.id.iter() {
            if dropped.iter().any(|x| x.id == id) {
                bail!("[[redline_defer]] 的“{id}”已被 [[redline_drop]] 去掉");
            }
            let Some(v) = vetoes.iter_mut().find(|v| v.id == id) else {
                bail!(
                    "[[redline_defer]] 的 id “{id}”不是本模型的否决项（可用：{}）",
                    ids(&vetoes)
                );
            };
            if v.deferred.is_some() {
                bail!("[[redline_defer]] 重复列出“{id}”");
            }
            v.deferred = Some(d.reason.trim().to_string());
        }
    }
    model.vetoes = vetoes;
    model.dropped_redlines = dropped;
    Ok(())
}

fn check_reason(e: &RedlineException, table: &str) -> Result<()> {
    if e.reason.trim().is_empty() {
        let list: Vec<&str> = e.id.iter().collect();
        bail!("[[{table}]]（{}）必须写明 reason（理由写入报告）", list.join("、"));
    }
    Ok(())
}

fn ids(v: &[Veto]) -> String {
    v.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_set_has_the_eight_red_lines_of_design_section_2() {
        let ids: Vec<String> = lines(RedlineSet::National).into_iter().map(|v| v.id).collect();
        assert_eq!(
            ids,
            [
                "farmland_decreased",
                "quality_fell",
                "construction_increased",
                "redline_reduced",
                "pbf_over_adjusted",
                "new_farmland_unmeasured",
                "forced_demolition",
                "hidden_debt"
            ]
        );
    }
}
