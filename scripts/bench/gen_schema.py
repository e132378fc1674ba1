#!/usr/bin/env python3
"""Generate a realistic Drizzle ORM MySQL project of N tables (benchmark input).

    gen_schema.py N OUTDIR

Writes OUTDIR/drizzle.config.ts (dialect mysql, schema ./schema/*.ts, out
./migrations, dbCredentials.url from DATABASE_URL) and OUTDIR/schema/part_NNN.ts,
40 tables per file. Deterministic: the same N gives byte-identical files.

Per table (modelled on crates/drizzle/benches/reader.rs, widened to ~20 columns):

* 9 tables in 10 are entity tables: `serial` primary key, varchar (with and
  without defaults, `.unique()`), text, int, bigint (signed, unsigned), decimal,
  boolean, json, two enums (inline, and a shared `as const` array), datetime
  with fsp, `sql` default, a foreign key to the previous entity table (to the
  previous *file* for the first table of a file, through a namespace import;
  `onDelete: 'set null'`), and a `timestamps` helper (timestamp defaultNow /
  onUpdateNow) imported from the first file and spread into every table; the
  extra-config array has four to five indexes / unique constraints, and every
  25th table a CHECK constraint.
* every 10th table is a join table: composite primary key over two bigint
  unsigned columns, two foreign keys (cascade), an index, an enum, timestamps.

Only constructs covered by tests/parity (so drizzle-kit 0.31 generates SQL
MariaDB accepts after the `serial` edit, and driftwatch reads them exactly).
"""

from __future__ import annotations

import sys
from pathlib import Path

TABLES_PER_FILE = 40
GENERATOR_VERSION = "1"  # bump when the output changes (cache key)

HEADER = """import {
  mysqlTable, mysqlEnum, serial, bigint, int, varchar, text, boolean, decimal,
  json, timestamp, datetime, index, uniqueIndex, unique, primaryKey, foreignKey, check,
} from 'drizzle-orm/mysql-core';
import { sql } from 'drizzle-orm';
"""

CONFIG = """import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'mysql',
  schema: './schema/*.ts',
  out: './migrations',
  dbCredentials: {
    url: process.env.DATABASE_URL!,
  },
});
"""


def table_name(n: int) -> str:
    return f"t{n:05d}"


def is_join(n: int) -> bool:
    return n % 10 == 9


def entity_before(n: int) -> int | None:
    """The closest entity table before n (join tables have no `id`)."""
    m = n - 1
    while m >= 0 and is_join(m):
        m -= 1
    return m if m >= 0 else None


def file_of(n: int) -> int:
    return n // TABLES_PER_FILE


def ref(n: int, current_file: int) -> str:
    """How table n is named from inside file current_file."""
    f = file_of(n)
    if f == current_file:
        return table_name(n)
    assert f == current_file - 1, (n, current_file)
    return f"prev.{table_name(n)}"


