//! Evidence uploads: checked by their bytes, stored once by content hash.

use bytes::Bytes;
use std::collections::HashSet;

use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::evidence::{self, EvidenceRow};

use crate::records::File;
use crate::{Actor, Service, ServiceResult};

/// 10 MiB: enough for photos and PDFs of certificates, small enough to keep uploads quick.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// What evidence may be: photos and documents, judged by their first bytes rather than
/// by the name or the type the client claims.
const ALLOWED: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/pdf",
];

impl Service {
    pub async fn upload_evidence(
        &self,
        actor: &Actor,
        filename: &str,
        bytes: Bytes,
    ) -> ServiceResult<File> {
        if bytes.is_empty() {
            return Err(Invalid::one("file", "is empty").into());
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(Invalid::one(
                "file",
                format!("is larger than {} MiB", MAX_EVIDENCE_BYTES / 1024 / 1024),
            )
            .into());
        }
        let detected = infer::get(&bytes).map(|t| t.mime_type());
        let content_type = match detected {
            Some(t) if ALLOWED.contains(&t) => t,
            _ => {
                return Err(Invalid::one(
                    "file",
                    format!("must be one of {} (judged by content)", ALLOWED.join(", ")),
                )
                .into());
            }
        };
        let filename: String = filename
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        // A picture is decoded once, here: a file that only starts like one is refused, and
        // the thumbnail every list and gallery shows is made now rather than on each read.
        let picture = match content_type {
            "image/jpeg" | "image/png" | "image/webp" => {
                let data = bytes.clone();
                let kind = content_type.to_string();
                let made =
                    tokio::task::spawn_blocking(move || crate::files::thumbnail(&data, &kind))
                        .await
                        .map_err(|e| anyhow::anyhow!("thumbnail task: {e}"))??;
                let sha = self.blobs.put(made.png).await?;
                Some((sha, i64::from(made.width), i64::from(made.height)))
            }
            _ => None,
        };
        let sha256 = self.blobs.put(bytes.clone()).await?;
        let row = EvidenceRow {
            id: id::new_id(),
            store_id: if actor.role.is_platform() {
                None
            } else {
                actor.store_id.clone()
            },
            sha256,
            size: bytes.len() as i64,
            content_type: content_type.into(),
            filename: if filename.is_empty() {
                "upload".into()
            } else {
                filename
            },
            uploaded_by: actor.user_id.clone(),
            created_at: self.now_us(),
            thumbnail_sha256: picture.as_ref().map(|p| p.0.clone()),
            width: picture.as_ref().map(|p| p.1),
            height: picture.as_ref().map(|p| p.2),
        };
        let mut tx = self.db.begin().await?;
        evidence::insert(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }
}

/// Evidence ids as given: well-formed, distinct, not too many.
pub(crate) fn parse_evidence_ids(errors: &mut Invalid, ids: &[String]) -> Vec<String> {
    if ids.len() > validation::MAX_EVIDENCE_PER_ACTION {
        errors.push(
            "evidence_ids",
            format!("at most {} files", validation::MAX_EVIDENCE_PER_ACTION),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, e) in ids.iter().enumerate() {
        match id::parse_id(e) {
            Some(e) if seen.insert(e.clone()) => out.push(e),
            Some(_) => errors.push(format!("evidence_ids[{i}]"), "appears twice"),
            None => errors.push(format!("evidence_ids[{i}]"), "is not an evidence id"),
        }
    }
    out
}
