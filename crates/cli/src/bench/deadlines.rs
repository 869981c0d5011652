//! The deadline scheduler: find and fire due deadlines among many pending ones.

use std::time::Instant;

use anyhow::Context;
use marketdesk_service::{Actor, Service};
use marketdesk_store::products::{self};
use marketdesk_store::seed::{self, Seed, Spread};
use marketdesk_store::{outbox, timeline};

use super::figures::{ms, percentile};

/// The scheduler: find and fire `due` deadlines among `open` pending ones, through the
/// worker and through the same statements issued directly.
pub(super) async fn deadline_section(service: &Service, open: i64, due: i64) -> anyhow::Result<()> {
    let db = &service.db;
    let admin = Actor::local_admin();
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench deadlines".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let now = jiff::Timestamp::now().as_microsecond();
    let hour = 3_600_000_000;
    let start = Instant::now();
    {
        let mut tx = db.begin().await?;
        let backend = db.backend();
        seed::products(
            &mut tx,
            backend,
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0c000003",
                n: open,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 10,
            },
        )
        .await?;
        seed::cases(
            &mut tx,
            backend,
            seed::CaseSeed {
                store_id: &store.id,
                id_tag: "0c000003",
                n: open,
                due_a: due,
                due_a_at: now - hour,
                due_b: due,
                due_b_at: now + hour,
                now_us: now,
            },
        )
        .await?;
        tx.commit().await?;
        let mut c = db.reader().await?;
        seed::analyze(&mut c).await?;
    }
    println!(
        "seeded {open} open violation cases with pending deadlines in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    // Every store also has its daily inspection and weekly review as deadlines; one falls
    // due inside the two hours the raw loop below looks ahead when the bench runs shortly
    // before a store's local inspection time (CI met it at 07:52 in New York). This
    // section measures violation deadlines: the others are set aside.
    {
        use marketdesk_core::deadline::DeadlineKind;
        let mut tx = db.begin().await?;
        for s in marketdesk_store::catalog::stores(&mut tx, None).await? {
            for kind in [DeadlineKind::DailyInspection, DeadlineKind::WeeklyReview] {
                marketdesk_store::deadlines::cancel(&mut tx, &s.id, kind).await?;
            }
        }
        tx.commit().await?;
    }

    // Finding alone: one claim query for a batch among all pending rows.
    let mut finds = Vec::new();
    for _ in 0..50 {
        let mut tx = db.begin().await?;
        let t = Instant::now();
        let rows = marketdesk_store::deadlines::claim_due(
            &mut tx,
            db.backend(),
            now,
            marketdesk_service::deadlines::FIRE_BATCH,
        )
        .await?;
        finds.push(t.elapsed());
        anyhow::ensure!(
            rows.len() as i64 == marketdesk_service::deadlines::FIRE_BATCH.min(due),
            "found {}",
            rows.len()
        );
        tx.rollback().await?;
    }
    finds.sort();
    println!(
        "find {} due among {open} pending: p50 {:.2} ms, p99 {:.2} ms",
        marketdesk_service::deadlines::FIRE_BATCH.min(due),
        ms(percentile(&finds, 0.5)),
        ms(percentile(&finds, 0.99))
    );

    let t = Instant::now();
    let fired = service.fire_all_due().await?;
    let worker = t.elapsed();
    anyhow::ensure!(fired as i64 == due, "worker fired {fired}, expected {due}");

    // The same statements for the second due set, with "now" two hours on, one deadline
    // per transaction (each its own disk flush, as a worker without batches would).
    let later = now + 2 * hour;
    let t = Instant::now();
    let mut raw_fired = 0;
    loop {
        let mut tx = db.begin().await?;
        let rows = marketdesk_store::deadlines::claim_due(&mut tx, db.backend(), later, 1).await?;
        if rows.is_empty() {
            break;
        }
        for d in &rows {
            let mut case = marketdesk_store::violations::get(&mut tx, &d.subject_id)
                .await?
                .context("seeded case")?;
            marketdesk_store::violations::appeals(&mut tx, &case.id).await?;
            case.state = marketdesk_core::violation::Progress::Overdue;
            case.rectify_deadline_passed = 1;
            case.updated_at = later;
            marketdesk_store::violations::update(&mut tx, &case).await?;
            let product = products::product(&mut tx, &case.product_id)
                .await?
                .context("seeded product")?;
            timeline::insert(
                &mut tx,
                &timeline::TimelineRow {
                    id: marketdesk_core::id::new_id(),
                    store_id: product.store_id.clone(),
                    product_id: product.id.clone(),
                    at: later,
                    actor_id: "system".into(),
                    actor_role: "system".into(),
                    action: "rectification_overdue".into(),
                    from_state: Some(product.status.state.as_str().into()),
                    to_state: product.status.state.as_str().into(),
                    delist_kind: None,
                    reason_code: None,
                    reason_text: None,
                    evidence_ids: "[]".into(),
                    changes: Vec::new(),
                    classified_code: None,
                },
            )
            .await?;
            outbox::insert(
                &mut tx,
                &outbox::OutboxRow {
                    id: marketdesk_core::id::new_id(),
                    store_id: product.store_id.clone(),
                    event_type: "violation.overdue".into(),
                    subject_id: product.id.clone(),
                    payload: "{}".into(),
                    created_at: later,
                    dispatched_at: None,
                },
            )
            .await?;
        }
        let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
        raw_fired += marketdesk_store::deadlines::mark_fired(&mut tx, &ids, later, "bench").await?;
        tx.commit().await?;
    }
    let raw = t.elapsed();
    anyhow::ensure!(raw_fired as i64 == due, "raw fired {raw_fired}");
    println!(
        "fire {due} due among {open} pending, worker:         {:>8.0} ms   ({:.0} deadlines/s)",
        ms(worker),
        due as f64 / worker.as_secs_f64()
    );
    println!(
        "fire {due} due among {open} pending, raw statements, one per transaction: {:>8.0} ms   ({:.0} deadlines/s)   worker / raw = {:.2}",
        ms(raw),
        due as f64 / raw.as_secs_f64(),
        worker.as_secs_f64() / raw.as_secs_f64()
    );
    Ok(())
}
