//! Reading one cell as the type its field declares.

use calamine::Data;

/// A typed value read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    /// ISO `YYYY-MM-DD`.
    Date(String),
}

/// Outcome of reading a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Value(Value),
    /// Empty or a placeholder such as “—”, “/”, “无”.
    Missing,
    /// “不涉及”: the item does not apply to this project.
    NotApplicable,
    /// The cell cannot be read as the field's type; the message says why.
    Invalid(String),
}

/// Display form of a raw cell, for messages.
pub fn raw_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_serial_to_iso(dt.as_f64()).unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Numbers without a spurious `.0`.
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

const MISSING_TOKENS: &[&str] = &["", "—", "——", "–", "-", "/", "／", "无", "空", "N/A", "n/a", "NA"];

fn is_missing_token(s: &str) -> bool {
    MISSING_TOKENS.contains(&s)
}

/// Excel error values, also when a formula's cached result is stored as text.
const EXCEL_ERRORS: &[&str] = &[
    "#DIV/0!",
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
];

fn excel_error(s: &str) -> Option<Read> {
    let t = s.trim();
    EXCEL_ERRORS
        .contains(&t)
        .then(|| Read::Invalid(format!("单元格为 Excel 错误值 {t}，请修正公式或直接填写数值")))
}

/// Tokens meaning “this item does not apply”.
const NOT_APPLICABLE_TOKENS: &[&str] = &["不涉及", "不适用", "无此项", "无该项任务"];

fn is_not_applicable(s: &str) -> bool {
    NOT_APPLICABLE_TOKENS.contains(&s.trim())
}

/// Why a text is not a number, in words a clerk can act on.
fn number_problem(t: &str) -> String {
    if ["约", "左右", "余", "多", "近", "超"].iter().any(|k| t.contains(k)) {
        "是估计值，请填写确切数值（只填数字，不加“约”“左右”等字）".into()
    } else if t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        "含有文字，不是有效的数值；请只填写数字，单位写在表头中".into()
    } else {
        "不是有效的数值，请只填写数字（可带小数点、千分位逗号或 %）".into()
    }
}

/// Full-width digits and punctuation to ASCII; drop blanks.
fn normalize_numeric_text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            '，' | ',' => None,
            '－' | '−' => Some('-'),
            '％' => Some('%'),
            '＋' => Some('+'),
            c if c.is_whitespace() || c == '\u{3000}' => None,
            c => Some(c),
        })
        .collect()
}

/// Read a number. Text such as `1,234.5`, `１２３` and `12.3%` is accepted;
/// `pct` is true when the text carried a percent sign.
pub fn read_number(d: &Data) -> (Read, bool) {
    match d {
        Data::Float(f) if f.is_finite() => (Read::Value(Value::Number(*f)), false),
        Data::Int(i) => (Read::Value(Value::Number(*i as f64)), false),
        Data::Empty => (Read::Missing, false),
        Data::String(s) => read_number_text(s),
        Data::Error(e) => (
            excel_error(&e.to_string()).unwrap_or_else(|| Read::Invalid(format!("单元格为 Excel 错误值 {e}"))),
            false,
        ),
        Data::Float(_) => (Read::Invalid(OUT_OF_RANGE.into()), false),
        Data::DateTime(dt) if !dt.as_f64().is_finite() => (Read::Invalid(OUT_OF_RANGE.into()), false),
        Data::Bool(_) => (Read::Invalid("是逻辑值，此列应填写数值".into()), false),
        _ => (Read::Invalid("是日期，此列应填写数值".into()), false),
    }
}

/// A number too large for the computer's numbers (e.g. `1e999`).
const OUT_OF_RANGE: &str = "不是有效的数值（超出可表示的数值范围），请只填写数字";

