//! Opening a fully-managed store (seed 002's 开通全托管店铺): the seller of a self-operated
//! store applies with the company's details and documents; staff review within four
//! business days, answering the seller's questions on the application's thread
//! ("查询审核进度 … 咨询解决方案") and saying what is missing; approval opens a new store
//! awaiting its deposit and invites the contact e-mail as its owner.

use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::programs::fully_managed::{
    ApplicationState, Entity, MAX_COMPANY, MAX_MESSAGE, MAX_NOTE, MAX_REGISTRATION, ProgramState,
    REVIEW_SPAN,
};
use marketdesk_core::team::{Area, TeamRole, email_address};
use marketdesk_core::{FulfilmentMode, Invalid, id, validation};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::fully_managed::{self as fm, ApplicationRow, MessageRow};
use serde_json::json;

use crate::change::Change;
use crate::evidence::parse_evidence_ids;
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct NewApplication {
    pub company_name: String,
    pub registration_number: String,
    pub entity: String,
    pub contact_email: String,
    pub document_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub at: i64,
    pub author_id: String,
    pub author_role: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: String,
    pub store_id: String,
    pub company_name: String,
    pub registration_number: String,
    pub entity: Entity,
    pub contact_email: String,
    pub document_ids: Vec<String>,
    pub state: ApplicationState,
    pub submitted_at: i64,
    pub review_due_at: i64,
    /// Set when staff let the review run past its due time.
    pub review_late_at: Option<i64>,
    pub missing: Vec<String>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    pub managed_store_id: Option<String>,
    pub messages: Vec<Message>,
    /// On approval: the link that invites the contact e-mail as the new store's owner.
    pub invitation_link: Option<String>,
}

impl From<ApplicationRow> for Application {
    fn from(r: ApplicationRow) -> Self {
        Application {
            id: r.id,
            store_id: r.store_id,
            company_name: r.company_name,
            registration_number: r.registration_number,
            entity: r.entity,
            contact_email: r.contact_email,
            document_ids: r.document_ids,
            state: r.state,
            submitted_at: r.submitted_at,
            review_due_at: r.review_due_at,
            review_late_at: r.review_late_at,
            missing: r.missing,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
            managed_store_id: r.managed_store_id,
            messages: Vec::new(),
            invitation_link: None,
        }
    }
}

fn payload(a: &ApplicationRow) -> serde_json::Value {
    json!({"application_id": a.id, "company_name": a.company_name, "state": a.state.as_str(),
        "review_due_at": crate::instant(a.review_due_at), "managed_store_id": a.managed_store_id})
}

