//! The `driftwatch` binary: argument parsing, logging, and the exit code
//! contract (0 no drift at or above --fail-on, 1 drift, 2 could not validate).

mod args;
mod causes;
mod dev_database;
mod doctor;
mod drizzle_kit;
mod error;
mod filters;
mod fix;
mod fleet;
mod frames;
mod init;
mod migration_writer;
mod migrations;
mod monitor;
mod notify;
mod progress;
mod project;
mod settings;
mod validate;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, ColorChoice, Command, InspectSide, MigrationsCommand};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // Help and version are not errors; bad usage is exit 2 like every failure.
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    init_logging(cli.global.verbose);
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Validate(args) => validate::validate(&cli.global, args, color).await,
            Command::Fix(args) => fix::fix(&cli.global, args, color).await,
            Command::Inspect(args) => match &args.side {
                InspectSide::Schema(schema) => validate::inspect_schema(&cli.global, schema, color),
                InspectSide::Db(connection) => validate::inspect_db(&cli.global, connection).await,
            },
            Command::Migrations(args) => match &args.command {
                MigrationsCommand::Status(status) => migrations::status(&cli.global, status).await,
            },
            Command::Monitor(args) => monitor::monitor(&cli.global, args, color).await,
            Command::Init(args) => init::init(&cli.global, args),
            Command::Doctor(args) => doctor::doctor(&cli.global, args, color).await,
            Command::Completions(args) => Ok(completions(args.shell)),
        }
    });
    match result {
        Ok(outcome) => ExitCode::from(u8::try_from(outcome.exit_code).unwrap_or(2)),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `driftwatch completions SHELL`: the script, on stdout.
fn completions(shell: clap_complete::Shell) -> validate::Outcome {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "driftwatch", &mut stdout);
    validate::Outcome { exit_code: 0 }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 | 1 => "warn",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DRIFTWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
