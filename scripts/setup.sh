#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Node >= 22 and the pinned pnpm (from the npm
# registry, into .tools/, when the machine's are older or missing), the workspace's packages, and a build.
# Idempotent. Afterwards: export PATH="$PWD/.tools/bin:$PATH" and `proxy` is the command (a shim, see
# scripts/install-shim.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm_version=$(node -e 'console.log(require("./package.json").packageManager.split("@")[1])')
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ -x .tools/bin/node ]; then node_major=$(.tools/bin/node -p 'process.versions.node.split(".")[0]'); fi
need=()
[ "$node_major" -ge 22 ] || need+=(node@22)
if [ ! -x .tools/bin/pnpm ] || [ "$(.tools/bin/pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  need+=("pnpm@$pnpm_version")
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} into .tools/" >&2
  npm install --global --prefix .tools --no-audit --no-fund --loglevel=error "${need[@]}" >&2
fi
export PATH="$PWD/.tools/bin:$PATH"
pnpm install --frozen-lockfile=false --reporter=silent >&2
pnpm -s build >&2
bash scripts/install-shim.sh
