//! Rendering Model pieces as MySQL DDL (valid on MySQL 8 and MariaDB).

use driftwatch_model::{Check, Column, ColumnType, DefaultValue, ForeignKey, Index, Table, View};

/// `` `name` `` with back-quotes doubled.
pub fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

pub fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `name` type [GENERATED …] NOT NULL|NULL [DEFAULT …] [AUTO_INCREMENT] [ON UPDATE …] ``
pub fn column_definition(column: &Column) -> String {
    let mut out = format!("{} {}", ident(&column.name), column.ty);
    if let Some(charset) = &column.charset {
        out.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &column.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expression,
            if generated.stored {
                "STORED"
            } else {
                "VIRTUAL"
            }
        ));
    }
    // NULL is written out: on servers with explicit_defaults_for_timestamp=OFF a
    // bare TIMESTAMP would silently become NOT NULL. Not on a generated
    // column, though: MariaDB (10.11 observed) rejects `NULL` there.
    match (column.nullable, column.generated.is_some()) {
        (false, _) => out.push_str(" NOT NULL"),
        (true, false) => out.push_str(" NULL"),
        (true, true) => {}
    }
    if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {}", default_sql(default, &column.ty)));
    }
    if column.auto_increment {
        out.push_str(" AUTO_INCREMENT");
    }
    if column.on_update_now {
        // The ON UPDATE precision must equal the column's fractional seconds.
        match column.ty {
            ColumnType::Timestamp { fsp } | ColumnType::DateTime { fsp } if fsp > 0 => {
                out.push_str(&format!(" ON UPDATE CURRENT_TIMESTAMP({fsp})"));
            }
            _ => out.push_str(" ON UPDATE CURRENT_TIMESTAMP"),
        }
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(
            " COMMENT {}",
            driftwatch_model::column_type::quote_sql_string(comment)
        ));
    }
    out
}

/// The value of a DEFAULT clause. A number of more than 65 digits (DECIMAL's
/// limit) is written in exponent form: as digits the server reads it as a
/// DECIMAL literal and clips it (MariaDB 10.11 stores the 309-digit
/// `DEFAULT` of a double at `Number.MAX_VALUE` as 1e65).
fn default_sql(default: &DefaultValue, ty: &ColumnType) -> String {
    if let DefaultValue::Number(number) = default {
        let digits = number.chars().filter(char::is_ascii_digit).count();
        if let (true, Ok(value)) = (digits > 65, number.parse::<f64>()) {
            return format!("{value:e}");
        }
    }
    default.to_sql(ty)
}

/// `` `a`, `b`(20) DESC, (lower(`c`)) ``
pub fn index_parts(index: &Index) -> String {
    index
        .parts
        .iter()
        .map(|p| {
            let mut s = if p.is_expression {
                format!("({})", p.column)
            } else {
                ident(&p.column)
            };
            if let Some(len) = p.prefix {
                s.push_str(&format!("({len})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn index_keyword(index: &Index) -> &'static str {
    match (index.unique, index.kind.as_deref()) {
        (true, _) => "UNIQUE INDEX",
        (false, Some("FULLTEXT")) => "FULLTEXT INDEX",
        (false, Some("SPATIAL")) => "SPATIAL INDEX",
        _ => "INDEX",
    }
}

pub fn create_index(table: &str, index: &Index) -> String {
    format!(
        "CREATE {} {} ON {} ({});",
        index_keyword(index),
        ident(&index.name),
        ident(table),
        index_parts(index)
    )
}

pub fn drop_index(table: &str, name: &str) -> String {
    format!("DROP INDEX {} ON {};", ident(name), ident(table))
}

/// `` (`a`) REFERENCES `t` (`id`) ON DELETE … ON UPDATE … ``
pub fn foreign_key_definition(fk: &ForeignKey) -> String {
    format!(
        "({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        ident_list(&fk.columns),
        ident(&fk.referenced_table),
        ident_list(&fk.referenced_columns),
        fk.on_delete.sql(),
        fk.on_update.sql()
    )
}

fn foreign_key_clause(fk: &ForeignKey) -> String {
    format!(
        "CONSTRAINT {} FOREIGN KEY {}",
        ident(&fk.name),
        foreign_key_definition(fk)
    )
}

pub fn add_foreign_key(table: &str, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} ADD {};",
        ident(table),
        foreign_key_clause(fk)
    )
}

pub fn drop_foreign_key(table: &str, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP FOREIGN KEY {};",
        ident(table),
        ident(name)
    )
}

pub fn add_check(table: &str, check: &Check) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({});",
        ident(table),
        ident(&check.name),
        check.expression
    )
}

