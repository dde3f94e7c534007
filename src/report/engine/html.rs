//! Self-contained HTML pages (minijinja with HTML escaping).

use super::templates::{base_environment, source};
use anyhow::{Context, Result, anyhow};
use minijinja::AutoEscape;
use serde::Serialize;
use std::path::Path;

/// HTML templates shipped in the binary: (file name, source).
pub const BUNDLED: &[(&str, &str)] = &[(
    "bulletin.html.j2",
    include_str!("../../../report-templates/bulletin.html.j2"),
)];

/// Render the HTML template `name` (bundled, or overridden in `templates`);
/// every value is HTML-escaped.
pub fn render(name: &str, ctx: &impl Serialize, templates: Option<&Path>) -> Result<String> {
    let bundled = BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| anyhow!("没有名为 {name} 的网页模板"))?;
    let mut env = base_environment();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template_owned(name.to_string(), source(templates, name, bundled)?)
        .with_context(|| format!("模板 {name} 语法错误"))?;
    env.get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(ctx)))
        .with_context(|| format!("渲染网页模板 {name} 失败"))
}
