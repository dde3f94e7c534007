//! Fonts: the shipped Noto Sans/Serif SC subsets, plus any `--font-dir`.

use std::path::Path;
use std::sync::LazyLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};

/// The subset fonts shipped in `assets/fonts/` (SIL OFL 1.1).
static SHIPPED: &[&[u8]] = &[
    include_bytes!("../../../assets/fonts/NotoSansSC-Regular.otf"),
    include_bytes!("../../../assets/fonts/NotoSansSC-Bold.otf"),
    include_bytes!("../../../assets/fonts/NotoSerifSC-Regular.otf"),
    include_bytes!("../../../assets/fonts/NotoSerifSC-Bold.otf"),
];

/// Family name of the shipped sans font (headings, tables, charts).
pub const SANS: &str = "Noto Sans CJK SC";
/// Family name of the shipped serif font (body text of official documents).
pub const SERIF: &str = "Noto Serif CJK SC";

static SHIPPED_FONTS: LazyLock<Vec<Font>> =
    LazyLock::new(|| SHIPPED.iter().flat_map(|b| Font::iter(Bytes::new(*b))).collect());

/// A set of fonts and their book.
#[derive(Clone)]
pub struct FontSet {
    pub fonts: Vec<Font>,
    pub book: FontBook,
}

impl FontSet {
    /// The shipped fonts plus every font file under `extra` (if given).
    pub fn load(extra: Option<&Path>) -> std::io::Result<Self> {
        let mut fonts = SHIPPED_FONTS.clone();
        if let Some(dir) = extra {
            let mut paths: Vec<_> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            paths.sort();
            for p in paths {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                    fonts.extend(Font::iter(Bytes::new(std::fs::read(&p)?)));
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(Self { fonts, book })
    }

    /// Characters of `text` that no loaded font can draw (typst would draw
    /// an empty box without warning).
    pub fn uncovered(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| !self.fonts.iter().any(|f| f.info().coverage.contains(*c as u32)))
            .collect();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fonts_cover_rare_name_characters() {
        let set = FontSet::load(None).unwrap();
        assert_eq!(set.fonts.len(), 4);
        assert!(set.uncovered("堃喆玥镕 全域土地综合整治（亩）①").is_empty());
        // An ancient script character no CJK subset covers.
        assert_eq!(set.uncovered("a𓀀b"), vec!['𓀀']);
    }
}
