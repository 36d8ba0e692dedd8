#!/usr/bin/env bash
# The blog benchmark's seed phase at 1×, 4× and 10× the rows (20,000 users ×
# 5 posts at 1×), with the time per row written: it should stay flat. Then a
# 1,000,000-row result printed to a file in every format, with the peak
# memory of each: printing streams, so memory stays flat too.
#
#   scripts/bench/scale.sh [--url URL] [--rows N]
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=
ROWS=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
cargo build --release -q
ORMSH=$(pwd)/target/release/ormsh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
url() { [ -n "$URL" ] && echo "$URL" || echo "sqlite:///$WORK/scale_$1.db"; }
peak_mb() { awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print int($2 / 1024)}' "$1"; }

printf '%-6s %9s %10s %12s %9s\n' scale users rows seconds "µs/row"
for scale in 1 4 10; do
  users=$((20000 * scale))
  rows=$((users * 6))
  BENCH_STOP_AFTER=seed /usr/bin/time -v "$ORMSH" --app scripts/blog --database-url "$(url "$scale")" \
    run scripts/bench/blog.rhai "$users" 5 >"$WORK/seed.txt" 2>"$WORK/seed.time"
  seconds=$(awk '/^seed / {print $2}' "$WORK/seed.txt")
  printf '%-6s %9d %10d %12.3f %9.2f   (peak %d MB)\n' "${scale}x" "$users" "$rows" "$seconds" \
    "$(python3 -c "print($seconds * 1e6 / $rows)")" "$(peak_mb "$WORK/seed.time")"
done

# A table of ROWS rows, then each format printed to a file.
DB=$(url rows)
cat >"$WORK/rows.rhai" <<'RHAI'
db.drop_all(#{ confirm: true });
db.create_all();
db.session.add(User(#{ id: 1, username: "u", email: "u@example.com" }));
let n = parse_int(app.args[0]);
let i = 0;
while i < n {
    let rows = [];
    for j in i..(i + 1000).min(n) { rows.push(Post(#{ title: `Post ${j}`, content: "lorem ipsum", user_id: 1 })); }
    db.session.add_all(rows);
    db.session.flush();
    db.session.expunge_all();
    i += 1000;
}
RHAI
"$ORMSH" --app scripts/blog --database-url "$DB" --no-echo run "$WORK/rows.rhai" "$ROWS" >/dev/null 2>&1
echo
printf '%-9s %12s %9s %10s\n' format bytes seconds "peak MB"
for format in table vertical json csv markdown; do
  start=$(date +%s.%N)
  /usr/bin/time -v "$ORMSH" --app scripts/blog --database-url "$DB" --no-echo --format "$format" \
    -c 'Post.query.order_by(Post.id)' >"$WORK/out.$format" 2>"$WORK/out.time"
  end=$(date +%s.%N)
  printf '%-9s %12d %9.2f %10d\n' "$format" "$(stat -c %s "$WORK/out.$format")" \
    "$(python3 -c "print($end - $start)")" "$(peak_mb "$WORK/out.time")"
done
