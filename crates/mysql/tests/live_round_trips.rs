//! How an inspection talks to the server: a constant number of round trips
//! (login, one batch per session, quit), whatever the number of tables, and
//! the same rows when the statements were first chosen for another server.
//!
//! Live: `DRIFTWATCH_TEST_MYSQL_URL` (see live_mariadb.rs); without it every
//! test prints a notice and passes. Round trips are counted by a TCP relay
//! in this file that records, per connection, how often the client spoke
//! after the server had.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use driftwatch_model::Flavor;
use driftwatch_mysql::url::DatabaseUrl;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
}

/// Client turns of every connection relayed so far, in accept order.
#[derive(Clone, Default)]
struct Turns(Arc<Mutex<Vec<TurnCount>>>);

#[derive(Default)]
struct TurnCount {
    turns: usize,
    /// Who sent the last bytes: the client (`true`) or the server.
    client_spoke_last: bool,
}

impl Turns {
    fn snapshot(&self) -> Vec<usize> {
        let counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        counts.iter().map(|c| c.turns).collect()
    }

    fn record(&self, connection: usize, from_client: bool) {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = &mut counts[connection];
        if from_client && !count.client_spoke_last {
            count.turns += 1;
        }
        count.client_spoke_last = from_client;
    }
}

/// A relay on 127.0.0.1 to `upstream` that counts client turns; lives as
/// long as the test process. With `refuse_multi_statements`, it clears
/// CLIENT_MULTI_STATEMENTS in the client's handshake answer, so the server
/// treats the client as one that cannot send several statements at once.
fn relay(upstream: String, refuse_multi_statements: bool) -> (String, Turns) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local_addr: {e}"))
        .to_string();
    let turns = Turns::default();
    let shared = turns.clone();
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(&upstream) else {
                continue;
            };
            let connection = {
                let mut counts = shared.0.lock().unwrap_or_else(|e| e.into_inner());
                counts.push(TurnCount::default());
                counts.len() - 1
            };
            for (from, to, from_client) in [
                (client.try_clone(), server.try_clone(), true),
                (server.try_clone(), client.try_clone(), false),
            ] {
                let (Ok(mut from), Ok(mut to)) = (from, to) else {
                    continue;
                };
                let turns = shared.clone();
                thread::spawn(move || {
                    let mut buffer = [0u8; 64 * 1024];
                    let mut first = true;
                    while let Ok(n) = from.read(&mut buffer) {
                        if n == 0 {
                            break;
                        }
                        // The client's first packet is its handshake answer:
                        // 4-byte header, then the capability flags (LE u32).
                        if from_client && first && refuse_multi_statements && n >= 8 {
                            buffer[6] &= !0x01; // CLIENT_MULTI_STATEMENTS = 1 << 16
                        }
                        first = false;
                        turns.record(connection, from_client);
                        if to.write_all(&buffer[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(Shutdown::Write);
                });
            }
        }
    });
    (addr, turns)
}

/// The test server's URL with the relay in front, and the relay's counts.
fn relayed(
    url: &DatabaseUrl,
    database: &str,
    refuse_multi_statements: bool,
) -> (DatabaseUrl, Turns) {
    let text = std::env::var(common::URL_VAR).unwrap_or_default();
    let (addr, turns) = relay(url.host_port(), refuse_multi_statements);
    let through = DatabaseUrl::parse(&text.replacen(&url.host_port(), &addr, 1))
        .unwrap_or_else(|e| panic!("relayed url: {e}"));
    (through.with_database(database.to_string()), turns)
}

async fn create_tables(url: &DatabaseUrl, name: &str, tables: usize) {
    let mut conn = common::admin(url, None).await;
    common::exec(&mut conn, &format!("CREATE DATABASE `{name}`")).await;
    for i in 0..tables {
        common::exec(
            &mut conn,
            &format!(
                "CREATE TABLE `{name}`.`t{i}` (id INT NOT NULL PRIMARY KEY, \
                 label VARCHAR(40) NOT NULL DEFAULT 'x', parent INT NULL, KEY parent_idx (parent))"
            ),
        )
        .await;
    }
    let _ = conn.disconnect().await;
}

/// Client turns per connection of one inspection of a database of `tables`
/// tables.
fn turns_of_inspection(url: &DatabaseUrl, tables: usize) -> Vec<usize> {
    runtime().block_on(async {
        let name = common::unique_name("dw_turns");
        create_tables(url, &name, tables).await;
        let (through, turns) = relayed(url, &name, false);
        let fetched = driftwatch_mysql::fetch_rows(&through).await;
        // The relay sees the quit after the client closed.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        common::drop_database(url, &name).await;
        let fetched = fetched.unwrap_or_else(|e| panic!("fetch_rows: {e}"));
        assert_eq!(fetched.rows.tables.len(), tables);
        turns.snapshot()
    })
}

#[test]
fn each_session_costs_a_login_one_batch_and_a_quit() {
    let Some(url) = common::server_url("each_session_costs_a_login_one_batch_and_a_quit") else {
        return;
    };
    let turns = turns_of_inspection(&url, 3);
    assert_eq!(
        turns.len(),
        driftwatch_mysql::catalog::SESSIONS,
        "{turns:?}"
    );
    // Login (the client answers the server's greeting), the batch, COM_QUIT.
    assert!(
        turns.iter().all(|&t| t == 3),
        "client turns per session: {turns:?}"
    );
}

#[test]
fn round_trips_do_not_grow_with_the_number_of_tables() {
    let Some(url) = common::server_url("round_trips_do_not_grow_with_the_number_of_tables") else {
        return;
    };
    let few = turns_of_inspection(&url, 2);
    let many = turns_of_inspection(&url, 60);
    assert_eq!(few, many);
}

