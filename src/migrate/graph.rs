//! The revision graph, as Alembic's `RevisionMap` sees it: heads, bases,
//! branch and merge points, the order revisions are listed in, and how a
//! target (`head`, `heads`, `base`, `+1`, `-2`, `ae10+1`, a partial id, a
//! branch label, `label@head`) resolves against the revisions the database
//! holds.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::revision::Revision;
use crate::error::{Error, Result};

pub struct Graph {
    pub revisions: Vec<Revision>,
    index: HashMap<String, usize>,
    /// The revisions whose `down_revision` names each one.
    children: HashMap<String, Vec<String>>,
}

impl Graph {
    pub fn new(revisions: Vec<Revision>) -> Result<Graph> {
        let mut index = HashMap::new();
        for (i, r) in revisions.iter().enumerate() {
            if let Some(&j) = index.get(&r.id) {
                let other: &Revision = &revisions[j];
                return Err(Error::Config(format!(
                    "{}: revision {} is also in {} (give one of them a new id)",
                    r.label, r.id, other.label
                )));
            }
            index.insert(r.id.clone(), i);
        }
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for r in &revisions {
            for d in r.down.iter().chain(&r.depends_on) {
                if !index.contains_key(d) {
                    return Err(Error::Config(format!(
                        "{}: revision {} names {d}, which is not in the versions folder",
                        r.label, r.id
                    )));
                }
            }
            for d in &r.down {
                children.entry(d.clone()).or_default().push(r.id.clone());
            }
        }
        Ok(Graph {
            revisions,
            index,
            children,
        })
    }

    pub fn get(&self, id: &str) -> &Revision {
        &self.revisions[self.index[id]]
    }

    pub fn children(&self, id: &str) -> &[String] {
        self.children.get(id).map_or(&[], |c| c.as_slice())
    }

    pub fn is_head(&self, id: &str) -> bool {
        self.children(id).is_empty()
    }

    pub fn is_branch_point(&self, id: &str) -> bool {
        self.children(id).len() > 1
    }

    pub fn is_merge_point(&self, id: &str) -> bool {
        self.get(id).down.len() > 1
    }

    /// The revisions nothing revises, in file order.
    pub fn heads(&self) -> Vec<String> {
        self.revisions
            .iter()
            .filter(|r| self.is_head(&r.id))
            .map(|r| r.id.clone())
            .collect()
    }

    /// Every revision, newest first, in the order Alembic walks them
    /// (`RevisionMap._topological_sort` from the heads): down one branch
    /// as long as no other head still needs the revision, the parents of a
    /// merge in their `down_revision` order.
    pub fn walk(&self) -> Vec<String> {
        let mut todo: HashSet<String> = self.revisions.iter().map(|r| r.id.clone()).collect();
        let mut heads = self.heads();
        let mut below: Vec<BTreeSet<String>> = heads
            .iter()
            .map(|h| self.ancestors(std::slice::from_ref(h)))
            .collect();
        let mut out = Vec::new();
        let mut at = 0;
        while !heads.is_empty() {
            let candidate = heads[at].clone();
            if let Some(other) =
                (0..heads.len()).find(|&i| i != at && below[i].contains(&candidate))
            {
                // Another head stands on it: that one is walked first.
                at = other;
                continue;
            }
            if todo.remove(&candidate) {
                out.push(candidate.clone());
            }
            let r = self.get(&candidate);
            let next: Vec<String> = r
                .down
                .iter()
                .filter(|d| todo.contains(*d) && !heads.contains(*d))
                .cloned()
                .collect();
            match next.split_first() {
                None => {
                    heads.remove(at);
                    below.remove(at);
                    at = at.saturating_sub(1);
                }
                Some((first, rest)) => {
                    heads[at] = first.clone();
                    below[at] = self.ancestors(std::slice::from_ref(first));
                    for n in rest {
                        heads.push(n.clone());
                        below.push(self.ancestors(std::slice::from_ref(n)));
                    }
                }
            }
        }
        // Revisions reached only through `depends_on`, in dependency order.
        let rest: Vec<String> = self
            .dependency_order()
            .into_iter()
            .rev()
            .filter(|id| todo.contains(id))
            .collect();
        out.extend(rest);
        out
    }

    /// Every revision after its `down_revision`s and `depends_on`, oldest
    /// first: the walk reversed, as Alembic upgrades.
    pub fn topological(&self) -> Vec<String> {
        let mut out = self.walk();
        out.reverse();
        // A `depends_on` the walk does not follow may come out late: then
        // the plain dependency order, which always holds.
        let mut seen = HashSet::new();
        for id in &out {
            let r = self.get(id);
            if r.down
                .iter()
                .chain(&r.depends_on)
                .any(|d| !seen.contains(d))
            {
                return self.dependency_order();
            }
            seen.insert(id.clone());
        }
        out
    }

    /// Every revision after its `down_revision`s and `depends_on`, in file order.
    fn dependency_order(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for r in &self.revisions {
            self.visit(&r.id, &mut seen, &mut out);
        }
        out
    }

    fn visit(&self, id: &str, seen: &mut HashSet<String>, out: &mut Vec<String>) {
        if !seen.insert(id.to_string()) {
            return;
        }
        let r = self.get(id);
        for d in r.down.iter().chain(&r.depends_on) {
            self.visit(d, seen, out);
        }
        out.push(id.to_string());
    }

    /// `ids` and every revision they stand on (`down_revision` and `depends_on`).
    pub fn ancestors(&self, ids: &[String]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<String> = ids.to_vec();
        while let Some(id) = stack.pop() {
            if out.insert(id.clone()) {
                let r = self.get(&id);
                stack.extend(r.down.iter().chain(&r.depends_on).cloned());
            }
        }
        out
    }

