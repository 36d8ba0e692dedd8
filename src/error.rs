//! The one error type. Every message is written for the person at the prompt:
//! what went wrong, where, and what to do about it.

use std::path::PathBuf;

/// Everything that can go wrong in ormsh, grouped by who can fix it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The project could not be opened: config, URL, files. Exit code 2.
    #[error("{0}")]
    Config(String),

    /// A file that had to be read could not be.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The database refused or failed a statement.
    #[error("{message}")]
    Database {
        message: String,
        /// The database's constraint or error code, when it gave one.
        code: Option<String>,
    },

    /// The connection could not be made.
    #[error("{0}")]
    Connection(String),

    /// The connection broke while in use (the server closed it, or went away):
    /// its transaction is gone; the next statement connects again.
    #[error("{0}")]
    ConnectionLost(String),

    /// A model, column, relationship or attribute that does not exist.
    #[error("{0}")]
    Unknown(String),

    /// The user asked for something that cannot be expressed (a comparison with
    /// no SQL meaning, a value that does not fit a column, a bad argument).
    #[error("{0}")]
    Invalid(String),

    /// A query's result did not have the shape asked for (`one()` on no rows).
    #[error("{0}")]
    NoResult(String),

    /// The session cannot go on until it is rolled back.
    #[error("{0}")]
    Session(String),

    /// A declaration the registry refuses, at its line of
    /// the models file (the reader of that file names it).
    #[error("line {line}: {message}")]
    Declaration { line: usize, message: String },

    /// A script failed: the message already carries file:line:column.
    #[error("{0}")]
    Script(String),

    /// A write refused because ormsh runs read-only (`--read-only`).
    #[error("{0}")]
    ReadOnly(String),

    /// Ctrl-C.
    #[error("interrupted")]
    Interrupted,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn config(msg: impl Into<String>) -> Self {
        Error::Config(msg.into())
    }
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }
    pub fn unknown(msg: impl Into<String>) -> Self {
        Error::Unknown(msg.into())
    }

    /// The process exit code this error maps to: 2 for usage and set-up
    /// problems, 1 for everything that went wrong while running.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Io { .. } | Error::Declaration { .. } => 2,
            _ => 1,
        }
    }
}

/// "did you mean …" for a name that is not one of `known`: the nearest other
/// name, never the one typed (a caller whose name exists says what else is
/// wrong); one that differs only in case is named as such.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        if candidate == name {
            continue;
        }
        if candidate.to_lowercase() == lower {
            return format!(" (names are case-sensitive: did you mean `{candidate}`?)");
        }
        let d = edit_distance(&lower, &candidate.to_lowercase());
        if d <= (name.len().max(3) / 3).max(2) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        assert_eq!(
            did_you_mean("usrname", ["id", "username", "email"]),
            " (did you mean `username`?)"
        );
        assert_eq!(did_you_mean("zzzzzz", ["id", "username"]), "");
    }

    #[test]
    fn never_suggests_the_name_typed() {
        assert_eq!(did_you_mean("filter", ["filter", "filter_by"]), "");
        assert_eq!(
            did_you_mean("get", ["get", "get", "set"]),
            " (did you mean `set`?)"
        );
        assert_eq!(
            did_you_mean("Username", ["id", "username"]),
            " (names are case-sensitive: did you mean `username`?)"
        );
    }
}
