//! Products as CSV, one row per SKU: the export a seller opens in a spreadsheet, and the
//! bulk import that takes the same file back — all rows or none, every bad row named by
//! its line and column. An exported file imports unchanged (its `state` and `currency`
//! columns are read and ignored), so "export, change prices, import" is the bulk edit.

use std::collections::HashMap;
use std::io::Read;

use marketdesk_core::listing::content;
use marketdesk_core::{Invalid, Money, State, validation};
use marketdesk_store::products::{self, SkuRow};
use sqlx::AnyConnection;

use crate::product_edits::{ProductPatch, SkuPatch};
use crate::products::{NewProduct, NewSku, Product, Stored};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// The export's columns, in order.
pub const COLUMNS: &[&str] = &[
    "product_id",
    "title",
    "category",
    "description",
    "state",
    "sku_code",
    "price",
    "currency",
    "stock",
];
const REQUIRED: &[&str] = &["title", "category", "sku_code", "price"];

/// Rows per import before the progress callback hears of it.
const TICK_EVERY: u64 = 1000;

/// One data row of an import file, as text; `line` is its line in the file (the header is
/// line 1).
#[derive(Debug, Clone, Default)]
pub struct ImportRow {
    pub line: u64,
    pub product_id: String,
    pub title: String,
    pub category: String,
    pub description: Option<String>,
    pub sku_code: String,
    pub price: String,
    pub stock: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Products the file names whose content already matched it.
    pub unchanged: usize,
}

fn at(line: u64, column: &str) -> String {
    format!("line {line}: {column}")
}

/// Reads an import file: the header must name the required columns and nothing unknown;
/// every record is read, and every problem is reported at once.
pub fn read_import(input: impl Read) -> Result<Vec<ImportRow>, Invalid> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(input);
    let mut errors = Invalid::default();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Invalid::one("line 1", format!("not a CSV header: {e}"))),
    };
    let position = |name: &str| headers.iter().position(|h| h == name);
    for h in headers.iter() {
        if !COLUMNS.contains(&h) {
            errors.push(
                "line 1",
                format!(
                    "unknown column \"{h}\"; the columns are {}",
                    COLUMNS.join(", ")
                ),
            );
        }
    }
    for r in REQUIRED {
        if position(r).is_none() {
            errors.push("line 1", format!("the header lacks the column \"{r}\""));
        }
    }
    if !errors.0.is_empty() {
        return Err(errors);
    }
    let col = |name: &str| position(name);
    let (id, title, category, description, code, price, stock) = (
        col("product_id"),
        col("title"),
        col("category"),
        col("description"),
        col("sku_code"),
        col("price"),
        col("stock"),
    );
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(format!("line {line}"), format!("unreadable: {e}"));
                continue;
            }
        };
        // The line the record starts on: a quoted cell may hold line breaks.
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or_default()
                .to_string()
        };
        let optional = |c: Option<usize>| c.map(|c| record.get(c).unwrap_or_default().to_string());
        rows.push(ImportRow {
            line,
            product_id: get(id),
            title: get(title),
            category: get(category),
            description: optional(description),
            sku_code: get(code),
            price: get(price),
            stock: optional(stock).filter(|s| !s.is_empty()),
        });
    }
    if rows.is_empty() && errors.0.is_empty() {
        errors.push("line 2", "the file has no rows");
    }
    errors.into_result()?;
    Ok(rows)
}

