#!/usr/bin/env bash
# Load: LOAD_WORKERS ormsh processes (default 8) at once against PostgreSQL
# for LOAD_SECONDS (default 60). Each commits transactions on its own users
# and reads everyone's (scripts/load/worker.rhai), keeping a tally; at the
# end every committed row is checked against the tallies. Prints throughput
# and errors; exits 1 when a row is unaccounted for or a worker failed.
#
#   scripts/load.sh [POSTGRES_URL]    default postgresql://postgres@127.0.0.1:5432/test
set -euo pipefail
cd "$(dirname "$0")/.."
admin="${1:-${ORMSH_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}}"
workers="${LOAD_WORKERS:-8}"
seconds="${LOAD_SECONDS:-60}"
ormsh="${ORMSH_BIN:-target/release/ormsh}"
if [ ! -x "$ormsh" ]; then cargo build --release -q; fi

db="ormsh_load_$$"
base="${admin%/*}"
work="$(mktemp -d)"
# CREATE DATABASE cannot run inside a transaction, which ormsh always opens.
trap 'rm -rf "$work"; psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
cp scripts/blog/models.rhai "$work/models.rhai"
printf '[database]\nurl = "%s/%s"\n[models]\nfile = "models.rhai"\n' "$base" "$db" > "$work/ormsh.toml"
"$ormsh" --app "$work" --no-echo -c 'db.create_all()' >/dev/null

echo "load: $workers workers for $seconds s against $base/$db"
pids=()
for w in $(seq 1 "$workers"); do
  WORKER="$w" LOAD_SECONDS="$seconds" "$ormsh" --app "$work" --no-echo shell \
    < scripts/load/worker.rhai > "$work/worker-$w.log" 2>&1 &
  pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done

total=0; retries=0; errors=0; missing=0
for w in $(seq 1 "$workers"); do
  tally="$(grep '^tally' "$work/worker-$w.log" || true)"
  if [ -z "$tally" ]; then
    echo "worker $w left no tally:"; cat "$work/worker-$w.log"; failed=1; continue
  fi
  kept="$(sed -E 's/.*kept=([0-9]+).*/\1/' <<<"$tally")"
  tx="$(sed -E 's/.*transactions=([0-9]+).*/\1/' <<<"$tally")"
  r="$(sed -E 's/.*retries=([0-9]+).*/\1/' <<<"$tally")"
  e="$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$tally")"
  rows="$("$ormsh" --app "$work" --no-echo -c "User.query.filter(User.username.startswith(\"w${w}_\")).count()")"
  [ "$rows" = "$kept" ] || { echo "worker $w: $rows rows in the database, its tally says $kept"; missing=1; }
  total=$((total + tx)); retries=$((retries + r)); errors=$((errors + e))
done
checked="$("$ormsh" --app "$work" --no-echo -c 'User.query.count()')"
echo "transactions: $total in $seconds s ($((total / seconds)) per second) · retries: $retries · errors: $errors · rows checked: $checked"
if [ "$missing" = 0 ] && [ "$failed" = 0 ] && [ "$errors" = 0 ]; then
  echo "every committed row is accounted for"
else
  exit 1
fi
