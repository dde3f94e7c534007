//! landeval command line: parse arguments, run the command, map its error to an exit code.

mod cli;

use clap::error::ErrorKind as ClapKind;
use clap::{CommandFactory, FromArgMatches};
use landeval::error::Kind;
use std::process::ExitCode;

fn main() -> ExitCode {
    restore_sigpipe();
    let matches = cli::lang::localize(cli::args::Cli::command()).try_get_matches();
    let cli = match matches.and_then(|m| cli::args::Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ClapKind::DisplayHelp | ClapKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", cli::lang::usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.kind() {
                Kind::Data => eprintln!("数据错误：{e}"),
                Kind::Usage => eprintln!("错误：{e}"),
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`landeval validate … | head`)
/// would panic; restore the default so the process ends quietly like other tools.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
