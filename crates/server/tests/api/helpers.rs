use std::sync::Arc;

use marketdesk_service::channel_config::ChannelConfig;
use marketdesk_service::secret_box::SecretBox;
use marketdesk_service::{Clock, ManualClock, Service, SystemClock};
use marketdesk_store::{Db, blobs::Blobs, db::sqlite_url_in, testing};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
/// Every test server seals webhook secrets with this key (32 bytes of 0x2a).
pub const SECRET_KEY: &str = "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=";

/// Runs each named scenario `async fn NAME(app: TestApp)` once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(b) = $crate::helpers::Backend::postgres() {
                    super::$name($crate::helpers::TestApp::spawn(b).await).await;
                }
            }
        }
    )* };
}

/// Runs each `async fn NAME(backend: Backend)` on SQLite and, when configured, PostgreSQL.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(b) = $crate::helpers::Backend::postgres() {
                    super::$name(b).await;
                }
            }
        }
    )* };
}

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    pub fn postgres() -> Option<Backend> {
        testing::postgres_test_url().map(Backend::Postgres)
    }

    /// Every backend this run tests.
    pub fn all() -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        v.extend(Backend::postgres());
        v
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub service: Service,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with_clock(backend, Arc::new(SystemClock)).await
    }

    pub async fn spawn_manual(backend: Backend) -> TestApp {
        let start: jiff::Timestamp = "2026-11-25T15:00:00Z".parse().unwrap();
        Self::spawn_with_clock(backend, Arc::new(ManualClock::new(start))).await
    }

    /// A sandbox-clock server whose notifications go out through `channels`.
    pub async fn spawn_with_channels(backend: Backend, channels: ChannelConfig) -> TestApp {
        let start: jiff::Timestamp = "2026-11-25T15:00:00Z".parse().unwrap();
        Self::spawn_full(backend, Arc::new(ManualClock::new(start)), channels).await
    }

    async fn spawn_with_clock(backend: Backend, clock: Arc<dyn Clock>) -> TestApp {
        Self::spawn_full(backend, clock, ChannelConfig::default()).await
    }

    async fn spawn_full(
        backend: Backend,
        clock: Arc<dyn Clock>,
        channels: ChannelConfig,
    ) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = match &backend {
            Backend::Sqlite => sqlite_url_in(dir.path()).unwrap(),
            Backend::Postgres(server) => testing::fresh_postgres(server, "md_test").await.unwrap(),
        };
        Self::start(url, dir, clock, channels).await
    }

    /// A second `serve` process on this one's database (its own pools, workers, token
    /// memory and live channel; its own blob folder), as behind a load balancer.
    pub async fn another_process(&self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let clock = self.service.clock.clone();
        Self::start(
            self.database_url.clone(),
            dir,
            clock,
            ChannelConfig::default(),
        )
        .await
    }

    async fn start(
        url: String,
        dir: tempfile::TempDir,
        clock: Arc<dyn Clock>,
        channels: ChannelConfig,
    ) -> TestApp {
        let db = Db::connect(&url).await.unwrap();
        let blobs = Blobs::local(&dir.path().join("blobs")).unwrap();
        let service = Service::new(db, blobs, clock)
            .with_channels(channels)
            .with_secret_box(SecretBox::from_base64(SECRET_KEY).unwrap());
        service.bootstrap(Some(ADMIN_TOKEN)).await.unwrap();
        service.sync_sandbox_clock().await.unwrap();
        tokio::spawn(
            service
                .clone()
                .run_deadline_worker(std::time::Duration::from_millis(200)),
        );
        tokio::spawn(
            service
                .clone()
                .run_outbox_dispatcher(std::time::Duration::from_millis(100)),
        );
        tokio::spawn(
            service
                .clone()
                .run_channel_sender(std::time::Duration::from_millis(100)),
        );
        tokio::spawn(service.clone().run_notice_listener());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app =
            marketdesk_server::app(service.clone().with_public_url(&format!("http://{addr}")))
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestApp {
            base: format!("http://{addr}"),
            client: marketdesk_store::tls::client(),
            service,
            database_url: url,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .client
            .put(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    /// A JSON merge patch (`application/merge-patch+json`).
    pub async fn patch(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .client
            .patch(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let res = self
            .client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    /// Moves the sandbox clock (ISO 8601 duration, e.g. `PT10M`).
    pub async fn advance(&self, by: &str) {
        let (s, b) = self
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"advance_by": by}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }

    /// Drives the outbox dispatcher until every committed event is dispatched: after it,
    /// every inbox message and every delivery those events make exists, so a test can
    /// assert what was *not* made without waiting and hoping. (The background dispatcher
    /// may take some events first; the loop waits for its commit too.)
    pub async fn dispatch_all(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let moved = self.service.dispatch_events(1000).await.unwrap();
            let mut c = self.service.db.reader().await.unwrap();
            let pending = marketdesk_store::inbox::any_pending(&mut c).await.unwrap();
            if moved == 0 && !pending {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "events still undispatched"
            );
            tokio::task::yield_now().await;
        }
    }

    /// Fires every deadline due at the sandbox clock's time, as the worker would, and
    /// returns how many this call fired.
    pub async fn fire_due(&self) -> usize {
        self.service.fire_all_due().await.unwrap()
    }

    /// Polls `GET path` until `done` holds (10 s at most); returns the last answer.
    pub async fn wait_for(&self, token: &str, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (s, b) = self.get(token, path).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            if done(&b) {
                return b;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting on {path}: {b}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub async fn post_with_key(
        &self,
        token: &str,
        path: &str,
        key: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let res = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn post_raw(
        &self,
        token: &str,
        path: &str,
        content_type: &str,
        body: &'static str,
    ) -> (StatusCode, Value) {
        let res = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn create_store(&self, site: &str, mode: &str) -> String {
        let (s, b) = self.post(ADMIN_TOKEN, "/api/v1/stores", json!({"name": format!("{site} {mode} shop"), "site": site, "fulfilment_mode": mode})).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["id"].as_str().unwrap().to_string()
    }

    pub async fn create_user(&self, role: &str, store_id: Option<&str>) -> String {
        let (s, b) = self
            .post(
                ADMIN_TOKEN,
                "/api/v1/users",
                json!({"name": format!("a {role}"), "role": role, "store_id": store_id}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["token"].as_str().unwrap().to_string()
    }

    /// A store with its seller: (store id, seller token).
    pub async fn seller_store(&self, site: &str, mode: &str) -> (String, String) {
        let store = self.create_store(site, mode).await;
        let token = self.create_user("seller", Some(&store)).await;
        (store, token)
    }

    pub async fn create_product(&self, token: &str, store: &str, title: &str) -> Value {
        let code = format!("SKU-{}", uuid::Uuid::now_v7().simple());
        let (s, b) = self
            .post(token, &format!("/api/v1/stores/{store}/products"), json!({"title": title, "category": "toys", "skus": [{"code": code, "price": "9.90", "stock": 5}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b
    }

    /// A product already on sale (self-operated or semi-managed store).
    pub async fn on_sale(&self, token: &str, store: &str, title: &str) -> String {
        let p = self.create_product(token, store, title).await;
        let id = p["id"].as_str().unwrap().to_string();
        let (s, b) = self
            .post(token, &format!("/api/v1/products/{id}/list"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["state"], "on_sale");
        id
    }

    pub async fn delist(&self, token: &str, id: &str, reason: &str) -> (StatusCode, Value) {
        self.post(
            token,
            &format!("/api/v1/products/{id}/delist"),
            json!({"reason_code": reason, "reason_text": "no longer sold"}),
        )
        .await
    }

    pub async fn timeline(&self, token: &str, id: &str) -> Vec<Value> {
        let (s, b) = self
            .get(token, &format!("/api/v1/products/{id}/timeline"))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        b["items"].as_array().unwrap().clone()
    }

    pub async fn product(&self, id: &str) -> Value {
        let (s, b) = self
            .get(ADMIN_TOKEN, &format!("/api/v1/products/{id}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        b
    }

    /// A product and its timeline, to show that a refused request changed nothing.
    pub async fn snapshot(&self, id: &str) -> (Value, Vec<Value>) {
        (self.product(id).await, self.timeline(ADMIN_TOKEN, id).await)
    }
}

/// Every error must be problem+json with the RFC 9457 members.
pub async fn read(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = res.text().await.unwrap();
    let body: Value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    if !status.is_success() {
        assert_eq!(
            content_type, "application/problem+json",
            "error without problem+json: {status} {body}"
        );
        for member in ["type", "title", "status", "detail"] {
            assert!(
                body.get(member).is_some(),
                "problem without {member}: {body}"
            );
        }
        assert_eq!(body["status"], status.as_u16(), "{body}");
        assert!(status.as_u16() < 500, "server error: {body}");
    }
    (status, body)
}

/// The field names of a validation problem.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|f| f["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Installs a statement trigger that holds the first `UPDATE` of `table` after each
/// arming for `seconds` (PostgreSQL), so a test can act in the instant between a use
/// case's read and its write. Armed once installed; `SELECT setval('{name}_seq', 1, false)`
/// arms it again. A sequence, not a table: its next value is seen by every session at
/// once, so only that one UPDATE is held.
pub async fn hold_first_update(
    db: &mut sqlx::AnyConnection,
    name: &str,
    table: &str,
    seconds: f64,
) {
    for sql in [
        format!("CREATE SEQUENCE {name}_seq"),
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF nextval('{name}_seq') = 1 THEN
                 PERFORM pg_sleep({seconds});
               END IF;
               RETURN NULL;
             END $$"
        ),
        format!(
            "CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *db)
            .await
            .unwrap();
    }
}
