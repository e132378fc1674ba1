//! Several statements sent as one multi-statement text query: one round trip
//! for all of them, whatever their number. Against a remote server the
//! round trips, not the bytes, are what an inspection waits for.
//!
//! The server runs the statements in order and stops at the first that
//! fails. A step marked *optional* (`SET SESSION TRANSACTION READ ONLY`,
//! Aurora's `SHOW VARIABLES`) may fail without failing the inspection: the
//! statements after it are sent again without it.

use std::sync::Arc;
use std::time::Instant;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

use crate::catalog::{Record, Target, Timings, labels};
use crate::error::InspectError;

/// Where the rows of one statement go.
pub(crate) trait RowSink {
    /// Takes one row; `Err` describes a row this tool does not understand.
    fn push(&mut self, row: Row) -> Result<(), String>;
    /// Forgets the rows taken so far (the statement is about to run again).
    fn clear(&mut self);
}

/// Decodes each row into `T` as it arrives (no intermediate copy).
pub(crate) struct Collector<'v, T> {
    rows: &'v mut Vec<T>,
    read: fn(&mut Record) -> Result<T, String>,
    /// Lower-cased column labels, computed once per result.
    names: Option<Arc<[String]>>,
}

impl<'v, T> Collector<'v, T> {
    pub(crate) fn new(rows: &'v mut Vec<T>, read: fn(&mut Record) -> Result<T, String>) -> Self {
        Collector {
            rows,
            read,
            names: None,
        }
    }
}

impl<T> RowSink for Collector<'_, T> {
    fn push(&mut self, row: Row) -> Result<(), String> {
        let names = self.names.get_or_insert_with(|| labels(&row)).clone();
        let value = (self.read)(&mut Record::with_labels(names, row))?;
        self.rows.push(value);
        Ok(())
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.names = None;
    }
}

/// For statements that answer no rows (`SET …`).
pub(crate) struct Discard;

impl RowSink for Discard {
    fn push(&mut self, _row: Row) -> Result<(), String> {
        Ok(())
    }

    fn clear(&mut self) {}
}

/// One statement of a batch.
pub(crate) struct Step<'s> {
    /// What it reads, for messages and timings.
    pub what: &'static str,
    pub sql: &'s str,
    /// May fail without failing the batch.
    pub optional: bool,
    pub sink: Box<dyn RowSink + 's>,
}

/// Runs `steps` as one multi-statement query (one round trip; more only when
/// an optional step fails), feeding each statement's rows to its sink, and
/// records the time each took (skipped optional steps: none).
pub(crate) async fn run(
    conn: &mut Conn,
    target: &Target,
    steps: &mut [Step<'_>],
    timings: &mut Timings,
) -> Result<(), InspectError> {
    let mut skipped = vec![false; steps.len()];
    // A server or proxy that refuses multi-statement queries gets one
    // statement per query instead (a round trip each).
    let mut one_by_one = false;
    let mut start = 0;
    'send: while start < steps.len() {
        let pending: Vec<&str> = steps[start..]
            .iter()
            .zip(&skipped[start..])
            .filter(|(_, skipped)| !**skipped)
            .map(|(step, _)| step.sql)
            .take(if one_by_one { 1 } else { usize::MAX })
            .collect();
        let sent = pending.len();
        let mut began = Instant::now();
        // The first statement's error arrives with the first response.
        let mut result = match conn.query_iter(pending.join(";\n")).await {
            Ok(result) => result,
            Err(error) if sent > 1 && is_parse_error(&error) => {
                tracing::debug!(error = %target.scrub(&error.to_string()),
                    "multi-statement query refused; sending one statement at a time");
                one_by_one = true;
                continue 'send;
            }
            Err(error) if steps[start].optional => {
                skip(&steps[start], target, &error);
                skipped[start] = true;
                start = next_step(&skipped, start);
                continue 'send;
            }
            Err(error) => {
                return Err(target.query_error(steps[start].what, error));
            }
        };
        let mut index = start;
        while index < steps.len() {
            let sink = &mut steps[index].sink;
            // Not `for_each`: it ends quietly on a failed statement's pending
            // error (mysql_async 0.37), which `reduce` returns. A statement's
            // error, whether before its first row or after some, is
            // reported while its own result is read.
            let read = result
                .reduce(None, |bad: Option<String>, row: Row| {
                    bad.or_else(|| sink.push(row).err())
                })
                .await;
            let bad = match read {
                Ok(bad) => bad,
                Err(error) if steps[index].optional => {
                    // The server ran nothing after it: send the rest again.
                    skip(&steps[index], target, &error);
                    skipped[index] = true;
                    steps[index].sink.clear();
                    drop(result);
                    start = next_step(&skipped, index);
                    continue 'send;
                }
                Err(error) => return Err(target.query_error(steps[index].what, error)),
            };
            if let Some(message) = bad {
                return Err(target.unexpected_row(steps[index].what, message));
            }
            let what = steps[index].what;
            if what != READ_ONLY_WHAT {
                timings.push((what, began.elapsed()));
            }
            tracing::debug!(
                query = what,
                elapsed_ms = began.elapsed().as_secs_f64() * 1000.0,
                "statement of a batch"
            );
            began = Instant::now();
            index = next_step(&skipped, index);
            if one_by_one {
                drop(result);
                start = index;
                continue 'send;
            }
        }
        return Ok(());
    }
    Ok(())
}

