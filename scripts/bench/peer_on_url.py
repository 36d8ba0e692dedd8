#!/usr/bin/env python3
"""Run one of ../shared/bench's peer scripts against a database server instead
of the SQLite file it names: every Flask-SQLAlchemy app it builds gets
SQLALCHEMY_DATABASE_URI = URL, and create_all() drops the tables first, so a
run starts from an empty schema as it does on a new SQLite file.

Usage: peer_on_url.py URL SCRIPT [ARGS...]
"""
import runpy
import sys

import flask_sqlalchemy

url, script, args = sys.argv[1], sys.argv[2], sys.argv[3:]
init_app = flask_sqlalchemy.SQLAlchemy.init_app
create_all = flask_sqlalchemy.SQLAlchemy.create_all


def init_on_url(self, app):
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    return init_app(self, app)


def create_from_empty(self, *a, **kw):
    self.drop_all(*a, **kw)
    return create_all(self, *a, **kw)


flask_sqlalchemy.SQLAlchemy.init_app = init_on_url
flask_sqlalchemy.SQLAlchemy.create_all = create_from_empty
sys.argv = [script] + args
runpy.run_path(script, run_name="__main__")
