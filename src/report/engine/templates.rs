//! minijinja → typst markup, with every interpolated value escaped.
//!
//! The formatter escapes each `{{ value }}` for typst markup unless the
//! template marks it `|safe`; `|str` makes a typst string literal for code
//! context. Templates therefore cannot forget to escape user data.

use anyhow::{Context, Result};
use minijinja::{Environment, Value};
use std::path::Path;

/// Templates shipped in the binary: (file name, source).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "ranking.typ.j2",
        include_str!("../../../report-templates/ranking.typ.j2"),
    ),
    (
        "self-assessment.typ.j2",
        include_str!("../../../report-templates/self-assessment.typ.j2"),
    ),
    (
        "bulletin.typ.j2",
        include_str!("../../../report-templates/bulletin.typ.j2"),
    ),
];

/// Read a template from `dir` when it holds a file of that name, else the bundled text.
pub fn source(dir: Option<&Path>, name: &str, bundled: &str) -> Result<String> {
    match dir.map(|d| d.join(name)).filter(|p| p.exists()) {
        Some(p) => std::fs::read_to_string(&p).with_context(|| format!("无法读取模板 {}", p.display())),
        None => Ok(bundled.to_string()),
    }
}

/// Escape text for typst markup: every ASCII punctuation character is
/// backslash-escaped (typst accepts `\` before any character) and line
/// breaks become spaces, so user data can never open markup, code, math,
/// labels, comments or lists.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A typst string literal (with quotes) for code context.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A template environment with the settings every report shares: block tags
/// trimmed and undefined values an error.
pub fn base_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("valid syntax config"),
    );
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env
}

/// An environment holding the bundled templates, overridden by files of the
/// same name in `dir` (`--templates DIR`).
pub fn environment(dir: Option<&Path>) -> Result<Environment<'static>> {
    let mut env = base_environment();
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = value.to_string();
        let escaped = if value.is_safe() { text } else { escape_markup(&text) };
        out.write_str(&escaped).map_err(minijinja::Error::from)
    });
    env.add_filter("str", |v: Value| {
        Value::from_safe_string(string_literal(&v.to_string()))
    });
    for (name, source_text) in BUNDLED {
        let text = source(dir, name, source_text)?;
        env.add_template_owned(*name, text)
            .with_context(|| format!("模板 {name} 语法错误"))?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escaping_neutralises_typst_syntax() {
        assert_eq!(escape_markup("#set *x*"), "\\#set \\*x\\*");
        assert_eq!(escape_markup("a // c\nb"), "a \\/\\/ c b");
        assert_eq!(escape_markup("堃山镇"), "堃山镇");
        assert_eq!(string_literal("a\"b\\"), "\"a\\\"b\\\\\"");
    }

    #[test]
    fn formatter_escapes_unless_safe() {
        let env = environment(None).unwrap();
        let out = env
            .render_str(
                "{{ a }} {{ b|safe }} {{ a|str }}",
                minijinja::context! { a => "#x", b => "#y" },
            )
            .unwrap();
        assert_eq!(out, "\\#x #y \"#x\"");
    }
}