fn same_rows_with_guess(test: &str, guess: &str) {
    let Some(url) = common::server_url(test) else {
        return;
    };
    runtime().block_on(async {
        let name = common::unique_name("dw_guess");
        common::create_database(&url, &name, "mariadb-10.11", common::MARIADB_SCENARIOS).await;
        let db = url.with_database(name.clone());
        let right = driftwatch_mysql::fetch_rows(&db).await;
        let guessed =
            driftwatch_mysql::fetch_rows_guessing(&db, Some(Flavor::identify(guess, ""))).await;
        common::drop_database(&url, &name).await;
        let right = right.unwrap_or_else(|e| panic!("fetch_rows: {e}"));
        let guessed = guessed.unwrap_or_else(|e| panic!("fetch_rows_guessing({guess}): {e}"));
        assert!(right.flavor.is_mariadb());
        assert_eq!(guessed.flavor, right.flavor);
        assert!(!right.rows.columns.is_empty());
        assert!(
            right.rows == guessed.rows,
            "rows differ after guessing {guess}"
        );
        let rereads = |timings: &[(&str, std::time::Duration)]| {
            timings
                .iter()
                .filter(|(what, _)| *what == driftwatch_mysql::catalog::REREAD_WHAT)
                .count()
        };
        assert_eq!(rereads(&right.timings), 0);
        assert!(rereads(&guessed.timings) > 0, "{:?}", guessed.timings);
    });
}

#[test]
fn a_wrong_guess_whose_statements_fail_reads_the_same_rows() {
    // MySQL 8.0.36's STATISTICS has EXPRESSION, MariaDB's has not: the
    // guessed batch fails on the server, and the lane is read again.
    same_rows_with_guess(
        "a_wrong_guess_whose_statements_fail_reads_the_same_rows",
        "8.0.36",
    );
}

#[test]
fn a_wrong_guess_whose_statements_succeed_reads_the_same_rows() {
    // MySQL 5.7 asks for fewer columns: the batch succeeds, but the rows
    // lack what MariaDB has, so the lane is read again.
    same_rows_with_guess(
        "a_wrong_guess_whose_statements_succeed_reads_the_same_rows",
        "5.7.44",
    );
}

/// A user allowed `limit` connections at once reads the same rows as one
/// allowed the three sessions (the lanes share the sessions it got).
fn same_rows_with_connection_limit(test: &str, limit: u32) {
    let Some(url) = common::server_url(test) else {
        return;
    };
    runtime().block_on(async {
        let name = common::unique_name("dw_limit");
        let user: String = common::unique_name("dw_lim").chars().take(60).collect();
        common::create_database(&url, &name, "mariadb-10.11", &["f01_serial", "f12_foreign_keys", "f13_checks"]).await;
        let mut admin = common::admin(&url, None).await;
        common::exec(
            &mut admin,
            &format!("CREATE USER '{user}'@'%' IDENTIFIED BY 'limited-secret' WITH MAX_USER_CONNECTIONS {limit}"),
        )
        .await;
        common::exec(&mut admin, &format!("GRANT ALL ON `{name}`.* TO '{user}'@'%'")).await;
        let db = url.with_database(name.clone());
        let unlimited = driftwatch_mysql::fetch_rows(&db).await;
        let limited_url = db.with_credentials(user.clone(), Some("limited-secret".to_string()));
        let limited = driftwatch_mysql::fetch_rows(&limited_url).await;
        common::exec(&mut admin, &format!("DROP USER '{user}'@'%'")).await;
        let _ = admin.disconnect().await;
        common::drop_database(&url, &name).await;
        let unlimited = unlimited.unwrap_or_else(|e| panic!("fetch_rows: {e}"));
        let limited = limited.unwrap_or_else(|e| panic!("with {limit} connection(s): {e}"));
        assert!(!unlimited.rows.columns.is_empty());
        assert!(!unlimited.rows.check_constraints.is_empty());
        assert!(unlimited.rows == limited.rows, "rows differ with {limit} connection(s)");
    });
}

#[test]
fn one_session_reads_every_lane() {
    same_rows_with_connection_limit("one_session_reads_every_lane", 1);
}

#[test]
fn two_sessions_read_every_lane() {
    same_rows_with_connection_limit("two_sessions_read_every_lane", 2);
}

#[test]
fn a_server_that_refuses_multi_statements_is_read_one_statement_at_a_time() {
    let Some(url) = common::server_url(
        "a_server_that_refuses_multi_statements_is_read_one_statement_at_a_time",
    ) else {
        return;
    };
    runtime().block_on(async {
        let name = common::unique_name("dw_single");
        common::create_database(
            &url,
            &name,
            "mariadb-10.11",
            &["f01_serial", "f12_foreign_keys", "f13_checks"],
        )
        .await;
        let direct = driftwatch_mysql::fetch_rows(&url.with_database(name.clone())).await;
        let (through, turns) = relayed(&url, &name, true);
        let single = driftwatch_mysql::fetch_rows(&through).await;
        common::drop_database(&url, &name).await;
        let direct = direct.unwrap_or_else(|e| panic!("fetch_rows: {e}"));
        let single = single.unwrap_or_else(|e| panic!("without multi-statements: {e}"));
        assert!(!direct.rows.columns.is_empty());
        assert!(
            direct.rows == single.rows,
            "rows differ without multi-statements"
        );
        // More than login + one batch: the statements went one by one.
        let turns = turns.snapshot();
        assert!(
            turns.iter().any(|&t| t > 3),
            "client turns per session: {turns:?}"
        );
    });
}
