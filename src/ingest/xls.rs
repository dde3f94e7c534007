//! A check of an xls file before calamine reads it.
//!
//! calamine sizes some buffers from numbers in the file: a DIMENSIONS
//! record's row and column bounds (`Vec::reserve(rows × cols)`) and a
//! stream's length in the compound-file directory (it follows the sector
//! chain until that many bytes are read, so a cyclic chain grows without
//! end). A damaged file can ask for hundreds of gigabytes, and a failed
//! allocation aborts the process, which no panic guard can catch. This
//! module walks the compound file the way calamine does and refuses such a
//! file with a Chinese message first.

/// End of a sector chain, and the first reserved sector id.
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream (64-byte sectors).
const MINI_CUTOFF: usize = 4096;
/// xls (BIFF8) grid: 65,536 rows × 256 columns.
const XLS_ROWS: u64 = 65_536;
const XLS_COLS: u64 = 256;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Why the file is refused (shown after “文件已损坏：”).
type Refusal = &'static str;

const BROKEN_CHAIN: Refusal = "复合文档的扇区链损坏（循环或越界）";
const BAD_LENGTH: Refusal = "复合文档目录中的数据流长度超过文件本身";
const BAD_DIMENSIONS: Refusal = "工作表的行列范围记录超出 xls 格式的上限（65536 行 × 256 列）";
const BAD_CELL: Refusal = "单元格记录的列号超出 xls 格式的上限（256 列，即 IV 列）";
const TRUNCATED: Refusal = "工作簿数据不完整（工作表缺少结束记录，文件可能被截断）";

/// The sectors of the compound file and its allocation table.
struct Cfb<'a> {
    data: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl Cfb<'_> {
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(self.size)?;
        let end = start.checked_add(self.size)?.min(self.data.len());
        self.data.get(start..end)
    }

    /// Bytes of the chain from `start`, `len` of them (less if the file ends).
    fn chain(
        &self,
        mut id: u32,
        len: usize,
        fat: &[u32],
        sectors: &dyn Fn(u32) -> Option<Vec<u8>>,
    ) -> Result<Vec<u8>, Refusal> {
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN && out.len() < len {
            steps += 1;
            if steps > fat.len() + 1 {
                return Err(BROKEN_CHAIN);
            }
            let Some(s) = sectors(id) else { break };
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            match fat.get(id as usize) {
                Some(next) => id = *next,
                None => break,
            }
        }
        Ok(out)
    }
}

/// Check an xls file; `Err` with the reason when calamine must not read it.
/// Files that are not compound documents pass (calamine refuses them itself).
pub fn precheck(data: &[u8]) -> Result<(), Refusal> {
    let Some(cfb) = open(data)? else { return Ok(()) };
    let Some(stream) = workbook_stream(&cfb, data)? else {
        return Ok(());
    };
    check_records(&stream)
}

/// The compound file's sectors and FAT; `None` when it is not one.
fn open(data: &[u8]) -> Result<Option<Cfb<'_>>, Refusal> {
    if data.len() < 512 || !data.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Ok(None);
    }
    let size = match u16_at(data, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Ok(None),
    };
    let mut cfb = Cfb {
        data,
        size,
        fat: Vec::new(),
    };
    let max_sectors = data.len() / size + 1;
    let mut difat: Vec<u32> = (0..109).filter_map(|k| u32_at(data, 76 + 4 * k)).collect();
    let mut next = u32_at(data, 68).unwrap_or(ENDOFCHAIN);
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        if steps > max_sectors {
            return Err(BROKEN_CHAIN);
        }
        let Some(s) = cfb.sector(next) else { break };
        let mut ids: Vec<u32> = s
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        next = ids.pop().unwrap_or(ENDOFCHAIN);
        difat.extend(ids);
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        if let Some(s) = cfb.sector(id) {
            fat.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        }
        // Distinct FAT sectors inside the file describe at most this many sectors.
        if fat.len() > max_sectors * size / 4 {
            return Err(BROKEN_CHAIN);
        }
    }
    cfb.fat = fat;
    Ok(Some(cfb))
}

