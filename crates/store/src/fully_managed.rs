//! Fully-managed stores' rows: applications and their message threads, special
//! categories, and JIT orders' inbound at the platform warehouse.

use marketdesk_core::programs::fully_managed::{ApplicationState, CategoryRule, Entity};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::{json, named, to_json};

#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: String,
    pub store_id: String,
    pub company_name: String,
    pub registration_number: String,
    pub entity: Entity,
    pub contact_email: String,
    pub document_ids: Vec<String>,
    pub state: ApplicationState,
    pub submitted_at: i64,
    pub submitted_by: String,
    pub review_due_at: i64,
    pub review_late_at: Option<i64>,
    /// What staff said is still missing, until the seller answers.
    pub missing: Vec<String>,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub managed_store_id: Option<String>,
}

impl<'r> FromRow<'r, AnyRow> for ApplicationRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(ApplicationRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            company_name: row.try_get("company_name")?,
            registration_number: row.try_get("registration_number")?,
            entity: named(row, "entity")?,
            contact_email: row.try_get("contact_email")?,
            document_ids: json(row, "document_ids")?,
            state: named(row, "state")?,
            submitted_at: row.try_get("submitted_at")?,
            submitted_by: row.try_get("submitted_by")?,
            review_due_at: row.try_get("review_due_at")?,
            review_late_at: row.try_get("review_late_at")?,
            missing: json(row, "missing")?,
            decided_at: row.try_get("decided_at")?,
            decided_by: row.try_get("decided_by")?,
            decision_note: row.try_get("decision_note")?,
            managed_store_id: row.try_get("managed_store_id")?,
        })
    }
}

const APPLICATION_COLUMNS: &str = "id, store_id, company_name, registration_number, entity, contact_email, \
    document_ids, state, submitted_at, submitted_by, review_due_at, review_late_at, missing, decided_at, \
    decided_by, decision_note, managed_store_id";

pub async fn insert_application(c: &mut AnyConnection, a: &ApplicationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO fm_applications (id, store_id, company_name, registration_number, entity, contact_email,
            document_ids, state, submitted_at, submitted_by, review_due_at, missing)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&a.id)
    .bind(&a.store_id)
    .bind(&a.company_name)
    .bind(&a.registration_number)
    .bind(a.entity.as_str())
    .bind(&a.contact_email)
    .bind(to_json(&a.document_ids))
    .bind(a.state.as_str())
    .bind(a.submitted_at)
    .bind(&a.submitted_by)
    .bind(a.review_due_at)
    .bind(to_json(&a.missing))
    .execute(c)
    .await?;
    Ok(())
}

pub async fn application(c: &mut AnyConnection, id: &str) -> Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM fm_applications WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// One store's applications (or, with `None`, every store's), newest first.
pub async fn applications(
    c: &mut AnyConnection,
    store_id: Option<&str>,
    state: Option<ApplicationState>,
) -> Result<Vec<ApplicationRow>> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM fm_applications
         WHERE ($1 = '' OR store_id = $1) AND ($2 = '' OR state = $2) ORDER BY id DESC LIMIT 200"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id.unwrap_or(""))
        .bind(state.map(|s| s.as_str()).unwrap_or(""))
        .fetch_all(c)
        .await?)
}

/// Whether another store's application (not rejected) or another store's account already
/// uses this e-mail: "之前绑定过速卖通店铺的邮箱将不能生效".
pub async fn email_taken(c: &mut AnyConnection, email: &str, store_id: &str) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM fm_applications WHERE LOWER(contact_email) = LOWER($1) AND state <> 'rejected')
              + (SELECT COUNT(*) FROM users WHERE LOWER(email) = LOWER($1) AND COALESCE(store_id, '') <> $2)",
    )
    .bind(email)
    .bind(store_id)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// Records a decision; false when the application was already decided.
