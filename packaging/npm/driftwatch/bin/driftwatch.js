#!/usr/bin/env node
// The `driftwatch` command of the npm package: finds the native binary for
// this platform (shipped in an optional dependency @driftwatch/cli-<os>-<cpu>,
// the way biome, oxlint and esbuild ship theirs) and runs it with the same
// arguments, stdio and exit code. No dependencies; Node >= 16.
//
// DRIFTWATCH_BINARY=/path/to/driftwatch skips the lookup and runs that file.
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

// process.platform/process.arch -> platform package. Linux packages are built
// for glibc; see libcFamily() for musl.
const PLATFORM_PACKAGES = {
  "linux x64": "@driftwatch/cli-linux-x64",
  "linux arm64": "@driftwatch/cli-linux-arm64",
  "darwin x64": "@driftwatch/cli-darwin-x64",
  "darwin arm64": "@driftwatch/cli-darwin-arm64",
  "win32 x64": "@driftwatch/cli-win32-x64",
};

// Exit code when the binary cannot be run at all: 2, driftwatch's own
// "could not validate" (1 would read as "drift found" in CI).
const EXIT_CANNOT_RUN = 2;

function fail(lines) {
  process.stderr.write(lines.map((l) => `driftwatch: ${l}\n`).join(""));
  process.exit(EXIT_CANNOT_RUN);
}

// "glibc", "musl" or null (not Linux / unknown). Same test as biome: Node's
// diagnostic report names the glibc version it runs with, and has none on musl.
function libcFamily() {
  if (process.platform !== "linux") return null;
  try {
    const report = process.report && process.report.getReport();
    const header = report && (typeof report === "string" ? JSON.parse(report) : report).header;
    if (header) return header.glibcVersionRuntime ? "glibc" : "musl";
  } catch (_) {
    // fall through
  }
  return null;
}

function binaryName() {
  return process.platform === "win32" ? "driftwatch.exe" : "driftwatch";
}

function packageVersion() {
  try {
    return require("../package.json").version;
  } catch (_) {
    return null;
  }
}

function resolveBinary() {
  const override = process.env.DRIFTWATCH_BINARY;
  if (override) {
    if (!fs.existsSync(override)) {
      fail([`DRIFTWATCH_BINARY is set to ${override}, which does not exist.`]);
    }
    return override;
  }

  const key = `${process.platform} ${process.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) {
    fail([
      `no prebuilt binary for ${process.platform}/${process.arch}.`,
      `Prebuilt: ${Object.keys(PLATFORM_PACKAGES).map((k) => k.replace(" ", "/")).join(", ")}.`,
      "Build it from source (cargo install --git https://github.com/driftwatch/driftwatch driftwatch)",
      "and set DRIFTWATCH_BINARY=/path/to/driftwatch.",
    ]);
  }
  const libc = libcFamily();
  if (libc === "musl") {
    fail([
      `this Linux uses musl libc (Alpine?); the prebuilt ${pkg} binary needs glibc.`,
      "Use a glibc-based image (e.g. node:20-bookworm-slim), or build driftwatch from source",
      "and set DRIFTWATCH_BINARY=/path/to/driftwatch.",
    ]);
  }

  let pkgJson;
  try {
    pkgJson = require.resolve(`${pkg}/package.json`);
  } catch (_) {
    const version = packageVersion();
    const spec = version ? `${pkg}@${version}` : pkg;
    fail([
      `the binary package ${spec} for ${process.platform}/${process.arch} is not installed.`,
      "npm installs it as an optional dependency of driftwatch; it is missing when optional",
      "dependencies were omitted (--omit=optional, --no-optional) or the lock file was made on",
      "another platform. Reinstall with optional dependencies:",
      "  npm install --include=optional     (or: rm -rf node_modules && npm install)",
      `or add it explicitly: npm install --save-dev ${spec}`,
      "Or set DRIFTWATCH_BINARY=/path/to/driftwatch.",
    ]);
  }
  const bin = path.join(path.dirname(pkgJson), binaryName());
  if (!fs.existsSync(bin)) {
    fail([
      `${pkg} is installed at ${path.dirname(pkgJson)} but has no ${binaryName()}.`,
      "Reinstall it (rm -rf node_modules && npm install), or set DRIFTWATCH_BINARY=/path/to/driftwatch.",
    ]);
  }
  return bin;
}

function ensureExecutable(bin) {
  if (process.platform === "win32") return;
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch (_) {
    // Some package managers and caches drop the mode bits; restore them.
    try {
      fs.chmodSync(bin, 0o755);
    } catch (_) {
      // reported by spawnSync below (EACCES)
    }
  }
}

function main() {
  const bin = resolveBinary();
  ensureExecutable(bin);
  const result = spawnSync(bin, process.argv.slice(2), {
    stdio: "inherit",
    windowsHide: true,
  });
  if (result.error) {
    const code = result.error.code;
    const hint =
      code === "EACCES"
        ? " (not executable: chmod +x it, or reinstall)"
        : code === "ENOENT"
          ? " (missing, or built for another libc/architecture)"
          : "";
    fail([`could not run ${bin}: ${result.error.message}${hint}`]);
  }
  if (result.signal) {
    // Die of the same signal, so that the caller sees what the binary saw.
    try {
      process.kill(process.pid, result.signal);
    } catch (_) {
      // fall through
    }
    const number = os.constants.signals[result.signal];
    process.exit(128 + (number || 1));
  }
  process.exit(result.status === null ? EXIT_CANNOT_RUN : result.status);
}

main();
