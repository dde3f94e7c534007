//! Matching header cells to dictionary fields.
//!
//! Labels are compared after normalisation: blanks and line breaks removed,
//! full-width brackets made half-width, points and notes in brackets
//! (`(20分)`, `（注：…）`) dropped, and a unit in brackets (`（公顷）`,
//! `（单位：万元）`) split off.

use crate::fields::{FieldDef, FieldDict, FieldType, PROJECT_ID, is_convertible_unit};

/// A header cell recognised as a field.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderMatch {
    pub field: String,
    /// The unit named in the header, if any.
    pub unit: Option<String>,
}

/// Normalise a label: no blanks or line breaks, half-width brackets, no
/// required-field markers.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '（' | '〔' => '(',
            '）' | '〕' => ')',
            '【' | '［' => '[',
            '】' | '］' => ']',
            '：' => ':',
            c => c,
        })
        .collect::<String>()
        .trim_start_matches(['*', '※', '★'])
        .trim_end_matches(['*', '※', '★'])
        .to_string()
}

/// Units that name no conversion but are still units, not part of a name.
const PLAIN_UNITS: &[&str] = &[
    "个",
    "等",
    "件",
    "分",
    "倍",
    "平方米/人",
    "m2/人",
    "㎡/人",
    "人",
    "处",
    "宗",
];

/// Whether a bracketed text is a unit (after an optional `单位:`).
pub fn as_unit(g: &str) -> Option<&str> {
    let g = g.strip_prefix("单位:").unwrap_or(g);
    (is_convertible_unit(g) || PLAIN_UNITS.contains(&g)).then_some(g)
}

/// Whether a bracketed text is a note to drop: points (`20分`, `满分10分`) or a remark.
fn is_note(g: &str) -> bool {
    let points = g
        .trim_start_matches('满')
        .trim_start_matches('分')
        .trim_start_matches("值")
        .strip_suffix('分')
        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '.'));
    points
        || ["注", "说明", "备注", "选填", "必填", "如有", "没有", "不涉及"]
            .iter()
            .any(|k| g.starts_with(k))
}

/// A normalised label split into its name, its unit and whether notes were dropped.
fn parse_label(n: &str) -> (String, Option<String>) {
    let mut base = String::new();
    let mut unit = None;
    let mut rest = n;
    while let Some(open) = rest.find(['(', '[']) {
        let close_ch = if rest[open..].starts_with('(') { ')' } else { ']' };
        let Some(len) = rest[open..].find(close_ch) else { break };
        let inner = &rest[open + 1..open + len];
        base.push_str(&rest[..open]);
        if let Some(u) = as_unit(inner) {
            unit = Some(u.to_string());
        } else if !is_note(inner) {
            base.push('(');
            base.push_str(inner);
            base.push(')');
        }
        rest = &rest[open + len + 1..];
    }
    base.push_str(rest);
    (base, unit)
}

/// Every label of a field (name and aliases): normalised, and its name part without units or notes.
fn labels(f: &FieldDef) -> Vec<(String, String)> {
    std::iter::once(f.name.as_str())
        .chain(f.aliases.iter().map(String::as_str))
        .map(|l| {
            let n = normalize(l);
            let base = parse_label(&n).0;
            (n, base)
        })
        .collect()
}

/// The labels of every field, by field index, computed once per dictionary.
fn all_labels(dict: &FieldDict) -> &[Vec<(String, String)>] {
    dict.label_cache
        .get_or_init(|| dict.fields.iter().map(labels).collect())
}

