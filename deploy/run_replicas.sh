#!/usr/bin/env bash
# deploy/run_replicas.sh N   — start N Streamlit replicas on 127.0.0.1:${BASE_PORT:-8501}.. and nginx on
#                              127.0.0.1:${LISTEN_PORT:-8080} with cookie-sticky sessions and websocket upgrade.
# deploy/run_replicas.sh stop — stop exactly the processes this script started (pid files in .cache/deploy/).
#
# The replicas share one read-only DuckDB catalog file (python -m workforce build --out …; WORKFORCE_DB),
# so the catalog is built once instead of once per replica. Contributions and reviews live in ONE PostgreSQL
# database shared by the replicas: WORKFORCE_STORE_URL if set, otherwise a local cluster this script starts
# (Debian `postgresql`, unix socket under .cache/deploy/pg-sock, stopped by `stop`). Everything stays on loopback.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.cache/deploy"
BASE_PORT="${BASE_PORT:-8501}"
LISTEN_PORT="${LISTEN_PORT:-8080}"
PYTHON="${PYTHON:-python}"

pg_bin() { ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort | tail -n 1; }
as_pg() { if [[ "$(id -u)" == "0" ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_all() {
    if [[ -f "$STATE/pg/PG_VERSION" ]]; then
        as_pg "$(pg_bin pg_ctl)" -D "$STATE/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [[ -f "$STATE/nginx.conf" && -f "$STATE/nginx.pid" ]]; then
        nginx -c "$STATE/nginx.conf" -p "$STATE" -s quit 2>/dev/null || kill "$(cat "$STATE/nginx.pid")" 2>/dev/null || true
    fi
    shopt -s nullglob
    local pids=()
    for f in "$STATE"/replica-*.pid; do
        pids+=("$(cat "$f")")
        rm -f "$f"
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do  # streamlit drains its sessions first; give it 15 s, then force
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
    echo "stopped"
}

if [[ "${1:-}" == "stop" ]]; then
    stop_all
    exit 0
fi

N="${1:?usage: deploy/run_replicas.sh N | stop}"
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 1 && "$N" -le 16 ]] || { echo "N must be 1..16" >&2; exit 2; }
mkdir -p "$STATE/tmp"

if ! command -v nginx >/dev/null 2>&1; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing nginx (Debian package)…"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
            || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    else
        echo "nginx is not installed (install the Debian package 'nginx' as root)" >&2
        exit 1
    fi
fi

stop_all >/dev/null  # a previous run of this script

# one catalog file for all replicas
CATALOG="$STATE/catalog.duckdb"
cd "$ROOT"
"$PYTHON" -m workforce build --out "$CATALOG" >/dev/null 2>&1
# our modules' bytecode once, for every replica (PYTHONDONTWRITEBYTECODE would make each compile them again)
"$PYTHON" -m compileall -q workforce >/dev/null 2>&1 || true

# the shared contributions store (PostgreSQL), migrated once
if [[ -z "${WORKFORCE_STORE_URL:-}" ]]; then
    [[ -n "$(pg_bin initdb)" ]] || { echo "PostgreSQL is not installed (Debian package postgresql)" >&2; exit 1; }
    mkdir -p "$STATE/pg-sock"
    if [[ ! -f "$STATE/pg/PG_VERSION" ]]; then
        mkdir -p "$STATE/pg"
        [[ "$(id -u)" == "0" ]] && chown postgres "$STATE/pg" "$STATE/pg-sock" && chmod 755 "$STATE"
        as_pg "$(pg_bin initdb)" -D "$STATE/pg" -A trust -U postgres >/dev/null
    fi
    [[ "$(id -u)" == "0" ]] && chown postgres "$STATE/pg-sock"
    PG_PORT="${PG_PORT:-55432}"
    as_pg "$(pg_bin pg_ctl)" -D "$STATE/pg" -w -l "$STATE/pg/server.log" \
        -o "-k $STATE/pg-sock -p $PG_PORT -c listen_addresses=''" start >/dev/null
    export WORKFORCE_STORE_URL="postgresql+psycopg://postgres@/postgres?host=$STATE/pg-sock&port=$PG_PORT"
fi
"$PYTHON" -m workforce store upgrade >/dev/null 2>&1 || { echo "store upgrade failed" >&2; stop_all; exit 1; }

SERVERS=""
for ((i = 0; i < N; i++)); do
    port=$((BASE_PORT + i))
    # MALLOC_ARENA_MAX=2: glibc otherwise grows one malloc arena per script thread (RSS +25 % in the soak)
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" WORKFORCE_DB="$CATALOG" nohup "$PYTHON" -m streamlit run app.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none >"$STATE/replica-$i.log" 2>&1 &
    echo $! >"$STATE/replica-$i.pid"
    SERVERS+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
done

for ((i = 0; i < N; i++)); do
    port=$((BASE_PORT + i))
    ok=""
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.5
    done
    [[ -n "$ok" ]] || { echo "replica $i (port $port) not healthy within 60 s; see $STATE/replica-$i.log" >&2; stop_all; exit 1; }
done

# Streamlit's bundle and app/static/ straight from disk, pre-compressed (deploy/static_www.sh; issue 19)
STATIC="$(PYTHON="$PYTHON" bash "$ROOT/deploy/static_www.sh" "$STATE/www")"

export TPL_SERVERS="$SERVERS" TPL_PREFIX="$STATE" TPL_LISTEN="127.0.0.1:$LISTEN_PORT" TPL_STATIC="$STATIC"
"$PYTHON" - "$ROOT/deploy/nginx.conf.template" "$STATE/nginx.conf" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
for key in ("SERVERS", "PREFIX", "LISTEN", "STATIC"):
    text = text.replace("{{%s}}" % key, os.environ["TPL_" + key].rstrip("\n"))
open(sys.argv[2], "w").write(text)
PY
if ! nginx -t -q -c "$STATE/nginx.conf" -p "$STATE" || ! nginx -c "$STATE/nginx.conf" -p "$STATE"; then
    echo "nginx failed to start; stopping the replicas" >&2
    stop_all
    exit 1
fi

for _ in $(seq 1 40); do
    curl -fsS "http://127.0.0.1:$LISTEN_PORT/_stcore/health" >/dev/null 2>&1 && break
    sleep 0.25
done
echo "up: http://127.0.0.1:$LISTEN_PORT  ($N replicas on 127.0.0.1:$BASE_PORT..$((BASE_PORT + N - 1)); stop: deploy/run_replicas.sh stop)"