/// Read a number written as text (see [`read_number`]).
pub fn read_number_text(s: &str) -> (Read, bool) {
    if let Some(e) = excel_error(s) {
        return (e, false);
    }
    let t = normalize_numeric_text(s);
    if is_missing_token(&t) {
        return (Read::Missing, false);
    }
    if is_not_applicable(&t) {
        return (Read::NotApplicable, false);
    }
    let (body, pct) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t.as_str(), false),
    };
    match body.parse::<f64>() {
        Ok(v) if v.is_finite() => (Read::Value(Value::Number(v)), pct),
        Ok(v) if v.is_infinite() && body.bytes().any(|b| b.is_ascii_digit()) => {
            (Read::Invalid(OUT_OF_RANGE.into()), false)
        }
        _ => (Read::Invalid(number_problem(&t)), false),
    }
}

/// Read text; numbers are written without a trailing `.0`.
pub fn read_text(d: &Data) -> Read {
    match d {
        Data::Empty => Read::Missing,
        Data::String(s) => {
            let t = s.trim();
            if let Some(e) = excel_error(t) {
                e
            } else if t.is_empty() {
                Read::Missing
            } else {
                Read::Value(Value::Text(t.to_string()))
            }
        }
        Data::Float(f) if f.is_finite() => Read::Value(Value::Text(format_number(*f))),
        Data::Float(_) => Read::Invalid(OUT_OF_RANGE.into()),
        Data::Int(i) => Read::Value(Value::Text(i.to_string())),
        Data::Error(e) => {
            excel_error(&e.to_string()).unwrap_or_else(|| Read::Invalid(format!("单元格为 Excel 错误值 {e}")))
        }
        other => Read::Value(Value::Text(raw_text(other))),
    }
}

/// Read 是/否 (also √/×, Y/N, 有/无, TRUE/FALSE, 1/0).
pub fn read_bool(d: &Data) -> Read {
    match d {
        Data::Empty => Read::Missing,
        Data::Bool(b) => Read::Value(Value::Bool(*b)),
        Data::Int(1) => Read::Value(Value::Bool(true)),
        Data::Int(0) => Read::Value(Value::Bool(false)),
        Data::Float(f) if *f == 1.0 => Read::Value(Value::Bool(true)),
        Data::Float(f) if *f == 0.0 => Read::Value(Value::Bool(false)),
        Data::Error(e) => excel_error(&e.to_string()).unwrap_or_else(|| Read::Invalid("应填写“是”或“否”".into())),
        Data::String(s) => match s.trim() {
            t if excel_error(t).is_some() => excel_error(t).unwrap_or(Read::Missing),
            "是" | "√" | "✓" | "Y" | "y" | "YES" | "Yes" | "yes" | "有" | "TRUE" | "true" | "1" => {
                Read::Value(Value::Bool(true))
            }
            "否" | "×" | "✗" | "N" | "n" | "NO" | "No" | "no" | "无" | "FALSE" | "false" | "0" => {
                Read::Value(Value::Bool(false))
            }
            "" | "—" | "/" | "-" => Read::Missing,
            t if is_not_applicable(t) => Read::NotApplicable,
            _ => Read::Invalid("应填写“是”或“否”".into()),
        },
        _ => Read::Invalid("应填写“是”或“否”".into()),
    }
}

