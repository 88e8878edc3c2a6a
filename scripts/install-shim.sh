#!/usr/bin/env bash
# Writes .tools/bin/proxy: a shim that runs this checkout's built CLI bundle with the Node of .tools/ (else the
# one on the PATH), so that after `export PATH="$PWD/.tools/bin:$PATH"` the command is just `proxy`, and its
# errors are its own one line (no pnpm echo, no ELIFECYCLE). Called by scripts/setup.sh; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tools/bin
cat > .tools/bin/proxy <<'SHIM'
#!/bin/sh
# proxy: this checkout's CLI (written by scripts/install-shim.sh; `pnpm -s build` rebuilds what it runs).
self=$(readlink -f -- "$0")
root=$(cd -- "$(dirname -- "$self")/../.." && pwd)
node="$root/.tools/bin/node"
[ -x "$node" ] || node=node
bundle="$root/packages/cli/dist/bundle/main.js"
if [ ! -f "$bundle" ]; then
  echo "proxy: $bundle is missing: run \`bash scripts/setup.sh\` (or \`pnpm -s build\`) in $root" >&2
  exit 1
fi
exec "$node" "$bundle" "$@"
SHIM
chmod 755 .tools/bin/proxy
