//! The data-quality appendix: sheet tallies and the findings grouped by
//! kind per sheet (one line with the count and the first cells), so a messy
//! submission reads in a few pages. The full list is in the workbook.

use crate::ingest::{Finding, QualityLog, Severity};
use serde::Serialize;

/// Cells listed for a group of findings.
pub const FIRST_PLACES: usize = 3;

/// The data-quality appendix.
#[derive(Serialize)]
pub struct Quality {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// All findings (the number of lines in the workbook's 数据质量 sheet).
    pub total: usize,
    pub tallies: Vec<TallyRow>,
    /// Findings grouped by severity, sheet and kind, errors first.
    pub groups: Vec<FindingGroup>,
}

/// Rows read, used and skipped in one sheet.
#[derive(Serialize)]
pub struct TallyRow {
    pub file: String,
    pub sheet: String,
    pub read: String,
    pub used: String,
    pub skipped: String,
}

/// The findings of one kind on one sheet (of any file).
#[derive(Serialize)]
pub struct FindingGroup {
    pub severity: String,
    /// The sheet name, `（整个文件）` for findings about a whole file.
    pub sheet: String,
    /// The first finding's message, with its raw content when it has one.
    pub message: String,
    /// Number of findings in the group.
    pub count: usize,
    /// The first cells (`文件 单元格`), `；`-joined, with `等 N 个文件` when more files are concerned.
    pub places: String,
    /// Ids of the projects the findings name (as raw content or `“编号”` in the message).
    #[serde(skip)]
    pub ids: Vec<String>,
}

/// One group while collecting.
struct Group<'a> {
    severity: Severity,
    sheet: &'a str,
    kind: String,
    findings: Vec<&'a Finding>,
}

/// The appendix of a run's log.
pub fn quality(log: &QualityLog) -> Quality {
    Quality {
        errors: log.count(Severity::Error),
        warnings: log.count(Severity::Warning),
        infos: log.count(Severity::Info),
        total: log.findings.len(),
        tallies: log
            .tallies
            .iter()
            .map(|t| TallyRow {
                file: t.file.clone(),
                sheet: t.sheet.clone(),
                read: t.rows_read.to_string(),
                used: t.rows_used.to_string(),
                skipped: t.rows_skipped.to_string(),
            })
            .collect(),
        groups: groups(log.sorted().into_iter(), &[]),
    }
}

/// What a finding says with its particulars (quoted names, numbers, cell
/// references) blanked out to `…` and `#`: findings of one kind share it.
pub fn finding_kind(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    let mut in_number = false;
    for c in message.chars() {
        match c {
            '“' => {
                quoted = true;
                out.push_str("“…");
            }
            '”' => {
                quoted = false;
                out.push('”');
            }
            _ if quoted => {}
            '0'..='9' | '.' if in_number || c.is_ascii_digit() => {
                if !in_number {
                    // A cell reference (`B12`) is a particular too: drop its column letters.
                    while out.ends_with(|l: char| l.is_ascii_uppercase()) {
                        out.pop();
                    }
                    out.push('#');
                }
                in_number = true;
                continue;
            }
            _ => out.push(c),
        }
        in_number = false;
    }
    out
}

/// Findings grouped by (severity, sheet, kind) in the order their first member appears.
fn group<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for f in findings {
        let kind = finding_kind(&f.message);
        let existing = groups
            .iter_mut()
            .find(|g| g.severity == f.severity && g.sheet == f.origin.sheet && g.kind == kind);
        match existing {
            Some(g) => g.findings.push(f),
            None => groups.push(Group {
                severity: f.severity,
                sheet: &f.origin.sheet,
                kind,
                findings: vec![f],
            }),
        }
    }
    groups
}

/// Findings grouped by severity, sheet and kind, in the order their first
/// member appears; each group keeps the ids among `projects` its findings name.
pub fn groups<'a>(findings: impl Iterator<Item = &'a Finding>, projects: &[&str]) -> Vec<FindingGroup> {
    group(findings).iter().map(|g| group_row(g, projects)).collect()
}

