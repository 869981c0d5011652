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