/// ER_PARSE_ERROR: what a server that does not take several statements in
/// one query answers to the `;` after the first.
fn is_parse_error(error: &mysql_async::Error) -> bool {
    matches!(error, mysql_async::Error::Server(server) if server.code == 1064)
}

/// The first step after `index` that is still to be sent.
fn next_step(skipped: &[bool], index: usize) -> usize {
    (index + 1..skipped.len())
        .find(|&i| !skipped[i])
        .unwrap_or(skipped.len())
}

fn skip(step: &Step<'_>, target: &Target, error: &mysql_async::Error) {
    let message = target.scrub(&error.to_string());
    if step.what == READ_ONLY_WHAT {
        // Only SELECTs follow anyway; a proxy that refuses the statement
        // (old Vitess) should not stop a read-only tool.
        tracing::warn!(addr = %target.addr, error = %message,
            "could not make the session read-only; continuing with SELECT statements only");
    } else {
        tracing::debug!(query = step.what, error = %message, "optional statement failed; left out");
    }
}

/// `SET SESSION TRANSACTION READ ONLY` (MySQL >= 5.6.5, MariaDB >= 10.0): no
/// statement after it in the session can write.
pub(crate) const READ_ONLY_SQL: &str = "SET SESSION TRANSACTION READ ONLY";
pub(crate) const READ_ONLY_WHAT: &str = "read-only session";

/// The step every batch of an inspection starts with.
pub(crate) fn read_only_step<'s>() -> Step<'s> {
    Step {
        what: READ_ONLY_WHAT,
        sql: READ_ONLY_SQL,
        optional: true,
        sink: Box::new(Discard),
    }
}

/// Live: `DRIFTWATCH_TEST_MYSQL_URL` (see tests/live_mariadb.rs); without it
/// each test prints a notice and passes.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::url::DatabaseUrl;

    const FAILS: &str = "SELECT v FROM information_schema.no_such_table";

    fn values(r: &mut Record) -> Result<String, String> {
        r.req("v")
    }

    fn step<'s>(sql: &'s str, optional: bool, rows: &'s mut Vec<String>) -> Step<'s> {
        Step {
            what: "test",
            sql,
            optional,
            sink: Box::new(Collector::new(rows, values)),
        }
    }

    /// The rows of each statement, and how the batch ended.
    type LiveRun = (Vec<Vec<String>>, Result<(), InspectError>);

    /// Runs the statements, each with its own rows, on a fresh session.
    fn run_live(test: &str, statements: &[(&str, bool)]) -> Option<LiveRun> {
        let Ok(text) = std::env::var("DRIFTWATCH_TEST_MYSQL_URL") else {
            println!("skipped {test}: DRIFTWATCH_TEST_MYSQL_URL is not set");
            return None;
        };
        let url = DatabaseUrl::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        Some(runtime.block_on(async {
            let mut timings = Timings::new();
            let mut conn = catalog::open_session(&url, &mut timings)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let mut rows = vec![Vec::new(); statements.len()];
            let result = {
                let mut steps: Vec<Step<'_>> = statements
                    .iter()
                    .zip(rows.iter_mut())
                    .map(|((sql, optional), rows)| step(sql, *optional, rows))
                    .collect();
                run(&mut conn, &Target::of(&url), &mut steps, &mut timings).await
            };
            let _ = conn.disconnect().await;
            (rows, result)
        }))
    }

    #[test]
    fn every_statement_of_a_batch_feeds_its_own_rows() {
        let Some((rows, result)) = run_live(
            "every_statement_of_a_batch_feeds_its_own_rows",
            &[
                ("SELECT 1 AS v UNION ALL SELECT 2", false),
                ("SELECT 3 AS v", false),
            ],
        ) else {
            return;
        };
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(rows, [vec!["1", "2"], vec!["3"]]);
    }

    #[test]
    fn a_failing_optional_first_statement_is_left_out() {
        let Some((rows, result)) = run_live(
            "a_failing_optional_first_statement_is_left_out",
            &[(FAILS, true), ("SELECT 3 AS v", false)],
        ) else {
            return;
        };
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(rows, [vec![], vec!["3"]]);
    }

    #[test]
    fn a_failing_optional_statement_between_two_is_left_out_and_its_predecessor_read_once() {
        let Some((rows, result)) = run_live(
            "a_failing_optional_statement_between_two_is_left_out_and_its_predecessor_read_once",
            &[
                ("SELECT 1 AS v UNION ALL SELECT 2", false),
                (FAILS, true),
                ("SELECT 3 AS v", false),
            ],
        ) else {
            return;
        };
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(rows, [vec!["1", "2"], vec![], vec!["3"]]);
    }

    #[test]
    fn a_failing_required_statement_fails_the_batch() {
        let Some((_, result)) = run_live(
            "a_failing_required_statement_fails_the_batch",
            &[("SELECT 1 AS v", false), (FAILS, false)],
        ) else {
            return;
        };
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("no_such_table"), "{message}");
    }
}