pub async fn decide(
    c: &mut AnyConnection,
    id: &str,
    state: ApplicationState,
    at: i64,
    by: &str,
    note: Option<&str>,
    managed_store_id: Option<&str>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE fm_applications SET state = $1, decided_at = $2, decided_by = $3, decision_note = $4,
            managed_store_id = $5 WHERE id = $6 AND state = 'under_review'",
    )
    .bind(state.as_str())
    .bind(at)
    .bind(by)
    .bind(note)
    .bind(managed_store_id)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_missing(c: &mut AnyConnection, id: &str, missing: &[String]) -> Result<()> {
    sqlx::query("UPDATE fm_applications SET missing = $1 WHERE id = $2")
        .bind(to_json(&missing))
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn flag_review_late(c: &mut AnyConnection, id: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE fm_applications SET review_late_at = $1 WHERE id = $2 AND state = 'under_review' AND review_late_at IS NULL",
    )
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: String,
    pub application_id: String,
    pub at: i64,
    pub author_id: String,
    pub author_role: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
}

impl<'r> FromRow<'r, AnyRow> for MessageRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(MessageRow {
            id: row.try_get("id")?,
            application_id: row.try_get("application_id")?,
            at: row.try_get("at")?,
            author_id: row.try_get("author_id")?,
            author_role: row.try_get("author_role")?,
            body: row.try_get("body")?,
            evidence_ids: json(row, "evidence_ids")?,
        })
    }
}

pub async fn insert_message(c: &mut AnyConnection, m: &MessageRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO fm_application_messages (id, application_id, at, author_id, author_role, body, evidence_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&m.id)
    .bind(&m.application_id)
    .bind(m.at)
    .bind(&m.author_id)
    .bind(&m.author_role)
    .bind(&m.body)
    .bind(to_json(&m.evidence_ids))
    .execute(c)
    .await?;
    Ok(())
}

pub async fn messages(c: &mut AnyConnection, application_id: &str) -> Result<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT id, application_id, at, author_id, author_role, body, evidence_ids
         FROM fm_application_messages WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone)]
pub struct SpecialCategoryRow {
    pub category: String,
    pub rule: CategoryRule,
    pub note: String,
    pub updated_at: i64,
    pub updated_by: String,
}

impl<'r> FromRow<'r, AnyRow> for SpecialCategoryRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(SpecialCategoryRow {
            category: row.try_get("category")?,
            rule: named(row, "rule")?,
            note: row.try_get("note")?,
            updated_at: row.try_get("updated_at")?,
            updated_by: row.try_get("updated_by")?,
        })
    }
}

pub async fn put_special_category(c: &mut AnyConnection, r: &SpecialCategoryRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO special_categories (category, rule, note, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (category) DO UPDATE SET rule = excluded.rule, note = excluded.note,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&r.category)
    .bind(r.rule.as_str())
    .bind(&r.note)
    .bind(r.updated_at)
    .bind(&r.updated_by)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete_special_category(c: &mut AnyConnection, category: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM special_categories WHERE category = $1")
        .bind(category)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn special_categories(c: &mut AnyConnection) -> Result<Vec<SpecialCategoryRow>> {
    Ok(sqlx::query_as("SELECT category, rule, note, updated_at, updated_by FROM special_categories ORDER BY category")
        .fetch_all(c)
        .await?)
}

pub async fn special_category(
    c: &mut AnyConnection,
    category: &str,
) -> Result<Option<CategoryRule>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT rule FROM special_categories WHERE category = $1")
            .bind(category)
            .fetch_optional(c)
            .await?;
    row.map(|(r,)| {
        r.parse()
            .map_err(|m: String| sqlx::Error::Decode(m.into()).into())
    })
    .transpose()
}

/// Records the goods of a JIT order as received; false when already received or not JIT.
pub async fn record_inbound(c: &mut AnyConnection, order_id: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE orders SET inbound_at = $1, updated_at = $1 WHERE id = $2 AND jit_due_at IS NOT NULL AND inbound_at IS NULL",
    )
    .bind(at)
    .bind(order_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Flags a JIT order overdue; false when its goods arrived or it was flagged already.
pub async fn flag_jit_overdue(c: &mut AnyConnection, order_id: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE orders SET jit_overdue_at = $1 WHERE id = $2 AND inbound_at IS NULL AND jit_overdue_at IS NULL",
    )
    .bind(at)
    .bind(order_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// JIT orders of a store flagged overdue: they count against it.
pub async fn jit_overdue_count(c: &mut AnyConnection, store_id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE store_id = $1 AND jit_overdue_at IS NOT NULL",
    )
    .bind(store_id)
    .fetch_one(c)
    .await?;
    Ok(n)
}
