//! Project ids as typed: full-width ASCII (`ＱＬ－０１`), look-alike dashes
//! (`–`, `—`, `−`, `ー`) and invisible characters (zero-width space, BOM)
//! make `QL-0101-02` and `QL－0101－02` different ids. Ids are normalised on
//! ingest (and the change reported); characters that still look odd are
//! named when an id is not registered.

/// The character an id character stands for, `None` to drop it.
fn plain(c: char) -> Option<char> {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
        '\u{3000}' | '\u{a0}' => Some(' '),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{30fc}' | '\u{2500}' | '\u{2501}' => {
            Some('-')
        }
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => None,
        c => Some(c),
    }
}

/// An id with full-width ASCII, look-alike dashes and invisible characters
/// made plain, and the characters that were changed (none: the id as it was).
pub fn normalize(id: &str) -> (String, Vec<char>) {
    if id.is_ascii() {
        return (id.to_string(), Vec::new());
    }
    let mut changed = Vec::new();
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        let p = plain(c);
        if p != Some(c) && !changed.contains(&c) {
            changed.push(c);
        }
        out.extend(p);
    }
    (out.trim().to_string(), changed)
}

/// Characters as `“－”(U+FF0D)`, joined by 、.
pub fn describe(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| {
            let shown = if plain(*c).is_none() {
                String::new()
            } else {
                c.to_string()
            };
            format!("“{shown}”(U+{:04X})", *c as u32)
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Characters of an unregistered id that are neither ASCII nor Chinese:
/// look-alike letters (Cyrillic А, Greek Ο …) are the usual cause.
pub fn odd_chars(id: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in id.chars() {
        let cjk = ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c);
        if !c.is_ascii() && !cjk && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The hint appended to “not registered” when an id holds odd characters.
pub fn odd_hint(id: &str) -> String {
    let odd = odd_chars(id);
    if odd.is_empty() {
        String::new()
    } else {
        format!(
            "（编号中含有 {}，可能是形近字符，请改为与“项目台账”一致的字符）",
            describe(&odd)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_dashes_become_plain() {
        assert_eq!(normalize("QL－0101－02"), ("QL-0101-02".to_string(), vec!['－']));
        assert_eq!(
            normalize("ＱＬ-０１"),
            ("QL-01".to_string(), vec!['Ｑ', 'Ｌ', '０', '１'])
        );
        assert_eq!(normalize("QL–0101—02").0, "QL-0101-02");
        assert_eq!(normalize("\u{feff}QL-01\u{200b}").0, "QL-01");
        assert_eq!(normalize("川QL-01"), ("川QL-01".to_string(), vec![]));
    }

    #[test]
    fn look_alike_letters_are_named() {
        // Cyrillic А (U+0410) in place of Latin A.
        assert_eq!(odd_chars("QL-0101-0\u{410}"), vec!['\u{410}']);
        assert!(odd_hint("Q\u{410}").contains("“А”(U+0410)"));
        assert!(odd_hint("川QL-01").is_empty());
    }
}
