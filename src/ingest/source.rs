//! Opening an input file as sheets of cells, within the safety limits.
//!
//! xlsx and xlsb are streamed cell by cell (calamine's cell readers), so a
//! sheet whose cells lie beyond the row or column limit is refused before it
//! is held in memory; xls and ods go through calamine's ranges (xls is
//! bounded by its format, 65,536 × 256; ods by the decompressed-size limit);
//! csv is decoded and parsed here. Zip-based files are checked against the decompressed
//! size limit from their central directory before calamine opens them.

use super::limits::{self, Limits, ZipProblem};
use super::log::{Origin, QualityLog};
use super::{Source, csv};
use calamine::{Data, Reader, Xlsb, Xlsx, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::panic::AssertUnwindSafe;

thread_local! {
    /// Set while this thread runs a reader whose panics are caught and reported as data errors.
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, turning a panic into `Err` without the panic message on stderr
/// (the caller reports the file in Chinese instead). Panics on other threads,
/// or outside `f`, still print through the previous hook.
pub(super) fn catch_quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(|c| c.get()) {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(false));
    result
}

/// Log a sheet calamine cannot read.
fn unreadable_sheet(log: &mut QualityLog, file: &str, sheet: &str, e: impl std::fmt::Display) {
    log.error(
        Origin::new(file, sheet, String::new()),
        "",
        format!("无法读取工作表：{e}"),
    );
}

/// A sheet's cells at absolute positions: `rows[r][c]` is cell (r, c);
/// rows are as long as their last used cell.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<Vec<Data>>,
}

impl Grid {
    fn set(&mut self, r: usize, c: usize, d: Data) {
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        if row.len() <= c {
            row.resize(c + 1, Data::Empty);
        }
        row[c] = d;
    }
}

/// A sheet read from a file: its name in the file (the file stem for csv).
pub struct SheetGrid {
    pub name: String,
    pub grid: Grid,
    /// Read from a csv file (one sheet; identified by file name or header).
    pub csv: bool,
}

/// The file's extension, lower case.
fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default()
}

/// Stream every wanted sheet of a workbook whose reader has a cell-by-cell
/// `worksheet_cells_reader` (xlsx, xlsb).
macro_rules! read_streamed {
    ($src:expr, $wb:expr, $limits:expr, $wanted:expr, $log:expr) => {{
        let (src, limits, log): (&Source, &Limits, &mut QualityLog) = ($src, $limits, $log);
        let mut wb = $wb;
        let mut out = Vec::new();
        for name in wb.sheet_names() {
            if !$wanted(&name) {
                out.push(SheetGrid {
                    name,
                    grid: Grid::default(),
                    csv: false,
                });
                continue;
            }
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(e) => {
                    unreadable_sheet(log, &src.name, &name, e);
                    continue;
                }
            };
            let mut cells = std::iter::from_fn(|| match reader.next_cell() {
                Ok(Some(c)) => Some(Ok((c.get_position(), Data::from(c.get_value().clone())))),
                Ok(None) => None,
                Err(e) => Some(Err(e.to_string())),
            });
            if let Some(grid) = collect_cells(src, &name, limits, &mut cells, log) {
                out.push(SheetGrid { name, grid, csv: false });
            }
        }
        out
    }};
}

