//! dBASE (.dbf) attribute tables of Shapefiles, with the text encoding taken
//! from the `.cpg` file when it names one and checked against the bytes:
//! GBK/GB18030 (the usual 三调 export) or UTF-8.

use encoding_rs::GB18030;

/// Text encoding of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gbk => "GBK/GB18030",
        }
    }

    /// The encoding a `.cpg` file names, if it is one of ours.
    pub fn from_cpg(text: &str) -> Option<Self> {
        let t = text.trim().to_uppercase().replace(['-', '_', ' '], "");
        match t.as_str() {
            "UTF8" | "65001" => Some(Encoding::Utf8),
            "GBK" | "GB2312" | "GB18030" | "936" | "CP936" | "ANSI936" | "54936" => Some(Encoding::Gbk),
            _ => None,
        }
    }

    /// Decode without replacement; `None` when the bytes are not in this encoding.
    pub fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
            Encoding::Gbk => GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|c| c.into_owned()),
        }
    }

    /// Whether the bytes are text in this encoding (as [`Encoding::decode`] would find, without the copy).
    pub fn accepts(self, bytes: &[u8]) -> bool {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).is_ok(),
            Encoding::Gbk => {
                use encoding_rs::DecoderResult;
                if bytes.is_ascii() {
                    return true;
                }
                // The decoder `decode_without_bom_handling_and_without_replacement` runs, into a
                // buffer on the stack instead of a new string.
                let mut decoder = GB18030.new_decoder_without_bom_handling();
                let mut out = [0u8; 256];
                let mut rest = bytes;
                loop {
                    let (result, read, _) = decoder.decode_to_utf8_without_replacement(rest, &mut out, true);
                    rest = &rest[read..];
                    match result {
                        DecoderResult::InputEmpty => return true,
                        DecoderResult::OutputFull => {}
                        DecoderResult::Malformed(..) => return false,
                    }
                }
            }
        }
    }

    /// Decode, replacing what cannot be decoded.
    pub fn decode_lossy(self, bytes: &[u8]) -> String {
        self.decode(bytes).unwrap_or_else(|| match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Gbk => GB18030.decode_without_bom_handling(bytes).0.into_owned(),
        })
    }
}

/// A column of the table.
#[derive(Debug, Clone)]
pub struct DbfField {
    pub name: String,
    /// dBASE type: `C` text, `N`/`F` number, `D` date, `L` logical …
    pub kind: u8,
    offset: usize,
    len: usize,
}

/// An opened table (borrowing the file's bytes).
pub struct Dbf<'a> {
    data: &'a [u8],
    pub fields: Vec<DbfField>,
    header_len: usize,
    record_len: usize,
    /// Records the file holds (including deleted ones).
    pub count: usize,
    pub encoding: Encoding,
    /// Why the encoding is doubtful (a `.cpg` contradicted, or neither GBK nor UTF-8), with the first record concerned.
    pub encoding_problem: Option<(String, usize)>,
}

