//! `landeval template`: the blank canonical workbook.

use landeval::error::Result;
use landeval::fields::FieldDict;
use std::path::Path;

pub fn run(out: &Path) -> Result<()> {
    landeval::template::write_workbook(out, &FieldDict::bundled(), &Default::default())?;
    println!("已生成填报模板：{}", out.display());
    Ok(())
}
