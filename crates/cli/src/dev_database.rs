//! `validate --dev-url URL`: shadow-database mode, for certainty.
//!
//! Static mode trusts driftwatch's normalization of the schema files. In
//! dev-database mode the expected schema is instead *created* on a scratch
//! database of the same flavour (DDL from `driftwatch_diff::ddl`), read back
//! through the very introspection that reads the target, and dropped again:
//! both sides of the comparison are then server readings, so whatever the
//! server does to a declaration (type aliases, default spelling, expression
//! printing, implicit indexes) is done to both.
//!
//! Refusals (exit 2, nothing written): a dev URL that reaches the database
//! being validated (same host:port and database, or the same server instance
//! by `@@hostname`/`@@port`/`@@datadir` and the same database); a dev server
//! of another vendor or another major version than the target (MySQL 5.7 and
//! 8 differ in CHECK and expression-default support, MariaDB 10 and 11 in
//! collations) or another `lower_case_table_names`; a dev database that
//! holds any table or view. Another minor series (MariaDB 10.6 vs 10.11,
//! MySQL 8.0 vs 8.4) is a warning in the report.
//!
//! The only code that writes is `driftwatch_mysql::dev_database`; this module
//! decides what to write and always asks it to drop what it created, also
//! when creating or reading failed.

use std::collections::BTreeSet;

use driftwatch_diff::ddl::{self, Creates};
use driftwatch_drizzle::ReadOutput;
use driftwatch_model::equivalence::is_implicit_fk_index;
use driftwatch_model::{Flavor, Schema, Table};
use driftwatch_mysql::dev_database::{self, ObjectKind};
use driftwatch_mysql::{DatabaseUrl, DevDatabase, InspectOptions, Inspection};
use driftwatch_report::{DiagnosticEntry, Report};

use crate::error::CliError;

/// The expected schema as the dev server made it.
pub struct DevReading {
    /// The dev database's reading, with the static reading's sources.
    pub schema: Schema,
    /// `database on host:port` of the dev database (no credentials).
    pub location: String,
    /// Things the report should say (version series differ, a table read
    /// back inexactly).
    pub warnings: Vec<String>,
}

impl DevReading {
    pub fn diagnostic_entries(&self) -> impl Iterator<Item = DiagnosticEntry> + '_ {
        self.warnings.iter().map(|warning| DiagnosticEntry {
            level: "warning".to_string(),
            message: format!("dev database: {warning}"),
            file: None,
            line: None,
            column: None,
        })
    }

    /// Marks the report as compared in dev-database mode.
    pub fn mark(&self, report: Report) -> Report {
        report.with_dev_database(self.location.clone())
    }
}

/// What the dev database needs to know about the run.
pub struct Context<'a> {
    pub target_url: &'a DatabaseUrl,
    pub target: &'a Inspection,
    pub read: &'a ReadOutput,
    pub options: &'a InspectOptions,
}

/// Creates the expected schema on the dev database, reads it back and drops
/// it; `None` in static mode (no `--dev-url`).
pub async fn read_back(
    dev_url: Option<&str>,
    context: &Context<'_>,
) -> Result<Option<DevReading>, CliError> {
    let Some(dev_url) = dev_url else {
        return Ok(None);
    };
    let dev_url = DatabaseUrl::parse(dev_url)
        .and_then(|url| url.require_database().map(|_| url.clone()))
        .map_err(|e| CliError::Database(format!("--dev-url: {e}")))?;
    refuse_same_database_by_url(context.target_url, &dev_url)?;
    let mut dev = DevDatabase::open(&dev_url).await.map_err(database_error)?;
    let created_and_read = create_and_read(&mut dev, &dev_url, context).await;
    // Always, also after a failure: drop what was created.
    let cleanup = dev.drop_created().await.map_err(database_error);
    dev.close().await;
    match (created_and_read, cleanup) {
        (Ok(reading), Ok(())) => Ok(Some(reading)),
        (Err(error), Ok(())) | (Ok(_), Err(error)) => Err(error),
        (Err(error), Err(cleanup)) => Err(CliError::Database(format!("{error}\n{cleanup}"))),
    }
}

fn database_error(error: impl std::fmt::Display) -> CliError {
    CliError::Database(error.to_string())
}

