//! The statements whose text differs between SQLite and PostgreSQL, applied after the
//! shared migrations. Each is idempotent, so it runs at every start.

use sqlx::{AnyConnection, Executor};

use crate::{Backend, Result};

/// The timelines and the audit log are history: the database itself refuses to rewrite them.
const SQLITE: &[&str] = &[
    "CREATE TRIGGER IF NOT EXISTS timeline_no_update BEFORE UPDATE ON timeline
     BEGIN SELECT RAISE(ABORT, 'timeline rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS timeline_no_delete BEFORE DELETE ON timeline
     BEGIN SELECT RAISE(ABORT, 'timeline rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS store_timeline_no_update BEFORE UPDATE ON store_timeline
     BEGIN SELECT RAISE(ABORT, 'timeline rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS store_timeline_no_delete BEFORE DELETE ON store_timeline
     BEGIN SELECT RAISE(ABORT, 'timeline rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS deposit_entries_no_update BEFORE UPDATE ON deposit_entries
     BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS deposit_entries_no_delete BEFORE DELETE ON deposit_entries
     BEGIN SELECT RAISE(ABORT, 'ledger rows are immutable'); END",
];

const POSTGRES: &[&str] = &[
    "CREATE OR REPLACE FUNCTION timeline_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'timeline rows are immutable'; END $$",
    "CREATE OR REPLACE TRIGGER timeline_no_change BEFORE UPDATE OR DELETE ON timeline
     FOR EACH ROW EXECUTE FUNCTION timeline_immutable()",
    "CREATE OR REPLACE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION timeline_immutable()",
    "CREATE OR REPLACE TRIGGER store_timeline_no_change BEFORE UPDATE OR DELETE ON store_timeline
     FOR EACH ROW EXECUTE FUNCTION timeline_immutable()",
    "CREATE OR REPLACE TRIGGER deposit_entries_no_change BEFORE UPDATE OR DELETE ON deposit_entries
     FOR EACH ROW EXECUTE FUNCTION timeline_immutable()",
    // State, delist kind and reason are strongly correlated (a reason exists only when
    // delisted); without these statistics the planner multiplies their selectivities and
    // picks the wrong index for combined filters.
    "CREATE STATISTICS IF NOT EXISTS products_state_reason (dependencies, mcv)
     ON store_id, state, delist_kind, reason_code FROM products",
];

pub async fn apply(c: &mut AnyConnection, backend: Backend) -> Result<()> {
    let statements = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => {
            // Serialise concurrent starts of several processes on one database.
            c.execute("SELECT pg_advisory_lock(72657201)").await?;
            POSTGRES
        }
    };
    let mut outcome = Ok(());
    for s in statements {
        if let Err(e) = c.execute(*s).await {
            outcome = Err(e.into());
            break;
        }
    }
    if backend == Backend::Postgres {
        c.execute("SELECT pg_advisory_unlock(72657201)").await?;
    }
    outcome
}

/// A job claim: `select` (ending in its `LIMIT`) with the rows locked for this
/// transaction and skipped by every other. On PostgreSQL that is `FOR UPDATE SKIP LOCKED`,
/// so several processes share a queue and none takes a row another holds; SQLite has one
/// writer, whose `BEGIN IMMEDIATE` transaction already excludes everyone else.
pub(crate) fn claim(backend: crate::Backend, select: &str) -> String {
    match backend {
        crate::Backend::Postgres => format!("{select} FOR UPDATE SKIP LOCKED"),
        crate::Backend::Sqlite => select.to_string(),
    }
}

/// SQLite finds a `$N` parameter by its name, scanning the statement's list of names, so
/// binding a statement of n named parameters costs n² steps: 20 ms for a 200-row insert of
/// 14 columns. Anonymous `?` parameters are found by position at no cost. This gives
/// SQLite the same statement with `?` for each `$N`; PostgreSQL keeps `$N`. Only for
/// statements whose parameters stand in the text as `$1 … $n`, in order, each once (the
/// multi-row statements and `IN` lists built by [`crate::products::row_groups`] and
/// [`crate::products::placeholders`]), so that position and number agree.
pub(crate) fn positional(c: &AnyConnection, sql: String) -> String {
    if c.backend_name() == "SQLite" {
        anonymous(&sql)
    } else {
        sql
    }
}

fn anonymous(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    let mut expected = 1usize;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after
            .find(|ch: char| !ch.is_ascii_digit())
            .unwrap_or(after.len());
        debug_assert_eq!(
            after[..digits].parse::<usize>().ok(),
            Some(expected),
            "parameters out of order in {sql}"
        );
        expected += 1;
        out.push('?');
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::anonymous;

    #[test]
    fn numbered_parameters_become_positional_in_order() {
        assert_eq!(
            anonymous("UPDATE t SET a = $1 WHERE id IN ($2, $3) AND b = $4"),
            "UPDATE t SET a = ? WHERE id IN (?, ?) AND b = ?"
        );
        assert_eq!(
            anonymous("INSERT INTO t VALUES ($1, $2), ($3, $4)"),
            "INSERT INTO t VALUES (?, ?), (?, ?)"
        );
        assert_eq!(anonymous("SELECT 1"), "SELECT 1");
    }

    #[test]
    #[should_panic(expected = "out of order")]
    fn parameters_out_of_order_are_refused() {
        anonymous("SELECT $2, $1");
    }
}