def entity_table(n: int, f: int) -> str:
    name = table_name(n)
    parent = entity_before(n)
    lines = [
        f"export const {name} = mysqlTable('{name}', {{",
        "  id: serial('id').primaryKey(),",
        "  name: varchar('name', { length: 191 }).notNull(),",
        "  slug: varchar('slug', { length: 191 }).notNull().unique(),",
        "  email: varchar('email', { length: 255 }),",
        "  code: varchar('code', { length: 32 }).notNull().default('new'),",
        "  description: text('description'),",
        "  quantity: int('quantity').notNull().default(0),",
        "  stock: bigint('stock', { mode: 'number' }).notNull().default(0),",
        "  views: bigint('views', { mode: 'number', unsigned: true }).notNull().default(0),",
        "  price: decimal('price', { precision: 12, scale: 2 }).notNull().default('0.00'),",
        "  weight: decimal('weight', { precision: 10, scale: 3 }),",
        "  active: boolean('active').notNull().default(true),",
        "  metadata: json('metadata').$type<Record<string, unknown>>(),",
        "  kind: mysqlEnum('kind', ['a', 'b', 'c', 'd']).notNull().default('a'),",
        "  status: mysqlEnum('status', statuses).notNull().default('draft'),",
        "  publishedAt: datetime('published_at', { mode: 'date', fsp: 3 }),",
        "  score: int('score').default(sql`(0)`),",
    ]
    if parent is not None:
        lines.append(
            f"  parentId: bigint('parent_id', {{ mode: 'number', unsigned: true }})"
            f".references(() => {ref(parent, f)}.id, {{ onDelete: 'set null' }}),"
        )
    lines.append("  ...timestamps,")
    lines.append("}, (t) => [")
    lines.append(f"  index('{name}_name_idx').on(t.name),")
    lines.append(f"  index('{name}_kind_active_idx').on(t.kind, t.active),")
    lines.append(f"  uniqueIndex('{name}_name_kind_uq').on(t.name, t.kind),")
    lines.append(f"  unique('{name}_price_qty_uq').on(t.price, t.quantity),")
    if parent is not None:
        lines.append(f"  index('{name}_parent_idx').on(t.parentId),")
    if n % 25 == 3:
        lines.append(f"  check('{name}_quantity_check', sql`${{t.quantity}} >= 0`),")
    lines.append("]);")
    return "\n".join(lines) + "\n"


def join_table(n: int, f: int) -> str:
    name = table_name(n)
    left = entity_before(n)
    right = entity_before(left) if left is not None else None
    if right is None:
        right = left
    assert left is not None
    return f"""export const {name} = mysqlTable('{name}', {{
  leftId: bigint('left_id', {{ mode: 'number', unsigned: true }}).notNull(),
  rightId: bigint('right_id', {{ mode: 'number', unsigned: true }}).notNull(),
  position: int('position').notNull().default(0),
  role: mysqlEnum('role', ['owner', 'member', 'viewer']).notNull().default('member'),
  note: varchar('note', {{ length: 255 }}),
  ...timestamps,
}}, (t) => [
  primaryKey({{ columns: [t.leftId, t.rightId] }}),
  foreignKey({{ columns: [t.leftId], foreignColumns: [{ref(left, f)}.id] }}).onDelete('cascade'),
  foreignKey({{ columns: [t.rightId], foreignColumns: [{ref(right, f)}.id] }}).onDelete('cascade'),
  index('{name}_right_idx').on(t.rightId),
]);
"""


def file_source(f: int, n_tables: int) -> str:
    out = [HEADER]
    if f == 0:
        out.append(
            """
export const timestamps = {
  createdAt: timestamp('created_at').defaultNow().notNull(),
  updatedAt: timestamp('updated_at').defaultNow().onUpdateNow().notNull(),
};

export const statuses = ['draft', 'active', 'archived'] as const;
"""
        )
    else:
        out.append(f"import {{ timestamps, statuses }} from './part_000';\n")
        out.append(f"import * as prev from './part_{f - 1:03d}';\n")
    first = f * TABLES_PER_FILE
    for n in range(first, min(first + TABLES_PER_FILE, n_tables)):
        out.append("\n")
        # Table 9 is a join table but needs two entity tables before it.
        out.append(join_table(n, f) if is_join(n) else entity_table(n, f))
    return "".join(out)


def generate(n_tables: int, outdir: Path) -> None:
    schema = outdir / "schema"
    schema.mkdir(parents=True, exist_ok=True)
    (outdir / "drizzle.config.ts").write_text(CONFIG)
    files = (n_tables + TABLES_PER_FILE - 1) // TABLES_PER_FILE
    for f in range(files):
        (schema / f"part_{f:03d}.ts").write_text(file_source(f, n_tables))


def main() -> int:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 10:
        print("usage: gen_schema.py N OUTDIR   (N >= 10)", file=sys.stderr)
        return 2
    generate(int(sys.argv[1]), Path(sys.argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
