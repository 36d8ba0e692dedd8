#!/usr/bin/env bash
# Start-up in a Flask project of N models (default 50), as `cd app && ormsh`
# meets it: ormsh reading the app's config and models.py (no Python run) and
# counting one table, beside Python importing the app and doing the same
# count in an app context (what `flask shell` pays before its prompt).
#
#   scripts/bench/flask_startup.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-50}
VENV=${PEER_VENV:-$ROOT/target/peer-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q flask flask-sqlalchemy
fi
cargo build --release -q
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/app"
cat >"$WORK/app/__init__.py" <<'PY'
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from config import Config
db = SQLAlchemy()
def create_app(config_class=Config):
    app = Flask(__name__)
    app.config.from_object(config_class)
    db.init_app(app)
    from app import models
    return app
PY
cat >"$WORK/config.py" <<'PY'
import os
basedir = os.path.abspath(os.path.dirname(__file__))
class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL') or 'sqlite:///' + os.path.join(basedir, 'app.db')
PY
echo "from app import create_app, db" >"$WORK/main.py"
echo "app = create_app()" >>"$WORK/main.py"
echo "FLASK_APP=main.py" >"$WORK/.flaskenv"
{
  echo "from datetime import datetime"
  echo "from typing import Optional"
  echo "import sqlalchemy as sa"
  echo "import sqlalchemy.orm as so"
  echo "from app import db"
  for i in $(seq 1 "$N"); do
    cat <<PY

class Model$i(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    note: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    created: so.Mapped[Optional[datetime]]
PY
    if [ "$i" -gt 1 ]; then
      prev=$((i - 1))
      echo "    parent_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey('model$prev.id'))"
      echo "    parent: so.Mapped[Optional['Model$prev']] = so.relationship()"
    fi
    echo
    echo "    def describe(self):"
    echo "        return self.name"
  done
} >"$WORK/app/models.py"
(cd "$WORK" && "$VENV/bin/python" -c "from main import app, db
with app.app_context(): db.create_all()")
cat >"$WORK/peer.py" <<'PY'
from main import app, db
from app.models import Model1
with app.app_context():
    print(db.session.query(Model1).count())
PY
echo "$N models; ormsh (A) against Python importing the app (B):"
cd "$WORK"
farm-bench -n 20 --vs "$VENV/bin/python peer.py" -- "$ROOT/target/release/ormsh" --no-echo -c 'Model1.query.count()'