impl Service {
    /// Applies for a fully-managed store: companies only, one per self-operated store, a
    /// contact e-mail no other store uses, and at least one document.
    pub async fn apply_fully_managed(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewApplication,
    ) -> ServiceResult<Application> {
        actor.require_area(Area::Deposit)?;
        let mut errors = Invalid::default();
        let company =
            validation::required_text(&mut errors, "company_name", &new.company_name, MAX_COMPANY);
        let registration = validation::required_text(
            &mut errors,
            "registration_number",
            &new.registration_number,
            MAX_REGISTRATION,
        );
        if registration.chars().any(char::is_whitespace) {
            errors.push("registration_number", "must not contain spaces");
        }
        match new.entity.parse::<Entity>() {
            Ok(e) => {
                if let Err(m) = e.may_apply() {
                    errors.push("entity", m);
                }
            }
            Err(m) => errors.push("entity", m),
        }
        let email = email_address(&new.contact_email)
            .map_err(|m| errors.push("contact_email", m))
            .ok();
        let documents = parse_evidence_ids(&mut errors, &new.document_ids);
        if new.document_ids.is_empty() {
            errors.push(
                "document_ids",
                "at least one document (the business licence)",
            );
        }
        errors.into_result()?;
        let email = email.expect("validated");
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller applies".into(),
            ));
        }
        if store.fulfilment_mode != FulfilmentMode::SelfOperated.as_str() {
            return Err(ServiceError::conflict(
                "only a self-operated store opens a fully-managed store",
            ));
        }
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        let earlier = fm::applications(&mut tx, Some(&store.id), None).await?;
        if let Some(a) = earlier.iter().find(|a| a.state.blocks_another()) {
            return Err(ServiceError::Conflict {
                detail: "a self-operated store opens one fully-managed store".into(),
                errors: vec![marketdesk_core::FieldError {
                    field: "store_id".into(),
                    message: format!("application {} is {}", a.id, a.state.as_str()),
                }],
            });
        }
        if fm::email_taken(&mut tx, &email, &store.id).await? {
            return Err(Invalid::one(
                "contact_email",
                "is already used by another store; bind a new e-mail",
            )
            .into());
        }
        self.check_evidence(&mut tx, actor, &store.id, &documents, "document_ids")
            .await?;
        let due = self.due_for_store(&mut tx, &store.id, REVIEW_SPAN).await?;
        let row = ApplicationRow {
            id: id::new_id(),
            store_id: store.id.clone(),
            company_name: company,
            registration_number: registration,
            entity: Entity::Company,
            contact_email: email,
            document_ids: documents,
            state: ApplicationState::UnderReview,
            submitted_at: self.now_us(),
            submitted_by: actor.user_id.clone(),
            review_due_at: due,
            review_late_at: None,
            missing: Vec::new(),
            decided_at: None,
            decided_by: None,
            decision_note: None,
            managed_store_id: None,
        };
        fm::insert_application(&mut tx, &row).await?;
        let change = Change::in_store(&store.id)
            .event(
                "fully_managed.application_submitted",
                &row.id,
                payload(&row),
            )
            .deadline(DeadlineKind::ApplicationReview, &row.id, due);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    async fn visible_application(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<ApplicationRow> {
        let not_found =
            || ServiceError::NotFound(format!("no fully-managed application with id {id}"));
        let Some(aid) = id::parse_id(id) else {
            return Err(not_found());
        };
        match fm::application(c, &aid).await? {
            Some(a) if actor.can_see_store(&a.store_id) => Ok(a),
            _ => Err(not_found()),
        }
    }

    /// An application with its thread.
    pub async fn fully_managed_application(
        &self,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<Application> {
        actor.require_area(Area::Deposit)?;
        let mut c = self.db.reader().await?;
        let row = self.visible_application(&mut c, actor, id).await?;
        let messages = fm::messages(&mut c, &row.id).await?;
        let mut a: Application = row.into();
        a.messages = messages
            .into_iter()
            .map(|m| Message {
                id: m.id,
                at: m.at,
                author_id: m.author_id,
                author_role: m.author_role,
                body: m.body,
                evidence_ids: m.evidence_ids,
            })
            .collect();
        Ok(a)
    }

    /// A store's applications (its seller), or every store's (platform staff; `store_id`
    /// and `state` narrow it).
    pub async fn fully_managed_applications(
        &self,
        actor: &Actor,
        store_id: Option<String>,
        state: Option<&str>,
    ) -> ServiceResult<Vec<Application>> {
        actor.require_area(Area::Deposit)?;
        let scope = actor.store_scope(store_id)?;
        let state = match state {
            Some(s) => Some(
                s.parse::<ApplicationState>()
                    .map_err(|m| Invalid::one("state", m))?,
            ),
            None => None,
        };
        let mut c = self.db.reader().await?;
        Ok(fm::applications(&mut c, scope.as_deref(), state)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Writes on an application's thread: the seller asks, staff answer and may say what
    /// is still missing (an empty list clears it).
    pub async fn application_message(
        &self,
        actor: &Actor,
        id: &str,
        body: &str,
        evidence_ids: &[String],
        missing: Option<Vec<String>>,
    ) -> ServiceResult<Application> {
        actor.require_area(Area::Deposit)?;
        let mut errors = Invalid::default();
        let body = validation::required_text(&mut errors, "body", body, MAX_MESSAGE);
        let evidence = parse_evidence_ids(&mut errors, evidence_ids);
        if let Some(items) = &missing {
            if !actor.role.is_platform() {
                errors.push("missing", "only platform staff say what is missing");
            }
            if items.len() > 20 {
                errors.push("missing", "at most 20 items");
            }
            for (i, m) in items.iter().enumerate() {
                validation::required_text(&mut errors, &format!("missing[{i}]"), m, 200);
            }
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let row = self.visible_application(&mut tx, actor, id).await?;
        self.check_evidence(&mut tx, actor, &row.store_id, &evidence, "evidence_ids")
            .await?;
        fm::insert_message(
            &mut tx,
            &MessageRow {
                id: id::new_id(),
                application_id: row.id.clone(),
                at: self.now_us(),
                author_id: actor.user_id.clone(),
                author_role: actor.role.as_str().into(),
                body,
                evidence_ids: evidence,
            },
        )
        .await?;
        if let Some(items) = &missing {
            fm::set_missing(&mut tx, &row.id, items).await?;
        }
        let change = Change::in_store(&row.store_id).event(
            "fully_managed.application_message",
            &row.id,
            json!({"application_id": row.id, "from": actor.role.as_str(), "missing": missing}),
        );
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.fully_managed_application(actor, &row.id).await
    }

    /// Staff decide: approval opens the fully-managed store awaiting its deposit and
    /// invites the contact e-mail as its owner; a rejection says why.
    pub async fn decide_application(
        &self,
        actor: &Actor,
        id: &str,
        approve: bool,
        note: Option<&str>,
    ) -> ServiceResult<Application> {
        if !actor.role.reviews() {
            return Err(ServiceError::Forbidden(
                "platform reviewers and admins decide applications".into(),
            ));
        }
        let mut errors = Invalid::default();
        let note = match (approve, note) {
            (false, n) => Some(validation::required_text(
                &mut errors,
                "note",
                n.unwrap_or(""),
                MAX_NOTE,
            )),
            (true, Some(n)) if !n.trim().is_empty() => {
                Some(validation::required_text(&mut errors, "note", n, MAX_NOTE))
            }
            (true, _) => None,
        };
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_application(&mut tx, actor, id).await?;
        row.state.decide().map_err(ServiceError::conflict)?;
        let parent = catalog::store(&mut tx, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store {}", row.store_id))?;
        let now = self.now_us();
        let mut invite = None;
        let managed = if approve {
            let store = StoreRow {
                id: id::new_id(),
                name: row.company_name.clone(),
                site_code: parent.site_code.clone(),
                fulfilment_mode: FulfilmentMode::FullyManaged.as_str().into(),
                created_at: now,
                safety_threshold: marketdesk_core::stock::DEFAULT_SAFETY_THRESHOLD,
                suspended_at: None,
                suspension_reason: None,
                parent_store_id: Some(parent.id.clone()),
                program_state: Some(ProgramState::AwaitingDeposit),
            };
            catalog::insert_store(&mut tx, &store).await?;
            invite = Some((
                self.write_invite(
                    &mut tx,
                    actor,
                    &store.id,
                    &row.contact_email,
                    TeamRole::Owner,
                )
                .await?,
                store.clone(),
            ));
            Some(store.id)
        } else {
            None
        };
        let state = if approve {
            ApplicationState::Approved
        } else {
            ApplicationState::Rejected
        };
        if !fm::decide(
            &mut tx,
            &row.id,
            state,
            now,
            &actor.user_id,
            note.as_deref(),
            managed.as_deref(),
        )
        .await?
        {
            return Err(ServiceError::conflict(
                "the application was decided meanwhile",
            ));
        }
        row.state = state;
        row.managed_store_id = managed;
        let change = Change::in_store(&row.store_id)
            .event("fully_managed.application_decided", &row.id, payload(&row))
            .end_deadline(DeadlineKind::ApplicationReview, &row.id);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        let mut answer = self.fully_managed_application(actor, &row.id).await?;
        if let Some(((invite_row, token), store)) = invite {
            answer.invitation_link =
                Some(self.send_invite(&store, &invite_row, &token).await?.link);
        }
        Ok(answer)
    }

    /// The review ran past its due time: staff are told and the seller sees it flagged.
    pub(crate) async fn application_review_late(
        &self,
        tx: &mut sqlx::AnyConnection,
        id: &str,
    ) -> ServiceResult<()> {
        let Some(row) = fm::application(tx, id).await? else {
            return Ok(());
        };
        if fm::flag_review_late(tx, &row.id, self.now_us()).await? {
            let change = Change::in_store(&row.store_id).event(
                "fully_managed.application_overdue",
                &row.id,
                payload(&row),
            );
            self.record(tx, &Actor::system(), change).await?;
        }
        Ok(())
    }
}
