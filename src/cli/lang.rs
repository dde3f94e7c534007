//! clap in Chinese: help headings and flags, and usage errors worded for a
//! clerk (with clap's own text in brackets where it adds detail).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help layout of every command, with Chinese headings.
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Chinese headings, help and version flags on a command and all its subcommands.
pub fn localize(cmd: Command) -> Command {
    let cmd = cmd
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("子命令")
        .subcommand_value_name("子命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help("显示帮助（print help）"),
        )
        .mut_args(|a| match a.get_id().as_str() {
            "help" | "version" => a.help_heading("选项"),
            _ if a.is_positional() => a.help_heading("参数"),
            _ => a.help_heading("选项"),
        })
        .mut_subcommands(localize_subcommand);
    cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本（print version）")
            .help_heading("选项"),
    )
}

fn localize_subcommand(cmd: Command) -> Command {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("子命令")
        .subcommand_value_name("子命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("参数")
            } else {
                a.help_heading("选项")
            }
        })
        .mut_subcommands(localize_subcommand)
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、")),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A usage error as a clerk should read it: what is wrong, what to try, the usage line.
pub fn usage_error(err: &clap::Error) -> String {
    let arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let what = match err.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "没有子命令“{}”",
            context(err, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "缺少子命令".to_string(),
        ErrorKind::InvalidValue => match context(err, ContextKind::ValidValue) {
            Some(valid) => format!("参数 {arg} 的值“{value}”无效，可选：{valid}"),
            None => format!("参数 {arg} 缺少取值"),
        },
        ErrorKind::ValueValidation => format!("参数 {arg} 的值“{value}”无效"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            context(err, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("参数 {arg} 须用“=”给出取值"),
        _ => "命令行参数有误".to_string(),
    };
    let mut out = format!("错误：{what}");
    let suggested = context(err, ContextKind::SuggestedArg)
        .or_else(|| context(err, ContextKind::SuggestedSubcommand))
        .or_else(|| context(err, ContextKind::SuggestedValue));
    if let Some(s) = suggested {
        out.push_str(&format!("；是否要用“{s}”？"));
    }
    if let Some(usage) = context(err, ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n用法：{usage}"));
    }
    out.push_str("\n用 landeval --help 或 landeval 子命令 --help 查看全部参数。");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::Cli;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<clap::ArgMatches, clap::Error> {
        localize(Cli::command()).try_get_matches_from(args)
    }

    #[test]
    fn an_unknown_flag_is_named_in_chinese() {
        let err = parse(&["landeval", "evaluate", "a.xlsx", "--modle", "x"]).unwrap_err();
        let text = usage_error(&err);
        assert!(text.contains("无法识别的参数“--modle”"), "{text}");
        assert!(text.contains("是否要用“--model”"), "{text}");
        assert!(text.contains("用法：landeval evaluate"), "{text}");
        assert!(!text.contains("error:"), "{text}");
    }

    #[test]
    fn a_missing_input_file_and_a_bad_number_are_named() {
        let err = parse(&["landeval", "evaluate"]).unwrap_err();
        assert!(
            usage_error(&err).contains("缺少必需的参数：<FILES>"),
            "{}",
            usage_error(&err)
        );
        let err = parse(&["landeval", "evaluate", "a.xlsx", "--draws", "many"]).unwrap_err();
        assert!(
            usage_error(&err).contains("参数 --draws <DRAWS> 的值“many”无效"),
            "{}",
            usage_error(&err)
        );
    }

    #[test]
    fn help_has_chinese_headings() {
        let help = localize(Cli::command()).render_help().to_string();
        assert!(help.contains("用法："), "{help}");
        assert!(help.contains("子命令"), "{help}");
        assert!(help.contains("显示帮助"), "{help}");
        assert!(!help.contains("Usage:"), "{help}");
        assert!(!help.contains("Print help"), "{help}");
    }
}