/// Recognise a header cell among the columns of `sheet`.
pub fn match_header(dict: &FieldDict, sheet: &str, text: &str) -> Option<HeaderMatch> {
    let n = normalize(text);
    if n.is_empty() {
        return None;
    }
    let cache = all_labels(dict);
    let in_sheet = |i: &usize| dict.fields[*i].sheet == sheet || dict.fields[*i].id == PROJECT_ID;
    let candidates = || (0..dict.fields.len()).filter(in_sheet);
    if let Some(i) = candidates().find(|&i| cache[i].iter().any(|(k, _)| *k == n)) {
        return Some(HeaderMatch {
            field: dict.fields[i].id.clone(),
            unit: None,
        });
    }
    let (base, unit) = parse_label(&n);
    if base.is_empty() {
        return None;
    }
    candidates()
        .find(|&i| cache[i].iter().any(|(k, b)| *k == base || *b == base))
        .map(|i| HeaderMatch {
            field: dict.fields[i].id.clone(),
            unit,
        })
}

/// A label naming a number field with a unit the dictionary does not know
/// (`整治前耕地面积（垧）`): the field and the unit as written.
pub fn match_unknown_unit(dict: &FieldDict, sheet: &str, text: &str) -> Option<(HeaderMatch, String)> {
    let (base, unit) = parse_label(&normalize(text));
    if unit.is_some() {
        return None;
    }
    let (close, open) = match base.chars().last()? {
        ')' => (')', '('),
        ']' => (']', '['),
        _ => return None,
    };
    let start = base.rfind(open)?;
    let inner = &base[start + 1..base.len() - close.len_utf8()];
    let inner = inner.strip_prefix("单位:").unwrap_or(inner);
    let m = match_header(dict, sheet, &base[..start])?;
    let f = dict.field(&m.field)?;
    (f.kind == FieldType::Number && f.unit.is_some() && !inner.is_empty()).then(|| (m, inner.to_string()))
}

/// Candidate labels of a column under a two-row header: the parent label
/// (carried across a horizontal merge) combined with the child label.
pub fn two_row_labels(parent: &str, child: &str) -> Vec<String> {
    if child.trim().is_empty() {
        return vec![parent.to_string()];
    }
    if parent.trim().is_empty() {
        return vec![child.to_string()];
    }
    let (p, pu) = parse_label(&normalize(parent));
    let (c, cu) = parse_label(&normalize(child));
    let unit = cu.or(pu).map(|u| format!("({u})")).unwrap_or_default();
    vec![
        format!("{c}{p}{unit}"),
        format!("{p}{c}{unit}"),
        format!("{p}({c}){unit}"),
        format!("{c}{unit}"),
    ]
}

/// Recognise a worksheet name as a dictionary sheet (exact, or containing its name).
pub fn match_sheet<'a>(dict: &'a FieldDict, name: &str) -> Option<&'a str> {
    let n = normalize(name);
    dict.sheets
        .iter()
        .find(|s| normalize(&s.name) == n)
        .or_else(|| dict.sheets.iter().find(|s| n.contains(&normalize(&s.name))))
        .map(|s| s.id.as_str())
}

/// Units named in a caption line such as `填报单位：某县自然资源局  单位：公顷、万元`.
pub fn caption_units(text: &str) -> Vec<String> {
    let n = normalize(text);
    let mut out = Vec::new();
    let mut rest = n.as_str();
    while let Some(pos) = rest.find("单位:") {
        let after = &rest[pos + "单位:".len()..];
        // 填报单位: names an office, not a unit.
        if !rest[..pos].ends_with("填报") && !rest[..pos].ends_with("填表") {
            for tok in after.split(['、', ',', '，', ';', '；', '/', '(', ')']) {
                if let Some(u) = as_unit(tok)
                    && is_convertible_unit(u)
                {
                    out.push(u.to_string());
                } else if !tok.is_empty() && out.is_empty() {
                    break;
                }
            }
        }
        rest = after;
    }
    out
}

