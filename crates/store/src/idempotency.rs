//! Saved answers for `Idempotency-Key`: a retried write returns the first answer.

use sqlx::AnyConnection;

use crate::Result;

pub enum Claim {
    /// First time this key is seen: go ahead, then call [`complete`].
    New,
    /// The key was used before with the same request: here is the answer.
    Replay { status: u16, body: String },
    /// The key was used before with a different request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
    /// The first request's write committed but its answer was never saved (the process
    /// died in between): running it again would apply the write twice.
    AnswerLost,
}

/// Claims `key` for `user_id`. A claim left unfinished for longer than `stale_after_us`
/// (the process died mid-request) may be taken over, so a key is never stuck forever.
pub async fn claim(
    c: &mut AnyConnection,
    user_id: &str,
    key: &str,
    request_hash: &str,
    now: i64,
    stale_after_us: i64,
) -> Result<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency (user_id, idem_key, request_hash, status, body, created_at)
         VALUES ($1, $2, $3, NULL, NULL, $4) ON CONFLICT (user_id, idem_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(&mut *c)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::New);
    }
    let (hash, status, body, created_at, applied_at): (
        String,
        Option<i64>,
        Option<String>,
        i64,
        Option<i64>,
    ) = sqlx::query_as(
        "SELECT request_hash, status, body, created_at, applied_at FROM idempotency WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(&mut *c)
    .await?;
    if hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    match (status, body) {
        (Some(status), Some(body)) => Ok(Claim::Replay {
            status: status as u16,
            body,
        }),
        _ if applied_at.is_some() => Ok(Claim::AnswerLost),
        _ if now - created_at > stale_after_us => {
            let taken = sqlx::query(
                "UPDATE idempotency SET created_at = $1 WHERE user_id = $2 AND idem_key = $3
                 AND status IS NULL AND applied_at IS NULL AND created_at = $4",
            )
            .bind(now)
            .bind(user_id)
            .bind(key)
            .bind(created_at)
            .execute(&mut *c)
            .await?;
            Ok(if taken.rows_affected() == 1 {
                Claim::New
            } else {
                Claim::InProgress
            })
        }
        _ => Ok(Claim::InProgress),
    }
}

pub async fn complete(
    c: &mut AnyConnection,
    user_id: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE idempotency SET status = $1, body = $2 WHERE user_id = $3 AND idem_key = $4",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(user_id)
    .bind(key)
    .execute(c)
    .await?;
    Ok(())
}

/// Marks the claim's write as committed; called inside that write's transaction.
pub async fn mark_applied(c: &mut AnyConnection, user_id: &str, key: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE idempotency SET applied_at = $1 WHERE user_id = $2 AND idem_key = $3 AND status IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(key)
    .execute(c)
    .await?;
    Ok(())
}

/// Forgets an unfinished claim whose write did not commit (the request failed on our
/// side), so a retry may run. A claim whose write committed is kept.
pub async fn release(c: &mut AnyConnection, user_id: &str, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM idempotency WHERE user_id = $1 AND idem_key = $2 AND status IS NULL AND applied_at IS NULL")
        .bind(user_id)
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}
