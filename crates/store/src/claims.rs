//! Reviewers' claims on violation cases: taken in one statement, so two reviewers racing
//! for one case cannot both hold it on either backend.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ClaimRow {
    pub violation_id: String,
    pub reviewer_id: String,
    pub claimed_at: i64,
    pub expires_at: i64,
}

/// Takes or renews the claim for `reviewer_id` unless another reviewer holds one that
/// has not expired at `now`; answers whether it was taken.
pub async fn take(c: &mut AnyConnection, claim: &ClaimRow, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO review_claims (violation_id, reviewer_id, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (violation_id) DO UPDATE
         SET reviewer_id = excluded.reviewer_id, claimed_at = excluded.claimed_at,
             expires_at = excluded.expires_at
         WHERE review_claims.reviewer_id = excluded.reviewer_id OR review_claims.expires_at <= $5",
    )
    .bind(&claim.violation_id)
    .bind(&claim.reviewer_id)
    .bind(claim.claimed_at)
    .bind(claim.expires_at)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(c: &mut AnyConnection, violation_id: &str) -> Result<Option<ClaimRow>> {
    Ok(sqlx::query_as(
        "SELECT violation_id, reviewer_id, claimed_at, expires_at FROM review_claims
         WHERE violation_id = $1",
    )
    .bind(violation_id)
    .fetch_optional(c)
    .await?)
}

/// Claims not expired at `now`, by case.
pub async fn live(c: &mut AnyConnection, now: i64) -> Result<Vec<ClaimRow>> {
    Ok(sqlx::query_as(
        "SELECT violation_id, reviewer_id, claimed_at, expires_at FROM review_claims
         WHERE expires_at > $1",
    )
    .bind(now)
    .fetch_all(c)
    .await?)
}

/// Lets go of a claim `reviewer_id` holds; answers whether there was one.
pub async fn release(c: &mut AnyConnection, violation_id: &str, reviewer_id: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM review_claims WHERE violation_id = $1 AND reviewer_id = $2")
            .bind(violation_id)
            .bind(reviewer_id)
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}
