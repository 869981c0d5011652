//! The monitoring counters and the daily compliance history. Counters are raised by the
//! statement after each timeline or violation insert, in the same transaction, so they
//! never disagree with the events they count.

use marketdesk_core::monitoring::counters::hour_of;
use sqlx::{AnyConnection, Row};

use crate::Result;

/// Rows per upsert: six values each, far below either backend's limit on bound values.
const CHUNK: usize = 150;

/// One increment: a product's event under a metric and a code, at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub store_id: String,
    pub product_id: String,
    pub at: i64,
    pub metric: &'static str,
    pub code: String,
}

/// Adds the increments to their counters, the category taken from each product. Keys are
/// summed in the statement and taken in key order, so two transactions raising the same
/// counters never wait on each other in a cycle.
pub async fn count(c: &mut AnyConnection, incs: &[Increment]) -> Result<()> {
    for chunk in incs.chunks(CHUNK) {
        let rows = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "SELECT ${} AS store_id, ${} AS hour, ${} AS metric, ${} AS product_id, ${} AS code",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        // `WHERE true`: SQLite would otherwise read the upsert's ON as the join's.
        let sql = format!(
            "INSERT INTO monitoring_counts (store_id, hour, metric, category, code, n)
             SELECT v.store_id, v.hour, v.metric, p.category, v.code, COUNT(*)
             FROM ({rows}) AS v JOIN products p ON p.id = v.product_id
             WHERE true
             GROUP BY v.store_id, v.hour, v.metric, p.category, v.code
             ORDER BY v.store_id, v.hour, v.metric, p.category, v.code
             ON CONFLICT (store_id, hour, metric, category, code)
             DO UPDATE SET n = monitoring_counts.n + excluded.n"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for i in chunk {
            q = q
                .bind(&i.store_id)
                .bind(hour_of(i.at))
                .bind(i.metric)
                .bind(&i.product_id)
                .bind(&i.code);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// One counter summed over a range of hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub metric: String,
    pub code: String,
    pub n: i64,
}

/// A store's counters over `[from_hour, to_hour)`, by metric and code.
pub async fn store_counts(
    c: &mut AnyConnection,
    store_id: &str,
    from_hour: i64,
    to_hour: i64,
) -> Result<Vec<Count>> {
    let rows = sqlx::query(
        "SELECT metric, code, CAST(SUM(n) AS BIGINT) AS n FROM monitoring_counts
         WHERE store_id = $1 AND hour >= $2 AND hour < $3
         GROUP BY metric, code ORDER BY metric, code",
    )
    .bind(store_id)
    .bind(from_hour)
    .bind(to_hour)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Count {
                metric: r.try_get("metric")?,
                code: r.try_get("code")?,
                n: r.try_get("n")?,
            })
        })
        .collect()
}

/// A store's counters of one metric per hour over `[from_hour, to_hour)`: the series a
/// trend chart buckets into local days or weeks.
pub async fn store_hours(
    c: &mut AnyConnection,
    store_id: Option<&str>,
    metric: &str,
    from_hour: i64,
    to_hour: i64,
) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT hour, CAST(SUM(n) AS BIGINT) AS n FROM monitoring_counts
         WHERE ($1 IS NULL OR store_id = $1) AND metric = $2 AND hour >= $3 AND hour < $4
         GROUP BY hour ORDER BY hour",
    )
    .bind(store_id)
    .bind(metric)
    .bind(from_hour)
    .bind(to_hour)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("hour")?, r.try_get("n")?)))
        .collect()
}

/// One store's counters of a site's category over `[from_hour, ∞)`, by metric and code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    pub store_id: String,
    pub metric: String,
    pub code: String,
    pub n: i64,
}

pub async fn category_counts(
    c: &mut AnyConnection,
    site_code: &str,
    category: &str,
    from_hour: i64,
) -> Result<Vec<CategoryCount>> {
    let rows = sqlx::query(
        "SELECT m.store_id, m.metric, m.code, CAST(SUM(m.n) AS BIGINT) AS n
         FROM monitoring_counts m JOIN stores s ON s.id = m.store_id
         WHERE s.site_code = $1 AND m.category = $2 AND m.hour >= $3
         GROUP BY m.store_id, m.metric, m.code ORDER BY m.store_id, m.metric, m.code",
    )
    .bind(site_code)
    .bind(category)
    .bind(from_hour)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CategoryCount {
                store_id: r.try_get("store_id")?,
                metric: r.try_get("metric")?,
                code: r.try_get("code")?,
                n: r.try_get("n")?,
            })
        })
        .collect()
}

/// Listings per store in a site's category: the denominator of every category rate.
pub async fn category_listings(
    c: &mut AnyConnection,
    site_code: &str,
    category: &str,
) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT p.store_id, COUNT(*) AS n FROM products p JOIN stores s ON s.id = p.store_id
         WHERE s.site_code = $1 AND p.category = $2
         GROUP BY p.store_id ORDER BY p.store_id",
    )
    .bind(site_code)
    .bind(category)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("store_id")?, r.try_get("n")?)))
        .collect()
}

/// A day's score, kept for the history chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub store_id: String,
    pub day: String,
    pub score: i64,
    /// The components as JSON, as the score API shows them.
    pub components: String,
    pub computed_at: i64,
}

/// Records (or, later the same day, replaces) a store's score for a local day.
pub async fn record_score(c: &mut AnyConnection, h: &HistoryRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO compliance_history (store_id, day, score, components, computed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id, day) DO UPDATE
         SET score = excluded.score, components = excluded.components,
             computed_at = excluded.computed_at",
    )
    .bind(&h.store_id)
    .bind(&h.day)
    .bind(h.score)
    .bind(&h.components)
    .bind(h.computed_at)
    .execute(c)
    .await?;
    Ok(())
}

/// A store's scores, newest first, at most `limit` days.
pub async fn history(c: &mut AnyConnection, store_id: &str, limit: i64) -> Result<Vec<HistoryRow>> {
    let rows = sqlx::query(
        "SELECT store_id, day, score, components, computed_at FROM compliance_history
         WHERE store_id = $1 ORDER BY day DESC LIMIT $2",
    )
    .bind(store_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryRow {
                store_id: r.try_get("store_id")?,
                day: r.try_get("day")?,
                score: r.try_get("score")?,
                components: r.try_get("components")?,
                computed_at: r.try_get("computed_at")?,
            })
        })
        .collect()
}

/// A store's categories by listings, most first.
pub async fn store_categories(
    c: &mut AnyConnection,
    store_id: &str,
    limit: i64,
) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT category, COUNT(*) AS n FROM products WHERE store_id = $1
         GROUP BY category ORDER BY COUNT(*) DESC, category LIMIT $2",
    )
    .bind(store_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("category")?, r.try_get("n")?)))
        .collect()
}
