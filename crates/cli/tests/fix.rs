//! `driftwatch fix` on the example app (examples/shop), against the private
//! MariaDB and with the real drizzle-kit (tests/parity/node_modules) as the
//! oracle:
//!
//! * for every manual modification of detection.rs (common::MODIFICATIONS),
//!   the SQL of `fix --allow-destructive`, run on the server, makes validate
//!   exit 0 — and without `--allow-destructive` no destructive statement is
//!   left uncommented;
//! * `fix --write --allow-destructive` on a copy of the project, then the real
//!   `drizzle-kit migrate`, makes validate exit 0, and the real
//!   `drizzle-kit generate` afterwards finds nothing to do (the snapshot
//!   driftwatch wrote is what drizzle-kit would have written);
//! * renames, refusals, `--direction schema` and the approver.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{
    MODIFICATIONS, Modification, TestDb, driftwatch, modification, shop_dir, stderr, stdout,
};

fn drifted_db(server: &str, m: &Modification) -> TestDb {
    let db = TestDb::create(server, &format!("fix_{}", m.label));
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let changes: Vec<String> = m.changes.iter().map(|s| s.to_string()).collect();
    db.exec(&changes);
    db
}

fn run_fix(args: &[&str], cwd: &Path, db: &TestDb) -> Output {
    let mut all = vec!["fix"];
    all.extend_from_slice(args);
    driftwatch(&all, cwd, &[("DATABASE_URL", &db.url())])
}

fn validate(cwd: &Path, db: &TestDb) -> Output {
    driftwatch(&["validate"], cwd, &[("DATABASE_URL", &db.url())])
}

/// The statements of a fix script as the mysql client reads it: comment
/// lines skipped, a statement ends with the line that ends in `;`.
fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        if line.trim_start().starts_with("--") || line.trim().is_empty() {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            out.push(std::mem::take(&mut current));
        }
    }
    assert!(
        current.trim().is_empty(),
        "unterminated statement: {current}"
    );
    out
}

/// What a destructive step starts with, in the statements this plan writes.
const DESTRUCTIVE_WORDS: &[&str] = &["DROP ", "RENAME COLUMN", "CHANGE COLUMN"];

#[test]
fn fix_sql_run_on_the_server_makes_every_modification_validate_clean() {
    let Some(server) = common::server_url() else {
        return;
    };
    let mut failures = Vec::new();
    for m in MODIFICATIONS {
        let db = drifted_db(&server, m);
        // Without --allow-destructive: exit 1, and nothing destructive is
        // left uncommented.
        let safe = run_fix(&[], &shop_dir(), &db);
        assert_eq!(
            safe.status.code(),
            Some(1),
            "{}: {}",
            m.label,
            stderr(&safe)
        );
        for statement in statements(&stdout(&safe)) {
            if DESTRUCTIVE_WORDS.iter().any(|w| statement.contains(w)) {
                failures.push(format!(
                    "{}: destructive statement emitted without --allow-destructive:\n{statement}",
                    m.label
                ));
            }
        }
        let full = run_fix(&["--allow-destructive"], &shop_dir(), &db);
        assert_eq!(
            full.status.code(),
            Some(1),
            "{}: {}",
            m.label,
            stderr(&full)
        );
        let script = stdout(&full);
        db.exec(&statements(&script));
        let after = validate(&shop_dir(), &db);
        if after.status.code() != Some(0) {
            failures.push(format!(
                "{}: validate after the fix exits {:?}\n--- fix:\n{script}\n--- validate:\n{}",
                m.label,
                after.status.code(),
                stdout(&after)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn without_allow_destructive_an_extra_column_is_dropped_only_in_a_comment() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = drifted_db(&server, modification("add_column"));
    let output = run_fix(&[], &shop_dir(), &db);
    let script = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{script}{}", stderr(&output));
    assert!(
        script.contains("--   DROP COLUMN `hotfix_note`;"),
        "{script}"
    );
    assert!(
        script.contains("needs approval by Technical Lead"),
        "{script}"
    );
    assert_eq!(statements(&script), Vec::<String>::new(), "{script}");
}

#[test]
fn renamed_column_is_fixed_by_a_rename_not_a_drop_and_an_add() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = drifted_db(&server, modification("rename_column"));
    let withheld = stdout(&run_fix(&[], &shop_dir(), &db));
    assert!(
        withheld.contains("--   RENAME COLUMN `country` TO `country_code`;"),
        "{withheld}"
    );
    assert!(withheld.contains("WITHHELD, destructive: renames column"));
    let allowed = stdout(&run_fix(&["--allow-destructive"], &shop_dir(), &db));
    assert_eq!(
        statements(&allowed),
        vec!["ALTER TABLE `warehouses`\n  RENAME COLUMN `country` TO `country_code`;\n"],
        "{allowed}"
    );
}

#[test]
fn in_sync_database_has_nothing_to_fix_and_exits_0() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "fix_clean");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let output = run_fix(&[], &shop_dir(), &db);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("nothing to fix"));
    let project = ProjectCopy::new();
    let written = run_fix(&["--write"], &project.dir, &db);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert_eq!(project.migration_files(), 2, "nothing is written");
}

