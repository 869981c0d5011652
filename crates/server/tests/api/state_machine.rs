//! Property test through the HTTP API: any sequence of listing calls, by any role, keeps
//! the product in a state domain.md's table allows, agrees with the domain model, and
//! leaves exactly one timeline row (and one outbox event) per accepted change.

use marketdesk_core::{Action, FulfilmentMode, ListingStatus, Role};
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp};

#[derive(Debug, Clone, Copy)]
enum Call {
    List,
    Delist,
    Relist,
    Approve,
    Reject,
}

impl Call {
    fn action(self) -> Action {
        match self {
            Call::List => Action::List,
            Call::Delist => Action::Delist,
            Call::Relist => Action::Relist,
            Call::Approve => Action::ApproveReview,
            Call::Reject => Action::RejectReview,
        }
    }
    fn path(self) -> &'static str {
        match self {
            Call::List => "list",
            Call::Delist => "delist",
            Call::Relist => "relist",
            Call::Approve => "review/approve",
            Call::Reject => "review/reject",
        }
    }
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        Just(Call::List),
        Just(Call::Delist),
        Just(Call::Relist),
        Just(Call::Approve),
        Just(Call::Reject)
    ]
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Seller),
        Just(Role::Reviewer),
        Just(Role::Admin),
        Just(Role::CsAgent)
    ]
}

struct World {
    app: TestApp,
    stores: Vec<(FulfilmentMode, String, String)>,
    reviewer: String,
    cs_agent: String,
}

fn run_on(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let world = rt.block_on(async {
        let app = TestApp::spawn(backend).await;
        let mut stores = Vec::new();
        for mode in [FulfilmentMode::SelfOperated, FulfilmentMode::FullyManaged] {
            let (store, seller) = app.seller_store("US", mode.as_str()).await;
            stores.push((mode, store, seller));
        }
        let reviewer = app.create_user("reviewer", None).await;
        let cs_agent = app.create_user("cs_agent", None).await;
        World {
            app,
            stores,
            reviewer,
            cs_agent,
        }
    });
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in proptest::collection::vec((call(), role()), 1..14), managed in any::<bool>())| {
        rt.block_on(async {
            let (mode, store, seller) = &world.stores[usize::from(managed)];
            let app = &world.app;
            let product = app.create_product(seller, store, "Model product").await;
            let id = product["id"].as_str().unwrap().to_string();
            let mut model = ListingStatus::DRAFT;
            let mut changes = 1; // the creation row
            for (call, role) in steps {
                let token = match role {
                    Role::Seller => seller.as_str(),
                    Role::Reviewer => world.reviewer.as_str(),
                    Role::CsAgent => world.cs_agent.as_str(),
                    _ => ADMIN_TOKEN,
                };
                let body = json!({"reason_code": "other", "reason_text": "property test"});
                let body = if matches!(call, Call::Delist) { body } else { json!({"reason_text": "property test"}) };
                let (status, answer) = app.post(token, &format!("/api/v1/products/{id}/{}", call.path()), body).await;
                let expected = model.apply(call.action(), role, *mode);
                match expected {
                    Ok(next) => {
                        prop_assert_eq!(status, StatusCode::OK, "{:?} by {:?} from {:?}: {}", call, role, model, answer);
                        model = next;
                        changes += 1;
                    }
                    Err(_) => prop_assert!(
                        status == StatusCode::CONFLICT || status == StatusCode::FORBIDDEN,
                        "{:?} by {:?} from {:?} should be refused: {} {}", call, role, model, status, answer
                    ),
                }
                let p = app.product(&id).await;
                prop_assert!(model.is_valid());
                prop_assert_eq!(p["state"].as_str().unwrap(), model.state.as_str());
                prop_assert_eq!(p["delist_kind"].as_str(), model.delist_kind.map(|k| k.as_str()));
                prop_assert_eq!(p["label"].as_str(), model.label().map(|l| l.as_str()));
            }
            let timeline = app.timeline(ADMIN_TOKEN, &id).await;
            prop_assert_eq!(timeline.len(), changes, "one timeline row per change");
            for pair in timeline.windows(2) {
                prop_assert_eq!(&pair[0]["to"], &pair[1]["from"], "rows chain from → to");
            }
            let (_, events) = app.get(ADMIN_TOKEN, &format!("/api/v1/products/{id}/events")).await;
            prop_assert_eq!(events["items"].as_array().unwrap().len(), changes, "one outbox event per change");
            Ok(())
        })?;
    });
}

#[test]
fn any_call_sequence_stays_in_the_table() {
    for backend in Backend::all() {
        run_on(backend);
    }
}