/// The unit named in a caption line that is not a unit the dictionary
/// knows (`单位：垧`), if the line names no known unit.
pub fn caption_unknown_unit(text: &str) -> Option<String> {
    if !caption_units(text).is_empty() {
        return None;
    }
    let n = normalize(text);
    let mut rest = n.as_str();
    while let Some(pos) = rest.find("单位:") {
        let after = &rest[pos + "单位:".len()..];
        if !rest[..pos].ends_with("填报") && !rest[..pos].ends_with("填表") {
            let tok = after
                .split(['、', ',', '，', ';', '；', '/', '(', ')'])
                .next()
                .unwrap_or("");
            if !tok.is_empty() && as_unit(tok).is_none() {
                return Some(tok.chars().take(10).collect());
            }
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(sheet: &str, s: &str) -> Option<(String, Option<String>)> {
        match_header(&FieldDict::bundled(), sheet, s).map(|m| (m.field, m.unit))
    }

    #[test]
    fn headers_with_units_and_variants() {
        let d = FieldDict::bundled();
        let h = match_header(&d, "farmland", "新增耕地面积（公顷）").unwrap();
        assert_eq!((h.field.as_str(), h.unit.as_deref()), ("new_farmland", Some("公顷")));
        assert_eq!(m("ledger", " 市（州） "), Some(("city".into(), None)));
        assert_eq!(m("ledger", "项目\n编号").unwrap().0, "project_id");
        assert!(m("ledger", "备注").is_none());
        assert_eq!(match_sheet(&d, "3.建设用地整理"), Some("construction"));
    }

    #[test]
    fn points_and_notes_are_dropped() {
        let mu = Some(("new_farmland".into(), Some("亩".into())));
        assert_eq!(m("farmland", "新增耕地面积（亩）"), mu);
        assert_eq!(m("farmland", "新增耕地面积(亩)(20分)"), mu);
        assert_eq!(
            m("farmland", "新增耕地\n面积（20分）"),
            Some(("new_farmland".into(), None))
        );
        assert_eq!(
            m("farmland", "新增耕地面积【单位：公顷】（注：实测）"),
            Some(("new_farmland".into(), Some("公顷".into())))
        );
        assert_eq!(m("ledger", "涉及乡镇（街道）"), Some(("townships".into(), None)));
        assert_eq!(
            m("farmland", "耕地面积（整治前）"),
            Some(("farmland_before".into(), None))
        );
    }

    #[test]
    fn two_row_header_labels() {
        let labels = two_row_labels("耕地图斑数（个）", "整治前");
        assert_eq!(
            m("farmland", &labels[0]),
            Some(("farmland_patches_before".into(), Some("个".into())))
        );
        let labels = two_row_labels("耕地面积（公顷）", "整治后");
        assert_eq!(
            m("farmland", &labels[0]),
            Some(("farmland_after".into(), Some("公顷".into())))
        );
    }

    #[test]
    fn unknown_units_name_their_field() {
        let d = FieldDict::bundled();
        let (m, unit) = match_unknown_unit(&d, "farmland", "整治前耕地面积（垧）").unwrap();
        assert_eq!((m.field.as_str(), unit.as_str()), ("farmland_before", "垧"));
        let (_, unit) = match_unknown_unit(&d, "farmland", "新增耕地面积【单位：垧】").unwrap();
        assert_eq!(unit, "垧");
        // A known unit, a text field, or no field: not an unknown unit.
        assert!(match_unknown_unit(&d, "farmland", "整治前耕地面积（公顷）").is_none());
        assert!(match_unknown_unit(&d, "ledger", "项目名称（全称）").is_none());
        assert!(match_unknown_unit(&d, "farmland", "备注（垧）").is_none());
    }

    #[test]
    fn caption_line_units() {
        assert_eq!(
            caption_units("填报单位：某县自然资源局    单位：公顷、元"),
            vec!["公顷", "元"]
        );
        assert_eq!(caption_units("单位：亩、万元"), vec!["亩", "万元"]);
        assert!(caption_units("填报单位：某县自然资源局").is_empty());
        assert_eq!(caption_unknown_unit("单位：垧、万元").as_deref(), Some("垧"));
        assert_eq!(caption_unknown_unit("填报单位：某县  单位：公顷"), None);
    }
}
