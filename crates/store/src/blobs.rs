//! Evidence and label files, content-addressed: the object name is the SHA-256 of the
//! bytes, so an identical upload is stored once and a stored file can be verified.
//! A local folder by default; object_store speaks S3-compatible stores the same way.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, local::LocalFileSystem, path::Path};
use sha2::{Digest, Sha256};

use crate::Result;

/// The settings' `[s3]`. The secret is never printed.
#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Config {
    pub bucket: String,
    /// For S3-compatible servers (`http://…` allowed); absent: AWS itself.
    pub endpoint: Option<String>,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

fn default_region() -> String {
    "us-east-1".into()
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Debug)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

impl Blobs {
    pub fn local(dir: &std::path::Path) -> Result<Blobs> {
        std::fs::create_dir_all(dir).map_err(|e| object_store::Error::Generic {
            store: "local",
            source: Box::new(e),
        })?;
        Ok(Blobs {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// An S3-compatible bucket (AWS S3, MinIO, Ceph, …): what every process of a
    /// deployment on several machines must share, or a file uploaded through one is
    /// missing on the others.
    pub fn s3(cfg: &S3Config) -> Result<Blobs> {
        crate::tls::install();
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&cfg.bucket)
            .with_region(&cfg.region)
            .with_access_key_id(&cfg.access_key_id)
            .with_secret_access_key(&cfg.secret_access_key)
            .with_virtual_hosted_style_request(false);
        if let Some(endpoint) = &cfg.endpoint {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        Ok(Blobs {
            store: Arc::new(b.build()?),
        })
    }

    fn path(sha256: &str) -> Path {
        Path::from(format!("sha256/{}/{}", &sha256[..2], sha256))
    }

    /// Stores the bytes and returns their SHA-256 in hex. The local store writes to a
    /// temporary file and renames it, so a crash never leaves a half-written blob under
    /// its final name.
    pub async fn put(&self, bytes: Bytes) -> Result<String> {
        let sha = hex::encode(Sha256::digest(&bytes));
        let path = Self::path(&sha);
        if self.store.head(&path).await.is_err() {
            self.store.put(&path, bytes.into()).await?;
        }
        Ok(sha)
    }

    pub async fn get(&self, sha256: &str) -> Result<Bytes> {
        Ok(self.store.get(&Self::path(sha256)).await?.bytes().await?)
    }
}
