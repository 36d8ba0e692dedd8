#!/usr/bin/env bash
# ormsh against Flask-SQLAlchemy (../shared/bench/peer_blog.py) and the SQLite
# floor (limit_blog.py): the blog workload's eight phases, peak memory, and
# start-up plus one count. Ratios are measured in this one run.
#
#   scripts/bench/compare.sh [--users N] [--posts-per-user K]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
USERS=20000
PPU=5
while [ $# -gt 0 ]; do
  case "$1" in
    --users) USERS=$2; shift 2 ;;
    --posts-per-user) PPU=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

VENV=${PEER_VENV:-/tmp/ormsh-peer-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q flask flask-sqlalchemy
fi
cargo build --release -q
ORMSH=$ROOT/target/release/ormsh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

/usr/bin/time -v "$VENV/bin/python" "$SHARED/peer_blog.py" --users "$USERS" --posts-per-user "$PPU" --db "$WORK/peer.db" \
  >"$WORK/peer.txt" 2>"$WORK/peer.time"
/usr/bin/time -v "$ORMSH" --app scripts/blog --database-url "sqlite:///$WORK/ormsh.db" \
  run scripts/bench/blog.rhai "$USERS" "$PPU" >"$WORK/ormsh.txt" 2>"$WORK/ormsh.time"
# The floor is fixed at 20,000 × 5.
python3 "$SHARED/limit_blog.py" "$WORK/limit.db" >"$WORK/limit.txt"

printf '%-16s %10s %10s %8s %s\n' phase peer_s ormsh_s ratio checksums
while read -r phase peer_s peer_check; do
  read -r _ ormsh_s ormsh_check < <(grep "^$phase " "$WORK/ormsh.txt")
  ratio=$(python3 -c "print(f'{$peer_s / max($ormsh_s, 1e-9):.1f}x')")
  agree=$([ "$peer_check" = "$ormsh_check" ] && echo "agree ($peer_check)" || echo "DIFFER: peer $peer_check, ormsh $ormsh_check")
  printf '%-16s %10.3f %10.3f %8s %s\n' "$phase" "$peer_s" "$ormsh_s" "$ratio" "$agree"
done <"$WORK/peer.txt"

peak() { awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$1"; }
echo
echo "peak memory: peer $(( $(peak "$WORK/peer.time") / 1024 )) MB, ormsh $(( $(peak "$WORK/ormsh.time") / 1024 )) MB"
read -r _ floor_s _ <"$WORK/limit.txt"
seed_s=$(awk '/^seed / {print $2}' "$WORK/ormsh.txt")
echo "seed phase against the SQLite floor: floor ${floor_s}s, ormsh ${seed_s}s ($(python3 -c "print(f'{$seed_s / $floor_s:.1f}')")× the floor)"

# Start-up plus one count, on the database the run left.
start_ormsh=$(python3 - "$ORMSH" "$WORK/ormsh.db" <<'PY'
import subprocess, sys, time
best = min(
    (lambda t: (subprocess.run([sys.argv[1], "--app", "scripts/blog", "--database-url", "sqlite:///" + sys.argv[2], "-c", "User.query.count()"], capture_output=True, check=True), time.perf_counter() - t)[1])(time.perf_counter())
    for _ in range(10))
print(f"{best:.4f}")
PY
)
start_peer=$(python3 - "$VENV/bin/python" "$SHARED/peer_startup.py" "$WORK/peer.db" <<'PY'
import subprocess, sys, time
best = min(
    (lambda t: (subprocess.run([sys.argv[1], sys.argv[2], sys.argv[3]], capture_output=True), time.perf_counter() - t)[1])(time.perf_counter())
    for _ in range(5))
print(f"{best:.4f}")
PY
)
echo "start-up plus one count (best of runs): peer ${start_peer}s, ormsh ${start_ormsh}s ($(python3 -c "print(f'{$start_peer / $start_ormsh:.0f}')")× faster)"
