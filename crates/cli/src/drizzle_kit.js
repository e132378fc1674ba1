// driftwatch --schema-source drizzle-kit: serializes the schema files with the
// project's own drizzle-kit (drizzle-kit/api generateMySQLDrizzleJson) and
// prints the snapshot JSON on stdout. Input comes in DRIFTWATCH_DRIZZLE_KIT
// as {"api": "<path of drizzle-kit/api.js>", "files": [...], "casing": null}.
'use strict';
const { createRequire } = require('node:module');

// drizzle-kit reports serializer errors with console.log: keep stdout for the JSON.
const toStderr = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;

async function main() {
  const input = JSON.parse(process.env.DRIFTWATCH_DRIZZLE_KIT || '{}');
  const kitRequire = createRequire(input.api);
  // The TypeScript loader drizzle-kit itself registers before requiring schema files.
  try {
    kitRequire('tsx/cjs/api').register();
  } catch (tsxError) {
    try {
      kitRequire('esbuild-register/dist/node').register();
    } catch {
      throw new Error(`cannot load drizzle-kit's TypeScript loader (tsx): ${tsxError.message}`);
    }
  }
  const api = kitRequire(input.api);
  if (typeof api.generateMySQLDrizzleJson !== 'function') {
    throw new Error('this drizzle-kit has no generateMySQLDrizzleJson in drizzle-kit/api (drizzle-kit 0.2x/0.3x expected)');
  }
  // Like drizzle-kit's prepareFromMySqlImports: every file in order, its
  // exports in module order, each table object once.
  const values = [];
  const seen = new Set();
  for (const file of input.files) {
    for (const value of Object.values(require(file))) {
      if (value !== null && typeof value === 'object' && !seen.has(value)) {
        seen.add(value);
        values.push(value);
      }
    }
  }
  const imports = {};
  values.forEach((value, i) => { imports[`e${i}`] = value; });
  const snapshot = await api.generateMySQLDrizzleJson(imports, undefined, input.casing || undefined);
  process.stdout.write(JSON.stringify(snapshot));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
