//! Render a sample project's before/after farmland map on its own (the
//! reports draw the same map on the scorecards, the self-assessment and the
//! bulletin's typical cases).
//!
//! ```text
//! cargo run --example map_preview [项目编号] [输出目录]
//! ```
//!
//! Reads the bundled demo data (workbooks and survey layers), computes the
//! metrics and writes `<编号>-耕地分布.svg` and a one-page `<编号>-耕地分布.pdf`
//! (the SVG drawn at 170 mm and placed by typst at the A4 text width).

use anyhow::{Context, Result};
use landeval::fields::FieldDict;
use landeval::report::engine::{VirtualFile, compile_pdf, fonts::FontSet, map};
use landeval::{ingest, metrics, pipeline};
use std::path::PathBuf;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let id = args.first().map_or("QL-0103-02", String::as_str);
    let out = PathBuf::from(args.get(1).map_or("out", String::as_str));
    std::fs::create_dir_all(&out)?;
    let ds = ingest::ingest(&pipeline::demo_sources(), &FieldDict::bundled());
    let table = metrics::compute(&ds)?;
    let maps = table.spatial.maps();
    let m = maps.get(id).with_context(|| format!("项目 {id} 没有图层"))?;
    let svg = map::render_svg(m, &map::MapStyle::default());
    let svg_path = out.join(format!("{id}-耕地分布.svg"));
    std::fs::write(&svg_path, &svg)?;
    let markup = format!(
        "#set page(paper: \"a4\", margin: 20mm)\n#set text(font: \"Noto Sans CJK SC\", size: 10pt)\n= {id} 整治前后耕地分布\n#image(\"/map.svg\", width: 100%)\n"
    );
    let fonts = FontSet::load(None)?;
    let pdf = compile_pdf(markup, vec![VirtualFile::new("/map.svg", svg)], &fonts, [2025, 6, 30])?.bytes;
    let pdf_path = out.join(format!("{id}-耕地分布.pdf"));
    std::fs::write(&pdf_path, pdf)?;
    println!("{}\n{}", svg_path.display(), pdf_path.display());
    Ok(())
}
