//! `landeval explain`: trace one project's score to its cells.

use crate::cli::args::InputArgs;
use crate::cli::session::{load_fonts, read_sources};
use anyhow::anyhow;
use landeval::error::{Error, Result};
use landeval::fields::FieldDict;
use landeval::model::Model;
use landeval::pipeline;

pub fn run(input: &InputArgs, project: &str, indicator: Option<&str>) -> Result<()> {
    let sources = read_sources(&input.files)?;
    let dict = FieldDict::bundled();
    let fonts = load_fonts(None)?;
    let ds = pipeline::read_with(&sources, &dict, &fonts, &input.limits.limits());
    let has_errors = ds.log.has_errors();
    let run = pipeline::evaluate(ds, dict, Model::load(&input.model)?, None)?;
    print!("{}", landeval::explain::explain(&run, project, indicator)?);
    if has_errors {
        eprintln!("注意：输入数据有错误，以上得分仅供核对（用 landeval validate 查看）");
        return Err(Error::data(anyhow!("输入数据有错误")));
    }
    Ok(())
}
