//! Safety limits on inputs: decompressed size of zip-based workbooks, rows
//! and columns per sheet. A file beyond a limit is refused with a message
//! naming the limit and the flag that changes it.

use serde::Serialize;

/// Limits applied while reading inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Largest total uncompressed size of a zip-based workbook (xlsx, xlsb, ods), bytes.
    pub max_unzipped_bytes: u64,
    /// Most rows per sheet (or csv file).
    pub max_rows: usize,
    /// Most columns per sheet (or csv file).
    pub max_cols: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_unzipped_bytes: 1024 * 1024 * 1024,
            max_rows: 2_000_000,
            max_cols: 256,
        }
    }
}

/// Why a zip archive's directory was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipProblem {
    /// The declared uncompressed size exceeds the limit.
    TooLarge { declared: u64 },
    /// No readable central directory.
    Corrupt,
}

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 2).map(|s| u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 4)
        .map(|s| u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    let s = b.get(i..i + 8)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

/// Total uncompressed size declared by a zip archive's central directory,
/// read before any member is decompressed.
pub fn zip_declared_size(data: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = &[0x50, 0x4b, 0x05, 0x06];
    let from = data.len().saturating_sub(22 + 65_535);
    let eocd = data[from..].windows(4).rposition(|w| w == EOCD)? + from;
    let mut entries = u16_at(data, eocd + 10)?;
    let mut offset = u32_at(data, eocd + 16)?;
    if (entries == 0xFFFF || offset == 0xFFFF_FFFF) && eocd >= 20 {
        // zip64 end-of-central-directory locator just before the EOCD.
        let loc = eocd - 20;
        if u32_at(data, loc)? == 0x0706_4b50 {
            let rec = usize::try_from(u64_at(data, loc + 8)?).ok()?;
            if u32_at(data, rec)? == 0x0606_4b50 {
                entries = u64_at(data, rec + 32)?;
                offset = u64_at(data, rec + 48)?;
            }
        }
    }
    let mut pos = usize::try_from(offset).ok()?;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if u32_at(data, pos)? != 0x0201_4b50 {
            return None;
        }
        let mut size = u32_at(data, pos + 24)?;
        let name_len = usize::try_from(u16_at(data, pos + 28)?).ok()?;
        let extra_len = usize::try_from(u16_at(data, pos + 30)?).ok()?;
        let comment_len = usize::try_from(u16_at(data, pos + 32)?).ok()?;
        if size == 0xFFFF_FFFF {
            size = zip64_size(data.get(pos + 46 + name_len..pos + 46 + name_len + extra_len)?)?;
        }
        total = total.saturating_add(size);
        pos += 46 + name_len + extra_len + comment_len;
    }
    Some(total)
}

/// The uncompressed size in a zip64 extended-information extra field.
fn zip64_size(extra: &[u8]) -> Option<u64> {
    let mut i = 0;
    while i + 4 <= extra.len() {
        let id = u16_at(extra, i)?;
        let len = usize::try_from(u16_at(extra, i + 2)?).ok()?;
        if id == 1 {
            return u64_at(extra, i + 4);
        }
        i += 4 + len;
    }
    None
}

/// Check a zip-based workbook against the limit before it is opened.
pub fn check_zip(data: &[u8], limits: &Limits) -> Result<(), ZipProblem> {
    let declared = zip_declared_size(data).ok_or(ZipProblem::Corrupt)?;
    if declared > limits.max_unzipped_bytes {
        return Err(ZipProblem::TooLarge { declared });
    }
    Ok(())
}

/// Whether bytes start like a zip archive.
pub fn is_zip(data: &[u8]) -> bool {
    data.starts_with(b"PK\x03\x04")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored (uncompressed) zip with one member `a.txt` holding `hello`.
    fn tiny_zip(declared: u32) -> Vec<u8> {
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x03\x04");
        z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&0u32.to_le_bytes()); // crc (unchecked here)
        z.extend_from_slice(&5u32.to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&5u16.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z.extend_from_slice(b"a.txthello");
        let cd = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02");
        z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(&5u32.to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&5u16.to_le_bytes());
        z.extend_from_slice(&[0; 12]);
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(b"a.txt");
        let cd_len = z.len() as u32 - cd;
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        z.extend_from_slice(&cd_len.to_le_bytes());
        z.extend_from_slice(&cd.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z
    }

    #[test]
    fn declared_size_is_summed_from_the_central_directory() {
        assert_eq!(zip_declared_size(&tiny_zip(5)), Some(5));
        let small = Limits {
            max_unzipped_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            check_zip(&tiny_zip(5), &small),
            Err(ZipProblem::TooLarge { declared: 5 })
        );
        assert_eq!(check_zip(b"PK\x03\x04garbage", &small), Err(ZipProblem::Corrupt));
    }
}
