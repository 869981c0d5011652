//! The persisted sandbox clock: one row, only ever moved forward.

use sqlx::AnyConnection;

use crate::Result;

pub async fn now(c: &mut AnyConnection) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT now_us FROM sandbox_clock WHERE id = 1")
            .fetch_optional(c)
            .await?,
    )
}

/// Moves the clock to `to` unless it is already later; returns the clock afterwards.
pub async fn advance_to(c: &mut AnyConnection, to: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO sandbox_clock (id, now_us) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET now_us = CASE WHEN sandbox_clock.now_us > excluded.now_us
             THEN sandbox_clock.now_us ELSE excluded.now_us END",
    )
    .bind(to)
    .execute(&mut *c)
    .await?;
    Ok(now(c).await?.unwrap_or(to))
}