#[test]
fn unreachable_database_is_exit_2_and_writes_nothing() {
    let project = ProjectCopy::new();
    let output = driftwatch(
        &[
            "fix",
            "--write",
            "--url",
            "mysql://nobody:pw@127.0.0.1:1/nowhere",
        ],
        &project.dir,
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(project.migration_files(), 2);
}

#[test]
fn write_is_refused_while_a_destructive_step_is_withheld() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = drifted_db(&server, modification("add_column"));
    let project = ProjectCopy::new();
    let journal = project.journal();
    let output = run_fix(&["--write"], &project.dir, &db);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("--write refused"), "{err}");
    assert!(err.contains("Technical Lead"), "{err}");
    assert!(err.contains("--allow-destructive"), "{err}");
    assert_eq!(project.journal(), journal, "journal unchanged");
    assert_eq!(project.migration_files(), 2);
}

#[test]
fn approver_is_read_from_the_escalation_table() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = drifted_db(&server, modification("add_table"));
    let project = ProjectCopy::new();
    std::fs::write(
        project.dir.join("driftwatch.toml"),
        "[[escalation]]\nname = \"Devs\"\n[[escalation]]\nname = \"DBAs\"\n\
         [[escalation]]\nname = \"Platform Lead\"\ngithub = [\"alice\"]\n",
    )
    .expect("write driftwatch.toml");
    let script = stdout(&run_fix(&[], &project.dir, &db));
    assert!(
        script.contains("needs approval by Platform Lead (@alice)"),
        "{script}"
    );
}

#[test]
fn direction_schema_prints_drizzle_code_with_its_file_and_table() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "fix_schema_direction");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let changes: Vec<String> = ["add_column", "add_table", "add_index"]
        .iter()
        .flat_map(|l| modification(l).changes.iter().map(|s| s.to_string()))
        .collect();
    db.exec(&changes);
    let output = run_fix(&["--direction", "schema"], &shop_dir(), &db);
    let code = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{code}{}", stderr(&output));
    for expected in [
        "// drizzle/schema.ts: table `orders` (`orders`), add to its columns:",
        "  hotfixNote: varchar('hotfix_note', { length: 20 }),",
        "// drizzle/schema.ts: new table `tmp_backup`",
        "export const tmpBackup = mysqlTable('tmp_backup', {",
        "// drizzle/schema.ts: table `products` (`products`), add to its extra-config array",
        "  index('products_name_hotfix_idx').on(t.name),",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
    assert!(
        !code.contains("Add to the import"),
        "shop imports every builder used:\n{code}"
    );
}

// ---------------------------------------------------------------------------
// --write with the real drizzle-kit
// ---------------------------------------------------------------------------

/// A copy of examples/shop in a temporary folder, with the pinned drizzle-kit's
/// node_modules linked in (as tests/parity/generate.sh does).
struct ProjectCopy {
    _temp: tempfile::TempDir,
    dir: PathBuf,
}

impl ProjectCopy {
    fn new() -> ProjectCopy {
        let temp = tempfile::tempdir().expect("tempdir");
        let dir = temp.path().join("shop");
        copy_dir(&shop_dir(), &dir);
        let modules = common::repo_root().join("tests/parity/node_modules");
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink(&modules, dir.join("node_modules"));
        ProjectCopy { _temp: temp, dir }
    }