/// The export's lines for some products, the header first when `header` is set.
pub fn export_chunk(items: &[Product], header: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(COLUMNS);
    }
    for p in items {
        for s in &p.skus {
            let _ = w.write_record([
                p.id.as_str(),
                &p.title,
                &p.category,
                &p.description,
                p.status.state.as_str(),
                &s.code,
                &s.price,
                &s.currency,
                &s.stock.to_string(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// Where an error a use case reported for one product lands in the file: its field
/// (`title`, `skus[2].price`) becomes the line and column of the row it came from.
fn relocate(errors: &mut Invalid, found: Invalid, lines: &[&ImportRow]) {
    for e in found.0 {
        let (index, column) = match e.field.strip_prefix("skus[") {
            Some(rest) => {
                let (n, tail) = rest.split_once(']').unwrap_or((rest, ""));
                let column = match tail.trim_start_matches('.') {
                    "code" | "" => "sku_code",
                    other => other,
                };
                (n.parse::<usize>().unwrap_or(0), column.to_string())
            }
            None if e.field == "skus" => (0, "sku_code".to_string()),
            None => (0, e.field.clone()),
        };
        let line = lines.get(index).or(lines.first()).map_or(0, |r| r.line);
        errors.push(at(line, &column), e.message);
    }
}

/// The rows of one product in the file: an existing one by id, or a new one by title.
struct Group<'a> {
    product_id: Option<String>,
    rows: Vec<&'a ImportRow>,
}

fn group(rows: &[ImportRow]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(bool, &str), usize> = HashMap::new();
    for r in rows {
        let key = if r.product_id.is_empty() {
            (false, r.title.as_str())
        } else {
            (true, r.product_id.as_str())
        };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                product_id: key.0.then(|| r.product_id.clone()),
                rows: Vec::new(),
            });
            groups.len() - 1
        });
        groups[at].rows.push(r);
    }
    groups
}

/// The SKU codes in use in a store, with their products.
async fn codes_in_store(
    c: &mut AnyConnection,
    store_id: &str,
) -> ServiceResult<HashMap<String, String>> {
    Ok(products::sku_codes(c, store_id)
        .await?
        .into_iter()
        .collect())
}

