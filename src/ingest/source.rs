//! Opening an input file as sheets of cells, within the safety limits.
//!
//! xlsx and xlsb are streamed cell by cell (calamine's cell readers), so a
//! sheet whose cells lie beyond the row or column limit is refused before it
//! is held in memory; xlsx sheets are also scanned for what calamine reads
//! silently wrong (see [`super::xlsx`]). ods is read by [`super::ods`]
//! (repeated rows and columns bounded); xls goes through calamine's range
//! (bounded by its format, 65,536 × 256); csv is decoded and parsed here.
//! Zip-based files are checked against the decompressed size limit from
//! their central directory before they are opened. Every reader runs under
//! [`catch_quietly`]: a library panic refuses the file with a Chinese
//! message instead of ending the run. Every cell passes through
//! [`Collector`].

use super::grid::{Collector, Grid, Refused, Streamed, visible};
use super::guard::catch_quietly;
use super::limits::{self, Limits, ZipProblem};
use super::log::{Origin, QualityLog};
use super::{Source, csv, ods, xls, xlsx};
use calamine::{Data, Reader, Xlsb, Xlsx, open_workbook_auto_from_rs};
use std::io::Cursor;

/// A sheet read from a file: its name in the file (the file stem for csv).
pub struct SheetGrid {
    pub name: String,
    pub grid: Grid,
    /// Read from a csv file (one sheet; identified by file name or header).
    pub csv: bool,
}

impl SheetGrid {
    /// A sheet that was not read (its name only).
    pub fn empty(name: String) -> Self {
        Self {
            name,
            grid: Grid::default(),
            csv: false,
        }
    }
}

/// The file's extension, lower case.
fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default()
}

/// A library's English error as a Chinese explanation with the original in brackets.
pub fn library_message(e: &str) -> String {
    let what = if e.contains("larger than its declared uncompressed size") {
        "压缩包中的成员实际解压大小超过目录中声明的大小，文件已损坏或被改动"
    } else if e.contains("checksum") || e.contains("Checksum") || e.contains("CRC") {
        "压缩包校验失败，文件已损坏"
    } else if e.contains("Cannot detect file format") {
        "无法识别文件格式：不是 xlsx、xls、xlsb、ods 或 csv 文件"
    } else if e.contains("password") || e.contains("Password") || e.contains("encrypt") {
        "工作簿设有密码或已加密，无法读取；请取消密码后重新保存"
    } else if e.contains("EOF") || e.contains("end of file") || e.contains("Eof") {
        "文件内容不完整（可能在复制或下载时被截断）"
    } else {
        "文件内容无法解析，文件可能已损坏"
    };
    format!("{what}；请用 Excel 打开后重新保存（{e}）")
}

fn file_error(log: &mut QualityLog, src: &Source, message: String) {
    log.error(Origin::new(&src.name, "", String::new()), "", message);
}

/// Log a sheet calamine cannot read.
fn unreadable_sheet(log: &mut QualityLog, file: &str, sheet: &str, e: &str) {
    log.error(
        Origin::new(file, sheet, String::new()),
        "",
        format!("无法读取工作表：{}", library_message(e)),
    );
}

/// The message for a file whose reader panicked.
const PANICKED: &str = "文件已损坏：工作簿内容无法解析，请用 Excel 打开后重新保存";