    fn migrations(&self) -> PathBuf {
        self.dir.join("drizzle/migrations")
    }

    fn migration_files(&self) -> usize {
        std::fs::read_dir(self.migrations())
            .expect("migrations folder")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
            .count()
    }

    fn journal(&self) -> String {
        std::fs::read_to_string(self.migrations().join("meta/_journal.json")).expect("journal")
    }

    /// `node node_modules/drizzle-kit/bin.cjs <command> --config drizzle.config.ts`.
    fn drizzle_kit(&self, command: &str, db: &TestDb) -> Output {
        Command::new("node")
            .args([
                "node_modules/drizzle-kit/bin.cjs",
                command,
                "--config",
                "drizzle.config.ts",
            ])
            .current_dir(&self.dir)
            .env("DATABASE_URL", db.url())
            .output()
            .expect("run node")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read example").flatten() {
        let path = entry.path();
        if entry.file_name() == "node_modules" {
            continue;
        }
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}

/// The pinned drizzle-kit is installed (tests/parity/generate.sh installs it).
fn drizzle_kit_available() -> bool {
    let bin = common::repo_root().join("tests/parity/node_modules/drizzle-kit/bin.cjs");
    let node = Command::new("node").arg("--version").output().is_ok();
    if !(bin.is_file() && node) {
        eprintln!(
            "skipped: node or tests/parity/node_modules/drizzle-kit is missing (run tests/parity/generate.sh)"
        );
        return false;
    }
    true
}

/// `fix --write --allow-destructive`, real `drizzle-kit migrate`, validate,
/// real `drizzle-kit generate`; `Err` says which step went wrong.
fn write_migrate_generate(project: &ProjectCopy, db: &TestDb, label: &str) -> Result<(), String> {
    write_migrate_generate_with(project, db, label, &[])
}

fn write_migrate_generate_with(
    project: &ProjectCopy,
    db: &TestDb,
    label: &str,
    extra: &[&str],
) -> Result<(), String> {
    let before = project.migration_files();
    let mut args = vec!["--write", "--allow-destructive"];
    args.extend_from_slice(extra);
    let fix = run_fix(&args, &project.dir, db);
    if fix.status.code() != Some(1) {
        return Err(format!(
            "{label}: fix --write exits {:?}: {}{}",
            fix.status.code(),
            stdout(&fix),
            stderr(&fix)
        ));
    }
    if project.migration_files() != before + 1 {
        return Err(format!("{label}: fix --write wrote no migration"));
    }
    let migrate = project.drizzle_kit("migrate", db);
    if !migrate.status.success() {
        return Err(format!(
            "{label}: drizzle-kit migrate failed: {}{}",
            stdout(&migrate),
            stderr(&migrate)
        ));
    }
    let after = validate(&project.dir, db);
    if after.status.code() != Some(0) {
        return Err(format!(
            "{label}: validate after drizzle-kit migrate exits {:?}:\n{}",
            after.status.code(),
            stdout(&after)
        ));
    }
    let generate = project.drizzle_kit("generate", db);
    let said = stdout(&generate);
    if !generate.status.success()
        || !said.contains("No schema changes")
        || project.migration_files() != before + 1
    {
        return Err(format!(
            "{label}: drizzle-kit generate found something to do after driftwatch's migration:\n{said}{}",
            stderr(&generate)
        ));
    }
    Ok(())
}

#[test]
fn fix_write_then_drizzle_kit_migrate_validates_clean_and_generate_finds_nothing() {
    let Some(server) = common::server_url() else {
        return;
    };
    if !drizzle_kit_available() {
        return;
    }
    // drizzle-kit costs ~1 s per run: three modifications at a time.
    let mut failures: Vec<String> = Vec::new();
    for chunk in MODIFICATIONS.chunks(3) {
        let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|m| {
                    let server = server.clone();
                    scope.spawn(move || {
                        let db = drifted_db(&server, m);
                        let project = ProjectCopy::new();
                        write_migrate_generate(&project, &db, m.label)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("thread panicked".into())))
                .collect()
        });
        failures.extend(results.into_iter().filter_map(Result::err));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// "Forgot to generate a migration": the schema file gained columns and a
/// table that neither the migrations nor the database have. The snapshot
/// driftwatch writes holds objects no earlier snapshot had, serialized by
/// driftwatch alone — and drizzle-kit agrees with it.
#[test]
fn new_schema_objects_are_serialized_as_drizzle_kit_would() {
    let Some(server) = common::server_url() else {
        return;
    };
    if !drizzle_kit_available() {
        return;
    }
    let db = TestDb::create(&server, "fix_forgot_generate");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let project = ProjectCopy::new();
    let schema = project.dir.join("drizzle/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema.ts");
    let text = text.replacen(
        "    isActive: boolean('is_active').notNull().default(true),\n",
        "    isActive: boolean('is_active').notNull().default(true),\n\
         \x20   nickname: varchar('nickname', { length: 50 }).notNull().default('anon'),\n\
         \x20   score: decimal('score', { precision: 8, scale: 2 }).default('1.50'),\n\
         \x20   karma: int('karma').notNull().default(0),\n\
         \x20   verified: boolean('verified').default(false),\n\
         \x20   seenAt: timestamp('seen_at').defaultNow(),\n",
        1,
    ) + "
export const coupons = mysqlTable(
  'coupons',
  {
    id: int().autoincrement().primaryKey(),
    code: varchar({ length: 32 }).notNull().unique(),
    orderId: bigint('order_id', { mode: 'number', unsigned: true }).references(() => orders.id, {
      onDelete: 'cascade',
    }),
    note: text('note').default('none'),
    meta: json('meta').default({ a: 1 }),
    createdAt: datetime('created_at', { fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [index('coupons_order_idx').on(t.orderId)],
);
";
    std::fs::write(&schema, text).expect("edit schema.ts");
    if let Err(e) = write_migrate_generate(&project, &db, "forgot_generate") {
        panic!("{e}");
    }
}

/// Columns whose drizzle-kit spelling the canonical Model does not keep
/// (`real(10, 2)` is a double, the default `'1.5'` of a decimal(8,2) is 1.50).
fn add_lossy_columns(project: &ProjectCopy) {
    let schema = project.dir.join("drizzle/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema.ts");
    let text = text
        .replacen(
            "    isActive: boolean('is_active').notNull().default(true),\n",
            "    isActive: boolean('is_active').notNull().default(true),\n\
             \x20   ratio: real('ratio', { precision: 10, scale: 2 }),\n\
             \x20   amount: decimal('amount', { precision: 8, scale: 2 }).notNull().default('1.5'),\n",
            1,
        )
        .replacen("  double,\n", "  double,\n  real,\n", 1);
    std::fs::write(&schema, text).expect("edit schema.ts");
}

/// With `--schema-source drizzle-kit`, drizzle-kit serializes the snapshot
/// itself: exact even where the Model forgot the spelling — where
/// driftwatch's own serializer (first half) leaves drizzle-kit something to do.
#[test]
fn schema_source_drizzle_kit_writes_drizzle_kits_own_snapshot() {
    let Some(server) = common::server_url() else {
        return;
    };
    if !drizzle_kit_available() {
        return;
    }
    let db = TestDb::create(&server, "fix_drizzle_kit_source");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));

    let lossy = ProjectCopy::new();
    add_lossy_columns(&lossy);
    let fix = run_fix(&["--write"], &lossy.dir, &db);
    assert_eq!(fix.status.code(), Some(1), "{}", stderr(&fix));
    let generate = lossy.drizzle_kit("generate", &db);
    assert_eq!(
        lossy.migration_files(),
        4,
        "the static serializer cannot know these spellings:\n{}",
        stdout(&generate)
    );

    let exact = ProjectCopy::new();
    add_lossy_columns(&exact);
    if let Err(e) = write_migrate_generate_with(
        &exact,
        &db,
        "drizzle_kit_source",
        &["--schema-source", "drizzle-kit"],
    ) {
        panic!("{e}");
    }
}

/// Widened on both sides of a foreign key (the only way MariaDB allows it:
/// drop the key, alter both columns, re-add it). MODIFY on a column a foreign
/// key uses fails (error 1832), so the fix drops the key first and re-adds it
/// last — as SQL and as a drizzle-kit migration.
const RETYPED_FOREIGN_KEY: &[&str] = &[
    "ALTER TABLE inventory_levels DROP FOREIGN KEY inventory_levels_warehouse_id_warehouses_id_fk",
    "ALTER TABLE warehouses MODIFY id int unsigned NOT NULL AUTO_INCREMENT",
    "ALTER TABLE inventory_levels MODIFY warehouse_id int unsigned NOT NULL",
    "ALTER TABLE inventory_levels ADD CONSTRAINT inventory_levels_warehouse_id_warehouses_id_fk \
     FOREIGN KEY (warehouse_id) REFERENCES warehouses (id) ON DELETE CASCADE",
];

/// `changes` are fixed by a script whose first statement drops `fk` and whose
/// last re-adds it, and by `fix --write` + drizzle-kit migrate.
fn assert_fixed_around_foreign_key(
    label: &'static str,
    changes: &'static [&'static str],
    fk: &str,
) {
    let Some(server) = common::server_url() else {
        return;
    };
    let modification = Modification {
        label,
        changes,
        expected: &[],
    };
    let db = drifted_db(&server, &modification);
    let script = stdout(&run_fix(&["--allow-destructive"], &shop_dir(), &db));
    let sql = statements(&script);
    assert!(
        sql.first()
            .is_some_and(|s| s.contains(&format!("DROP FOREIGN KEY `{fk}`")))
            && sql
                .last()
                .is_some_and(|s| s.contains(&format!("ADD CONSTRAINT `{fk}`"))),
        "{script}"
    );
    db.exec(&sql);
    common::assert_clean(&validate(&shop_dir(), &db));

    if !drizzle_kit_available() {
        return;
    }
    let db = drifted_db(&server, &modification);
    let project = ProjectCopy::new();
    if let Err(e) = write_migrate_generate(&project, &db, label) {
        panic!("{e}");
    }
}

#[test]
fn retyped_foreign_key_columns_are_fixed_with_the_key_dropped_around_them() {
    assert_fixed_around_foreign_key(
        "retyped_fk",
        RETYPED_FOREIGN_KEY,
        "inventory_levels_warehouse_id_warehouses_id_fk",
    );
}

/// A hand-made index on a foreign key's column: InnoDB drops its own index
/// for the key in its favour, and then refuses to drop it (error 1553)
/// while the key exists.
#[test]
fn an_index_a_foreign_key_needs_is_dropped_with_the_key_around_it() {
    assert_fixed_around_foreign_key(
        "fk_index",
        &["CREATE INDEX pr_user_hotfix ON product_reviews (user_id)"],
        "product_reviews_user_id_users_id_fk",
    );
}

/// All modifications at once in one database: many findings per table, so
/// the clauses of one table share one ALTER TABLE and the phases interleave.
#[test]
fn every_modification_at_once_is_fixed_by_one_script_and_one_migration() {
    let Some(server) = common::server_url() else {
        return;
    };
    let all: Vec<&'static str> = MODIFICATIONS
        .iter()
        .flat_map(|m| m.changes.iter().copied())
        .collect();
    let all: &'static [&'static str] = Box::leak(all.into_boxed_slice());
    let everything = Modification {
        label: "everything",
        changes: all,
        expected: &[],
    };
    let db = drifted_db(&server, &everything);
    let script = stdout(&run_fix(&["--allow-destructive"], &shop_dir(), &db));
    let sql = statements(&script);
    let alters_per_table = |table: &str| {
        sql.iter()
            .filter(|s| s.starts_with(&format!("ALTER TABLE `{table}`\n")))
            .count()
    };
    assert_eq!(alters_per_table("products"), 1, "{script}");
    assert_eq!(alters_per_table("orders"), 1, "{script}");
    db.exec(&sql);
    common::assert_clean(&validate(&shop_dir(), &db));

    if !drizzle_kit_available() {
        return;
    }
    let db = drifted_db(&server, &everything);
    let project = ProjectCopy::new();
    if let Err(e) = write_migrate_generate(&project, &db, "everything") {
        panic!("{e}");
    }
}
