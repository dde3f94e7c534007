//! landeval command line: parse arguments, run the command, map its error to an exit code.

mod cli;

use clap::Parser;
use landeval::error::Kind;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::args::Cli::parse();
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
