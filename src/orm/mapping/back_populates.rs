//! Two relationships paired by `back_populates` hold one link seen from its
//! two ends: each names the other, leads back to the other's model, and
//! joins the same columns the other way round (for a many-to-many, this
//! side's association columns are the other's target columns). A pair that
//! does not is refused: kept in step in memory, it would show an object on
//! the wrong side until the rows are read back.

use crate::error::did_you_mean;
use crate::orm::mapping::model::{Direction, Mapper, Relationship};

/// The first relationship of a pair that does not hold together, as
/// (mapper index, relationship index, why).
pub(super) fn check(
    mappers: &[Mapper],
    relationships: &[Vec<Relationship>],
) -> Result<(), (usize, usize, String)> {
    for (m, rels) in relationships.iter().enumerate() {
        for (r, rel) in rels.iter().enumerate() {
            if rel.from_backref {
                continue;
            }
            let Some(back) = &rel.reverse else { continue };
            let this = format!("{}.{}", mappers[m].name, rel.name);
            let target = &mappers[rel.target];
            let Some(partner) = relationships[rel.target].iter().find(|p| p.name == *back) else {
                return Err((
                    m,
                    r,
                    format!(
                        "{this}: back_populates names `{back}`, which {} does not have as a relationship{}; declare it there, or use backref: \"{back}\" to have it made",
                        target.name,
                        did_you_mean(
                            back,
                            relationships[rel.target].iter().map(|p| p.name.as_str())
                        )
                    ),
                ));
            };
            let that = format!("{}.{}", target.name, partner.name);
            // A subclass shares its parent's relationships, and their other side.
            if !crate::orm::mapping::inheritance::derives_from(mappers, m, partner.target) {
                return Err((
                    m,
                    r,
                    format!(
                        "{this}: back_populates names {that}, which leads to {}, not back to {}",
                        mappers[partner.target].name, mappers[m].name
                    ),
                ));
            }
            if partner.reverse.as_ref().is_some_and(|p| *p != rel.name) {
                return Err((
                    m,
                    r,
                    format!(
                        "{this}: back_populates names {that}, whose own back_populates names `{}`; the two must name each other",
                        partner.reverse.as_deref().unwrap_or_default()
                    ),
                ));
            }
            if let Some(why) = mismatch(mappers, m, rel, partner) {
                return Err((
                    m,
                    r,
                    format!(
                        "{this} and {that} are each other's back_populates but do not join the same way: {why}"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// How `rel` (of mapper `m`) and its partner differ, if they do.
fn mismatch(
    mappers: &[Mapper],
    m: usize,
    rel: &Relationship,
    partner: &Relationship,
) -> Option<String> {
    let (this, that) = (&mappers[m], &mappers[rel.target]);
    match (&rel.secondary, &partner.secondary) {
        (Some(a), Some(b)) => {
            // (model column, association column) of each end, in one order.
            let sorted = |mut v: Vec<(usize, String)>| {
                v.sort();
                v
            };
            let mine = (
                sorted(a.local.iter().map(|(c, n, _)| (*c, n.clone())).collect()),
                sorted(a.remote.iter().map(|(n, _, c)| (*c, n.clone())).collect()),
            );
            // The partner's ends, seen from this side.
            let theirs = (
                sorted(b.remote.iter().map(|(n, _, c)| (*c, n.clone())).collect()),
                sorted(b.local.iter().map(|(c, n, _)| (*c, n.clone())).collect()),
            );
            let path = |s: &crate::orm::mapping::association::Secondary| {
                let cols = |v: Vec<&str>| v.join(", ");
                format!(
                    "from {}.({}) to {}.({})",
                    s.table,
                    cols(s.local.iter().map(|l| l.1.as_str()).collect()),
                    s.table,
                    cols(s.remote.iter().map(|r| r.0.as_str()).collect())
                )
            };
            (a.table != b.table || mine != theirs).then(|| {
                format!(
                    "{}.{} goes {}, {}.{} {}; {}",
                    this.name,
                    rel.name,
                    path(a),
                    that.name,
                    partner.name,
                    path(b),
                    if a.table == b.table {
                        format!(
                            "the way back goes the other way round: give {}.{} the primaryjoin and secondaryjoin of {}.{} swapped",
                            that.name, partner.name, this.name, rel.name
                        )
                    } else {
                        "both go through one association table".to_string()
                    }
                )
            })
        }
        (None, None) => {
            let mut mine: Vec<(usize, usize)> = rel.pairs.clone();
            let mut theirs: Vec<(usize, usize)> =
                partner.pairs.iter().map(|&(a, b)| (b, a)).collect();
            mine.sort();
            theirs.sort();
            let opposite = matches!(
                (rel.direction, partner.direction),
                (Direction::ManyToOne, Direction::OneToMany)
                    | (Direction::OneToMany, Direction::ManyToOne)
            );
            let join = |owner: &Mapper, other: &Mapper, r: &Relationship| {
                let p: Vec<String> = r
                    .pairs
                    .iter()
                    .map(|&(l, t)| {
                        format!(
                            "{}.{} = {}.{}",
                            owner.name, owner.columns[l].name, other.name, other.columns[t].name
                        )
                    })
                    .collect();
                format!("{} ({})", p.join(" and "), direction(r.direction))
            };
            let hint = if this.index == that.index && !opposite {
                let pk = &this.columns[this.primary_key[0]].name;
                format!(
                    "one of them is the way to the parent: give it remote_side: \"{}.{pk}\" (or remote(..) around that column in its primaryjoin)",
                    this.name
                )
            } else {
                "name the same foreign key on both (foreign_keys, or the same primaryjoin)"
                    .to_string()
            };
            (mine != theirs || !opposite).then(|| {
                format!(
                    "{}.{} joins {}, {}.{} joins {}; {hint}",
                    this.name,
                    rel.name,
                    join(this, that, rel),
                    that.name,
                    partner.name,
                    join(that, this, partner)
                )
            })
        }
        _ => Some(format!(
            "only one of them goes through a secondary table; give {}.{} and {}.{} the same secondary",
            this.name, rel.name, that.name, partner.name
        )),
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::ManyToOne => "many-to-one",
        Direction::OneToMany => "one-to-many",
        Direction::ManyToMany => "many-to-many",
    }
}
