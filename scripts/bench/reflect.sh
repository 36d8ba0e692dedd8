#!/usr/bin/env bash
# Start-up with reflection on a big schema: builds a PostgreSQL database of
# 500 tables (each with a foreign key to the one before and an index), then
# times `ormsh -c '1'` against it, best of five.
#
#   scripts/bench/reflect.sh [ADMIN_URL]   (default postgresql://postgres@127.0.0.1:5432/test)
set -euo pipefail
cd "$(dirname "$0")/../.."
ADMIN=${1:-postgresql://postgres@127.0.0.1:5432/test}
BASE=${ADMIN%/*}
DB=ormsh_bench_reflect
cargo build --release -q
psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
trap 'psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
{
  echo "CREATE TABLE t0 (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL);"
  for i in $(seq 1 499); do
    echo "CREATE TABLE t$i (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, amount NUMERIC(10, 2), created DATE, t$((i - 1))_id INTEGER REFERENCES t$((i - 1))(id));"
    echo "CREATE INDEX ix_t${i}_name ON t$i (name);"
  done
} | psql "$BASE/$DB" -q
best=$(python3 - "$BASE/$DB" <<'PY'
import subprocess, sys, time
runs = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(["target/release/ormsh", "--database-url", sys.argv[1], "-c", "T499.query.count()"], check=True, capture_output=True)
    runs.append(time.perf_counter() - t)
print(f"{min(runs):.3f}")
PY
)
echo "start-up with reflection of 500 tables (best of 5): ${best}s"
