//! CSV inputs: encoding detection (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
//! otherwise GB18030, a superset of GBK) and RFC 4180 parsing.

use calamine::Data;

/// Text of a csv file and the encoding it was read as.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let name = if enc == encoding_rs::UTF_8 {
            "UTF-8（带 BOM）"
        } else {
            enc.name()
        };
        return (text.into_owned(), name);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "GBK/GB18030")
        }
    }
}

/// Parse csv text into rows of string cells (empty fields are `Data::Empty`).
/// Stops with `Err(row)` when a row beyond `max_rows` or a field beyond
/// `max_cols` is met.
pub fn parse(text: &str, max_rows: usize, max_cols: usize) -> Result<Vec<Vec<Data>>, (usize, usize)> {
    let sep = sniff_separator(text);
    let mut rows: Vec<Vec<Data>> = Vec::new();
    let mut row: Vec<Data> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let push_field = |row: &mut Vec<Data>, field: &mut String| -> Result<(), ()> {
        if row.len() >= max_cols {
            return Err(());
        }
        row.push(if field.is_empty() {
            Data::Empty
        } else {
            Data::String(std::mem::take(field))
        });
        Ok(())
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            c if c == sep => push_field(&mut row, &mut field).map_err(|()| (rows.len(), max_cols))?,
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                push_field(&mut row, &mut field).map_err(|()| (rows.len(), max_cols))?;
                if rows.len() >= max_rows {
                    return Err((rows.len(), 0));
                }
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        push_field(&mut row, &mut field).map_err(|()| (rows.len(), max_cols))?;
        if rows.len() >= max_rows {
            return Err((rows.len(), 0));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Comma unless the first line has more tabs or semicolons.
fn sniff_separator(text: &str) -> char {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [',', '\t', ';']
        .into_iter()
        .max_by_key(|&c| (count(c), c == ','))
        .unwrap_or(',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Data {
        Data::String(x.into())
    }

    #[test]
    fn quoted_fields_and_line_ends() {
        let rows = parse("项目编号,金额\r\n\"QL-1\",\"1,234.5\"\n\"a\"\"b\",\n", 10, 10).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], vec![s("QL-1"), s("1,234.5")]);
        assert_eq!(rows[2], vec![s("a\"b"), Data::Empty]);
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目编号,面积\n");
        assert_eq!(decode(&gbk), ("项目编号,面积\n".to_string(), "GBK/GB18030"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目".as_bytes());
        assert_eq!(decode(&bom).0, "项目");
    }

    #[test]
    fn limits_stop_parsing() {
        assert_eq!(parse("a\nb\nc\n", 2, 10), Err((2, 0)));
        assert_eq!(parse("a,b,c\n", 10, 2), Err((0, 2)));
    }
}
