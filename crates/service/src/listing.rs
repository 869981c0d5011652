//! Moving products between listing states: list, delist, relist, review, batch delist,
//! and reading the timeline those moves leave.

use std::collections::{HashMap, HashSet};

use marketdesk_core::{
    Action, DelistKind, FieldError, FulfilmentMode, Invalid, ListingStatus, ReasonCode, State, id,
    validation,
};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::products::{self, ProductRow};
use marketdesk_store::{evidence, outbox, timeline};
use sqlx::AnyConnection;

use crate::change::{Change, TimelineEntry};
use crate::evidence::parse_evidence_ids;
use crate::products::{Product, Stored};
use crate::records::{Event, TimelineItem, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Why a move is made. A voluntary delist needs both a reason code and a text; a
/// rejected review needs a note (the text); other moves take them optionally.
#[derive(Debug, Clone, Default)]
pub struct Why {
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub evidence_ids: Vec<String>,
}

/// `Why` after validation.
struct Reason {
    code: Option<ReasonCode>,
    text: Option<String>,
    evidence_ids: Vec<String>,
}

/// Whether `why` would do for `action`, without making the move: the console's delist
/// dialog checks the reason before it shows what the delist would do.
pub fn check_why(action: Action, why: &Why) -> Result<(), Invalid> {
    validate_why(action, why).map(|_| ())
}

fn validate_why(action: Action, why: &Why) -> Result<Reason, Invalid> {
    let mut errors = Invalid::default();
    let needed = action.reason_requirement();
    let (needs_reason, needs_text) = (needed.code, needed.text);
    let code = match (&why.reason_code, needs_reason) {
        (Some(c), _) => c
            .parse::<ReasonCode>()
            .map_err(|m| errors.push("reason_code", m))
            .ok(),
        (None, true) => {
            errors.push("reason_code", "is required to delist");
            None
        }
        (None, false) => None,
    };
    let text = match (&why.reason_text, needs_text) {
        (Some(t), _) => Some(validation::required_text(
            &mut errors,
            "reason_text",
            t,
            validation::MAX_REASON_TEXT,
        )),
        (None, true) => {
            errors.push(
                "reason_text",
                "is required: say why, in words the seller and reviewers will read",
            );
            None
        }
        (None, false) => None,
    };
    let evidence_ids = parse_evidence_ids(&mut errors, &why.evidence_ids);
    errors.into_result()?;
    Ok(Reason {
        code,
        text,
        evidence_ids,
    })
}

fn event_type(action: Action) -> &'static str {
    match action {
        Action::List => "product.listed",
        Action::Delist => "product.delisted",
        Action::ViolationDelist => "product.violation_delisted",
        Action::ProtectiveDelist => "product.protective_delisted",
        Action::Relist | Action::Restock | Action::VoidViolation => "product.relisted",
        Action::RequestRelistReview => "product.review_requested",
        Action::ApproveReview => "product.review_approved",
        Action::RejectReview => "product.review_rejected",
    }
}

impl Service {
    /// Applies one listing move to one product, in one transaction.
    pub async fn transition(
        &self,
        actor: &Actor,
        product_id: &str,
        action: Action,
        why: Why,
    ) -> ServiceResult<Product> {
        let reason = validate_why(action, &why)?;
        let mut tx = self.db.begin().await?;
        let row = self.visible_product(&mut tx, actor, product_id).await?;
        let store = catalog::store(&mut tx, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("product {} has no store", row.id))?;
        self.check_evidence(
            &mut tx,
            actor,
            &store.id,
            &reason.evidence_ids,
            "evidence_ids",
        )
        .await?;
        let mode = fulfilment(&store)?;
        let next = row.status.apply(action, actor.role, mode)?;
        // Coming back from a delist takes a place under the fully-managed cap again.
        if mode == FulfilmentMode::FullyManaged
            && row.status.state == State::Delisted
            && next.state != State::Delisted
        {
            self.check_product_cap(&mut tx, &store).await?;
        }
        if mode == FulfilmentMode::FullyManaged && action == Action::Delist {
            self.tell_buyers_before_delist(
                &mut tx,
                actor,
                &store.id,
                std::slice::from_ref(&row.id),
            )
            .await?;
        }
        let mut counts = CountMoves::default();
        let updated = self
            .write_transition(
                &mut tx,
                &Step {
                    actor,
                    action,
                    reason: &reason,
                },
                row,
                next,
                &mut counts,
            )
            .await?;
        counts.write(&mut tx, &store.id).await?;
        let skus = products::skus_of(&mut tx, std::slice::from_ref(&updated.id)).await?;
        self.commit(tx).await?;
        Ok(Stored { row: updated, skus }.into())
    }

