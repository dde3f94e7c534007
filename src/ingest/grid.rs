//! A sheet's cells as read from a file: sparse rows, so memory follows the
//! cells that hold data, not the sheet's extent; and the one place where
//! every reader's cells are checked (row and column limits, oversized text,
//! control characters) before anything else sees them.

use super::limits::Limits;
use super::log::{self, Origin, QualityLog};
use calamine::Data;
use std::collections::HashSet;

/// Most characters of a text cell: Excel's own limit for a cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// One row: its non-empty cells in column order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    cells: Vec<(usize, Data)>,
}

impl Row {
    /// A row of consecutive cells from column A (empty cells are dropped).
    pub fn from_cells(cells: impl IntoIterator<Item = Data>) -> Self {
        let mut row = Row::default();
        for (c, d) in cells.into_iter().enumerate() {
            row.set(c, d);
        }
        row
    }

    /// The cell in column `c`, if it holds anything.
    pub fn get(&self, c: usize) -> Option<&Data> {
        match self.cells.last() {
            Some((last, d)) if *last == c => Some(d),
            _ => self
                .cells
                .binary_search_by_key(&c, |(k, _)| *k)
                .ok()
                .map(|i| &self.cells[i].1),
        }
    }

    /// Non-empty cells with their columns, left to right.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Data)> {
        self.cells.iter().map(|(c, d)| (*c, d))
    }

    /// One past the last used column.
    pub fn width(&self) -> usize {
        self.cells.last().map_or(0, |(c, _)| c + 1)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Set a cell; an empty value clears it.
    pub fn set(&mut self, c: usize, d: Data) {
        let at = match self.cells.last() {
            Some((last, _)) if *last < c => Err(self.cells.len()),
            None => Err(0),
            _ => self.cells.binary_search_by_key(&c, |(k, _)| *k),
        };
        match (at, matches!(d, Data::Empty)) {
            (Ok(i), true) => {
                self.cells.remove(i);
            }
            (Ok(i), false) => self.cells[i].1 = d,
            (Err(_), true) => {}
            (Err(i), false) => self.cells.insert(i, (c, d)),
        }
    }
}

/// A sheet's cells at absolute positions: `rows[r]` is row r (0-based).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<Row>,
    /// Cells whose number format shows a percentage (`0%`, `0.0%` …): their
    /// value is a fraction (98% is stored as 0.98).
    pub percent: HashSet<(usize, usize)>,
}

impl Grid {
    /// A grid of consecutive rows and cells from A1 (tests and small inputs).
    pub fn from_rows(rows: Vec<Vec<Data>>) -> Self {
        Grid {
            rows: rows.into_iter().map(Row::from_cells).collect(),
            percent: HashSet::new(),
        }
    }

    fn set(&mut self, r: usize, c: usize, d: Data) {
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Row::default);
        }
        self.rows[r].set(c, d);
    }

    /// Whether the cell is formatted as a percentage.
    pub fn is_percent(&self, r: usize, c: usize) -> bool {
        !self.percent.is_empty() && self.percent.contains(&(r, c))
    }
}

/// Why a sheet was refused while its cells were collected (already logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// How streaming a sheet's cells ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Streamed {
    /// Every cell was read.
    Done,
    /// A cell was refused (logged by the collector).
    Refused,
    /// The reader failed: its error text.
    Broken(String),
}

/// Collects one sheet's cells into a [`Grid`], checking each cell.
pub struct Collector<'a> {
    file: &'a str,
    sheet: &'a str,
    limits: &'a Limits,
    grid: Grid,
}

impl<'a> Collector<'a> {
    pub fn new(file: &'a str, sheet: &'a str, limits: &'a Limits) -> Self {
        Self {
            file,
            sheet,
            limits,
            grid: Grid::default(),
        }
    }

    fn at(&self, r: usize, c: usize) -> Origin {
        Origin::new(self.file, self.sheet, log::a1(r as u32, c as u32))
    }

    /// Add a cell. A cell beyond the row or column limit refuses the sheet
    /// (logged); oversized text is refused and control characters are shown
    /// visibly, both logged with the cell.
    pub fn cell(&mut self, r: usize, c: usize, d: Data, percent: bool, log: &mut QualityLog) -> Result<(), Refused> {
        if matches!(d, Data::Empty) {
            return Ok(());
        }
        if r >= self.limits.max_rows || c >= self.limits.max_cols {
            too_big(self.file, self.sheet, self.limits, r, c, log);
            return Err(Refused);
        }
        let d = match d {
            Data::String(s) => match self.text(r, c, s, log) {
                Some(s) => Data::String(s),
                None => return Ok(()),
            },
            other => other,
        };
        if percent {
            self.grid.percent.insert((r, c));
        }
        self.grid.set(r, c, d);
        Ok(())
    }

