#!/usr/bin/env bash
# ormsh against Flask-SQLAlchemy (../shared/bench/peer_blog.py) and the SQLite
# floor (limit_blog.py): the blog workload's eight phases, peak memory, and
# start-up plus one count. Ratios are measured in this one run.
#
#   scripts/bench/compare.sh [--users N] [--posts-per-user K] [--url URL] [--runs R]
#
# Without --url both run on SQLite files. With --url (postgresql://…,
# mysql://…, mariadb://…) both run on that server, one after the other, each
# dropping and creating the tables user and post in its database.
#
# Each side runs R times (default 3), the two taking turns, and each phase
# counts its best time on each side (the floor too): this machine has slow
# spells of tens of seconds, which a one-second process can fall into whole
# while a 25-second one averages them out. Peak memory is the largest seen.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
USERS=20000
PPU=5
URL=
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --users) USERS=$2; shift 2 ;;
    --posts-per-user) PPU=$2; shift 2 ;;
    --url) URL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

VENV=${PEER_VENV:-/tmp/ormsh-peer-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import flask_sqlalchemy, psycopg, pymysql' 2>/dev/null ||
  "$VENV/bin/pip" install -q flask flask-sqlalchemy 'psycopg[binary]' pymysql
cargo build --release -q
ORMSH=$ROOT/target/release/ormsh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Where each side runs: its own SQLite file, or the server (SQLAlchemy needs
# the pymysql driver named for MySQL/MariaDB).
if [ -n "$URL" ]; then
  ORMSH_URL=$URL
  PEER_URL=$(sed -E 's#^(mysql|mariadb)(\+[a-z0-9]+)?://#mysql+pymysql://#' <<<"$URL")
  PEER=("$VENV/bin/python" "$ROOT/scripts/bench/peer_on_url.py" "$PEER_URL")
  echo "on $(sed -E 's#//([^:@/]*):[^@]*@#//\1:***@#' <<<"$URL")"
else
  ORMSH_URL=sqlite:///$WORK/ormsh.db
  PEER=("$VENV/bin/python")
  echo "on SQLite files"
fi

for r in $(seq 1 "$RUNS"); do
  /usr/bin/time -v "${PEER[@]}" "$SHARED/peer_blog.py" --users "$USERS" --posts-per-user "$PPU" --db "$WORK/peer.db" \
    >"$WORK/peer.$r.txt" 2>"$WORK/peer.$r.time" || { cat "$WORK/peer.$r.time" >&2; exit 1; }
  /usr/bin/time -v "$ORMSH" --app scripts/blog --database-url "$ORMSH_URL" \
    run scripts/bench/blog.rhai "$USERS" "$PPU" >"$WORK/ormsh.$r.txt" 2>"$WORK/ormsh.$r.time" || { cat "$WORK/ormsh.$r.time" >&2; exit 1; }
done

# `phase best_seconds checksum` over the runs of one side; a checksum that
# changes from run to run is printed as such and fails the comparison below.
best_phases() {
  python3 - "$@" <<'PY'
import sys
best, checks, order = {}, {}, []
for path in sys.argv[1:]:
    for line in open(path):
        phase, secs, check = line.split()
        if phase not in best:
            order.append(phase)
        best[phase] = min(best.get(phase, float("inf")), float(secs))
        checks.setdefault(phase, set()).add(check)
for phase in order:
    check = "/".join(sorted(checks[phase]))
    print(phase, f"{best[phase]:.4f}", check)
PY
}
best_phases "$WORK"/peer.*.txt >"$WORK/peer.txt"
best_phases "$WORK"/ormsh.*.txt >"$WORK/ormsh.txt"

echo "best of $RUNS runs each"
printf '%-16s %10s %10s %8s %s\n' phase peer_s ormsh_s ratio checksums
while read -r phase peer_s peer_check; do
  read -r _ ormsh_s ormsh_check < <(grep "^$phase " "$WORK/ormsh.txt")
  ratio=$(python3 -c "print(f'{$peer_s / max($ormsh_s, 1e-9):.1f}x')")
  agree=$([ "$peer_check" = "$ormsh_check" ] && echo "agree ($peer_check)" || echo "DIFFER: peer $peer_check, ormsh $ormsh_check")
  printf '%-16s %10.3f %10.3f %8s %s\n' "$phase" "$peer_s" "$ormsh_s" "$ratio" "$agree"
done <"$WORK/peer.txt"

peak() { awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$@" | sort -n | tail -1; }
peer_mb=$(( $(peak "$WORK"/peer.*.time) / 1024 ))
ormsh_mb=$(( $(peak "$WORK"/ormsh.*.time) / 1024 ))
echo
echo "peak memory: peer ${peer_mb} MB, ormsh ${ormsh_mb} MB ($(python3 -c "print(f'{$ormsh_mb / $peer_mb:.2f}')") of the peer's)"
if [ -z "$URL" ]; then
  # The floor is fixed at 20,000 × 5; its best run, as for the other two.
  for r in $(seq 1 "$RUNS"); do
    python3 "$SHARED/limit_blog.py" "$WORK/limit.db" >"$WORK/limit.$r.txt"
  done
  floor_s=$(awk '{print $2}' "$WORK"/limit.*.txt | sort -g | head -1)
  seed_s=$(awk '/^seed / {print $2}' "$WORK/ormsh.txt")
  echo "seed phase against the SQLite floor: floor ${floor_s}s, ormsh ${seed_s}s ($(python3 -c "print(f'{$seed_s / $floor_s:.1f}')")× the floor)"
fi

# Start-up plus one count, best of several runs, on the data the runs left.
best_of() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t
print(f"{min(once() for _ in range(runs)):.4f}")
PY
}
start_ormsh=$(best_of 20 "$ORMSH" --app scripts/blog --database-url "$ORMSH_URL" -c 'User.query.count()')
start_peer=$(best_of 5 "${PEER[@]}" "$SHARED/peer_startup.py" "$WORK/peer.db")
echo "start-up plus one count (best of runs): peer ${start_peer}s, ormsh ${start_ormsh}s ($(python3 -c "print(f'{$start_peer / $start_ormsh:.0f}')")× faster)"