async fn create_and_read(
    dev: &mut DevDatabase,
    dev_url: &DatabaseUrl,
    context: &Context<'_>,
) -> Result<DevReading, CliError> {
    refuse_same_server_instance(dev, context.target_url).await?;
    let mut warnings = Vec::new();
    warnings.extend(compare_flavors(&dev.flavor, &context.target.flavor)?);
    compare_name_case(
        dev.server.lower_case_table_names.as_deref(),
        context.target.server.lower_case_table_names.as_deref(),
    )?;
    dev.require_clean().await.map_err(database_error)?;
    if let Some(sql_mode) = &context.target.server.sql_mode {
        dev.use_sql_mode(sql_mode).await;
    }
    let declared = declared_schema(context.read);
    create(dev, &declared, context.target).await?;
    let reading = driftwatch_mysql::inspect(dev_url, context.options)
        .await
        .map_err(|e| CliError::Database(format!("reading back the dev database: {e}")))?;
    let unreadable: BTreeSet<String> = reading
        .diagnostics
        .iter()
        .map(|d| d.table.clone())
        .filter(|t| !t.is_empty())
        .collect();
    warnings.extend(unreadable.iter().map(|table| {
        format!(
            "table `{table}` could not be read back exactly; it is compared as the static reading declares it"
        )
    }));
    Ok(DevReading {
        schema: align_with_declared(reading.schema, &declared, &unreadable),
        location: format!("{} on {}", dev.database(), dev.addr()),
        warnings,
    })
}

/// The tables the static reader read exactly, and the views: tables that
/// were not read exactly are never compared, so they are not created either.
fn declared_schema(read: &ReadOutput) -> Schema {
    let incomplete: BTreeSet<&str> = read.incomplete_tables.iter().map(String::as_str).collect();
    let mut schema = read.schema.clone();
    schema
        .tables
        .retain(|t| !incomplete.contains(t.name.as_str()));
    schema
}

/// Runs the DDL statement by statement; the first failure stops it.
async fn create(
    dev: &mut DevDatabase,
    declared: &Schema,
    target: &Inspection,
) -> Result<(), CliError> {
    // Tables inherit what they would inherit on the target: its database's
    // default collation.
    let default_collation = target
        .rows
        .schemata
        .as_ref()
        .and_then(|s| s.default_collation_name.as_deref());
    for statement in ddl::create_schema(declared, default_collation) {
        let creates = match statement.creates {
            Creates::Table => Some(ObjectKind::Table),
            Creates::View => Some(ObjectKind::View),
            Creates::Nothing => None,
        };
        dev.execute(&statement.object, creates, &statement.sql)
            .await
            .map_err(database_error)?;
    }
    Ok(())
}

/// Loopback names all reach the local server.
fn canonical_host(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    let loopback = host == "localhost" || host == "::1" || host.starts_with("127.");
    if loopback {
        "localhost".to_string()
    } else {
        host
    }
}

