#!/usr/bin/env bash
# Migrations in a Flask project, ormsh against Flask-Migrate on the same
# files: `ormsh db upgrade` against `flask db upgrade` applying N revisions
# (default 30, one model each, made by real `flask db migrate`) to a new
# SQLite database, and `ormsh db migrate` against `flask db migrate` writing
# the revision for one more model. Start-up included: each is a whole
# command, as a user runs it.
#
#   scripts/bench/migrations.sh [N]
#
# ORMSH=/path/to/ormsh times that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-30}
VENV=${PEER_VENV:-$ROOT/target/peer-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import flask_migrate' 2>/dev/null ||
  "$VENV/bin/pip" install -q flask flask-sqlalchemy flask-migrate
if [ -z "${ORMSH:-}" ]; then
  cargo build --release -q
  ORMSH="$ROOT/target/release/ormsh"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/app.py" <<'PY'
import os
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(os.path.dirname(os.path.abspath(__file__)), 'app.db')
db = SQLAlchemy(app)
migrate = Migrate(app, db)
from models import *  # noqa
PY
echo "FLASK_APP=app.py" >"$WORK/.flaskenv"
model() {
  local i=$1
  echo
  echo "class Model$i(db.Model):"
  echo "    id = db.Column(db.Integer, primary_key=True)"
  echo "    name = db.Column(db.String(64), index=True, nullable=False)"
  echo "    note = db.Column(db.Text)"
  if [ "$i" -gt 1 ]; then
    echo "    parent_id = db.Column(db.Integer, db.ForeignKey('model$((i - 1)).id'))"
  fi
}
echo "from app import db" >"$WORK/models.py"
# `python -m flask`: the venv may have been moved after it was made (the tests build it aside), which breaks its scripts' shebangs.
FLASK="$VENV/bin/python -m flask"
cd "$WORK"
$FLASK db init >/dev/null 2>&1
echo "making $N revisions with flask db migrate ..."
for i in $(seq 1 "$N"); do
  model "$i" >>models.py
  $FLASK db migrate -m "model $i" >/dev/null 2>&1
  $FLASK db upgrade >/dev/null 2>&1
done

echo "db upgrade of $N revisions to a new database: ormsh (A) against flask (B)"
farm-bench -n 10 --timeout 600 \
  --vs "sh -c 'rm -f app.db && $FLASK db upgrade >/dev/null 2>&1'" \
  -- sh -c "rm -f app.db && $ORMSH db upgrade >/dev/null"

echo "db migrate of one more model: ormsh (A) against flask (B)"
$FLASK db upgrade >/dev/null 2>&1
model $((N + 1)) >>models.py
farm-bench -n 10 --timeout 600 \
  --vs "sh -c '$FLASK db migrate -m more >/dev/null 2>&1 && rm -f migrations/versions/*_more.py'" \
  -- sh -c "$ORMSH db migrate -m more >/dev/null && rm -f migrations/versions/*_more.py"