/// Read the sheets of a file that `wanted` accepts (every sheet of a csv).
/// Problems go to the log; a refused file or sheet yields nothing.
pub fn read_sheets(
    src: &Source,
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Vec<SheetGrid> {
    if src.data.is_empty() {
        file_error(log, src, "文件为空（0 字节），无法读取；请重新导出或复制该文件".into());
        return Vec::new();
    }
    let ext = extension(&src.name);
    if matches!(ext.as_str(), "csv" | "txt" | "tsv") {
        return read_csv(src, limits, log).into_iter().collect();
    }
    let errors_before = log.count(super::log::Severity::Error);
    let outcome = catch_quietly(|| read_workbook(src, &ext, limits, wanted, &mut *log));
    let sheets = outcome.unwrap_or_else(|_| {
        file_error(log, src, PANICKED.into());
        Vec::new()
    });
    // A workbook always has a sheet: none and no error means its index is damaged.
    if sheets.is_empty() && log.count(super::log::Severity::Error) == errors_before {
        file_error(
            log,
            src,
            "文件中没有找到任何工作表，文件可能已损坏（工作簿目录缺失）；请用 Excel 打开后重新保存".into(),
        );
    }
    sheets
}

fn read_workbook(
    src: &Source,
    ext: &str,
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Vec<SheetGrid> {
    if !limits::is_zip(&src.data) {
        return read_other(src, limits, wanted, log);
    }
    match limits::check_zip(&src.data, limits) {
        Ok(()) => {}
        Err(ZipProblem::TooLarge { declared }) => {
            file_error(
                log,
                src,
                format!(
                    "工作簿解压后大小 {} MB 超过上限 {} MB，已拒绝读取（可用 --max-unzipped-mb 调整上限）",
                    declared / (1024 * 1024),
                    limits.max_unzipped_bytes / (1024 * 1024)
                ),
            );
            return Vec::new();
        }
        Err(ZipProblem::Corrupt) => {
            file_error(
                log,
                src,
                "文件已损坏：压缩包目录无法读取（文件可能不完整），请用 Excel 打开后重新保存".into(),
            );
            return Vec::new();
        }
    }
    let mut attempts = Vec::new();
    if ext != "ods" {
        match Xlsx::new(Cursor::new(src.data.as_slice())) {
            Ok(wb) => return read_xlsx(src, wb, limits, wanted, log),
            Err(e) => attempts.push(("xlsx", e.to_string())),
        }
        match Xlsb::new(Cursor::new(src.data.as_slice())) {
            Ok(wb) => return read_xlsb(src, wb, limits, wanted, log),
            Err(e) => attempts.push(("xlsb", e.to_string())),
        }
    }
    match ods::read(&src.name, &src.data, limits, wanted, log) {
        Ok(sheets) => sheets,
        Err(why) => {
            // Report the failure of the format the file claims to be.
            let claimed = attempts.iter().find(|(kind, _)| *kind == ext).or(attempts.first());
            let message = match claimed {
                Some((_, e)) if ext != "ods" => format!("文件已损坏：{}", library_message(e)),
                _ => why,
            };
            file_error(log, src, message);
            Vec::new()
        }
    }
}

/// The sheets of a workbook in file order: `read` gives each wanted sheet
/// (from its name in the file and its shown name, control characters
/// written out), `None` when it was refused (logged); the others are listed
/// by name only.
fn each_sheet(
    names: Vec<String>,
    wanted: &dyn Fn(&str) -> bool,
    mut read: impl FnMut(&str, String) -> Option<SheetGrid>,
) -> Vec<SheetGrid> {
    let mut out = Vec::new();
    for raw in names {
        let name = visible(&raw);
        if wanted(&name) {
            out.extend(read(&raw, name));
        } else {
            out.push(SheetGrid::empty(name));
        }
    }
    out
}

/// The xlsx sheets `wanted` accepts, each scanned, then streamed with formats.
fn read_xlsx(
    src: &Source,
    mut wb: Xlsx<Cursor<&[u8]>>,
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Vec<SheetGrid> {
    let paths = xlsx::sheet_paths(&src.data);
    each_sheet(wb.sheet_names(), wanted, |raw, name| {
        let scan = paths
            .get(raw)
            .and_then(|p| xlsx::member_bytes(&src.data, p))
            .map(|xml| xlsx::scan_sheet(&xml))
            .unwrap_or_default();
        let skip = xlsx::report_scan(scan, &src.name, &name, log).ok()?;
        let mut collector = Collector::new(&src.name, &name, limits);
        let read = xlsx::read_sheet(&mut wb, raw, &skip, &mut collector, log);
        let grid = collector.finish();
        kept(grid, name, read, &src.name, log)
    })
}

/// A streamed sheet, or `None` when it was refused (logged) or broken
/// (logged here with calamine's error).
fn kept(grid: Grid, name: String, read: Streamed, file: &str, log: &mut QualityLog) -> Option<SheetGrid> {
    match read {
        Streamed::Done => Some(SheetGrid { grid, name, csv: false }),
        Streamed::Refused => None,
        Streamed::Broken(e) => {
            log.error(
                Origin::new(file, &name, String::new()),
                "",
                format!("工作表内容损坏，无法读取：{}", library_message(&e)),
            );
            None
        }
    }
}

/// The xlsb sheets `wanted` accepts, streamed.
fn read_xlsb(
    src: &Source,
    mut wb: Xlsb<Cursor<&[u8]>>,
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Vec<SheetGrid> {
    each_sheet(wb.sheet_names(), wanted, |raw, name| {
        let mut reader = match wb.worksheet_cells_reader(raw) {
            Ok(r) => r,
            Err(e) => {
                unreadable_sheet(log, &src.name, &name, &e.to_string());
                return None;
            }
        };
        let mut collector = Collector::new(&src.name, &name, limits);
        let read = loop {
            match reader.next_cell() {
                Ok(Some(c)) => {
                    let (r, col) = c.get_position();
                    let d = Data::from(c.get_value().clone());
                    if collector.cell(r as usize, col as usize, d, false, log) == Err(Refused) {
                        break Streamed::Refused;
                    }
                }
                Ok(None) => break Streamed::Done,
                Err(e) => break Streamed::Broken(e.to_string()),
            }
        };
        let grid = collector.finish();
        kept(grid, name, read, &src.name, log)
    })
}

/// xls (and anything else calamine recognises) through calamine's ranges.
fn read_other(src: &Source, limits: &Limits, wanted: &dyn Fn(&str) -> bool, log: &mut QualityLog) -> Vec<SheetGrid> {
    if let Err(why) = xls::precheck(&src.data) {
        file_error(
            log,
            src,
            format!("文件已损坏：{why}，已拒绝读取；请用 Excel 打开后另存为 xlsx"),
        );
        return Vec::new();
    }
    let mut wb = match open_workbook_auto_from_rs(Cursor::new(src.data.as_slice())) {
        Ok(wb) => wb,
        Err(e) => {
            file_error(
                log,
                src,
                format!(
                    "无法打开文件（支持 xlsx、xls、xlsb、ods、csv）：{}",
                    library_message(&e.to_string())
                ),
            );
            return Vec::new();
        }
    };
    each_sheet(wb.sheet_names(), wanted, |raw, name| {
        let range = match wb.worksheet_range(raw) {
            Ok(r) => r,
            Err(e) => {
                unreadable_sheet(log, &src.name, &name, &e.to_string());
                return None;
            }
        };
        let Some((r0, c0)) = range.start() else {
            return Some(SheetGrid::empty(name));
        };
        let mut collector = Collector::new(&src.name, &name, limits);
        let refused = range
            .used_cells()
            .any(|(r, c, d)| collector.cell(r0 as usize + r, c0 as usize + c, d.clone(), false, log) == Err(Refused));
        let grid = collector.finish();
        (!refused).then_some(SheetGrid { grid, name, csv: false })
    })
}

fn read_csv(src: &Source, limits: &Limits, log: &mut QualityLog) -> Option<SheetGrid> {
    let (text, encoding) = csv::decode(&src.data);
    let stem = src
        .name
        .rsplit_once('.')
        .map_or(src.name.as_str(), |(s, _)| s)
        .to_string();
    let mut collector = Collector::new(&src.name, "", limits);
    let parsed = csv::parse(&text, |r, c, t| collector.cell(r, c, Data::String(t), false, log));
    match parsed {
        Err(Refused) => return None,
        Ok(Some((r, c))) => log.error(
            Origin::new(&src.name, "", super::log::a1(r as u32, c as u32)),
            "",
            "该单元格以引号开头但引号没有闭合，此后的内容都被读作这一个单元格（文件可能不完整）；请检查该单元格的引号"
                .into(),
        ),
        Ok(None) => {}
    }
    let trimmed = text.trim_end_matches([' ', '\t']);
    if !trimmed.is_empty() && !trimmed.ends_with(['\n', '\r']) {
        let last = trimmed.lines().count();
        log.warn(
            Origin::new(&src.name, "", format!("第 {last} 行")),
            "",
            "文件最后一行没有以换行结束，文件可能不完整（如复制或下载中断）；请核对最后一行的数据".into(),
        );
    }
    if encoding != "UTF-8" {
        log.info(
            Origin::new(&src.name, "", String::new()),
            "",
            format!("按 {encoding} 编码读取"),
        );
    }
    Some(SheetGrid {
        name: stem,
        grid: collector.finish(),
        csv: true,
    })
}