/// Database names compare without case: on a server with
/// `lower_case_table_names` ≠ 0 they are one database, and refusing a
/// case-variant costs nothing.
fn same_database(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn refusal(target: &DatabaseUrl, how: &str) -> CliError {
    CliError::Database(format!(
        "--dev-url {how} the database being validated (`{}` on {}); validation never writes to \
         the database it checks. Hint: give --dev-url an empty scratch database, e.g. \
         `CREATE DATABASE driftwatch_dev` on a server of the same flavour",
        target.database().unwrap_or(""),
        target.host_port()
    ))
}

fn refuse_same_database_by_url(target: &DatabaseUrl, dev: &DatabaseUrl) -> Result<(), CliError> {
    let same = canonical_host(target.host()) == canonical_host(dev.host())
        && target.port() == dev.port()
        && same_database(
            target.database().unwrap_or(""),
            dev.database().unwrap_or(""),
        );
    if same {
        return Err(refusal(target, "names"));
    }
    Ok(())
}

/// Another name for the same server (a DNS alias, a LAN address) is caught
/// by asking both servers who they are.
async fn refuse_same_server_instance(
    dev: &mut DevDatabase,
    target: &DatabaseUrl,
) -> Result<(), CliError> {
    let target_identity = dev_database::server_identity(target)
        .await
        .map_err(database_error)?;
    let dev_identity = dev.identity().await;
    let same_instance = target_identity.is_some() && target_identity == dev_identity;
    if same_instance && same_database(target.database().unwrap_or(""), dev.database()) {
        return Err(refusal(target, "reaches"));
    }
    Ok(())
}

/// Refuses another vendor or major version; warns about another minor series.
fn compare_flavors(dev: &Flavor, target: &Flavor) -> Result<Option<String>, CliError> {
    let (dev_major, dev_minor, _) = dev.version;
    let (target_major, target_minor, _) = target.version;
    if dev.vendor != target.vendor || dev_major != target_major {
        return Err(CliError::Database(format!(
            "the dev database runs {dev}, but the database being validated runs {target}: the \
             dev server must be of the same flavour and major version, or it would create the \
             schema differently. Hint: run a scratch database on a server like the target's"
        )));
    }
    if dev_minor != target_minor {
        return Ok(Some(format!(
            "it runs {dev}, the target {target}: servers of another release series may store \
             some declarations differently"
        )));
    }
    Ok(None)
}

/// Refuses a dev server that stores table names in another case than the
/// target (`lower_case_table_names` 0 vs 1 or 2): every table would read
/// back under another name.
fn compare_name_case(dev: Option<&str>, target: Option<&str>) -> Result<(), CliError> {
    match (dev, target) {
        (Some(dev), Some(target)) if dev.trim() != target.trim() => {
            Err(CliError::Database(format!(
                "the dev server has lower_case_table_names={dev}, the server being validated \
                 {target}: table names would read back in another case. Hint: use a dev server \
                 configured like the target's"
            )))
        }
        _ => Ok(()),
    }
}

/// Makes the dev reading comparable the way the static reading is:
///
/// * sources (file:line) come from the static reading, by name;
/// * a column's character set and collation are kept only where the schema
///   declares them (the diff compares them only then; the dev database's
///   defaults are not the schema's word);
/// * indexes InnoDB made for a foreign key are dropped unless declared, and
///   `serial()`'s unique key keeps its origin (both are server business the
///   diff already knows how to judge on the target);
/// * tables the dev reading could not read exactly, and views whose query is
///   not known (never created), are taken from the static reading.
fn align_with_declared(
    mut reading: Schema,
    declared: &Schema,
    unreadable: &BTreeSet<String>,
) -> Schema {
    reading.tables.retain(|t| !unreadable.contains(&t.name));
    for table in &mut reading.tables {
        if let Some(declared_table) = find_table(declared, &table.name) {
            align_table(table, declared_table);
        }
    }
    reading.tables.extend(
        declared
            .tables
            .iter()
            .filter(|t| unreadable.contains(&t.name))
            .cloned(),
    );
    for view in &declared.views {
        match reading.views.iter_mut().find(|v| v.name == view.name) {
            Some(read_back) => read_back.source = view.source.clone(),
            None if view.definition.is_none() => reading.views.push(view.clone()),
            None => {}
        }
    }
    reading.sort();
    reading
}

fn find_table<'a>(schema: &'a Schema, name: &str) -> Option<&'a Table> {
    schema.table(name).or_else(|| {
        schema
            .tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    })
}

