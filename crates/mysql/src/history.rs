//! The migrations table drizzle's migrator writes (`__drizzle_migrations`, or
//! drizzle.config `migrations.table`), read over the same read-only session
//! as the catalog: one `information_schema.COLUMNS` query to learn its shape
//! (0.x: `id, hash, created_at`; 1.x adds `name, applied_at`), then one
//! `SELECT` of the columns it has. No table means nothing was applied.

use mysql_async::Row;
use mysql_async::prelude::Queryable;
use serde::Serialize;

use crate::catalog::{self, Record, Target, Timings};
use crate::error::InspectError;
use crate::url::DatabaseUrl;

const WHAT: &str = "the migrations table";

/// One row, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationRow {
    pub id: u64,
    pub hash: String,
    pub created_at: Option<i64>,
    pub name: Option<String>,
    pub applied_at: Option<String>,
}

/// What the database holds about applied migrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationsTable {
    pub database: String,
    pub table: String,
    /// False: the migrator never ran here (every migration is pending).
    pub exists: bool,
    /// Column names, lower-cased, in ordinal order.
    pub columns: Vec<String>,
    /// By `id`.
    pub rows: Vec<MigrationRow>,
}

/// The columns this tool reads, in the order selected; `hash` and `id` are required.
const KNOWN_COLUMNS: [&str; 5] = ["id", "hash", "created_at", "name", "applied_at"];

/// Reads `table` in the database named in `url`.
pub async fn read_migrations_table(
    url: &DatabaseUrl,
    table: &str,
) -> Result<MigrationsTable, InspectError> {
    let database = url.require_database()?.to_string();
    let target = Target::of(url);
    let mut timings = Timings::new();
    let mut conn = catalog::connect(url, &mut timings).await?;
    let result = read(&mut conn, &target, &database, table).await;
    if let Err(error) = conn.disconnect().await {
        tracing::debug!(error = %error, "disconnect failed (ignored)");
    }
    result
}

async fn read(
    conn: &mut mysql_async::Conn,
    target: &Target,
    database: &str,
    table: &str,
) -> Result<MigrationsTable, InspectError> {
    let columns: Vec<String> = conn
        .exec::<Row, _, _>(
            "SELECT COLUMN_NAME AS column_name FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            (database, table),
        )
        .await
        .map_err(|e| target.query_error(WHAT, e))?
        .into_iter()
        .filter_map(|row| Record::from_row(row).opt::<String>("column_name"))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut result = MigrationsTable {
        database: database.to_string(),
        table: table.to_string(),
        exists: !columns.is_empty(),
        columns,
        rows: Vec::new(),
    };
    if !result.exists {
        return Ok(result);
    }
    for required in ["id", "hash"] {
        if !result.columns.iter().any(|c| c == required) {
            return Err(target.unexpected_row(
                WHAT,
                format!("`{table}` has no `{required}` column; is it drizzle's migrations table?"),
            ));
        }
    }
    let sql = select_sql(table, &result.columns);
    let rows: Vec<Row> = conn
        .query(sql.as_str())
        .await
        .map_err(|e| target.query_error(WHAT, e))?;
    tracing::debug!(rows = rows.len(), table, "migrations table read");
    result.rows = rows
        .into_iter()
        .map(|row| migration_row(&mut Record::from_row(row)))
        .collect::<Result<_, _>>()
        .map_err(|m| target.unexpected_row(WHAT, m))?;
    Ok(result)
}

/// `SELECT` of the known columns the table has, each as text (the text
/// protocol sends text anyway; `CAST` keeps `applied_at` in the server's format).
fn select_sql(table: &str, columns: &[String]) -> String {
    let selected: Vec<String> = KNOWN_COLUMNS
        .iter()
        .filter(|c| columns.iter().any(|have| have == *c))
        .map(|c| format!("CAST(`{c}` AS CHAR) AS `{c}`"))
        .collect();
    format!(
        "SELECT {} FROM `{}` ORDER BY `id`",
        selected.join(", "),
        table.replace('`', "``")
    )
}

fn migration_row(record: &mut Record) -> Result<MigrationRow, String> {
    let id: String = record.req("id")?;
    let created_at: Option<String> = record.opt("created_at");
    Ok(MigrationRow {
        id: id
            .parse()
            .map_err(|_| format!("`id` is not a number: {id}"))?,
        hash: record.req("hash")?,
        created_at: match created_at {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse()
                    .map_err(|_| format!("`created_at` is not an integer: {text}"))?,
            ),
        },
        name: record.opt("name"),
        applied_at: record.opt("applied_at"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_reads_only_the_columns_the_table_has() {
        let columns = vec![
            "id".to_string(),
            "hash".to_string(),
            "created_at".to_string(),
        ];
        assert_eq!(
            select_sql("__drizzle_migrations", &columns),
            "SELECT CAST(`id` AS CHAR) AS `id`, CAST(`hash` AS CHAR) AS `hash`, CAST(`created_at` AS CHAR) AS `created_at` FROM `__drizzle_migrations` ORDER BY `id`"
        );
    }

    #[test]
    fn table_name_backquotes_are_doubled() {
        let columns = vec!["id".to_string(), "hash".to_string()];
        assert!(select_sql("a`b", &columns).ends_with("FROM `a``b` ORDER BY `id`"));
    }
}
