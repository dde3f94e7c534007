//! The data-quality log: every finding with its file, sheet and cell.

use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    #[serde(rename = "错误")]
    Error,
    #[serde(rename = "警告")]
    Warning,
    #[serde(rename = "提示")]
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    pub sheet: String,
    /// A1-style cell, or empty for a whole file or sheet.
    pub cell: String,
}

impl Origin {
    pub fn new(file: &str, sheet: &str, cell: String) -> Self {
        Self {
            file: file.into(),
            sheet: sheet.into(),
            cell,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if !self.sheet.is_empty() {
            write!(f, " / {}", self.sheet)?;
        }
        if !self.cell.is_empty() {
            write!(f, " / {}", self.cell)?;
        }
        Ok(())
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    #[serde(flatten)]
    pub origin: Origin,
    /// The cell's raw content, if any.
    pub raw: String,
    pub message: String,
}

/// Rows read, used and skipped on one sheet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SheetTally {
    pub file: String,
    pub sheet: String,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_skipped: usize,
}

/// All findings of a run, in the order found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QualityLog {
    pub findings: Vec<Finding>,
    pub tallies: Vec<SheetTally>,
}

impl QualityLog {
    pub fn push(&mut self, severity: Severity, origin: Origin, raw: &str, message: String) {
        self.findings.push(Finding {
            severity,
            origin,
            raw: raw.into(),
            message,
        });
    }
    pub fn error(&mut self, origin: Origin, raw: &str, message: String) {
        self.push(Severity::Error, origin, raw, message);
    }
    pub fn warn(&mut self, origin: Origin, raw: &str, message: String) {
        self.push(Severity::Warning, origin, raw, message);
    }
    pub fn info(&mut self, origin: Origin, raw: &str, message: String) {
        self.push(Severity::Info, origin, raw, message);
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Findings sorted by severity, keeping input order within a severity.
    pub fn sorted(&self) -> Vec<&Finding> {
        let mut v: Vec<_> = self.findings.iter().collect();
        v.sort_by_key(|f| f.severity);
        v
    }
}

/// Column index (0-based) to letters: 0 → A, 26 → AA.
pub fn col_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// 0-based (row, col) to an A1 address.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_letters(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(1, 26), "AA2");
        assert_eq!(a1(2, 701), "ZZ3");
        assert_eq!(a1(2, 702), "AAA3");
    }
}
