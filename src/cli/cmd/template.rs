//! `landeval template`: the blank canonical workbook.

use landeval::error::Result;
use landeval::fields::FieldDict;
use landeval::report::output;
use std::path::Path;

pub fn run(out: &Path, quiet: bool) -> Result<()> {
    output::write_one(out, |tmp| {
        landeval::template::write_workbook(tmp, &FieldDict::bundled(), &Default::default())
    })?;
    if !quiet {
        println!("已生成填报模板：{}", out.display());
    }
    Ok(())
}