/// A directory entry: name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// The Workbook (or BIFF5 Book) stream, read as calamine reads it.
fn workbook_stream(cfb: &Cfb, data: &[u8]) -> Result<Option<Vec<u8>>, Refusal> {
    let sector = |id| cfb.sector(id).map(<[u8]>::to_vec);
    let dir_start = u32_at(data, 48).unwrap_or(ENDOFCHAIN);
    let dirs = cfb.chain(dir_start, usize::MAX, &cfb.fat, &sector)?;
    let entries: Vec<Entry> = dirs
        .chunks_exact(128)
        .map(|e| {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{fffd}'))
                .take_while(|c| *c != '\0')
                .collect();
            let len = if cfb.size == 512 {
                u64::from(u32_at(e, 120).unwrap_or(0))
            } else {
                e.get(120..128)
                    .map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
            };
            Entry {
                name,
                start: u32_at(e, 116).unwrap_or(ENDOFCHAIN),
                len,
            }
        })
        .collect();
    let find = |n: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(n));
    let Some(book) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(None);
    };
    if book.len > data.len() as u64 {
        return Err(BAD_LENGTH);
    }
    let len = book.len as usize;
    if len >= MINI_CUTOFF {
        return cfb.chain(book.start, len, &cfb.fat, &sector).map(Some);
    }
    let Some(root) = entries.first() else { return Ok(None) };
    if root.len > data.len() as u64 {
        return Err(BAD_LENGTH);
    }
    let mini_fat_len = u32_at(data, 64).unwrap_or(0) as usize;
    if mini_fat_len == 0 {
        return Ok(None);
    }
    let mini_stream = cfb.chain(root.start, root.len as usize, &cfb.fat, &sector)?;
    let mini_fat_bytes = cfb.chain(
        u32_at(data, 60).unwrap_or(ENDOFCHAIN),
        mini_fat_len.saturating_mul(cfb.size).min(data.len()),
        &cfb.fat,
        &sector,
    )?;
    let mini_fat: Vec<u32> = mini_fat_bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mini = |id: u32| {
        let start = (id as usize).checked_mul(64)?;
        mini_stream
            .get(start..(start + 64).min(mini_stream.len()))
            .map(<[u8]>::to_vec)
    };
    cfb.chain(book.start, len, &mini_fat, &mini).map(Some)
}

/// One BIFF record: type and data (CONTINUE records are not needed here).
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = from;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = u16_at(stream, pos + 2)? as usize;
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((typ, data))
    })
}

/// Every sheet's DIMENSIONS records within the xls grid, and every
/// substream (globals and sheets) closed by its EOF record: a stream cut at
/// a record boundary would otherwise lose its last rows without a word.
fn check_records(stream: &[u8]) -> Result<(), Refusal> {
    let mut sheets = Vec::new();
    substream(stream, 0, |typ, data| {
        if typ == 0x0085 {
            sheets.extend(u32_at(data, 0).map(|p| p as usize));
        }
        Ok(())
    })?;
    for pos in sheets {
        substream(stream, pos, |typ, data| match typ {
            0x0200 if !dimensions_ok(data) => Err(BAD_DIMENSIONS),
            _ if !cell_columns_ok(typ, data) => Err(BAD_CELL),
            _ => Ok(()),
        })?;
    }
    Ok(())
}

/// Visit the records of the substream starting at `pos` up to its EOF.
/// Like calamine, the first BOF opens it and later ones open embedded
/// substreams (charts) whose records are skipped. A substream that ends
/// without its EOF is [`TRUNCATED`].
fn substream(
    stream: &[u8],
    pos: usize,
    mut visit: impl FnMut(u16, &[u8]) -> Result<(), Refusal>,
) -> Result<(), Refusal> {
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (typ, data) in records(stream, pos) {
        match (typ, depth) {
            (0x0809, _) if seen_bof => depth += 1,
            (0x0809, _) => seen_bof = true,
            (0x000A, 0) => return Ok(()),
            (0x000A, _) => depth -= 1,
            (_, 0) => visit(typ, data)?,
            _ => {}
        }
    }
    Err(TRUNCATED)
}

