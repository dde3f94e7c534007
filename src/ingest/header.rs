//! Matching header cells to dictionary fields.

use crate::fields::{FieldDef, FieldDict};

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
            '（' => '(',
            '）' => ')',
            '【' | '［' => '[',
            '】' | '］' => ']',
            '：' => ':',
            c => c,
        })
        .collect::<String>()
        .trim_start_matches(['*', '※', '★'])
        .to_string()
}

fn names(f: &FieldDef) -> impl Iterator<Item = String> + '_ {
    std::iter::once(f.name.as_str())
        .chain(f.aliases.iter().map(String::as_str))
        .map(normalize)
}

/// Split `面积(公顷)` into (`面积`, `公顷`).
fn split_unit(n: &str) -> Option<(&str, &str)> {
    let body = n.strip_suffix(')')?;
    let open = body.rfind('(')?;
    Some((&body[..open], &body[open + 1..]))
}

/// Recognise a header cell among the columns of `sheet`.
pub fn match_header(dict: &FieldDict, sheet: &str, text: &str) -> Option<HeaderMatch> {
    let n = normalize(text);
    if n.is_empty() {
        return None;
    }
    let fields = dict.sheet_fields(sheet);
    for f in &fields {
        if names(f).any(|k| k == n) {
            return Some(HeaderMatch {
                field: f.id.clone(),
                unit: None,
            });
        }
    }
    let (base, unit) = split_unit(&n)?;
    fields
        .iter()
        .find(|f| names(f).any(|k| k == base))
        .map(|f| HeaderMatch {
            field: f.id.clone(),
            unit: Some(unit.to_string()),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_with_units_and_variants() {
        let d = FieldDict::bundled();
        let m = match_header(&d, "farmland", "新增耕地面积（公顷）").unwrap();
        assert_eq!((m.field.as_str(), m.unit.as_deref()), ("new_farmland", Some("公顷")));
        let m = match_header(&d, "ledger", " 市（州） ").unwrap();
        assert_eq!((m.field.as_str(), m.unit), ("city", None));
        let m = match_header(&d, "ledger", "项目\n编号").unwrap();
        assert_eq!(m.field, "project_id");
        assert!(match_header(&d, "ledger", "备注").is_none());
        assert_eq!(match_sheet(&d, "3.建设用地整理"), Some("construction"));
    }
}