/// Read a date: an Excel date, a serial number, `2024-05-01`, `2024/5/1`,
/// `2024年5月1日`, `2024年5月`, `2024.5`.
pub fn read_date(d: &Data) -> Read {
    let invalid = || Read::Invalid("不是有效的日期，请按 2024-05-01 的格式填写".into());
    match d {
        Data::Empty => Read::Missing,
        Data::Float(f) if !f.is_finite() => Read::Invalid(OUT_OF_RANGE.into()),
        Data::DateTime(dt) => excel_serial_to_iso(dt.as_f64()).map_or_else(invalid, |s| Read::Value(Value::Date(s))),
        Data::Float(f) => excel_serial_to_iso(*f).map_or_else(invalid, |s| Read::Value(Value::Date(s))),
        Data::Int(i) => excel_serial_to_iso(*i as f64).map_or_else(invalid, |s| Read::Value(Value::Date(s))),
        Data::DateTimeIso(s) => parse_date_text(s).map_or_else(invalid, |s| Read::Value(Value::Date(s))),
        Data::Error(e) => excel_error(&e.to_string()).unwrap_or_else(invalid),
        Data::String(s) => {
            let t = s.trim();
            if let Some(e) = excel_error(t) {
                return e;
            }
            if is_missing_token(t) {
                return Read::Missing;
            }
            if is_not_applicable(t) {
                return Read::NotApplicable;
            }
            // A serial number exported as text (csv saved from Excel).
            match t.parse::<f64>() {
                Ok(serial) if (10_000.0..100_000.0).contains(&serial) => {
                    return excel_serial_to_iso(serial).map_or_else(invalid, |s| Read::Value(Value::Date(s)));
                }
                Ok(x) if !x.is_finite() && t.bytes().any(|b| b.is_ascii_digit()) => {
                    return Read::Invalid(OUT_OF_RANGE.into());
                }
                _ => {}
            }
            parse_date_text(t).map_or_else(invalid, |s| Read::Value(Value::Date(s)))
        }
        _ => invalid(),
    }
}

/// Parse the textual date forms counties use into ISO.
pub fn parse_date_text(s: &str) -> Option<String> {
    let t: String = normalize_numeric_text(s);
    let t = t.split('T').next().unwrap_or(&t).trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (y, m, d) = match nums.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [y, m] => (*y, *m, 1),
        _ => return None,
    };
    valid_ymd(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1900..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

/// Excel serial day (1900 system) to ISO date.
pub fn excel_serial_to_iso(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01; Excel's day 25569 is 1970-01-01 (after its 1900 leap bug).
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Read {
        read_number(&Data::String(s.into())).0
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(num("1,234.5"), Read::Value(Value::Number(1234.5)));
        assert_eq!(num("１２３"), Read::Value(Value::Number(123.0)));
        assert_eq!(num(" 1 234.5 "), Read::Value(Value::Number(1234.5)));
        assert_eq!(
            read_number(&Data::String("12.3%".into())),
            (Read::Value(Value::Number(12.3)), true)
        );
        assert_eq!(num("—"), Read::Missing);
        assert_eq!(num("无"), Read::Missing);
        assert!(matches!(num("约300"), Read::Invalid(m) if m.contains("估计值")));
        assert_eq!(num("不涉及"), Read::NotApplicable);
        assert_eq!(num("空"), Read::Missing);
        assert_eq!(num("-"), Read::Missing);
    }

    #[test]
    fn numbers_beyond_f64_are_invalid_numbers_not_dates() {
        let out_of_range = Read::Invalid(OUT_OF_RANGE.into());
        assert_eq!(num("1e999"), out_of_range);
        assert_eq!(read_number(&Data::Float(f64::INFINITY)).0, out_of_range);
        assert_eq!(read_date(&Data::String("1e999".into())), out_of_range);
        assert_eq!(read_text(&Data::Float(f64::NAN)), out_of_range);
        assert!(matches!(num("inf"), Read::Invalid(m) if m.starts_with("不是有效的数值，")));
    }

    #[test]
    fn dates() {
        assert_eq!(excel_serial_to_iso(45413.0).as_deref(), Some("2024-05-01"));
        assert_eq!(parse_date_text("2024/5/1").as_deref(), Some("2024-05-01"));
        assert_eq!(parse_date_text("2024年5月").as_deref(), Some("2024-05-01"));
        assert_eq!(parse_date_text("2024.5").as_deref(), Some("2024-05-01"));
        assert_eq!(parse_date_text("2024-02-30"), None);
    }

    #[test]
    fn booleans() {
        assert_eq!(read_bool(&Data::String("√".into())), Read::Value(Value::Bool(true)));
        assert_eq!(read_bool(&Data::String("无".into())), Read::Value(Value::Bool(false)));
        assert!(matches!(read_bool(&Data::String("也许".into())), Read::Invalid(_)));
    }
}
