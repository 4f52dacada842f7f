//! How much and in what colour a headless command prints, on the sandbox:
//! `-q` says less, `-v` says each AWS call, `NO_COLOR` and `--color`.

use crate::fixtures::headless::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_verbose_and_colour_on_spoke_drift() {
    let env = Env::start(1.0).await;
    let normal = env.spoke(&["drift", "--profile", "spoke-dev"]).await;
    normal.expect(3).says("DRIFT");
    let quiet = env.spoke(&["drift", "--profile", "spoke-dev", "-q"]).await;
    quiet.expect(3).says("DRIFT");
    assert!(
        quiet.stdout.lines().count() < normal.stdout.lines().count(),
        "-q says less:\n{quiet}\nthan:\n{normal}"
    );
    assert!(
        !quiet.stdout.contains("accounts reached") && !quiet.stdout.contains("account reached"),
        "{quiet}"
    );
    // The result, and the error line, stay.
    assert!(quiet.stderr.contains("drift"), "{quiet}");
    let calls = |run: &crate::fixtures::headless::Run| {
        run.stderr
            .lines()
            .filter(|l| l.starts_with("aws ") && l.contains(" spoke-dev ") && l.contains(": ok ("))
            .count()
    };
    assert_eq!(calls(&normal), 0, "{normal}");

    let verbose = env.spoke(&["drift", "--profile", "spoke-dev", "-v"]).await;
    verbose.expect(3);
    assert!(calls(&verbose) >= 3, "-v says each call:\n{verbose}");
    assert!(verbose.stdout == normal.stdout, "-v changes stderr only");
    let debug = env.spoke(&["drift", "--profile", "spoke-dev", "-vv"]).await;
    debug.expect(3).complains(" attempt");

    // Not a terminal, or NO_COLOR: no escape at all.
    for run in [
        &normal,
        &env.spoke_env(&[("NO_COLOR", "1")], &["drift", "--profile", "spoke-dev"])
            .await,
        &env.spoke(&["--color", "never", "drift", "--profile", "spoke-dev"])
            .await,
    ] {
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'),
            "{run}"
        );
    }
    // --color always wins over NO_COLOR.
    let always = env
        .spoke_env(
            &[("NO_COLOR", "1")],
            &["--color", "always", "drift", "--profile", "spoke-dev"],
        )
        .await;
    assert!(always.stdout.contains("\u{1b}[33m"), "{always}");
}