impl Service {
    /// Creates and updates a store's products from import rows in one transaction: any
    /// bad row refuses the whole file, with one error per problem (`line N: column`).
    /// Rows with a `product_id` update that product (title, category, description, and
    /// their SKUs' prices by code; new codes are added); rows without one create products,
    /// rows sharing a title becoming SKUs of one product. Stock is not edited here: an
    /// existing SKU's stock moves through the ledger, so a `stock` that differs from the
    /// SKU's on-hand count is refused.
    pub async fn import_products(
        &self,
        actor: &Actor,
        store_id: &str,
        rows: &[ImportRow],
        tick: &(dyn Fn(u64) + Sync),
    ) -> ServiceResult<ImportSummary> {
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin imports products".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        let currency = self.store_currency(&mut tx, &store).await?;
        let mut errors = Invalid::default();
        let groups = group(rows);

        // Each row on its own, and the codes across the file.
        let mut owner_of_code: HashMap<&str, usize> = HashMap::new();
        for (g, grp) in groups.iter().enumerate() {
            for r in &grp.rows {
                let mut found = Invalid::default();
                validation::required_text(&mut found, "title", &r.title, validation::MAX_TITLE);
                validation::required_text(
                    &mut found,
                    "category",
                    &r.category,
                    validation::MAX_CATEGORY,
                );
                validation::required_text(
                    &mut found,
                    "sku_code",
                    &r.sku_code,
                    validation::MAX_SKU_CODE,
                );
                if let Some(d) = &r.description {
                    content::check_description(&mut found, d);
                }
                for e in found.0 {
                    errors.push(at(r.line, &e.field), e.message);
                }
                if let Err(m) = Money::parse_price(&r.price, currency) {
                    errors.push(at(r.line, "price"), m);
                }
                if let Some(s) = &r.stock {
                    match s.parse::<i64>() {
                        Ok(n) if (0..=validation::MAX_STOCK).contains(&n) => {}
                        _ => errors.push(
                            at(r.line, "stock"),
                            format!("must be a whole number from 0 to {}", validation::MAX_STOCK),
                        ),
                    }
                }
                if r.sku_code.is_empty() {
                    continue;
                }
                match owner_of_code.get(r.sku_code.as_str()) {
                    Some(other) if *other != g => errors.push(
                        at(r.line, "sku_code"),
                        format!(
                            "SKU {} belongs to another product earlier in the file",
                            r.sku_code
                        ),
                    ),
                    _ => {
                        owner_of_code.insert(&r.sku_code, g);
                    }
                }
            }
        }

        // The products named by id, loaded in chunks; codes used elsewhere in the store.
        let ids: Vec<String> = groups.iter().filter_map(|g| g.product_id.clone()).collect();
        let mut existing: HashMap<String, Stored> = HashMap::new();
        for chunk in ids.chunks(500) {
            let found = products::products_by_ids(&mut tx, chunk).await?;
            let skus = products::skus_of(&mut tx, chunk).await?;
            let mut by_product: HashMap<String, Vec<SkuRow>> = HashMap::new();
            for s in skus {
                by_product.entry(s.product_id.clone()).or_default().push(s);
            }
            for row in found.into_iter().filter(|p| p.store_id == store.id) {
                let skus = by_product.remove(&row.id).unwrap_or_default();
                existing.insert(row.id.clone(), Stored { row, skus });
            }
        }
        let codes = codes_in_store(&mut tx, &store.id).await?;
        for grp in &groups {
            let here = grp.product_id.as_deref();
            if let Some(id) = here {
                match existing.get(id) {
                    None => errors.push(
                        at(grp.rows[0].line, "product_id"),
                        format!("no product {id} in this store"),
                    ),
                    Some(p) => {
                        if let Err(m) = content::may_edit(p.row.status) {
                            errors.push(at(grp.rows[0].line, "product_id"), m);
                        }
                        for r in &grp.rows {
                            let sku = p.skus.iter().find(|s| s.code == r.sku_code);
                            if let (Some(sku), Some(stock)) = (sku, &r.stock)
                                && stock.parse::<i64>().is_ok_and(|n| n != sku.stock)
                            {
                                errors.push(
                                    at(r.line, "stock"),
                                    format!(
                                        "SKU {} has {} on hand; stock moves through the ledger (marketdesk stock import), not a product import",
                                        sku.code, sku.stock
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            let live = |code: &str| {
                here.and_then(|id| existing.get(id))
                    .is_some_and(|p| p.skus.iter().any(|s| s.code == code))
            };
            for r in &grp.rows {
                match codes.get(&r.sku_code) {
                    Some(owner) if Some(owner.as_str()) != here => errors.push(
                        at(r.line, "sku_code"),
                        format!(
                            "SKU {} is used by another product of this store",
                            r.sku_code
                        ),
                    ),
                    Some(_) if !live(&r.sku_code) => errors.push(
                        at(r.line, "sku_code"),
                        format!(
                            "SKU {} was removed from this product; codes are not reused",
                            r.sku_code
                        ),
                    ),
                    _ => {}
                }
            }
        }
        if !errors.0.is_empty() {
            return Err(sorted(errors).into());
        }

        let mut summary = ImportSummary {
            rows: rows.len(),
            ..Default::default()
        };
        let mut done = 0u64;
        for grp in groups {
            let first = grp.rows[0];
            let outcome = match &grp.product_id {
                None => {
                    let new = NewProduct {
                        fulfilment: None,
                        qualification_ids: Vec::new(),
                        title: first.title.clone(),
                        category: first.category.clone(),
                        description: first.description.clone().unwrap_or_default(),
                        skus: grp
                            .rows
                            .iter()
                            .map(|r| NewSku {
                                code: r.sku_code.clone(),
                                price: r.price.clone(),
                                stock: r.stock.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0),
                            })
                            .collect(),
                    };
                    self.create_product_in(&mut tx, actor, &store, currency, new)
                        .await
                        .map(|_| summary.created += 1)
                }
                Some(id) => {
                    let before = existing.remove(id).expect("checked above");
                    let patch = ProductPatch {
                        title: Some(first.title.clone()),
                        category: Some(first.category.clone()),
                        description: first.description.clone().map(Some),
                        skus: grp
                            .rows
                            .iter()
                            .map(|r| {
                                let known = before.skus.iter().any(|s| s.code == r.sku_code);
                                SkuPatch {
                                    code: r.sku_code.clone(),
                                    price: Some(r.price.clone()),
                                    // A new SKU's opening stock; an existing one's was checked.
                                    stock: if known {
                                        None
                                    } else {
                                        r.stock.as_deref().and_then(|s| s.parse().ok())
                                    },
                                    ..Default::default()
                                }
                            })
                            .collect(),
                        ..Default::default()
                    };
                    self.edit_loaded(&mut tx, actor, before, patch)
                        .await
                        .map(|(_, changed)| {
                            if changed {
                                summary.updated += 1
                            } else {
                                summary.unchanged += 1
                            }
                        })
                }
            };
            match outcome {
                Ok(()) => {}
                // The checks above catch what they can see; what only a write finds (a
                // SKU code another import took meanwhile) may have cost the transaction
                // on PostgreSQL, so the file is refused here and now.
                Err(ServiceError::Invalid(found)) => {
                    relocate(&mut errors, found, &grp.rows);
                    return Err(sorted(errors).into());
                }
                Err(other) => return Err(other),
            }
            let before = done / TICK_EVERY;
            done += grp.rows.len() as u64;
            if done / TICK_EVERY != before {
                tick(done);
            }
        }
        if !errors.0.is_empty() {
            // Dropping the transaction rolls back what the good rows wrote.
            return Err(sorted(errors).into());
        }
        let drafts = i64::try_from(summary.created).unwrap_or(i64::MAX);
        if drafts > 0 {
            products::bump_count(&mut tx, &store.id, State::Draft.as_str(), "", drafts).await?;
            if store.fulfilment_mode == marketdesk_core::FulfilmentMode::FullyManaged.as_str() {
                self.check_cap_after_import(&mut tx, &store).await?;
            }
        }
        self.commit(tx).await?;
        tick(done);
        Ok(summary)
    }
}

/// Errors in file order: by line, then as found.
fn sorted(mut errors: Invalid) -> Invalid {
    let line = |f: &str| {
        f.strip_prefix("line ")
            .and_then(|r| r.split(':').next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    errors.0.sort_by_key(|e| line(&e.field));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_checked_and_every_problem_named() {
        let e = read_import("title,colour\nA,red\n".as_bytes()).unwrap_err();
        let msgs: Vec<String> =
            e.0.iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
        assert!(
            msgs.iter().any(|m| m.contains("unknown column \"colour\"")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("lacks the column \"price\"")),
            "{msgs:?}"
        );
        let rows = read_import(
            "title,category,sku_code,price,stock\n Lamp ,home,L-1,9.90,\nLamp,home,L-2,10,3\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].line, rows[0].title.as_str(), rows[0].stock.clone()),
            (2, "Lamp", None)
        );
        assert_eq!(rows[1].stock.as_deref(), Some("3"));
        let groups = group(&rows);
        assert_eq!(groups.len(), 1, "rows sharing a title are one new product");
        let e = read_import("title,category,sku_code,price\n".as_bytes()).unwrap_err();
        assert_eq!(e.0[0].message, "the file has no rows");
        let e = read_import("title,category,sku_code,price\nA,b,c\n".as_bytes()).unwrap_err();
        assert_eq!(e.0[0].field, "line 2");
        // A quoted cell across lines: the next record's line is the file's.
        let rows = read_import(
            "title,category,description,sku_code,price\nA,home,\"one\ntwo\",A-1,1\nB,home,,B-1,2\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
    }

    #[test]
    fn a_use_case_error_lands_on_its_row_and_column() {
        let rows: Vec<ImportRow> = (2..5)
            .map(|line| ImportRow {
                line,
                ..Default::default()
            })
            .collect();
        let refs: Vec<&ImportRow> = rows.iter().collect();
        let mut found = Invalid::default();
        found.push("skus[2].price", "bad");
        found.push("title", "empty");
        found.push("skus[1].code", "twice");
        let mut errors = Invalid::default();
        relocate(&mut errors, found, &refs);
        let got: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(got, ["line 4: price", "line 2: title", "line 3: sku_code"]);
        assert_eq!(sorted(errors).0[0].field, "line 2: title");
    }
}
