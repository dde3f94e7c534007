//! The bulletin as one self-contained HTML file (minijinja with HTML escaping).

use super::bulletin::BulletinCtx;
use super::templates::{base_environment, source};
use anyhow::{Context, Result};
use minijinja::AutoEscape;
use std::path::Path;

/// The bundled HTML template of the bulletin.
pub const BULLETIN_HTML: &str = include_str!("../../report-templates/bulletin.html.j2");

/// Render `通报.html`; every value is HTML-escaped.
pub fn bulletin(ctx: &BulletinCtx, templates: Option<&Path>) -> Result<String> {
    let mut env = base_environment();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    let text = source(templates, "bulletin.html.j2", BULLETIN_HTML)?;
    env.add_template_owned("bulletin.html.j2", text)
        .context("模板 bulletin.html.j2 语法错误")?;
    env.get_template("bulletin.html.j2")?
        .render(minijinja::Value::from(minijinja::value::Serde(ctx)))
        .context("渲染网页版通报失败")
}
