//! `serve`'s settings beyond its flags: built-in defaults, then a TOML file, then
//! `MARKETDESK_*` environment variables (`__` between levels), e.g.
//! `MARKETDESK_NOTIFY__SMTP__HOST=mail.example.com`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use marketdesk_service::channel_config::ChannelConfig;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub notify: ChannelConfig,
    /// Seals webhook signing secrets at rest: 32 random bytes, base64
    /// (`MARKETDESK_SECRET_KEY`). Every process on one database needs the same key. When
    /// unset, `serve` keeps one in `DATA_DIR/secret.key`, made on first start.
    pub secret_key: Option<SecretKey>,
    /// Failed API authentications one address may make in a burst before it waits (one
    /// more every 3 s). Default 20 (`MARKETDESK_AUTH_FAILURE_BURST`).
    pub auth_failure_burst: Option<u32>,
    /// How long dispatched events, finished deliveries, idempotency keys and sessions are
    /// kept (`[retention]`; see `marketdesk_service::retention`).
    pub retention: marketdesk_service::retention::RetentionConfig,
    /// Files in an S3-compatible bucket instead of `DATA_DIR/blobs` (`[s3]`: bucket,
    /// endpoint, region, access_key_id, secret_access_key). Required when several
    /// processes on several machines serve one database.
    pub s3: Option<marketdesk_store::blobs::S3Config>,
}

/// Never printed.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct SecretKey(pub String);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The key from the settings, else the data folder's own (made now if missing, readable
/// by this user only).
pub fn secret_key(settings: &Settings, data_dir: &Path) -> anyhow::Result<String> {
    if let Some(k) = &settings.secret_key {
        return Ok(k.0.clone());
    }
    let path = data_dir.join("secret.key");
    if path.exists() {
        return std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()));
    }
    std::fs::create_dir_all(data_dir)?;
    // Written aside, then linked into place: two processes starting together on one
    // folder end up with the same key, never a half-written one.
    let key = marketdesk_service::secret_box::SecretBox::new_key();
    let aside = data_dir.join(format!("secret.key.{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(&aside)
        .with_context(|| format!("cannot create {}", aside.display()))?;
    std::io::Write::write_all(&mut f, key.as_bytes())?;
    f.sync_all()?;
    drop(f);
    let linked = std::fs::hard_link(&aside, &path);
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "made a new secret key for webhook secrets");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display())),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

/// Reads `explicit` (which must exist) or else `DATA_DIR/marketdesk.toml` if present.
pub fn load(explicit: Option<&Path>, data_dir: &Path) -> anyhow::Result<Settings> {
    let implicit: PathBuf = data_dir.join("marketdesk.toml");
    let mut b = config::Config::builder();
    match explicit {
        Some(p) => {
            b = b.add_source(
                config::File::from(p)
                    .format(config::FileFormat::Toml)
                    .required(true),
            );
        }
        None if implicit.exists() => {
            b = b.add_source(
                config::File::from(implicit.as_path()).format(config::FileFormat::Toml),
            );
        }
        None => {}
    }
    let b = b.add_source(
        config::Environment::with_prefix("MARKETDESK")
            .prefix_separator("_")
            .separator("__")
            .try_parsing(true),
    );
    let where_ = explicit.map_or_else(
        || implicit.display().to_string(),
        |p| p.display().to_string(),
    );
    b.build()
        .and_then(|c| c.try_deserialize::<Settings>())
        .with_context(|| format!("invalid settings (file {where_} or MARKETDESK_* environment)"))
}
