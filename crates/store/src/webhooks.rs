//! Webhook subscriptions of stores.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Clone, FromRow, PartialEq, Eq)]
pub struct SubscriptionRow {
    pub id: String,
    pub store_id: String,
    pub url: String,
    /// Comma-separated event types, or `*`.
    pub event_types: String,
    pub secret: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

/// Written by hand so that the signing secret never reaches a log line or a panic message.
impl std::fmt::Debug for SubscriptionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriptionRow")
            .field("id", &self.id)
            .field("store_id", &self.store_id)
            .field("url", &self.url)
            .field("event_types", &self.event_types)
            .field("secret", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("deleted_at", &self.deleted_at)
            .finish()
    }
}

const COLUMNS: &str = "id, store_id, url, event_types, secret, created_at, deleted_at";

pub async fn insert(c: &mut AnyConnection, s: &SubscriptionRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO webhook_subscriptions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&s.id)
        .bind(&s.store_id)
        .bind(&s.url)
        .bind(&s.event_types)
        .bind(&s.secret)
        .bind(s.created_at)
        .execute(c)
        .await?;
    Ok(())
}

/// A store's live subscriptions, oldest first.
pub async fn for_store(c: &mut AnyConnection, store_id: &str) -> Result<Vec<SubscriptionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhook_subscriptions WHERE store_id = $1 AND deleted_at IS NULL ORDER BY id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .fetch_all(c)
        .await?)
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<SubscriptionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhook_subscriptions WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Stops deliveries to a subscription; its log stays.
pub async fn delete(c: &mut AnyConnection, id: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE webhook_subscriptions SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Subscriptions whose secret does not start with `sealed_prefix`: (id, secret).
pub async fn unsealed(c: &mut AnyConnection, sealed_prefix: &str) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, secret FROM webhook_subscriptions WHERE secret NOT LIKE $1")
            .bind(format!("{sealed_prefix}%"))
            .fetch_all(c)
            .await?,
    )
}

pub async fn set_secret(c: &mut AnyConnection, id: &str, secret: &str) -> Result<()> {
    sqlx::query("UPDATE webhook_subscriptions SET secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_signing_secret() {
        let row = SubscriptionRow {
            id: "w1".into(),
            store_id: "s1".into(),
            url: "https://example.com/hook".into(),
            event_types: "*".into(),
            secret: "whsec_c2VjcmV0LXNpZ25pbmcta2V5".into(),
            created_at: 0,
            deleted_at: None,
        };
        let shown = format!("{row:?} {row:#?}");
        assert!(!shown.contains("c2VjcmV0LXNpZ25pbmcta2V5"), "{shown}");
        assert!(shown.contains("https://example.com/hook"));
    }
}
