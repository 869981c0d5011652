//! The audit log (审计日志): who changed what through the API or the console, appended
//! and never rewritten (the database refuses updates and deletes).

use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub subject_id: Option<String>,
    /// JSON array of `{subject, what, before, after}`.
    pub changes: String,
}

const COLUMNS: &str = "id, at, actor_id, actor_role, method, path, status, subject_id, changes";

pub async fn insert(c: &mut AnyConnection, a: &AuditRow) -> Result<()> {
    insert_many(c, std::slice::from_ref(a)).await
}

/// Many rows in few statements (group commit writes its requests' rows together).
pub async fn insert_many(c: &mut AnyConnection, rows: &[AuditRow]) -> Result<()> {
    for chunk in rows.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO audit_log ({COLUMNS}) VALUES {}",
            crate::products::row_groups(chunk.len(), 9)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for a in chunk {
            q = q
                .bind(&a.id)
                .bind(a.at)
                .bind(&a.actor_id)
                .bind(&a.actor_role)
                .bind(&a.method)
                .bind(&a.path)
                .bind(a.status)
                .bind(&a.subject_id)
                .bind(&a.changes);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub before_id: Option<String>,
    pub limit: i64,
}

/// Newest first.
pub async fn page(c: &mut AnyConnection, f: &AuditFilter) -> Result<Vec<AuditRow>> {
    let mut w = Conditions::default();
    w.eq("actor_id", f.actor_id.as_deref())
        .eq("subject_id", f.subject_id.as_deref());
    if let Some(id) = &f.before_id {
        w.and("id < $?", Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(f.limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// How many rows match (the page's total).
pub async fn count(c: &mut AnyConnection, f: &AuditFilter) -> Result<i64> {
    let mut w = Conditions::default();
    w.eq("actor_id", f.actor_id.as_deref())
        .eq("subject_id", f.subject_id.as_deref());
    let sql = format!("SELECT COUNT(*) FROM audit_log{}", w.clause());
    let n: Vec<(i64,)> = w.fetch_all(c, sql).await?;
    Ok(n.first().map(|(n,)| *n).unwrap_or(0))
}
