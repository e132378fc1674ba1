#!/usr/bin/env bash
# Acceptance check of `--format html`: renders the drifted report's page (one
# drift of each severity, written by crates/report/tests/formats.rs) in
# headless Chromium and checks that the screenshot is a real picture.
# Installs Debian's chromium when /usr/bin/chromium is missing.
#
#   tests/formats/screenshot.sh      -> target/formats/report.png (1200x900)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing chromium (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

echo "==> HTML report of a drifted schema"
cargo test -p driftwatch_report --test formats --locked -q html_pages_are_written_for_the_screenshot_check
PAGE="$REPO_ROOT/target/tmp/formats/drifted.html"
[ -s "$PAGE" ] || { echo "no HTML page at $PAGE" >&2; exit 1; }

OUT_DIR="$REPO_ROOT/target/formats"
PNG="$OUT_DIR/report.png"
mkdir -p "$OUT_DIR"
rm -f "$PNG"
PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT

echo "==> headless chromium screenshot"
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --hide-scrollbars --user-data-dir="$PROFILE" \
  --screenshot="$PNG" --window-size=1200,900 "file://$PAGE" 2>"$OUT_DIR/chromium.log" || {
  cat "$OUT_DIR/chromium.log" >&2
  exit 1
}

# The PNG exists, is 1200x900, and shows the severity overview: each
# severity's tile colour (crates/report/src/html.rs, `--critical` … `--low`)
# covers a tile-sized area of the picture (decoded here: 8-bit RGB(A) PNG).
python3 - "$PNG" <<'PY'
import struct, sys, zlib
path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"{path}: not a PNG")
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
if (width, height) != (1200, 900):
    sys.exit(f"{path}: {width}x{height}, expected 1200x900")
if depth != 8 or colour not in (2, 6) or interlace:
    sys.exit(f"{path}: unexpected PNG layout (depth {depth}, colour type {colour})")
bpp = 3 if colour == 2 else 4
raw, stride = zlib.decompress(idat), width * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):
    kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if kind == 1: line[x] = (line[x] + a) & 255
        elif kind == 2: line[x] = (line[x] + b) & 255
        elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
counts = {}
for line in rows:
    for x in range(0, stride, bpp):
        rgb = bytes(line[x:x + 3])
        counts[rgb] = counts.get(rgb, 0) + 1
tiles = {"critical": "7a0916", "high": "cf222e", "medium": "bc4c00", "low": "0969da"}
# A tile is about 200x80 px; require at least a quarter of that in its colour.
missing = [name for name, hexa in tiles.items() if counts.get(bytes.fromhex(hexa), 0) < 4000]
if missing:
    sys.exit(f"{path}: no severity tile visible for {', '.join(missing)}")
print(f"{path}: {width}x{height}; severity overview visible: "
      + ", ".join(f"{n} {counts[bytes.fromhex(h)]} px" for n, h in tiles.items()))
PY
