// node migrate.mjs <mysql-url> <migrations-folder> [migrations-table]
//
// Applies a migrations folder with the REAL drizzle-orm migrator (the pinned
// drizzle-orm + mysql2 of package.json): the oracle for the rows
// `driftwatch migrations status` reads (hash, created_at) and for the
// migrator's high-water-mark behaviour. Exit 1 with the error on failure.
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';

const [url, migrationsFolder, migrationsTable] = process.argv.slice(2);
if (!url || !migrationsFolder) {
  console.error('usage: node migrate.mjs <mysql-url> <migrations-folder> [migrations-table]');
  process.exit(2);
}
const connection = await mysql.createConnection({ uri: url });
try {
  await migrate(drizzle(connection), { migrationsFolder, migrationsTable });
} catch (error) {
  console.error(String(error?.cause?.message ?? error?.message ?? error));
  process.exitCode = 1;
} finally {
  await connection.end();
}