    /// A text cell as kept: `None` when it is too long.
    fn text(&self, r: usize, c: usize, s: String, log: &mut QualityLog) -> Option<String> {
        if s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS {
            let head: String = s.chars().take(20).collect();
            log.error(
                self.at(r, c),
                &visible(&head),
                format!("单元格文字超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限），未导入；请删除多余内容"),
            );
            return None;
        }
        if !has_hidden(&s) {
            return Some(s);
        }
        let shown = visible(&s);
        log.warn(
            self.at(r, c),
            &shown,
            format!(
                "单元格含有不可见的控制字符 {}，已按原样标出（如 \\u{{1b}}）；请在原表中删除这些字符",
                hidden_list(&s)
            ),
        );
        Some(shown)
    }

    /// The collected grid.
    pub fn finish(self) -> Grid {
        self.grid
    }
}

/// Log a sheet refused for a cell beyond the row or column limit.
pub fn too_big(file: &str, sheet: &str, limits: &Limits, r: usize, c: usize, log: &mut QualityLog) {
    let what = if r >= limits.max_rows {
        format!("行数超过上限 {} 行（可用 --max-rows 调整）", limits.max_rows)
    } else {
        format!("列数超过上限 {} 列（可用 --max-cols 调整）", limits.max_cols)
    };
    let cell = if r >= 1 << 31 || c >= 1 << 31 {
        format!("第 {} 行第 {} 列", r.saturating_add(1), c.saturating_add(1))
    } else {
        log::a1(r as u32, c as u32)
    };
    log.error(
        Origin::new(file, sheet, cell),
        "",
        format!("工作表{what}，已拒绝读取；请删除多余的行列或拆分文件"),
    );
}

/// Characters that must not reach a terminal, an SVG or a PDF as they are:
/// C0 controls other than tab and line breaks, DEL, C1 controls, bidi
/// overrides and the non-characters U+FFFE/U+FFFF.
pub fn is_hidden(ch: char) -> bool {
    matches!(ch,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether a text holds any [`is_hidden`] character.
pub fn has_hidden(s: &str) -> bool {
    s.chars().any(is_hidden)
}

/// The text with each hidden character written as `\u{…}`.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if is_hidden(ch) {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// The distinct hidden characters of a text, e.g. `U+001B（ESC）`.
fn hidden_list(s: &str) -> String {
    let mut seen: Vec<char> = Vec::new();
    for ch in s.chars().filter(|c| is_hidden(*c)) {
        if !seen.contains(&ch) {
            seen.push(ch);
        }
    }
    seen.iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Data {
        Data::String(x.into())
    }

    #[test]
    fn rows_are_sparse_and_ordered() {
        let mut row = Row::default();
        row.set(255, s("IU"));
        row.set(0, s("A"));
        row.set(3, s("D"));
        row.set(3, Data::Empty);
        assert_eq!(row.width(), 256);
        assert_eq!(row.iter().map(|(c, _)| c).collect::<Vec<_>>(), vec![0, 255]);
        assert_eq!(row.get(255), Some(&s("IU")));
        assert_eq!(row.get(3), None);
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(visible("甲\u{1b}[31m乙"), "甲\\u{1b}[31m乙");
        assert_eq!(visible("行一\n行二\t"), "行一\n行二\t");
        assert!(has_hidden("a\u{202e}b"));
        assert_eq!(hidden_list("\u{1b}x\u{1b}\u{7}"), "U+001B、U+0007");
    }

    #[test]
    fn collector_refuses_long_text_and_marks_controls() {
        let limits = Limits::default();
        let mut log = QualityLog::default();
        let mut c = Collector::new("t.xlsx", "项目台账", &limits);
        c.cell(1, 1, s(&"长".repeat(MAX_CELL_CHARS + 1)), false, &mut log)
            .unwrap();
        c.cell(1, 2, s("名\u{1b}称"), false, &mut log).unwrap();
        let grid = c.finish();
        assert_eq!(grid.rows[1].get(1), None);
        assert_eq!(grid.rows[1].get(2), Some(&s("名\\u{1b}称")));
        assert_eq!(log.findings[0].origin.cell, "B2");
        assert!(log.findings[0].message.contains("超过 32767 个字符"));
        assert_eq!(log.findings[1].origin.cell, "C2");
        assert!(log.findings[1].message.contains("U+001B"));
    }
}
