//! Project names as documents print them: the place in front of a name
//! without repeating the county the name already starts with, and names cut
//! into words a line may not break inside (titles, headings, table cells).

/// Characters that end the name of an administrative unit (省, 市, 县 …).
const UNIT_ENDS: &[char] = &['省', '市', '州', '盟', '县', '旗', '区', '镇', '乡', '村'];

/// Shortest administrative name cut off as a word (`镇江市` stays one word:
/// its `镇` alone is too short to be a place).
const MIN_UNIT: usize = 2;

/// The name with its city and county in front, each only when the name
/// does not already start with it: `岚城市` + `鹤汀县` + `鹤汀县堃山镇…项目`
/// gives `岚城市鹤汀县堃山镇…项目`.
pub fn project_label(city: &str, county: &str, name: &str) -> String {
    if !city.is_empty() && name.starts_with(city) {
        return name.to_string();
    }
    if !county.is_empty() && name.starts_with(county) {
        return format!("{city}{name}");
    }
    format!("{city}{county}{name}")
}

/// The name cut into words a line may break between but not inside: after
/// each administrative unit (`鹤汀县`, `堃山镇`, `喆溪乡`), the rest as one
/// word (`全域土地综合整治项目`). Concatenated, the words give the name back.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        word.push(c);
        if UNIT_ENDS.contains(&c) && word.chars().count() >= MIN_UNIT {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        // A tail of one character stays with the word before it.
        match words.last_mut() {
            Some(last) if word.chars().count() < MIN_UNIT => last.push_str(&word),
            _ => words.push(word),
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_county_is_not_repeated() {
        assert_eq!(
            project_label("岚城市", "鹤汀县", "鹤汀县堃山镇喆溪乡全域土地综合整治项目"),
            "岚城市鹤汀县堃山镇喆溪乡全域土地综合整治项目"
        );
        assert_eq!(
            project_label("岚城市", "鹤汀县", "岚城市鹤汀县石桥乡项目"),
            "岚城市鹤汀县石桥乡项目"
        );
        assert_eq!(
            project_label("岚城市", "鹤汀县", "石桥乡项目"),
            "岚城市鹤汀县石桥乡项目"
        );
    }

    #[test]
    fn names_break_after_places_only() {
        assert_eq!(
            name_words("鹤汀县堃山镇喆溪乡全域土地综合整治项目"),
            ["鹤汀县", "堃山镇", "喆溪乡", "全域土地综合整治项目"]
        );
        // 镇江市: the leading 镇 is no place of its own.
        assert_eq!(name_words("镇江市丹徒区项目"), ["镇江市", "丹徒区", "项目"]);
        // A one-character tail joins the word before it.
        assert_eq!(name_words("某县某镇村"), ["某县", "某镇村"]);
        assert_eq!(name_words("综合整治项目"), ["综合整治项目"]);
        assert!(name_words("").is_empty());
    }
}