    /// Delists up to 1,000 products of one store at once: every product moves or none
    /// does, and a refusal lists each product at fault.
    pub async fn batch_delist(
        &self,
        actor: &Actor,
        store_id: &str,
        product_ids: &[String],
        why: Why,
    ) -> ServiceResult<Vec<ProductRow>> {
        let reason = validate_why(Action::Delist, &why)?;
        if product_ids.is_empty() {
            return Err(Invalid::one("product_ids", "name at least one product").into());
        }
        if product_ids.len() > validation::MAX_BATCH {
            return Err(Invalid::one(
                "product_ids",
                format!(
                    "at most {} products per call (got {})",
                    validation::MAX_BATCH,
                    product_ids.len()
                ),
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        self.check_evidence(
            &mut tx,
            actor,
            &store.id,
            &reason.evidence_ids,
            "evidence_ids",
        )
        .await?;
        let mode = fulfilment(&store)?;
        let mut errors = Vec::new();
        let mut wanted = Vec::with_capacity(product_ids.len());
        let mut seen = HashSet::new();
        for (i, raw) in product_ids.iter().enumerate() {
            match id::parse_id(raw) {
                Some(pid) if seen.insert(pid.clone()) => wanted.push((i, pid)),
                Some(_) => errors.push(item_error(i, "appears twice in this batch")),
                None => errors.push(item_error(i, "no product with this id")),
            }
        }
        let ids: Vec<String> = wanted.iter().map(|(_, p)| p.clone()).collect();
        let mut found: HashMap<String, ProductRow> = products::products_by_ids(&mut tx, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let mut moves = Vec::with_capacity(wanted.len());
        for (i, pid) in wanted {
            match found.remove(&pid) {
                Some(row) if row.store_id == store.id => {
                    match row.status.apply(Action::Delist, actor.role, mode) {
                        Ok(next) => moves.push((row, next)),
                        Err(e) => errors.push(item_error(i, &e.to_string())),
                    }
                }
                // Another store's product reads as unknown, as in single calls.
                _ => errors.push(item_error(i, "no product with this id in this store")),
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::Conflict {
                detail: format!(
                    "{} of {} products cannot be delisted; nothing was changed",
                    errors.len(),
                    product_ids.len()
                ),
                errors,
            });
        }
        if mode == FulfilmentMode::FullyManaged {
            let ids: Vec<String> = moves.iter().map(|(r, _)| r.id.clone()).collect();
            self.tell_buyers_before_delist(&mut tx, actor, &store.id, &ids)
                .await?;
        }
        let mut done = Vec::with_capacity(moves.len());
        let mut counts = CountMoves::default();
        for (row, next) in moves {
            let step = Step {
                actor,
                action: Action::Delist,
                reason: &reason,
            };
            let moved = self.write_transition(&mut tx, &step, row, next, &mut counts);
            done.push(moved.await?);
        }
        counts.write(&mut tx, &store.id).await?;
        self.commit(tx).await?;
        Ok(done)
    }

    /// Evidence must exist and be the store's own upload, or a platform upload that
    /// platform staff cite, or one the store's records already cite. A store can never
    /// cite its way into a platform file it was not shown (citing one makes it readable).
    pub(crate) async fn check_evidence(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        store_id: &str,
        ids: &[String],
        field: &str,
    ) -> ServiceResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let rows = evidence::by_ids(c, ids).await?;
        let mut errors = Invalid::default();
        for (i, e) in ids.iter().enumerate() {
            let ok = match rows.iter().find(|r| &r.id == e) {
                Some(r) => match r.store_id.as_deref() {
                    Some(owner) => owner == store_id,
                    None => {
                        actor.role.is_platform()
                            || evidence::cited_in_store(c, &r.id, store_id).await?
                    }
                },
                None => false,
            };
            if !ok {
                errors.push(
                    format!("{field}[{i}]"),
                    "no evidence with this id for this store",
                );
            }
        }
        Ok(errors.into_result()?)
    }

    /// Writes state, timeline row and outbox event for one accepted move, and notes its
    /// tab-count change in `counts` for the caller to write once.
    async fn write_transition(
        &self,
        tx: &mut AnyConnection,
        step: &Step<'_>,
        row: ProductRow,
        next: ListingStatus,
        counts: &mut CountMoves,
    ) -> ServiceResult<ProductRow> {
        let Step {
            actor,
            action,
            reason,
        } = *step;
        let now = self.now_us();
        let before = row.status;
        let mut updated = row.clone();
        updated.status = next;
        // The product's reason says why it is (or, under review, was) delisted: a new
        // delist replaces it, going back on sale or to draft clears it, anything else
        // keeps it so a rejected review returns with its original reason.
        match next.state {
            State::Delisted
                if (before.state != State::Delisted || next.delist_kind != before.delist_kind)
                    && action != Action::RejectReview =>
            {
                updated.reason_code = reason.code.map(|c| c.as_str().into());
                updated.reason_text = reason.text.clone();
            }
            State::OnSale | State::Draft => {
                updated.reason_code = None;
                updated.reason_text = None;
            }
            _ => {}
        }
        updated.updated_at = now.max(row.updated_at);
        updated.version = row.version + 1;
        if !products::update_status(tx, &updated, row.version).await? {
            return Err(ServiceError::conflict(
                "the product changed meanwhile; reload and try again",
            ));
        }
        counts.moved(before, next);
        let entry = TimelineEntry {
            product_id: row.id.clone(),
            action: action.as_str().into(),
            from_state: Some(before.state),
            to_state: next.state,
            delist_kind: next.delist_kind,
            reason_code: reason.code.map(|c| c.as_str().into()),
            reason_text: reason.text.clone(),
            evidence_ids: serde_json_array(&reason.evidence_ids),
            changes: Vec::new(),
        };
        let payload = serde_json::json!({
            "product_id": row.id,
            "action": action.as_str(),
            "from": before.state.as_str(),
            "to": next.state.as_str(),
            "delist_kind": next.delist_kind.map(DelistKind::as_str),
            "reason_code": reason.code.map(|c| c.as_str()),
            "reason_text": reason.text,
            "evidence_ids": reason.evidence_ids,
            "actor_role": actor.role.as_str(),
        });
        let change = Change::in_store(&row.store_id).timeline(entry).event(
            event_type(action),
            &row.id,
            payload,
        );
        self.record(tx, actor, change).await?;
        Ok(updated)
    }

    /// A move already decided by the caller, inside the caller's transaction (demo).
    pub(crate) async fn apply_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        row: ProductRow,
        next: ListingStatus,
        action: Action,
        why: Why,
    ) -> ServiceResult<ProductRow> {
        let reason = validate_why(action, &why)?;
        let store_id = row.store_id.clone();
        let mut counts = CountMoves::default();
        let updated = self
            .write_transition(
                tx,
                &Step {
                    actor,
                    action,
                    reason: &reason,
                },
                row,
                next,
                &mut counts,
            )
            .await?;
        counts.write(tx, &store_id).await?;
        Ok(updated)
    }

    /// Moves a product as `actor` asks, inside the caller's transaction (violation steps).
    pub(crate) async fn move_product(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        row: ProductRow,
        action: Action,
        why: Why,
    ) -> ServiceResult<ProductRow> {
        let store = catalog::store(tx, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("product {} has no store", row.id))?;
        let mode = fulfilment(&store)?;
        let next = row.status.apply(action, actor.role, mode)?;
        // A violation-delisted product asking back takes a place under the cap again (the
        // platform's own moves — restock, an appeal upheld — are not held back by it).
        if mode == FulfilmentMode::FullyManaged
            && action == Action::RequestRelistReview
            && row.status.state == State::Delisted
        {
            self.check_product_cap(tx, &store).await?;
        }
        self.apply_in(tx, actor, row, next, action, why).await
    }

    /// A timeline row and outbox event for a step that leaves the product's state as it
    /// is (a rectification submitted, an appeal filed, a deadline passed).
    pub(crate) async fn note_step(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        product: &ProductRow,
        action: &str,
        why: &Why,
        event: (&str, serde_json::Value),
    ) -> ServiceResult<()> {
        let entry = TimelineEntry::step(product, action, why);
        let (event_type, payload) = event;
        let change = Change::in_store(&product.store_id).timeline(entry).event(
            event_type,
            &product.id,
            payload,
        );
        self.record(tx, actor, change).await
    }

    pub async fn timeline(
        &self,
        actor: &Actor,
        product_id: &str,
    ) -> ServiceResult<Vec<TimelineItem>> {
        let mut c = self.db.reader().await?;
        let row = self.visible_product(&mut c, actor, product_id).await?;
        Ok(records(timeline::of_product(&mut c, &row.id).await?))
    }

    /// Outbox events about a product, as the dispatcher reads them (for operators and tests).
    pub async fn product_events(
        &self,
        actor: &Actor,
        product_id: &str,
    ) -> ServiceResult<Vec<Event>> {
        let mut c = self.db.reader().await?;
        let row = self.visible_product(&mut c, actor, product_id).await?;
        Ok(records(outbox::for_subject(&mut c, &row.id).await?))
    }
}

/// Who makes a move, which, and why: the same for every product of a batch.
#[derive(Clone, Copy)]
struct Step<'a> {
    actor: &'a Actor,
    action: Action,
    reason: &'a Reason,
}

/// Tab-count changes gathered over a use case and written once per (state, kind): a
/// batch of 1,000 delists moves two counters, not two thousand times.
#[derive(Default)]
struct CountMoves(HashMap<(State, &'static str), i64>);

impl CountMoves {
    fn moved(&mut self, from: ListingStatus, to: ListingStatus) {
        let kind = |s: &ListingStatus| s.delist_kind.map(|k| k.as_str()).unwrap_or("");
        *self.0.entry((from.state, kind(&from))).or_default() -= 1;
        *self.0.entry((to.state, kind(&to))).or_default() += 1;
    }

    /// Updates the store's count rows in one fixed order (state, kind): concurrent moves
    /// in one store lock the same rows, and taking them in a different order per
    /// transaction (a HashMap's) deadlocks them on PostgreSQL.
    async fn write(self, tx: &mut AnyConnection, store_id: &str) -> ServiceResult<()> {
        let mut rows: Vec<(&'static str, &'static str, i64)> = self
            .0
            .into_iter()
            .filter(|(_, delta)| *delta != 0)
            .map(|((state, kind), delta)| (state.as_str(), kind, delta))
            .collect();
        rows.sort();
        for (state, kind, delta) in rows {
            products::bump_count(tx, store_id, state, kind, delta).await?;
        }
        Ok(())
    }
}

fn item_error(i: usize, message: &str) -> FieldError {
    FieldError {
        field: format!("product_ids[{i}]"),
        message: message.into(),
    }
}

fn fulfilment(store: &StoreRow) -> ServiceResult<FulfilmentMode> {
    store
        .fulfilment_mode
        .parse()
        .map_err(|e: String| anyhow::anyhow!("store {}: {e}", store.id).into())
}

fn serde_json_array(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

impl TimelineEntry {
    /// The line of a step that leaves the product's state as it is.
    pub(crate) fn step(product: &ProductRow, action: &str, why: &Why) -> TimelineEntry {
        TimelineEntry {
            product_id: product.id.clone(),
            action: action.into(),
            from_state: Some(product.status.state),
            to_state: product.status.state,
            delist_kind: product.status.delist_kind,
            reason_code: None,
            reason_text: why.reason_text.clone(),
            evidence_ids: serde_json_array(&why.evidence_ids),
            changes: Vec::new(),
        }
    }
}
