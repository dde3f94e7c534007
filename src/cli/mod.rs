//! The command line: arguments ([`args`]), one file per command ([`cmd`]),
//! and the steps the commands share ([`session`]).

pub mod args;
pub mod cmd;
pub mod lang;
pub mod progress;
pub mod session;

use args::{Cli, Command};
use landeval::error::Result;

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Demo { out, render, score } => cmd::demo::run(&out, &render, &score, quiet),
        Command::Evaluate {
            input,
            out,
            render,
            score,
        } => cmd::evaluate::run(&input, &out, &render, &score, quiet),
        Command::SelfAssess {
            input,
            project,
            cohort,
            out,
            render,
            score,
        } => cmd::self_assess::run(&input, &project, cohort.as_deref(), &out, &render, &score, quiet),
        Command::Bulletin {
            input,
            letterhead,
            out,
            render,
            score,
        } => cmd::bulletin::run(&input, &letterhead, &out, &render, &score, quiet),
        Command::Template { out } => cmd::template::run(&out, quiet),
        Command::Validate { input, out, font_dir } => cmd::validate::run(&input, &out, font_dir.as_deref(), quiet),
        Command::Explain {
            input,
            project,
            indicator,
        } => cmd::explain::run(&input, &project, indicator.as_deref()),
        Command::Model { action } => cmd::model::run(action),
    }
}
