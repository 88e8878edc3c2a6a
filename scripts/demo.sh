#!/usr/bin/env bash
# The main job on the built-in example: starts a throwaway PostgreSQL 15 (when its binaries are here), runs
# `proxy run --config examples/demo.Caddyfile`, then talks HTTPS (curl) and PostgreSQL (psql, STARTTLS) to the
# same port, and stops everything it started. Every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${pgdata:-}" ] && { runas /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true; }
  rm -rf "$work"
}
trap cleanup EXIT
runas() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

export HTTPS_PORT=${HTTPS_PORT:-$(free_port)} HTTP_PORT=${HTTP_PORT:-$(free_port)} PG_PORT=${PG_PORT:-$(free_port)}
export PROXY_DATA_DIR="$work/data"
PG=/usr/lib/postgresql/15/bin
if [ -x "$PG/initdb" ]; then
  pgdata="$work/pg"
  mkdir -p "$pgdata" && { [ "$(id -u)" != 0 ] || chown postgres "$work" "$pgdata"; }
  runas "$PG/initdb" -D "$pgdata" -U postgres --auth=trust --no-sync >/dev/null
  runas "$PG/pg_ctl" -D "$pgdata" -w -t 30 -o "-p $PG_PORT -k $work -c listen_addresses=127.0.0.1" -l "$work/pg.log" start >/dev/null
  echo "demo: PostgreSQL 15 on 127.0.0.1:$PG_PORT"
fi
node packages/cli/dist/main.js run --config examples/demo.Caddyfile > "$work/proxy.log" 2>&1 &
pids+=($!)
root="$PROXY_DATA_DIR/pki/authorities/local/root.crt"
for _ in $(seq 100); do
  { [ -f "$root" ] && curl -s -o /dev/null --cacert "$root" --resolve "localhost:$HTTPS_PORT:127.0.0.1" "https://localhost:$HTTPS_PORT/"; } && break
  sleep 0.1
done
echo "demo: proxy serving HTTPS and PostgreSQL on 127.0.0.1:$HTTPS_PORT"
echo "\$ curl --cacert root.crt https://localhost:$HTTPS_PORT/"
curl -sS --http2 --cacert "$root" --resolve "localhost:$HTTPS_PORT:127.0.0.1" "https://localhost:$HTTPS_PORT/"; echo
if [ -n "${pgdata:-}" ] && command -v psql >/dev/null; then
  echo "\$ psql 'host=pgsql.localhost hostaddr=127.0.0.1 port=$HTTPS_PORT sslmode=verify-full' -c 'SELECT version()'"
  psql -X -At "host=pgsql.localhost hostaddr=127.0.0.1 port=$HTTPS_PORT user=postgres dbname=postgres sslmode=verify-full sslrootcert=$root connect_timeout=10" \
    -c "SELECT 'PostgreSQL through the proxy: ' || split_part(version(), ' ', 2)"
fi