fn u16_le(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

impl<'a> Dbf<'a> {
    /// Open a table; `cpg` is the content of the `.cpg` file, if any.
    pub fn open(data: &'a [u8], cpg: Option<&str>) -> Result<Self, String> {
        if data.len() < 32 {
            return Err(".dbf 文件过短，不是有效的属性表".into());
        }
        let count = u32::from_le_bytes(data[4..8].try_into().map_err(|_| "属性表头损坏")?) as usize;
        let header_len = u16_le(data, 8).ok_or("属性表头损坏")?;
        let record_len = u16_le(data, 10).ok_or("属性表头损坏")?;
        if header_len < 33 || header_len > data.len() || record_len == 0 {
            return Err(".dbf 文件头损坏（表头或记录长度无效）".into());
        }
        let mut raw_fields = Vec::new();
        let mut offset = 1; // deletion flag
        let mut at = 32;
        while at + 32 <= header_len && data[at] != 0x0D {
            let d = &data[at..at + 32];
            let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
            let len = d[16] as usize;
            raw_fields.push((d[..name_end].to_vec(), d[11], offset, len));
            offset += len;
            at += 32;
        }
        if offset > record_len {
            return Err(".dbf 字段长度之和超过记录长度，文件已损坏".into());
        }
        let count = count.min(data.len().saturating_sub(header_len) / record_len);
        let mut t = Dbf {
            data,
            fields: Vec::new(),
            header_len,
            record_len,
            count,
            encoding: Encoding::Utf8,
            encoding_problem: None,
        };
        let names: Vec<&[u8]> = raw_fields.iter().map(|f| f.0.as_slice()).collect();
        t.fields = raw_fields
            .iter()
            .map(|(_, kind, offset, len)| DbfField {
                name: String::new(),
                kind: *kind,
                offset: *offset,
                len: *len,
            })
            .collect();
        t.choose_encoding(cpg.and_then(Encoding::from_cpg), &names);
        for (f, n) in t.fields.iter_mut().zip(&names) {
            f.name = t.encoding.decode_lossy(n).trim().to_string();
        }
        Ok(t)
    }

    /// Whether record `i` is marked deleted.
    pub fn deleted(&self, i: usize) -> bool {
        self.data.get(self.header_len + i * self.record_len) == Some(&b'*')
    }

    /// The raw bytes of a value, trimmed of blanks and NULs.
    pub fn raw(&self, i: usize, field: usize) -> &'a [u8] {
        let Some(f) = self.fields.get(field) else { return &[] };
        let start = self.header_len + i * self.record_len + f.offset;
        let bytes = self.data.get(start..start + f.len).unwrap_or(&[]);
        trim(bytes)
    }

    /// A value as text (`None` when blank).
    pub fn text(&self, i: usize, field: usize) -> Option<String> {
        let b = self.raw(i, field);
        (!b.is_empty()).then(|| self.encoding.decode_lossy(b))
    }

    /// Pick the encoding: the `.cpg` one when the bytes agree, else whichever decodes every text value.
    fn choose_encoding(&mut self, cpg: Option<Encoding>, names: &[&[u8]]) {
        let first_bad = |enc: Encoding| -> Option<usize> {
            if names.iter().any(|n| !enc.accepts(n)) {
                return Some(0);
            }
            let text: Vec<usize> = (0..self.fields.len())
                .filter(|&c| self.fields[c].kind == b'C')
                .collect();
            (0..self.count).find(|&i| text.iter().any(|&c| !enc.accepts(self.raw(i, c))))
        };
        let order = match cpg {
            Some(Encoding::Gbk) => [Encoding::Gbk, Encoding::Utf8],
            _ => [Encoding::Utf8, Encoding::Gbk],
        };
        let bad: Vec<Option<usize>> = order.iter().map(|e| first_bad(*e)).collect();
        match (bad[0], bad[1]) {
            (None, _) => self.encoding = order[0],
            (Some(_), None) => {
                self.encoding = order[1];
                if let Some(c) = cpg {
                    self.encoding_problem = Some((
                        format!(
                            ".cpg 文件写明编码为 {}，但属性表内容是 {}，已按 {} 读取",
                            c.label(),
                            order[1].label(),
                            order[1].label()
                        ),
                        bad[0].unwrap_or(0),
                    ));
                }
            }
            (Some(a), Some(b)) => {
                self.encoding = Encoding::Gbk;
                self.encoding_problem = Some((
                    "属性表文字编码既不是 GBK/GB18030 也不是 UTF-8，无法识别的字符已替换为“�”；\
                     请在导出时选择 GBK 或 UTF-8 编码"
                        .into(),
                    a.max(b),
                ));
            }
        }
    }
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != b' ' && c != 0).unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ' && c != 0).map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layers::write::{DbfColumn, dbf_bytes};

    #[test]
    fn gbk_text_is_detected_without_a_cpg_and_utf8_with_one() {
        let cols = [DbfColumn::text("DLMC", 20)];
        let rows = vec![vec![Some("水田".to_string())], vec![Some("旱地".to_string())]];
        let gbk = dbf_bytes(&cols, &rows, Encoding::Gbk);
        let t = Dbf::open(&gbk, None).expect("dbf");
        assert_eq!(t.encoding, Encoding::Gbk);
        assert_eq!(t.text(1, 0).as_deref(), Some("旱地"));
        assert!(t.encoding_problem.is_none());
        let utf8 = dbf_bytes(&cols, &rows, Encoding::Utf8);
        let t = Dbf::open(&utf8, Some("UTF-8")).expect("dbf");
        assert_eq!((t.encoding, t.text(0, 0).as_deref()), (Encoding::Utf8, Some("水田")));
        // A .cpg that says UTF-8 over GBK bytes is overruled and reported.
        let t = Dbf::open(&gbk, Some("UTF-8")).expect("dbf");
        assert_eq!(t.encoding, Encoding::Gbk);
        assert!(t.encoding_problem.is_some());
    }

    #[test]
    fn accepting_bytes_is_decoding_them() {
        let long = "水田旱地".repeat(200);
        let mut samples: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            long.clone().into_bytes(),
            vec![0x81],
            vec![0xff, 0xfe, 0x41],
        ];
        for enc in [Encoding::Gbk, Encoding::Utf8] {
            let text = dbf_bytes(
                &[DbfColumn::text("T", 250)],
                &[vec![Some(long[..300].to_string())]],
                enc,
            );
            samples.push(text);
        }
        let gbk = GB18030.encode(&long).0.into_owned();
        samples.push(gbk.clone());
        samples.push(gbk[..gbk.len() - 1].to_vec());
        for b in &samples {
            for enc in [Encoding::Gbk, Encoding::Utf8] {
                assert_eq!(
                    enc.accepts(b),
                    enc.decode(b).is_some(),
                    "{enc:?} {:?}",
                    &b[..b.len().min(8)]
                );
            }
        }
    }
}