/// `DROP CONSTRAINT` works for checks on MariaDB ≥ 10.2 and MySQL ≥ 8.0.19.
pub fn drop_check(table: &str, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {};",
        ident(table),
        ident(name)
    )
}

/// `CREATE TABLE` with columns, keys and checks, then one statement per foreign
/// key (as drizzle-kit orders them, so referenced tables may come later).
pub fn create_table(table: &Table) -> Vec<String> {
    let mut statements = vec![create_table_without_foreign_keys(table, None)];
    statements.extend(
        table
            .foreign_keys
            .iter()
            .map(|fk| add_foreign_key(&table.name, fk)),
    );
    statements
}

/// `CREATE TABLE` with columns, primary key, indexes and checks, but no
/// foreign keys (they go after every table exists, see [`crate::ddl`]).
/// `default_collation` becomes the table's `COLLATE=` option when the table
/// declares none, so that its columns inherit what they would inherit from
/// the database the schema is deployed to.
pub fn create_table_without_foreign_keys(table: &Table, default_collation: Option<&str>) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_definition).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(format!("PRIMARY KEY ({})", ident_list(&pk.columns)));
    }
    for index in &table.indexes {
        lines.push(format!(
            "{} {} ({})",
            match (index.unique, index.kind.as_deref()) {
                (true, _) => "UNIQUE KEY",
                (false, Some("FULLTEXT")) => "FULLTEXT KEY",
                (false, Some("SPATIAL")) => "SPATIAL KEY",
                _ => "KEY",
            },
            ident(&index.name),
            index_parts(index)
        ));
    }
    for check in &table.checks {
        lines.push(format!(
            "CONSTRAINT {} CHECK ({})",
            ident(&check.name),
            check.expression
        ));
    }
    let options = match table.collation.as_deref().or(default_collation) {
        Some(collation) => format!(" COLLATE={collation}"),
        None => String::new(),
    };
    format!(
        "CREATE TABLE {} (\n  {}\n){options};",
        ident(&table.name),
        lines.join(",\n  ")
    )
}

/// `CREATE VIEW`, when the schema knows the view's query (a query-builder
/// view is known by name only and cannot be created).
pub fn create_view(view: &View) -> Option<String> {
    let definition = view.definition.as_deref()?;
    Some(format!(
        "CREATE VIEW {} AS {definition};",
        ident(&view.name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftwatch_model::Generated;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn column_definition_restates_every_attribute() {
        let mut column = Column::new("updated_at", ty("timestamp(3)"));
        column.nullable = false;
        column.default = Some(DefaultValue::CurrentTimestamp { fsp: 3 });
        column.on_update_now = true;
        assert_eq!(
            column_definition(&column),
            "`updated_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"
        );
    }

    #[test]
    fn table_collation_falls_back_to_the_given_default() {
        let mut table = Table::new("t");
        table.columns.push(Column::new("a", ty("int")));
        assert_eq!(
            create_table_without_foreign_keys(&table, Some("utf8mb4_general_ci")),
            "CREATE TABLE `t` (\n  `a` int NULL\n) COLLATE=utf8mb4_general_ci;"
        );
        table.collation = Some("latin1_swedish_ci".into());
        assert!(
            create_table_without_foreign_keys(&table, Some("utf8mb4_general_ci"))
                .ends_with(") COLLATE=latin1_swedish_ci;")
        );
    }

    #[test]
    fn view_without_a_known_query_cannot_be_created() {
        let view = View {
            name: "v".into(),
            definition: None,
            source: None,
        };
        assert_eq!(create_view(&view), None);
    }

    #[test]
    fn nullable_generated_column_has_no_null_keyword() {
        let mut column = Column::new("total", ty("int"));
        column.generated = Some(Generated {
            expression: "price * qty".into(),
            stored: true,
        });
        assert_eq!(
            column_definition(&column),
            "`total` int GENERATED ALWAYS AS (price * qty) STORED"
        );
    }

    #[test]
    fn double_default_beyond_decimal_digits_is_written_in_exponent_form() {
        let mut column = Column::new("d_big", ty("double"));
        column.default = Some(DefaultValue::Number(format!(
            "17976931348623157{}",
            "0".repeat(292)
        )));
        assert_eq!(
            column_definition(&column),
            "`d_big` double NULL DEFAULT 1.7976931348623157e308"
        );
    }

    #[test]
    fn identifiers_with_backquotes_are_escaped() {
        assert_eq!(ident("we`ird"), "`we``ird`");
    }

    #[test]
    fn text_default_is_written_as_an_expression() {
        let mut column = Column::new("bio", ty("text"));
        column.default = Some(DefaultValue::Literal("hi".into()));
        assert_eq!(column_definition(&column), "`bio` text NULL DEFAULT ('hi')");
    }
}
