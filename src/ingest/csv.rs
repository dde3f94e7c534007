//! CSV inputs: encoding detection (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
//! otherwise GB18030, a superset of GBK) and RFC 4180 parsing.

use super::grid::MAX_CELL_CHARS;

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

/// Parse csv text, handing each non-empty field to `cell(row, column,
/// text)` (0-based) in reading order; `cell` may stop the parse. A field
/// longer than [`MAX_CELL_CHARS`] is cut one character after the limit, so
/// that the caller sees it is too long without holding it whole. Returns
/// the cell of a quote that is never closed (the rest of the file then
/// reads as that one field), if any.
pub fn parse<E>(
    text: &str,
    mut cell: impl FnMut(usize, usize, String) -> Result<(), E>,
) -> Result<Option<(usize, usize)>, E> {
    let sep = sniff_separator(text);
    let (mut r, mut c) = (0usize, 0usize);
    let mut field = String::new();
    let mut chars_in_field = 0usize;
    let mut quoted = false;
    let mut opened = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    let mut push = |field: &mut String, n: &mut usize, r: usize, c: usize| {
        *n = 0;
        if field.is_empty() {
            Ok(())
        } else {
            cell(r, c, std::mem::take(field))
        }
    };
    let add = |field: &mut String, n: &mut usize, ch: char| {
        if *n <= MAX_CELL_CHARS {
            field.push(ch);
        }
        *n += 1;
    };
    while let Some(ch) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    add(&mut field, &mut chars_in_field, '"');
                }
                '"' => quoted = false,
                ch => add(&mut field, &mut chars_in_field, ch),
            }
            continue;
        }
        match ch {
            '"' if field.is_empty() => {
                quoted = true;
                opened = (r, c);
            }
            ch if ch == sep => {
                push(&mut field, &mut chars_in_field, r, c)?;
                c += 1;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                push(&mut field, &mut chars_in_field, r, c)?;
                r += 1;
                c = 0;
            }
            ch => add(&mut field, &mut chars_in_field, ch),
        }
    }
    push(&mut field, &mut chars_in_field, r, c)?;
    Ok(quoted.then_some(opened))
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

    /// Every non-empty field as (row, column, text).
    fn cells(text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        parse(text, |r, c, t| {
            out.push((r, c, t));
            Ok::<(), ()>(())
        })
        .unwrap();
        out
    }

    fn at(r: usize, c: usize, t: &str) -> (usize, usize, String) {
        (r, c, t.to_string())
    }

    #[test]
    fn quoted_fields_and_line_ends() {
        let got = cells("项目编号,金额\r\n\"QL-1\",\"1,234.5\"\n\"a\"\"b\",\n");
        assert_eq!(
            got,
            vec![
                at(0, 0, "项目编号"),
                at(0, 1, "金额"),
                at(1, 0, "QL-1"),
                at(1, 1, "1,234.5"),
                at(2, 0, "a\"b")
            ]
        );
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
    fn the_callback_stops_the_parse_and_long_fields_are_cut() {
        let mut seen = 0;
        let r = parse("a\nb\nc\n", |r, _, _| {
            seen += 1;
            if r >= 1 { Err(r) } else { Ok(()) }
        });
        assert_eq!((r, seen), (Err(1), 2));
        let mut n = 0;
        let open = parse("a,\"b\n c,d\n", |_, _, _| {
            n += 1;
            Ok::<(), ()>(())
        });
        assert_eq!((open, n), (Ok(Some((0, 1))), 2));
        let long = "x".repeat(MAX_CELL_CHARS + 5000);
        let got = cells(&format!("{long},y"));
        assert_eq!(got[0].2.chars().count(), MAX_CELL_CHARS + 1);
        assert_eq!(got[1], at(0, 1, "y"));
    }
}
