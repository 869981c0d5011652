//! Evidence and label files, content-addressed: the object name is the SHA-256 of the
//! bytes, so an identical upload is stored once and a stored file can be verified.
//! A local folder by default; object_store speaks S3-compatible stores the same way.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, local::LocalFileSystem, path::Path};
use sha2::{Digest, Sha256};

use crate::Result;

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
