//! Schema changes running right now in other sessions on the database being
//! validated: evidence of a concurrent deployment. One read-only SELECT of
//! information_schema.PROCESSLIST. Without the PROCESS privilege a user sees
//! only its own sessions, so an empty answer proves nothing — it only never
//! adds a cause.

use mysql_async::Row;
use mysql_async::prelude::Queryable;

use crate::catalog::{self, Record, Target, Timings};
use crate::error::InspectError;
use crate::url::DatabaseUrl;

const WHAT: &str = "the process list";

/// A statement another session is running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningStatement {
    pub session: String,
    /// Seconds it has been running.
    pub seconds: String,
    pub sql: String,
}

/// The schema changes (ALTER, CREATE, DROP, RENAME, TRUNCATE) other sessions
/// are running on the database named in `url`.
pub async fn running_schema_changes(
    url: &DatabaseUrl,
) -> Result<Vec<RunningStatement>, InspectError> {
    let database = url.require_database()?.to_string();
    let target = Target::of(url);
    let mut timings = Timings::new();
    let mut conn = catalog::connect(url, &mut timings).await?;
    let rows: Result<Vec<Row>, _> = conn
        .exec(
            "SELECT CAST(ID AS CHAR) AS id, CAST(TIME AS CHAR) AS seconds, INFO AS info \
             FROM information_schema.PROCESSLIST \
             WHERE DB = ? AND ID <> CONNECTION_ID() AND INFO IS NOT NULL",
            (database,),
        )
        .await;
    if let Err(error) = conn.disconnect().await {
        tracing::debug!(error = %error, "disconnect failed (ignored)");
    }
    let rows = rows.map_err(|e| target.query_error(WHAT, e))?;
    Ok(rows
        .into_iter()
        .map(Record::from_row)
        .filter_map(|mut record| {
            let sql: String = record.opt("info")?;
            is_schema_change(&sql).then(|| RunningStatement {
                session: record.opt("id").unwrap_or_default(),
                seconds: record.opt("seconds").unwrap_or_default(),
                sql,
            })
        })
        .collect())
}

/// Whether `sql` changes the schema: its first keyword, after comments.
pub fn is_schema_change(sql: &str) -> bool {
    let mut text = sql.trim_start();
    while let Some(rest) = text.strip_prefix("/*") {
        text = rest
            .split_once("*/")
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    let keyword: String = text
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    matches!(
        keyword.as_str(),
        "ALTER" | "CREATE" | "DROP" | "RENAME" | "TRUNCATE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_statements_are_schema_changes() {
        assert!(is_schema_change("ALTER TABLE users ADD x int"));
        assert!(is_schema_change(
            "  /* gh-ost */ alter table `_users_gho` add x int"
        ));
        assert!(is_schema_change("RENAME TABLE a TO b"));
    }

    #[test]
    fn queries_are_not_schema_changes() {
        assert!(!is_schema_change("SELECT * FROM users"));
        assert!(!is_schema_change("INSERT INTO alter_log VALUES (1)"));
        assert!(!is_schema_change("/* unterminated"));
    }
}
