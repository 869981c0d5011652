//! Reviewers' claims on violation cases (认领): a reviewer takes a case before working it;
//! while the claim lasts (core's 30 minutes) another reviewer's decision on it is refused.

use std::collections::HashMap;

use marketdesk_core::review_claim;
use marketdesk_core::violation::Progress;
use marketdesk_store::catalog;
use marketdesk_store::claims::{self, ClaimRow};
use marketdesk_store::violations;
use serde_json::json;
use sqlx::AnyConnection;

use crate::{Actor, Service, ServiceError, ServiceResult};

/// Who holds a case, until when.
#[derive(Debug, Clone)]
pub struct Claim {
    pub violation_id: String,
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub expires_at: i64,
}

fn require_reviewer(actor: &Actor) -> ServiceResult<()> {
    if actor.role.reviews() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "a {} may not claim violation cases",
            actor.role.as_str()
        )))
    }
}

impl Service {
    /// Takes (or renews) the claim on a case; refused while another reviewer holds it.
    pub async fn claim_case(&self, actor: &Actor, id: &str) -> ServiceResult<Claim> {
        require_reviewer(actor)?;
        let mut tx = self.db.begin().await?;
        let seen = self.visible_case(&mut tx, actor, id).await?;
        // The case's lock, as a decision takes it: a claim and a decision never interleave.
        violations::lock(&mut tx, &seen.id).await?;
        let case = violations::get(&mut tx, &seen.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case {} vanished", seen.id))?;
        if case.state == Progress::Closed {
            return Err(ServiceError::conflict(
                "this case is closed: nothing to claim",
            ));
        }
        let now = self.now_us();
        let held = claims::get(&mut tx, &case.id).await?;
        let before = held.as_ref().map(
            |c| json!({"reviewer_id": c.reviewer_id, "expires_at": crate::instant(c.expires_at)}),
        );
        review_claim::may_act(
            held.as_ref()
                .map(|c| (c.reviewer_id.as_str(), c.expires_at)),
            &actor.user_id,
            now,
        )
        .map_err(ServiceError::conflict)?;
        let row = ClaimRow {
            violation_id: case.id.clone(),
            reviewer_id: actor.user_id.clone(),
            claimed_at: now,
            expires_at: review_claim::expires_at(now),
        };
        // The statement itself refuses a claim someone else took meanwhile.
        if !claims::take(&mut tx, &row, now).await? {
            return Err(ServiceError::conflict(
                "another reviewer has just claimed this case",
            ));
        }
        self.commit(tx).await?;
        crate::audit::note(
            &case.id,
            "violation.claimed",
            before.unwrap_or(serde_json::Value::Null),
            json!({"reviewer_id": row.reviewer_id, "expires_at": crate::instant(row.expires_at)}),
        );
        let name = self.names(std::slice::from_ref(&row.reviewer_id)).await?;
        Ok(claim(row, &name))
    }

    /// Lets go of one's own claim.
    pub async fn release_case(&self, actor: &Actor, id: &str) -> ServiceResult<()> {
        require_reviewer(actor)?;
        let mut tx = self.db.begin().await?;
        let case = self.visible_case(&mut tx, actor, id).await?;
        if !claims::release(&mut tx, &case.id, &actor.user_id).await? {
            return Err(ServiceError::conflict("you hold no claim on this case"));
        }
        self.commit(tx).await?;
        crate::audit::note(
            &case.id,
            "violation.claim_released",
            json!({"reviewer_id": actor.user_id}),
            serde_json::Value::Null,
        );
        Ok(())
    }

    /// The claims not yet lapsed, by case (reviewers' queues show who works what).
    pub async fn live_claims(&self, actor: &Actor) -> ServiceResult<HashMap<String, Claim>> {
        require_reviewer(actor)?;
        let mut c = self.db.reader().await?;
        let rows = claims::live(&mut c, self.now_us()).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.reviewer_id.clone()).collect();
        let names = self.names(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.violation_id.clone(), claim(r, &names)))
            .collect())
    }

    /// Display names of accounts, for staff pages (who claimed, who acted).
    pub async fn names(&self, ids: &[String]) -> ServiceResult<HashMap<String, String>> {
        let mut c = self.db.reader().await?;
        Ok(catalog::names(&mut c, ids).await?.into_iter().collect())
    }

    /// A reviewer's decision goes through only if nobody else holds the case; the claim
    /// ends with the decision.
    pub(crate) async fn decide_claimed(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        case_id: &str,
    ) -> ServiceResult<()> {
        let held = claims::get(tx, case_id).await?;
        review_claim::may_act(
            held.as_ref()
                .map(|c| (c.reviewer_id.as_str(), c.expires_at)),
            &actor.user_id,
            self.now_us(),
        )
        .map_err(ServiceError::conflict)?;
        if held.is_some() {
            claims::release(tx, case_id, &actor.user_id).await?;
        }
        Ok(())
    }
}

fn claim(r: ClaimRow, names: &HashMap<String, String>) -> Claim {
    Claim {
        reviewer_name: names
            .get(&r.reviewer_id)
            .cloned()
            .unwrap_or_else(|| r.reviewer_id.clone()),
        violation_id: r.violation_id,
        reviewer_id: r.reviewer_id,
        expires_at: r.expires_at,
    }
}
