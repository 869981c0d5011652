//! Suppliers and their per-SKU offers.

use sqlx::{AnyConnection, FromRow};

use crate::{Result, duplicate_as};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SupplierRow {
    pub id: String,
    pub store_id: String,
    pub name: String,
    pub lead_time_days: i64,
    pub on_time_rate: String,
    pub created_at: i64,
}

pub async fn insert(c: &mut AnyConnection, s: &SupplierRow) -> Result<()> {
    sqlx::query("INSERT INTO suppliers (id, store_id, name, lead_time_days, on_time_rate, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&s.id)
        .bind(&s.store_id)
        .bind(&s.name)
        .bind(s.lead_time_days)
        .bind(&s.on_time_rate)
        .bind(s.created_at)
        .execute(c)
        .await
        .map_err(duplicate_as("a supplier with this name"))?;
    Ok(())
}

pub async fn update(c: &mut AnyConnection, s: &SupplierRow) -> Result<()> {
    sqlx::query(
        "UPDATE suppliers SET name = $1, lead_time_days = $2, on_time_rate = $3 WHERE id = $4",
    )
    .bind(&s.name)
    .bind(s.lead_time_days)
    .bind(&s.on_time_rate)
    .bind(&s.id)
    .execute(c)
    .await
    .map_err(duplicate_as("a supplier with this name"))?;
    Ok(())
}

pub async fn delete(c: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM supplier_offers WHERE supplier_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM suppliers WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<SupplierRow>> {
    Ok(sqlx::query_as("SELECT id, store_id, name, lead_time_days, on_time_rate, created_at FROM suppliers WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn of_store(c: &mut AnyConnection, store_id: &str) -> Result<Vec<SupplierRow>> {
    Ok(sqlx::query_as("SELECT id, store_id, name, lead_time_days, on_time_rate, created_at FROM suppliers WHERE store_id = $1 ORDER BY name")
        .bind(store_id)
        .fetch_all(c)
        .await?)
}

pub async fn set_offer(
    c: &mut AnyConnection,
    supplier_id: &str,
    sku_id: &str,
    unit_cost: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO supplier_offers (supplier_id, sku_id, unit_cost) VALUES ($1, $2, $3)
         ON CONFLICT (supplier_id, sku_id) DO UPDATE SET unit_cost = excluded.unit_cost",
    )
    .bind(supplier_id)
    .bind(sku_id)
    .bind(unit_cost)
    .execute(c)
    .await?;
    Ok(())
}

/// (supplier, unit cost) for every offer on a SKU.
pub async fn offers_for_sku(
    c: &mut AnyConnection,
    sku_id: &str,
) -> Result<Vec<(SupplierRow, String)>> {
    let rows: Vec<(String, String, String, i64, String, i64, String)> = sqlx::query_as(
        "SELECT s.id, s.store_id, s.name, s.lead_time_days, s.on_time_rate, s.created_at, o.unit_cost
         FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id WHERE o.sku_id = $1",
    )
    .bind(sku_id)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, store_id, name, lead_time_days, on_time_rate, created_at, cost)| {
                (
                    SupplierRow {
                        id,
                        store_id,
                        name,
                        lead_time_days,
                        on_time_rate,
                        created_at,
                    },
                    cost,
                )
            },
        )
        .collect())
}