fn align_table(table: &mut Table, declared: &Table) {
    table.source = declared.source.clone();
    for column in &mut table.columns {
        let Some(declared_column) = declared.column(&column.name) else {
            continue;
        };
        column.source = declared_column.source.clone();
        if declared_column.charset.is_none() {
            column.charset = None;
        }
        if declared_column.collation.is_none() {
            column.collation = None;
        }
    }
    if let (Some(pk), Some(declared_pk)) = (&mut table.primary_key, &declared.primary_key) {
        pk.source = declared_pk.source.clone();
    }
    let server_made: Vec<String> = table
        .indexes
        .iter()
        .filter(|i| declared.index(&i.name).is_none() && is_implicit_fk_index(i, table))
        .map(|i| i.name.clone())
        .collect();
    table.indexes.retain(|i| !server_made.contains(&i.name));
    for index in &mut table.indexes {
        if let Some(declared_index) = declared.index(&index.name) {
            index.source = declared_index.source.clone();
            index.origin = declared_index.origin;
        }
    }
    for fk in &mut table.foreign_keys {
        fk.source = declared
            .foreign_keys
            .iter()
            .find(|d| d.name == fk.name)
            .and_then(|d| d.source.clone());
    }
    for check in &mut table.checks {
        check.source = declared
            .checks
            .iter()
            .find(|d| d.name == check.name)
            .and_then(|d| d.source.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftwatch_model::{Column, ColumnType, FkAction, ForeignKey, Index, IndexOrigin, Source};

    fn source(line: u32) -> Option<Source> {
        Some(Source {
            file: "schema.ts".into(),
            line,
            column: 1,
        })
    }

    fn column(name: &str) -> Column {
        Column::new(
            name,
            ColumnType::parse("varchar(20)").unwrap_or_else(|e| panic!("{e}")),
        )
    }

    fn url(text: &str) -> DatabaseUrl {
        DatabaseUrl::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn localhost_and_127_0_0_1_name_the_same_database() {
        let target = url("mysql://app:secret@localhost:3306/app");
        let dev = url("mysql://root:other@127.0.0.1:3306/APP");
        assert!(refuse_same_database_by_url(&target, &dev).is_err());
    }

    #[test]
    fn another_database_on_the_same_server_is_a_dev_database() {
        let target = url("mysql://app:secret@localhost:3306/app");
        let dev = url("mysql://app:secret@localhost:3306/app_dev");
        assert!(refuse_same_database_by_url(&target, &dev).is_ok());
    }

    #[test]
    fn another_vendor_or_major_version_is_refused_and_another_series_warned() {
        let mariadb_10_11 = Flavor::identify("10.11.6-MariaDB", "");
        let mariadb_10_6 = Flavor::identify("10.6.12-MariaDB", "");
        let mariadb_11_4 = Flavor::identify("11.4.2-MariaDB", "");
        let mysql_8 = Flavor::identify("8.0.36", "MySQL Community Server");
        assert!(compare_flavors(&mysql_8, &mariadb_10_11).is_err());
        assert!(compare_flavors(&mariadb_11_4, &mariadb_10_11).is_err());
        assert!(matches!(
            compare_flavors(&mariadb_10_6, &mariadb_10_11),
            Ok(Some(_))
        ));
        assert!(matches!(
            compare_flavors(&mariadb_10_11, &mariadb_10_11),
            Ok(None)
        ));
    }

    #[test]
    fn another_table_name_case_policy_is_refused() {
        assert!(compare_name_case(Some("1"), Some("0")).is_err());
        assert!(compare_name_case(Some("0"), Some("0")).is_ok());
        assert!(compare_name_case(None, Some("0")).is_ok());
    }

    #[test]
    fn dev_reading_takes_sources_and_undeclared_collations_from_the_static_reading() {
        let mut declared = Table::new("users");
        declared.source = source(3);
        let mut name = column("name");
        name.source = source(5);
        declared.columns.push(name);
        let mut read_back = Table::new("users");
        let mut name = column("name");
        name.charset = Some("utf8mb4".into());
        name.collation = Some("utf8mb4_general_ci".into());
        read_back.columns.push(name);
        align_table(&mut read_back, &declared);
        assert_eq!(read_back.source, source(3));
        assert_eq!(read_back.columns[0].source, source(5));
        assert_eq!(read_back.columns[0].collation, None);
        assert_eq!(read_back.columns[0].charset, None);
    }

    #[test]
    fn implicit_foreign_key_index_of_the_dev_server_is_not_expected() {
        let fk = ForeignKey {
            name: "orders_user_fk".into(),
            columns: vec!["user_id".into()],
            referenced_table: "users".into(),
            referenced_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            source: source(9),
        };
        let mut declared = Table::new("orders");
        declared.foreign_keys.push(fk.clone());
        let mut serial = Index::on_columns("id", &["id"], true);
        serial.origin = IndexOrigin::SerialUnique;
        declared.indexes.push(serial);
        let mut read_back = Table::new("orders");
        read_back
            .foreign_keys
            .push(ForeignKey { source: None, ..fk });
        read_back
            .indexes
            .push(Index::on_columns("orders_user_fk", &["user_id"], false));
        read_back
            .indexes
            .push(Index::on_columns("id", &["id"], true));
        align_table(&mut read_back, &declared);
        let names: Vec<&str> = read_back.indexes.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["id"]);
        assert_eq!(read_back.indexes[0].origin, IndexOrigin::SerialUnique);
        assert_eq!(read_back.foreign_keys[0].source, source(9));
    }
}
