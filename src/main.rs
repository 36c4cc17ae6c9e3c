//! The `carousel` binary: parse the command line, run it, exit with its status.

use clap::Parser as _;

fn main() {
    let cli = carousel::cli::Cli::parse();
    std::process::exit(carousel::cli::run(cli));
}
