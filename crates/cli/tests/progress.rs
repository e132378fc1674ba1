//! The progress line: shown on a terminal (a pseudo-terminal made by
//! util-linux `script`) while a slow phase runs, never with a machine format,
//! never when stderr is not a terminal. The slow phase is a "server" here
//! that accepts connections and never greets, so connecting waits for the
//! URL's `connect-timeout`.

mod common;

use std::net::TcpListener;
use std::process::Command;

/// A listener that accepts and never answers; its address.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    address
}

fn slow_url() -> String {
    format!(
        "mysql://u:secret-pw@{}/x?connect-timeout=2",
        silent_server()
    )
}

/// Runs driftwatch under a pseudo-terminal; everything it printed.
fn in_terminal(args: &[&str]) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` is not installed");
        return None;
    }
    let binary = env!("CARGO_BIN_EXE_driftwatch");
    let line = std::iter::once(binary)
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(common::shop_dir())
        .env_remove("DATABASE_URL")
        .env("TERM", "xterm")
        .output()
        .expect("run script");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_slow_database_read_shows_a_progress_line_on_a_terminal() {
    let url = slow_url();
    let Some(printed) = in_terminal(&["validate", "--url", &url]) else {
        return;
    };
    assert!(
        printed.contains("reading the database (information_schema)"),
        "{printed}"
    );
    assert!(printed.contains("timed out after 2 s"), "{printed}");
    assert!(!printed.contains("secret-pw"), "{printed}");
}

#[test]
fn a_machine_format_shows_no_progress_line_even_on_a_terminal() {
    let url = slow_url();
    let Some(printed) = in_terminal(&["validate", "--format", "json", "--url", &url]) else {
        return;
    };
    assert!(printed.contains("timed out after 2 s"), "{printed}");
    assert!(!printed.contains("reading the database"), "{printed}");
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let url = slow_url();
    let output = common::driftwatch(&["validate", "--url", &url], &common::shop_dir(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(err.contains("timed out after 2 s"), "{err}");
    assert!(
        !err.contains("reading the database") && !err.contains('\r'),
        "{err}"
    );
}