/// Read the sheets of a file that `wanted` accepts (every sheet of a csv).
/// Problems go to the log; a refused file or sheet yields nothing.
pub fn read_sheets(
    src: &Source,
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Vec<SheetGrid> {
    let file = Origin::new(&src.name, "", String::new());
    let ext = extension(&src.name);
    if matches!(ext.as_str(), "csv" | "txt" | "tsv") {
        return read_csv(src, limits, log).into_iter().collect();
    }
    if limits::is_zip(&src.data) {
        match limits::check_zip(&src.data, limits) {
            Ok(()) => {}
            Err(ZipProblem::TooLarge { declared }) => {
                log.error(
                    file,
                    "",
                    format!(
                        "工作簿解压后大小 {} MB 超过上限 {} MB，已拒绝读取（可用 --max-unzipped-mb 调整上限）",
                        declared / (1024 * 1024),
                        limits.max_unzipped_bytes / (1024 * 1024)
                    ),
                );
                return Vec::new();
            }
            Err(ZipProblem::Corrupt) => {
                log.error(
                    file,
                    "",
                    "文件已损坏：压缩包目录无法读取，请用 Excel 打开后重新保存".into(),
                );
                return Vec::new();
            }
        }
        if ext != "ods" {
            if let Ok(wb) = Xlsx::new(Cursor::new(src.data.as_slice())) {
                return read_streamed!(src, wb, limits, wanted, log);
            }
            // calamine 0.38 panics on some damaged xlsb records (a shared-string
            // index beyond the table, a missing relationship): a panic there
            // refuses the file instead of ending the run.
            let xlsb = catch_quietly(|| {
                Xlsb::new(Cursor::new(src.data.as_slice()))
                    .ok()
                    .map(|wb| read_streamed!(src, wb, limits, wanted, &mut *log))
            });
            match xlsb {
                Ok(Some(sheets)) => return sheets,
                Ok(None) => {}
                Err(_) => {
                    log.error(
                        file,
                        "",
                        "文件已损坏：工作簿内容无法解析，请用 Excel 打开后重新保存".into(),
                    );
                    return Vec::new();
                }
            }
        }
    }
    read_other(src, limits, wanted, log)
}

fn too_big(src: &Source, sheet: &str, limits: &Limits, r: usize, c: usize, log: &mut QualityLog) {
    let what = if r >= limits.max_rows {
        format!("行数超过上限 {} 行（可用 --max-rows 调整）", limits.max_rows)
    } else {
        format!("列数超过上限 {} 列（可用 --max-cols 调整）", limits.max_cols)
    };
    log.error(
        Origin::new(&src.name, sheet, super::log::a1(r as u32, c as u32)),
        "",
        format!("工作表{what}，已拒绝读取；请删除多余的行列或拆分文件"),
    );
}

/// Collect streamed cells into a grid; `None` (logged) when a cell lies
/// beyond the limits or the sheet is corrupt.
fn collect_cells(
    src: &Source,
    name: &str,
    limits: &Limits,
    cells: &mut dyn Iterator<Item = Result<((u32, u32), Data), String>>,
    log: &mut QualityLog,
) -> Option<Grid> {
    let mut grid = Grid::default();
    for cell in cells {
        match cell {
            Ok(((r, c), d)) => {
                let (r, c) = (r as usize, c as usize);
                if r >= limits.max_rows || c >= limits.max_cols {
                    too_big(src, name, limits, r, c, log);
                    return None;
                }
                if !matches!(d, Data::Empty) {
                    grid.set(r, c, d);
                }
            }
            Err(e) => {
                log.error(
                    Origin::new(&src.name, name, String::new()),
                    "",
                    format!("工作表内容损坏，无法读取：{e}"),
                );
                return None;
            }
        }
    }
    Some(grid)
}

fn read_other(src: &Source, limits: &Limits, wanted: &dyn Fn(&str) -> bool, log: &mut QualityLog) -> Vec<SheetGrid> {
    let mut wb = match open_workbook_auto_from_rs(Cursor::new(src.data.as_slice())) {
        Ok(wb) => wb,
        Err(e) => {
            log.error(
                Origin::new(&src.name, "", String::new()),
                "",
                format!("无法打开文件（支持 xlsx、xls、xlsb、ods、csv）：{e}"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        if !wanted(&name) {
            out.push(SheetGrid {
                name,
                grid: Grid::default(),
                csv: false,
            });
            continue;
        }
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                unreadable_sheet(log, &src.name, &name, e);
                continue;
            }
        };
        let Some((r0, c0)) = range.start() else {
            out.push(SheetGrid {
                name,
                grid: Grid::default(),
                csv: false,
            });
            continue;
        };
        let (r1, c1) = range.end().unwrap_or((r0, c0));
        if r1 as usize >= limits.max_rows || c1 as usize >= limits.max_cols {
            too_big(src, &name, limits, r1 as usize, c1 as usize, log);
            continue;
        }
        let mut grid = Grid::default();
        for (r, c, d) in range.used_cells() {
            grid.set(r0 as usize + r, c0 as usize + c, d.clone());
        }
        out.push(SheetGrid { name, grid, csv: false });
    }
    out
}

fn read_csv(src: &Source, limits: &Limits, log: &mut QualityLog) -> Option<SheetGrid> {
    let (text, encoding) = csv::decode(&src.data);
    let stem = src
        .name
        .rsplit_once('.')
        .map_or(src.name.as_str(), |(s, _)| s)
        .to_string();
    let origin = Origin::new(&src.name, "", String::new());
    match csv::parse(&text, limits.max_rows, limits.max_cols) {
        Ok(rows) => {
            if encoding != "UTF-8" {
                log.info(origin, "", format!("按 {encoding} 编码读取"));
            }
            Some(SheetGrid {
                name: stem,
                grid: Grid { rows },
                csv: true,
            })
        }
        Err((r, c)) => {
            too_big(src, "", limits, r, c, log);
            None
        }
    }
}
