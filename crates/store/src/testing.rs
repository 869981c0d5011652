//! Fresh databases for tests and benchmarks: each run gets its own, so runs never see
//! each other's rows and can run in parallel.

use sqlx::{AnyConnection, Connection, Executor};

use crate::Result;

/// The PostgreSQL server tests may create databases on (`MARKETDESK_TEST_POSTGRES_URL`).
/// Unset, a developer's run tests SQLite only and says so; in CI (`CI=true`) an unset URL
/// is a broken setup, and a PostgreSQL test that quietly passed would hide it, so it
/// fails loudly instead.
pub fn postgres_test_url() -> Option<String> {
    let url = std::env::var("MARKETDESK_TEST_POSTGRES_URL").ok();
    match postgres_test_url_from(url, std::env::var("CI").ok()) {
        Ok(Some(url)) => Some(url),
        Ok(None) => {
            eprintln!("skipped: MARKETDESK_TEST_POSTGRES_URL is not set");
            None
        }
        Err(why) => panic!("{why}"),
    }
}

/// [`postgres_test_url`]'s decision, from the two variables' values.
pub fn postgres_test_url_from(
    url: Option<String>,
    ci: Option<String>,
) -> std::result::Result<Option<String>, String> {
    match url {
        Some(url) if !url.trim().is_empty() => Ok(Some(url)),
        _ if ci.as_deref() == Some("true") => Err(
            "CI=true but MARKETDESK_TEST_POSTGRES_URL is not set: the PostgreSQL variant cannot run"
                .into(),
        ),
        _ => Ok(None),
    }
}

/// Creates an empty PostgreSQL database next to the one `url` names and returns its URL.
pub async fn fresh_postgres(url: &str, prefix: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(url).await?;
    let name = format!("{prefix}_{}", uuid_like());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    admin.close().await?;
    Ok(replace_database(url, &name))
}

/// Drops a database made by [`fresh_postgres`].
pub async fn drop_postgres(server_url: &str, db_url: &str) -> Result<()> {
    let name = db_url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default();
    let mut admin = AnyConnection::connect(server_url).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await?;
    admin.close().await?;
    Ok(())
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    // postgres://user:pw@host:port/db → keep everything up to the last '/' after the host.
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].rfind('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:x}_{}_{n}", nanos, std::process::id())
}

#[cfg(test)]
mod ci_tests {
    use super::postgres_test_url_from as decide;

    #[test]
    fn an_unset_postgres_url_fails_in_ci_and_skips_elsewhere() {
        let url = Some("postgres://u@h/db".to_string());
        assert_eq!(decide(url.clone(), Some("true".into())), Ok(url.clone()));
        assert_eq!(decide(url.clone(), None), Ok(url));
        assert!(decide(None, Some("true".into())).is_err());
        assert!(decide(Some("  ".into()), Some("true".into())).is_err());
        assert_eq!(decide(None, None), Ok(None));
        assert_eq!(decide(None, Some("false".into())), Ok(None));
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            replace_database("postgres://u:p@127.0.0.1:5432/postgres", "x"),
            "postgres://u:p@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://127.0.0.1/postgres?sslmode=disable", "x"),
            "postgres://127.0.0.1/x?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://127.0.0.1", "x"),
            "postgres://127.0.0.1/x"
        );
    }
}
