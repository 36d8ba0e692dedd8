//! `db.relationship(..)` and `db.backref(..)` read into a
//! `RelationshipDecl`: every option checked (an unknown one, or one of
//! SQLAlchemy's that ormsh does not take, stops the load at its line), the
//! list options in either spelling, and the line it is declared on, which
//! the registry's errors name.

use rhai::{Array, Dynamic, Map};

use super::{BackrefSpec, check_keys, map_bool, map_string};
use crate::orm::mapping::model::PassiveDeletes;
use crate::orm::{Lazy, RelationshipDecl};
use crate::script::convert::{RhaiResult, err};

const RELATIONSHIP_OPTIONS: &[&str] = &[
    "post_update",
    "backref",
    "back_populates",
    "lazy",
    "uselist",
    "secondary",
    "order_by",
    "cascade",
    "foreign_keys",
    "remote_side",
    "primaryjoin",
    "secondaryjoin",
    "viewonly",
    "passive_deletes",
];

/// What `db.backref(name, #{..})` takes: the join is the relationship's
/// own, seen from the other end.
const BACKREF_OPTIONS: &[&str] = &[
    "post_update",
    "lazy",
    "uselist",
    "order_by",
    "cascade",
    "foreign_keys",
    "remote_side",
];

/// SQLAlchemy's other `relationship()` arguments: named in the refusal, so
/// that it says ormsh does not take them rather than that they do not exist.
const SQLALCHEMY_ONLY: &[&str] = &[
    "passive_updates",
    "single_parent",
    "innerjoin",
    "collection_class",
    "overlaps",
    "sync_backref",
    "join_depth",
    "info",
    "doc",
    "active_history",
    "cascade_backrefs",
    "distinct_target_key",
    "enable_typechecks",
    "load_on_pending",
    "omit_join",
    "query_class",
    "comparator_factory",
    "argument",
];

/// A list option: a Rhai array of names, one name, or SQLAlchemy's string
/// form of a list (`"[Message.sender_id, Message.thread_id]"`).
fn string_list(d: &Dynamic) -> Vec<String> {
    if let Some(a) = d.clone().try_cast::<Array>() {
        return a.iter().map(|x| x.to_string()).collect();
    }
    let text = d.to_string();
    let trimmed = text.trim();
    match trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => vec![trimmed.to_string()],
    }
}

pub(super) fn relationship(
    name: &str,
    target: &str,
    opts: Map,
    line: Option<usize>,
) -> RhaiResult<RelationshipDecl> {
    let what = format!("db.relationship(\"{name}\")");
    if let Some(key) = opts.keys().find(|k| SQLALCHEMY_ONLY.contains(&k.as_str())) {
        return err(format!(
            "{what}: ormsh does not take SQLAlchemy's `{key}`; remove it (the options ormsh takes are {})",
            RELATIONSHIP_OPTIONS.join(", ")
        ));
    }
    check_keys(&what, &opts, RELATIONSHIP_OPTIONS)?;
    let mut r = RelationshipDecl::new(name, target);
    r.line = line;
    if let Some(lazy) = opts.get("lazy") {
        let text = if let Ok(b) = lazy.as_bool() {
            b.to_string()
        } else {
            lazy.to_string()
        };
        r.lazy = Lazy::parse(&text).map_err(crate::script::convert::rhai_error)?;
    }
    r.uselist = map_bool(&opts, "uselist")?;
    r.post_update = map_bool(&opts, "post_update")?.unwrap_or(false);
    r.viewonly = map_bool(&opts, "viewonly")?.unwrap_or(false);
    if let Some(passive) = opts.get("passive_deletes") {
        r.passive_deletes = match (passive.as_bool(), passive.clone().into_string()) {
            (Ok(true), _) => PassiveDeletes::Yes,
            (Ok(false), _) => PassiveDeletes::No,
            (_, Ok(s)) if s == "all" => PassiveDeletes::All,
            _ => {
                return err(format!("{what}: passive_deletes is true, false or \"all\""));
            }
        };
    }
    r.back_populates = map_string(&opts, "back_populates")?;
    r.secondary = map_string(&opts, "secondary")?;
    r.primaryjoin = map_string(&opts, "primaryjoin")?;
    r.secondaryjoin = map_string(&opts, "secondaryjoin")?;
    if r.secondaryjoin.is_some() && r.secondary.is_none() {
        return err(format!(
            "{what}: secondaryjoin is taken with a secondary table only; without one, primaryjoin says the whole join"
        ));
    }
    if r.back_populates.is_some() && opts.contains_key("backref") {
        return err(format!(
            "{what}: back_populates and backref both name the way back; say one of them"
        ));
    }
    if let Some(cascade) = map_string(&opts, "cascade")? {
        r.cascade_delete = cascade
            .split(',')
            .any(|p| matches!(p.trim(), "all" | "delete"));
        r.delete_orphan = cascade.split(',').any(|p| p.trim() == "delete-orphan");
    }
    if let Some(order) = opts.get("order_by") {
        for item in string_list(order) {
            let (col, desc) = match item.strip_suffix(".desc()") {
                Some(c) => (c.to_string(), true),
                None => (
                    item.trim_end_matches(".asc()").to_string(),
                    item.starts_with('-'),
                ),
            };
            r.order_by
                .push((col.trim_start_matches('-').to_string(), desc));
        }
    }
    if let Some(fks) = opts.get("foreign_keys") {
        r.foreign_keys = string_list(fks);
    }
    if let Some(remote) = opts.get("remote_side") {
        r.remote_side = string_list(remote);
    }
    if let Some(backref) = opts.get("backref") {
        let (back_name, back_opts) = if let Some(spec) = backref.clone().try_cast::<BackrefSpec>() {
            (spec.0, spec.1)
        } else if backref.is_string() {
            (backref.to_string(), Map::new())
        } else {
            return err(format!(
                "{what}: backref must be a name or db.backref(name, #{{..}})"
            ));
        };
        check_keys(
            &format!("db.backref(\"{back_name}\")"),
            &back_opts,
            BACKREF_OPTIONS,
        )?;
        let mut back = relationship(&back_name, "", back_opts, line)?;
        back.target.clear();
        r.backref = Some((back_name, Box::new(back)));
    }
    Ok(r)
}