/// The columns of a cell record calamine reads within the xls grid. calamine
/// lays a sheet's cells out densely between their smallest and largest
/// positions, so one cell with a damaged column (up to 65,535) would make it
/// allocate rows × 65,536 cells (found by fuzzing: 137 GB).
fn cell_columns_ok(typ: u16, r: &[u8]) -> bool {
    let col = |i: usize| u16_at(r, i).is_none_or(|c| u64::from(c) < XLS_COLS);
    match typ {
        // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column, …
        0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => col(2),
        // MULRK: row, first column, RK records, last column.
        0x00BD => col(2) && r.len() >= 2 && col(r.len() - 2),
        _ => true,
    }
}

/// A DIMENSIONS record as calamine reads it: first row, last row + 1,
/// first column, last column + 1, within 65,536 × 256 and in order.
fn dimensions_ok(r: &[u8]) -> bool {
    let (rf, rl, cf, cl) = match r.len() {
        10 => (
            u64::from(u16_at(r, 0).unwrap_or(0)),
            u64::from(u16_at(r, 2).unwrap_or(0)),
            u64::from(u16_at(r, 4).unwrap_or(0)),
            u64::from(u16_at(r, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u64::from(u32_at(r, 0).unwrap_or(0)),
            u64::from(u32_at(r, 4).unwrap_or(0)),
            u64::from(u16_at(r, 8).unwrap_or(0)),
            u64::from(u16_at(r, 10).unwrap_or(0)),
        ),
        // calamine refuses other lengths itself.
        _ => return true,
    };
    // calamine treats an impossible first column as 0.
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return true;
    }
    rf < rl && rl <= XLS_ROWS && cl <= XLS_COLS && cf < cl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_within_the_grid() {
        let rec = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut v = Vec::new();
            v.extend(rf.to_le_bytes());
            v.extend(rl.to_le_bytes());
            v.extend(cf.to_le_bytes());
            v.extend(cl.to_le_bytes());
            v.extend([0, 0]);
            v
        };
        assert!(dimensions_ok(&rec(0, 10, 0, 5)));
        assert!(dimensions_ok(&rec(0, 65_536, 0, 256)));
        assert!(!dimensions_ok(&rec(0, 4_000_000_000, 0, 5)));
        assert!(!dimensions_ok(&rec(20, 10, 0, 5)));
        assert!(!dimensions_ok(&rec(0, 10, 0, 60_000)));
    }

    /// A BIFF record.
    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    #[test]
    fn a_sheet_without_its_eof_record_is_truncated() {
        let bof = rec(0x0809, &[0; 16]);
        let eof = rec(0x000A, &[]);
        let number = rec(0x0203, &[0; 14]);
        // Globals: BOF, BOUNDSHEET pointing after the globals, EOF.
        let globals_len = bof.len() + 4 + 8 + eof.len();
        let sheet_at = (globals_len as u32).to_le_bytes();
        let mut bound = sheet_at.to_vec();
        bound.extend([0, 0, 1, 0]);
        let globals = [bof.clone(), rec(0x0085, &bound), eof.clone()].concat();
        assert_eq!(globals.len(), globals_len);
        let whole = [globals.clone(), bof.clone(), number.clone(), eof].concat();
        assert_eq!(check_records(&whole), Ok(()));
        let cut = [globals, bof, number].concat();
        assert_eq!(check_records(&cut), Err(TRUNCATED));
    }

    #[test]
    fn a_cell_beyond_column_iv_is_refused() {
        // NUMBER: row 0, column 256 (IW) — calamine would lay out 65,536 columns.
        let number = |col: u16| [&0u16.to_le_bytes()[..], &col.to_le_bytes(), &[0; 10]].concat();
        assert!(cell_columns_ok(0x0203, &number(255)));
        assert!(!cell_columns_ok(0x0203, &number(256)));
        // MULRK from column 0 to 300.
        let mulrk = [
            &0u16.to_le_bytes()[..],
            &0u16.to_le_bytes(),
            &[0; 6],
            &300u16.to_le_bytes(),
        ]
        .concat();
        assert!(!cell_columns_ok(0x00BD, &mulrk));
        assert!(cell_columns_ok(0x0201, &number(4000)), "BLANK records are not read");
    }

    #[test]
    fn the_committed_xls_passes() {
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/formats.xls")).unwrap();
        assert_eq!(precheck(&data), Ok(()));
        let cfb = open(&data).unwrap().unwrap();
        assert!(workbook_stream(&cfb, &data).unwrap().is_some_and(|s| s.len() > 100));
    }
}