/// The project ids among `projects` that a finding names.
fn named<'a>(f: &Finding, projects: &[&'a str]) -> Vec<&'a str> {
    projects
        .iter()
        .copied()
        .filter(|id| f.raw == *id || f.message.contains(&format!("“{id}”")))
        .collect()
}

fn group_row(g: &Group, projects: &[&str]) -> FindingGroup {
    let mut ids: Vec<String> = Vec::new();
    for f in &g.findings {
        for id in named(f, projects) {
            if !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
        }
    }
    let first = g.findings[0];
    let message = if first.raw.is_empty() {
        first.message.clone()
    } else {
        format!("{}（原值：{}）", first.message, first.raw)
    };
    FindingGroup {
        severity: g.severity.label().to_string(),
        sheet: if g.sheet.is_empty() {
            "（整个文件）".into()
        } else {
            g.sheet.to_string()
        },
        message,
        count: g.findings.len(),
        places: places(&g.findings),
        ids,
    }
}

/// The first cells of a group, and how many files it spans when more than those shown.
fn places(findings: &[&Finding]) -> String {
    let shown: Vec<String> = findings
        .iter()
        .take(FIRST_PLACES)
        .map(|f| {
            if f.origin.cell.is_empty() {
                f.origin.file.clone()
            } else {
                format!("{} {}", f.origin.file, f.origin.cell)
            }
        })
        .collect();
    let mut files: Vec<&str> = Vec::new();
    for f in findings {
        if !files.contains(&f.origin.file.as_str()) {
            files.push(&f.origin.file);
        }
    }
    let mut text = shown.join("；");
    if findings.len() > FIRST_PLACES {
        text.push_str(&format!(" 等，涉及 {} 个文件", files.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Origin;

    fn finding(file: &str, sheet: &str, cell: &str, message: &str) -> Finding {
        Finding {
            severity: Severity::Info,
            origin: Origin::new(file, sheet, cell.into()),
            raw: String::new(),
            message: message.into(),
        }
    }

    #[test]
    fn kinds_ignore_names_numbers_and_cells() {
        assert_eq!(
            finding_kind("单位换算：“整治区域面积”按 A2 处的单位说明以“公顷”填写，已换算为“亩”（×15）"),
            "单位换算：“…”按 # 处的单位说明以“…”填写，已换算为“…”（×#）"
        );
        assert_eq!(
            finding_kind("单位换算：“拆旧复垦面积”按 B3 处的单位说明以“平方米”填写，已换算为“亩”（×0.0015）"),
            finding_kind("单位换算：“整治区域面积”按 A2 处的单位说明以“公顷”填写，已换算为“亩”（×15）")
        );
        assert_ne!(
            finding_kind("合计行，不作为项目数据导入"),
            finding_kind("小计行，不作为项目数据导入")
        );
    }

    #[test]
    fn repeated_findings_make_one_line_per_kind_and_sheet() {
        let mut log = QualityLog::default();
        // Four subtotal rows on 资金台账 of three files, one on 项目台账, one other kind.
        for (file, cell) in [
            ("甲县.xlsx", "A9"),
            ("甲县.xlsx", "A15"),
            ("乙县.xlsx", "A7"),
            ("丙县.xlsx", "A8"),
        ] {
            log.findings
                .push(finding(file, "资金台账", cell, "小计行，不作为项目数据导入"));
        }
        log.findings
            .push(finding("甲县.xlsx", "项目台账", "A5", "小计行，不作为项目数据导入"));
        log.findings
            .push(finding("甲县.xlsx", "资金台账", "H1", "未识别的列，已忽略"));
        let q = quality(&log);
        assert_eq!(q.total, 6);
        let counts: Vec<(&str, usize)> = q.groups.iter().map(|g| (g.sheet.as_str(), g.count)).collect();
        assert_eq!(counts, [("资金台账", 4), ("项目台账", 1), ("资金台账", 1)]);
        assert_eq!(
            q.groups[0].places,
            "甲县.xlsx A9；甲县.xlsx A15；乙县.xlsx A7 等，涉及 3 个文件"
        );
        assert_eq!(q.groups[1].places, "甲县.xlsx A5");
    }
}
