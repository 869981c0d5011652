//! A batch of reservations in two statements: the SKUs read (and on PostgreSQL locked, in
//! id order) in one, every SKU's reserved units raised in one. Group commit decides in
//! memory which orders fit between the two; the guarded `UPDATE` repeats the rule of
//! [`crate::stock::apply_movement`] so a decision made on wrong figures can never oversell.

use sqlx::AnyConnection;

use crate::stock::{SKU_FOR_SALE_SELECT, SkuForSale};
use crate::{Backend, Result};

/// Statements are cut into chunks far below either backend's limit on bound values.
const CHUNK: usize = 200;

/// The SKUs among `ids` with what their products say about selling them, ordered by id.
/// On PostgreSQL the SKU rows are locked until the transaction ends: taken in id order by
/// every batch, so two batches never wait on each other in a cycle; on SQLite the
/// transaction already holds the single writer's lock.
pub async fn lock_skus_for_sale(
    c: &mut AnyConnection,
    backend: Backend,
    ids: &[String],
) -> Result<Vec<SkuForSale>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let lock = match backend {
            Backend::Postgres => " FOR UPDATE OF s",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "{} WHERE s.id IN ({}) AND s.removed_at IS NULL ORDER BY s.id{lock}",
            SKU_FOR_SALE_SELECT.as_str(),
            crate::products::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        found.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(found)
}

/// Raises each SKU's reserved units by its quantity, if every figure stays sane (the
/// guard of a single reservation); returns how many SKUs changed. Fewer than asked means
/// the figures read under the lock were wrong: the caller must not commit.
pub async fn reserve_many(c: &mut AnyConnection, units: &[(String, i64)]) -> Result<usize> {
    let mut changed = 0;
    for chunk in units.chunks(CHUNK) {
        let rows = (0..chunk.len())
            .map(|i| format!("SELECT ${} AS id, ${} AS q", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!(
            "UPDATE skus SET reserved = skus.reserved + v.q FROM ({rows}) AS v
             WHERE skus.id = v.id AND v.q > 0 AND skus.removed_at IS NULL
               AND skus.stock - (skus.reserved + v.q) >= 0"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for (id, units) in chunk {
            q = q.bind(id).bind(*units);
        }
        changed += q.execute(&mut *c).await?.rows_affected() as usize;
    }
    Ok(changed)
}
