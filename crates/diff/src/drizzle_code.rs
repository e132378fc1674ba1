//! Drizzle `mysql-core` code for objects that exist only in the database, so
//! a team can formalize a hotfix instead of reverting it.
//!
//! Column names are always passed explicitly, so the code is right whatever
//! the project's `casing` option.

use driftwatch_model::{Check, Column, ColumnType, DefaultValue, ForeignKey, Index, Table};

/// `lower_snake` / `kebab-case` → `camelCase`, for object keys.
pub fn camel_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper_next = false;
    for (i, ch) in name.chars().enumerate() {
        if ch == '_' || ch == '-' || ch == ' ' {
            upper_next = i > 0;
        } else if upper_next {
            out.extend(ch.to_uppercase());
            upper_next = false;
        } else {
            out.push(ch);
        }
    }
    let is_identifier = out
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && out
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    if is_identifier { out } else { js_string(name) }
}

pub fn js_string(value: &str) -> String {
    let mut out = String::from("'");
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

fn with_options(builder: &str, name: &str, options: &[String]) -> String {
    if options.is_empty() {
        format!("{builder}({})", js_string(name))
    } else {
        format!(
            "{builder}({}, {{ {} }})",
            js_string(name),
            options.join(", ")
        )
    }
}

fn unsigned(flag: bool) -> Vec<String> {
    if flag {
        vec!["unsigned: true".to_string()]
    } else {
        vec![]
    }
}

/// The builder call for a column type, or `None` when Drizzle has no builder
/// for it (a `customType` is needed).
fn builder(column: &Column) -> Option<String> {
    use driftwatch_model::IntSize;
    let n = column.name.as_str();
    let fsp_opt = |fsp: u8| {
        if fsp > 0 {
            vec![format!("fsp: {fsp}")]
        } else {
            vec![]
        }
    };
    let precision = |ps: &Option<(u32, u32)>| match ps {
        Some((p, s)) => vec![format!("precision: {p}"), format!("scale: {s}")],
        None => vec![],
    };
    Some(match &column.ty {
        ColumnType::Integer {
            zerofill_width: Some(_),
            ..
        } => return None,
        ColumnType::Integer {
            size, unsigned: u, ..
        } => {
            let name = match size {
                IntSize::Tiny => "tinyint",
                IntSize::Small => "smallint",
                IntSize::Medium => "mediumint",
                IntSize::Int => "int",
                IntSize::Big => "bigint",
            };
            let mut options = Vec::new();
            if *size == IntSize::Big {
                options.push("mode: 'number'".to_string());
            }
            options.extend(unsigned(*u));
            with_options(name, n, &options)
        }
        ColumnType::Boolean => with_options("boolean", n, &[]),
        ColumnType::Decimal {
            precision: p,
            scale: s,
            unsigned: u,
        } => {
            let mut options = vec![format!("precision: {p}"), format!("scale: {s}")];
            options.extend(unsigned(*u));
            with_options("decimal", n, &options)
        }
        ColumnType::Float {
            precision_scale,
            unsigned: u,
        } => {
            let mut options = precision(precision_scale);
            options.extend(unsigned(*u));
            with_options("float", n, &options)
        }
        ColumnType::Double {
            precision_scale,
            unsigned: u,
        } => {
            let mut options = precision(precision_scale);
            options.extend(unsigned(*u));
            with_options("double", n, &options)
        }
        ColumnType::Char { length } => with_options("char", n, &[format!("length: {length}")]),
        ColumnType::Varchar { length } => {
            with_options("varchar", n, &[format!("length: {length}")])
        }
        ColumnType::Text { .. } => with_options(&column.ty.to_string(), n, &[]),
        ColumnType::Binary { length } => with_options("binary", n, &[format!("length: {length}")]),
        ColumnType::Varbinary { length } => {
            with_options("varbinary", n, &[format!("length: {length}")])
        }
        ColumnType::Json => with_options("json", n, &[]),
        ColumnType::Date => with_options("date", n, &[]),
        ColumnType::DateTime { fsp } => with_options("datetime", n, &fsp_opt(*fsp)),
        ColumnType::Time { fsp } => with_options("time", n, &fsp_opt(*fsp)),
        ColumnType::Timestamp { fsp } => with_options("timestamp", n, &fsp_opt(*fsp)),
        ColumnType::Year => with_options("year", n, &[]),
        ColumnType::Enum { values } => format!(
            "mysqlEnum({}, [{}])",
            js_string(n),
            values
                .iter()
                .map(|v| js_string(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ColumnType::Bit { .. }
        | ColumnType::Blob { .. }
        | ColumnType::Set { .. }
        | ColumnType::Unsupported { .. } => return None,
    })
}

fn default_modifier(column: &Column) -> Option<String> {
    let default = column.default.as_ref()?;
    Some(match default {
        DefaultValue::Null => ".default(null)".to_string(),
        DefaultValue::Literal(value) => format!(".default({})", js_string(value)),
        DefaultValue::Number(number) => match column.ty {
            // Drizzle maps decimals to strings by default.
            ColumnType::Decimal { .. } => format!(".default({})", js_string(number)),
            ColumnType::Boolean => {
                format!(".default({})", if number == "0" { "false" } else { "true" })
            }
            _ => format!(".default({number})"),
        },
        DefaultValue::CurrentTimestamp { fsp: 0 }
            if matches!(column.ty, ColumnType::Timestamp { .. }) =>
        {
            ".defaultNow()".to_string()
        }
        DefaultValue::CurrentTimestamp { fsp: 0 } => ".default(sql`CURRENT_TIMESTAMP`)".to_string(),
        DefaultValue::CurrentTimestamp { fsp } => {
            format!(".default(sql`CURRENT_TIMESTAMP({fsp})`)")
        }
        DefaultValue::Expr(expr) => format!(".default(sql`({expr})`)"),
    })
}

/// `key: builder(...).modifiers()` for one column.
pub fn column_property(column: &Column) -> String {
    let key = camel_key(&column.name);
    let Some(mut code) = builder(column) else {
        return format!(
            "// `{}` is {}: Drizzle has no builder for it; declare it with customType()",
            column.name, column.ty
        );
    };
    if column.auto_increment {
        code.push_str(".autoincrement()");
    }
    if !column.nullable {
        code.push_str(".notNull()");
    }
    if let Some(default) = default_modifier(column) {
        code.push_str(&default);
    }
    if column.on_update_now {
        code.push_str(".onUpdateNow()");
    }
    if let Some(generated) = &column.generated {
        code.push_str(&format!(
            ".generatedAlwaysAs(sql`{}`, {{ mode: '{}' }})",
            generated.expression,
            if generated.stored {
                "stored"
            } else {
                "virtual"
            }
        ));
    }
    format!("{key}: {code},")
}

fn columns_ref(columns: &[String], table_var: &str) -> String {
    columns
        .iter()
        .map(|c| format!("{table_var}.{}", camel_key(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An entry of the table's extra-config array.
pub fn index(index: &Index) -> String {
    let builder = if index.unique { "uniqueIndex" } else { "index" };
    let columns: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            if p.is_expression {
                format!("sql`({})`", p.column)
            } else {
                format!("t.{}", camel_key(&p.column))
            }
        })
        .collect();
    format!(
        "{builder}({}).on({}),",
        js_string(&index.name),
        columns.join(", ")
    )
}

/// An entry of the table's extra-config array.
pub fn foreign_key(fk: &ForeignKey) -> String {
    let mut code = format!(
        "foreignKey({{ name: {}, columns: [{}], foreignColumns: [{}] }})",
        js_string(&fk.name),
        columns_ref(&fk.columns, "t"),
        columns_ref(&fk.referenced_columns, &camel_key(&fk.referenced_table)),
    );
    code.push_str(&format!(".onDelete('{}')", fk.on_delete.drizzle()));
    code.push_str(&format!(".onUpdate('{}')", fk.on_update.drizzle()));
    code.push(',');
    code
}

pub fn check(check: &Check) -> String {
    format!(
        "check({}, sql`{}`),",
        js_string(&check.name),
        check.expression
    )
}

/// A whole `mysqlTable(...)` declaration.
pub fn table(table: &Table) -> String {
    let mut out = format!(
        "export const {} = mysqlTable({}, {{\n",
        camel_key(&table.name),
        js_string(&table.name)
    );
    for column in &table.columns {
        out.push_str("  ");
        out.push_str(&column_property(column));
        out.push('\n');
    }
    let mut extras: Vec<String> = Vec::new();
    if let Some(pk) = &table.primary_key {
        extras.push(format!(
            "primaryKey({{ columns: [{}] }}),",
            columns_ref(&pk.columns, "t")
        ));
    }
    // The index InnoDB made for a foreign key is not declared: drizzle-kit
    // creates it again with the key (and refuses an index named like the key).
    extras.extend(
        table
            .indexes
            .iter()
            .filter(|i| !driftwatch_model::equivalence::is_implicit_fk_index(i, table))
            .map(index),
    );
    extras.extend(table.foreign_keys.iter().map(foreign_key));
    extras.extend(table.checks.iter().map(check));
    if extras.is_empty() {
        out.push_str("});");
    } else {
        out.push_str("}, (t) => [\n");
        for extra in extras {
            out.push_str("  ");
            out.push_str(&extra);
            out.push('\n');
        }
        out.push_str("]);");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn keys_are_camel_case_and_names_explicit() {
        let mut column = Column::new("created_at", ty("timestamp"));
        column.nullable = false;
        column.default = Some(DefaultValue::CurrentTimestamp { fsp: 0 });
        assert_eq!(
            column_property(&column),
            "createdAt: timestamp('created_at').notNull().defaultNow(),"
        );
    }

    #[test]
    fn varchar_has_its_length() {
        let column = Column::new("email", ty("varchar(255)"));
        assert_eq!(
            column_property(&column),
            "email: varchar('email', { length: 255 }),"
        );
    }

    #[test]
    fn decimal_default_is_a_string() {
        let mut column = Column::new("price", ty("decimal(10,2)"));
        column.default = Some(DefaultValue::Number("0.00".into()));
        assert_eq!(
            column_property(&column),
            "price: decimal('price', { precision: 10, scale: 2 }).default('0.00'),"
        );
    }

    #[test]
    fn the_index_innodb_made_for_a_foreign_key_is_not_declared() {
        let mut t = Table::new("tmp");
        t.columns.push(Column::new("oid", ty("int")));
        t.indexes.push(Index::on_columns("fk_tmp", &["oid"], false));
        t.foreign_keys.push(ForeignKey {
            name: "fk_tmp".into(),
            columns: vec!["oid".into()],
            referenced_table: "orders".into(),
            referenced_columns: vec!["id".into()],
            on_delete: driftwatch_model::FkAction::Restrict,
            on_update: driftwatch_model::FkAction::Restrict,
            source: None,
        });
        let code = table(&t);
        assert!(!code.contains("index("), "{code}");
        assert!(code.contains("foreignKey({ name: 'fk_tmp'"), "{code}");
    }

    #[test]
    fn types_without_a_builder_say_so() {
        let column = Column::new("raw", ty("longblob"));
        assert!(column_property(&column).starts_with("// `raw` is longblob"));
    }
}
