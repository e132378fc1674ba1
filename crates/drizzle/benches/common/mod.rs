//! The generated schema of the reader benchmark (`benches/reader.rs`), shared
//! with `examples/read_generated.rs` (one read, for instruction counts).

use std::fmt::Write as _;

pub const FILES: usize = 50;
pub const TABLES_PER_FILE: usize = 40;

pub fn table_name(file: usize, table: usize) -> String {
    format!("t{file:02}_{table:02}")
}

pub fn file_source(file: usize) -> String {
    let mut s = String::new();
    s.push_str(
        "import {\n  mysqlTable, mysqlEnum, serial, bigint, int, varchar, text, boolean, decimal,\n  \
         json, timestamp, datetime, index, uniqueIndex, unique, primaryKey, foreignKey,\n} from 'drizzle-orm/mysql-core';\n\
         import { sql } from 'drizzle-orm';\n",
    );
    if file == 0 {
        s.push_str(
            "\nexport const timestamps = {\n  createdAt: timestamp('created_at').defaultNow().notNull(),\n  \
             updatedAt: timestamp('updated_at').defaultNow().onUpdateNow().notNull(),\n};\n\n\
             export const statusEnum = mysqlEnum('status', ['draft', 'active', 'archived']);\n",
        );
    } else {
        let previous = file - 1;
        let _ = writeln!(
            s,
            "import {{ timestamps }} from './part_00';\nimport * as prev from './part_{previous:02}';"
        );
    }
    for t in 0..TABLES_PER_FILE {
        let name = table_name(file, t);
        let _ = writeln!(s, "\nexport const {name} = mysqlTable('{name}', {{");
        let join_table = t % 10 == 9;
        if join_table {
            // A join table: composite primary key, two foreign keys.
            let _ = writeln!(
                s,
                "  leftId: bigint('left_id', {{ mode: 'number', unsigned: true }}).notNull(),\n  \
                 rightId: bigint('right_id', {{ mode: 'number', unsigned: true }}).notNull(),\n  \
                 position: int('position').notNull().default(0),\n  ...timestamps,\n}}, (t) => [\n  \
                 primaryKey({{ columns: [t.leftId, t.rightId] }}),\n  \
                 foreignKey({{ columns: [t.leftId], foreignColumns: [{}.id] }}).onDelete('cascade'),\n  \
                 foreignKey({{ columns: [t.rightId], foreignColumns: [{}.id] }}).onDelete('cascade'),\n  \
                 index('{name}_right_idx').on(t.rightId),\n]);",
                table_name(file, t - 1),
                table_name(file, t - 2),
            );
            continue;
        }
        s.push_str("  id: serial('id').primaryKey(),\n");
        let _ = writeln!(
            s,
            "  name: varchar('name', {{ length: 191 }}).notNull(),\n  \
             slug: varchar('slug', {{ length: 191 }}).notNull().unique(),\n  \
             description: text('description'),\n  \
             quantity: int('quantity').notNull().default(0),\n  \
             price: decimal('price', {{ precision: 12, scale: 2 }}).notNull().default('0.00'),\n  \
             active: boolean('active').notNull().default(true),\n  \
             metadata: json('metadata').$type<Record<string, unknown>>(),\n  \
             kind: mysqlEnum('kind', ['a', 'b', 'c', 'd']).notNull().default('a'),\n  \
             publishedAt: datetime('published_at', {{ mode: 'date', fsp: 3 }}),\n  \
             score: int('score').default(sql`(0)`),"
        );
        // A foreign key to the previous table (same file) or to the previous
        // file (another module, through a namespace import).
        let reference = if t > 0 {
            // Join tables (every tenth) have no `id`.
            let target = if (t - 1) % 10 == 9 { t - 2 } else { t - 1 };
            Some(table_name(file, target))
        } else if file > 0 {
            Some(format!(
                "prev.{}",
                table_name(file - 1, TABLES_PER_FILE - 2)
            ))
        } else {
            None
        };
        if let Some(target) = &reference {
            let _ = writeln!(
                s,
                "  parentId: bigint('parent_id', {{ mode: 'number', unsigned: true }}).references(() => {target}.id, {{ onDelete: 'set null' }}),"
            );
        }
        s.push_str("  ...timestamps,\n}, (t) => [\n");
        let _ = writeln!(
            s,
            "  index('{name}_name_idx').on(t.name),\n  \
             index('{name}_kind_active_idx').on(t.kind, t.active),\n  \
             uniqueIndex('{name}_name_kind_uq').on(t.name, t.kind),\n  \
             unique('{name}_price_qty_uq').on(t.price, t.quantity),"
        );
        if reference.is_some() {
            let _ = writeln!(s, "  index('{name}_parent_idx').on(t.parentId),");
        }
        s.push_str("]);\n");
    }
    s
}
