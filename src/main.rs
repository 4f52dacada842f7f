//! spoke's binary: parse the command line, set up errors and logging, run.

use color_eyre::eyre::WrapErr;
use spoke::cli::Cli;

fn main() -> color_eyre::Result<()> {
    // A shell asking for completions (`SPOKE_COMPLETE=bash spoke -- …`):
    // answered from the command tree and local files, then exit.
    clap_complete::CompleteEnv::with_factory(spoke::cli::command)
        .var(spoke::cli::COMPLETE_VAR)
        .complete();
    let cli = Cli::parse_args();
    install_hooks()?;
    let verbosity = spoke::output::Verbosity::from_flags(cli.quiet, cli.verbose);
    let log = spoke::logging::init(cli.log_file.as_deref(), verbosity.log_filter())
        .wrap_err("cannot start logging")?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), log = %log.path.display(), "spoke starting");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("cannot start the async runtime")?;
    let result = runtime.block_on(spoke::start::run(cli));
    // Tasks still running (a late AWS answer, an idle connection) must not
    // delay the exit: everything that matters was awaited (the journal is
    // synced line by line, the terminal given back).
    runtime.shutdown_background();

    if let Err(error) = result {
        tracing::error!(%error, "spoke stopped");
        for line in error.to_string().lines() {
            eprintln!("spoke: {line}");
        }
        drop(log);
        std::process::exit(error.exit_code());
    }
    tracing::info!("spoke done");
    Ok(())
}

/// color-eyre for reports, behind a panic hook that gives the terminal back
/// first, so the report is readable.
fn install_hooks() -> color_eyre::Result<()> {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    eyre_hook.install()?;
    std::panic::set_hook(Box::new(move |info| {
        spoke::tui::terminal::restore();
        tracing::error!(panic = %info, "panic");
        eprintln!("{}", panic_hook.panic_report(info));
    }));
    Ok(())
}
