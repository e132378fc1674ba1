#!/usr/bin/env python3
"""Write a MariaDB-fixed copy of drizzle-kit 0.31's CLI bundle next to the original.

    patch_drizzle_kit.py NODE_MODULES/drizzle-kit/bin.cjs  ->  .../bin.mariadb.cjs

drizzle-kit 0.31's MySQL introspection (`fromDatabase`, used by `push` and
`pull`) reads two result sets with upper-case keys (`TABLE_NAME`, ...) although
its SQL writes the columns in lower case. MySQL 8 returns information_schema
labels upper-case whatever is typed; MariaDB echoes the case typed
(/work/shared/reference/drizzle-mysql.md §9, items 3 and 6). On MariaDB that
means: no primary key is ever found, and the CHECK query crashes
(`Cannot read properties of undefined (reading 'checkConstraint')`) as soon as
one CHECK exists -- and MariaDB adds one (`json_valid`) to every JSON column.

The fix, and nothing else:

1. primary keys: `SELECT table_name AS TABLE_NAME, column_name AS COLUMN_NAME, ...`
2. checks: `tc.table_name AS TABLE_NAME, tc.constraint_name AS CONSTRAINT_NAME,
   cc.check_clause AS CHECK_CLAUSE`, and the join also on schema and table:
   MariaDB names each implicit json_valid check after its column (`metadata`
   in every table), so a join on the constraint name alone returns
   tables x tables rows (10^8 at 10,000 tables) and attaches every table's
   checks to every other table. MySQL's check names are unique per schema, so
   there the extra join condition changes nothing.

The original bin.cjs is not modified. Exits non-zero if any anchor is not
found exactly once (another drizzle-kit version).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPLACEMENTS = [
    (
        "`SELECT table_name, column_name, ordinal_position\n"
        "  FROM information_schema.table_constraints t\n"
        "  LEFT JOIN information_schema.key_column_usage k\n"
        "  USING(constraint_name,table_schema,table_name)\n"
        "  WHERE t.constraint_type='PRIMARY KEY'",
        "`SELECT table_name AS TABLE_NAME, column_name AS COLUMN_NAME, ordinal_position\n"
        "  FROM information_schema.table_constraints t\n"
        "  LEFT JOIN information_schema.key_column_usage k\n"
        "  USING(constraint_name,table_schema,table_name)\n"
        "  WHERE t.constraint_type='PRIMARY KEY'",
    ),
    (
        "    tc.table_name, \n    tc.constraint_name, \n    cc.check_clause\n",
        "    tc.table_name AS TABLE_NAME, \n    tc.constraint_name AS CONSTRAINT_NAME, \n"
        "    cc.check_clause AS CHECK_CLAUSE\n",
    ),
    (
        "    ON tc.constraint_name = cc.constraint_name\nWHERE \n    tc.constraint_schema = '${inputSchema}'",
        "    ON tc.constraint_name = cc.constraint_name"
        " AND tc.constraint_schema = cc.constraint_schema AND tc.table_name = cc.table_name\n"
        "WHERE \n    tc.constraint_schema = '${inputSchema}'",
    ),
]


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: patch_drizzle_kit.py PATH/TO/drizzle-kit/bin.cjs", file=sys.stderr)
        return 2
    src = Path(sys.argv[1])
    text = src.read_text(encoding="utf-8")
    for old, new in REPLACEMENTS:
        count = text.count(old)
        if count != 1:
            print(f"patch_drizzle_kit: anchor found {count} times (expected 1):\n{old}", file=sys.stderr)
            return 1
        text = text.replace(old, new)
    dest = src.with_name("bin.mariadb.cjs")
    dest.write_text(text, encoding="utf-8")
    dest.chmod(0o755)
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