    /// One revision by its id, a unique prefix of it, or a branch label.
    pub fn resolve_one(&self, text: &str) -> Result<String> {
        if self.index.contains_key(text) {
            return Ok(text.to_string());
        }
        if let Some(r) = self
            .revisions
            .iter()
            .find(|r| r.branch_labels.iter().any(|l| l == text))
        {
            return Ok(r.id.clone());
        }
        let matches: Vec<&str> = self
            .revisions
            .iter()
            .filter(|r| r.id.starts_with(text))
            .map(|r| r.id.as_str())
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Error::Config(format!(
                "Can't locate revision identified by '{text}'"
            ))),
            many => Err(Error::Config(format!(
                "Multiple revisions start with '{text}': {}",
                many.join(", ")
            ))),
        }
    }

    /// The one head, or Alembic's refusal naming them all.
    pub fn single_head(&self, what: &str) -> Result<String> {
        match self.heads().as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::Config("the versions folder has no revisions".into())),
            many => Err(Error::Config(format!(
                "Multiple head revisions are present for given argument '{what}': {}; \
                 give a specific target revision, or 'heads' for all heads \
                 (or join them into one: `ormsh db merge heads`)",
                many.join(", ")
            ))),
        }
    }

    /// The revisions an upgrade to `target` ends at, from `current` (the
    /// rows of `alembic_version`): `head`, `heads`, an id, `+N`, `id+N`.
    pub fn upgrade_target(&self, target: &str, current: &[String]) -> Result<Vec<String>> {
        if target == "heads" {
            return Ok(self.heads());
        }
        if target == "head" {
            return Ok(vec![self.single_head("head")?]);
        }
        if let Some(label) = target.strip_suffix("@head") {
            let start = self.resolve_one(label)?;
            return Ok(vec![self.step_up(&start, usize::MAX, target)?]);
        }
        if let Some((base, n)) = relative(target) {
            let start = match base {
                "" => match current {
                    [] => None,
                    [one] => Some(one.clone()),
                    _ => {
                        return Err(Error::Config(format!(
                            "the database is at several heads ({}); a relative target needs one",
                            current.join(", ")
                        )));
                    }
                },
                b => Some(self.resolve_one(b)?),
            };
            if n < 0 {
                return Err(Error::Config(format!(
                    "'{target}' goes down: use `db downgrade {target}`"
                )));
            }
            let n = n as usize;
            return match start {
                Some(s) => Ok(vec![self.step_up(&s, n, target)?]),
                None => {
                    let bases: Vec<&Revision> = self
                        .revisions
                        .iter()
                        .filter(|r| r.down.is_empty())
                        .collect();
                    match bases.as_slice() {
                        [one] if n >= 1 => Ok(vec![self.step_up(&one.id, n - 1, target)?]),
                        [_] => Ok(Vec::new()),
                        _ => Err(Error::Config(format!(
                            "'{target}': the versions folder has several bases; name a revision"
                        ))),
                    }
                }
            };
        }
        Ok(vec![self.resolve_one(target)?])
    }

    /// `n` steps up from `start` along the only child each time
    /// (`usize::MAX`: to the head).
    fn step_up(&self, start: &str, n: usize, target: &str) -> Result<String> {
        let mut at = start.to_string();
        let mut left = n;
        while left > 0 {
            match self.children(&at) {
                [] if n == usize::MAX => break,
                [] => {
                    return Err(Error::Config(format!(
                        "Relative revision {target} didn't produce {n} migrations"
                    )));
                }
                [one] => at = one.clone(),
                _ => {
                    return Err(Error::Config(format!(
                        "'{target}': {at} is a branch point; name the revision to go to"
                    )));
                }
            }
            left = left.saturating_sub(1);
        }
        Ok(at)
    }

    /// The revisions a downgrade to `target` keeps as heads (empty for
    /// `base`): an id, `-N`, `id-N`.
    pub fn downgrade_target(&self, target: &str, current: &[String]) -> Result<Vec<String>> {
        if target == "base" {
            return Ok(Vec::new());
        }
        if let Some((base, n)) = relative(target) {
            let start = match base {
                "" => match current {
                    [one] => one.clone(),
                    [] => {
                        return Err(Error::Config(format!(
                            "Relative revision {target} didn't produce {} migrations: the database is at base",
                            n.unsigned_abs()
                        )));
                    }
                    _ => {
                        return Err(Error::Config(format!(
                            "the database is at several heads ({}); a relative target needs one",
                            current.join(", ")
                        )));
                    }
                },
                b => self.resolve_one(b)?,
            };
            if n > 0 && !base.is_empty() {
                return Ok(vec![self.step_up(&start, n as usize, target)?]);
            }
            let mut at = vec![start];
            for _ in 0..n.unsigned_abs() {
                let [one] = at.as_slice() else {
                    return Err(Error::Config(format!(
                        "'{target}' passes a merge point; name the revision to go to"
                    )));
                };
                let r = self.get(one);
                if r.down.is_empty() && at.len() == 1 {
                    at = Vec::new();
                    continue;
                }
                at = r.down.clone();
            }
            return Ok(at);
        }
        Ok(vec![self.resolve_one(target)?])
    }
}

/// `+2` as ("", 2), `-1` as ("", -1), `ae10+1` as ("ae10", 1).
fn relative(target: &str) -> Option<(&str, i64)> {
    let pos = target.rfind(['+', '-'])?;
    let (base, num) = target.split_at(pos);
    let n: i64 = num.parse().ok()?;
    Some((base, n))
}
