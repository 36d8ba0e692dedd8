//! Guards on destructive calls (`db.drop_all()`, a bulk update or delete
//! with no filter, raw SQL that touches every row): they go on when the
//! call says `#{ confirm: true }`, else the host decides: the prompt asks,
//! a script answers with `--yes` (and without it, refuses).

use rhai::Map;

use super::Shared;
use super::convert::{RhaiResult, err};

/// Go on, or refuse with what to do about it. `question` is asked at a prompt.
pub(crate) fn confirm(shared: &Shared, options: Option<&Map>, question: &str) -> RhaiResult<()> {
    let said_so = options
        .and_then(|o| o.get("confirm"))
        .and_then(|c| c.as_bool().ok())
        .unwrap_or(false);
    if said_so || (shared.confirm)(question) {
        return Ok(());
    }
    err(format!(
        "not confirmed: {question} Nothing was changed. At the prompt answer y; in a script pass #{{ confirm: true }} or run ormsh with --yes."
    ))
}
