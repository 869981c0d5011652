//! The counts the compliance score is computed from, each read by an indexed range of
//! one store's rows in the window (a store's violations, tickets, cases and JIT orders
//! by date; never its products).

use marketdesk_core::monitoring::compliance::ComplianceInputs;
use sqlx::{AnyConnection, Row};

use crate::Result;

async fn pair(
    c: &mut AnyConnection,
    sql: &str,
    store_id: &str,
    since: i64,
    now: i64,
) -> Result<(i64, i64)> {
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(store_id)
        .bind(since)
        .bind(now)
        .fetch_one(c)
        .await?;
    Ok((
        row.try_get::<Option<i64>, _>(0)?.unwrap_or(0),
        row.try_get::<Option<i64>, _>(1)?.unwrap_or(0),
    ))
}

/// Tickets, after-sales cases, JIT orders and pre-sale lines of a store that had a date
/// to meet in the window: how many, and how many met it.
const ON_TIME: [&str; 4] = [
    "SELECT COUNT(*), CAST(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= due_at
                               THEN 1 ELSE 0 END) AS BIGINT)
     FROM tickets WHERE store_id = $1 AND due_at >= $2
       AND (due_at <= $3 OR answered_at IS NOT NULL)",
    "SELECT COUNT(*), CAST(SUM(CASE WHEN decided_by IN ('seller', 'policy', 'negotiated')
                               THEN 1 ELSE 0 END) AS BIGINT)
     FROM aftersales_cases WHERE store_id = $1 AND due_at >= $2
       AND (due_at <= $3 OR decided_by IS NOT NULL)",
    "SELECT COUNT(*), CAST(SUM(CASE WHEN inbound_at IS NOT NULL AND inbound_at <= jit_due_at
                               THEN 1 ELSE 0 END) AS BIGINT)
     FROM orders WHERE store_id = $1 AND jit_due_at >= $2
       AND (jit_due_at <= $3 OR inbound_at IS NOT NULL)",
    "SELECT COUNT(*), CAST(SUM(1 - shipped_late) AS BIGINT)
     FROM order_lines WHERE store_id = $1 AND presale = 1 AND ship_by >= $2 AND ship_by <= $3",
];

/// The counts of the score over `[since, now]` for one store (the relist cycle left at
/// zero for the caller to fill).
pub async fn counts(
    c: &mut AnyConnection,
    store_id: &str,
    since: i64,
    now: i64,
) -> Result<ComplianceInputs> {
    let listings: Option<i64> =
        sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM product_counts WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(&mut *c)
            .await?;
    // A voided violation (appeal upheld) never stood, so it costs nothing.
    let row = sqlx::query(
        "SELECT CAST(SUM(CASE WHEN severity = 'serious' THEN 0 ELSE 1 END) AS BIGINT),
                CAST(SUM(CASE WHEN severity = 'serious' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(rectify_deadline_passed) AS BIGINT)
         FROM violations
         WHERE store_id = $1 AND created_at >= $2 AND created_at <= $3
           AND (outcome IS NULL OR outcome <> 'voided')",
    )
    .bind(store_id)
    .bind(since)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let get = |i: usize| -> Result<i64> { Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0)) };
    let (normal, serious, overdue) = (get(0)?, get(1)?, get(2)?);
    // Each judged once due, or earlier when already done: (due, on time).
    let mut on_time = [(0, 0); 4];
    for (slot, sql) in on_time.iter_mut().zip(ON_TIME) {
        *slot = pair(c, sql, store_id, since, now).await?;
    }
    let [tickets, cases, jit, presale] = on_time;
    Ok(ComplianceInputs {
        listings: listings.unwrap_or(0),
        normal_violations: normal,
        serious_violations: serious,
        overdue_rectifications: overdue,
        tickets_due: tickets.0,
        tickets_on_time: tickets.1,
        cases_due: cases.0,
        cases_on_time: cases.1,
        punctual_due: jit.0 + presale.0,
        punctual_on_time: jit.1 + presale.1,
        // The relist cycle needs the site calendar: the service adds it from [`relists`].
        relists: 0,
        relist_working_days: 0,
    })
}

/// The violation delists of a store that ended in a relist within `[since, now]`:
/// (taken down at, relisted at), for the relist cycle in working days.
pub async fn relists(
    c: &mut AnyConnection,
    store_id: &str,
    since: i64,
    now: i64,
) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT created_at, closed_at FROM violations
         WHERE store_id = $1 AND closed_at >= $2 AND closed_at <= $3 AND outcome = 'relisted'
         ORDER BY closed_at",
    )
    .bind(store_id)
    .bind(since)
    .bind(now)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("created_at")?,
                r.try_get::<Option<i64>, _>("closed_at")?.unwrap_or(0),
            ))
        })
        .collect()
}
