//! Reading uploaded files back, and the thumbnail a picture gets when it is uploaded.
//! A file is its owner store's and the platform's to read; a platform upload becomes a
//! store's to read when the store's records cite it (`Role::reads_file`). Anyone else
//! is told the file does not exist, exactly as for an unknown id.

use std::io::Cursor;

use bytes::Bytes;
use image::{ImageFormat, ImageReader, Limits};
use marketdesk_core::{Invalid, id};
use marketdesk_store::evidence;

use crate::records::File;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// The longest side of a thumbnail, in pixels: enough for a list row and a gallery strip.
pub const THUMBNAIL_SIDE: u32 = 256;

/// Pictures larger than this are refused rather than decoded: 10 MiB of JPEG can claim
/// a size whose pixels would not fit in memory.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// A picture's thumbnail as PNG bytes, and the picture's width and height.
pub struct Thumbnail {
    pub png: Bytes,
    pub width: u32,
    pub height: u32,
}

/// Decodes a JPEG, PNG or WebP (as `infer` judged it) and scales it to fit
/// [`THUMBNAIL_SIDE`]. A file whose first bytes say "picture" but whose rest does not
/// decode is not a picture.
pub fn thumbnail(bytes: &[u8], content_type: &str) -> Result<Thumbnail, Invalid> {
    let format = match content_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        other => return Err(Invalid::one("file", format!("{other} has no thumbnail"))),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| {
        tracing::debug!(error = %e, "upload starts like a picture but does not decode");
        Invalid::one(
            "file",
            format!("starts like a {content_type} picture but is not a readable one"),
        )
    })?;
    let small = picture.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let mut png = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| Invalid::one("file", format!("could not be scaled ({e})")))?;
    Ok(Thumbnail {
        png: Bytes::from(png),
        width: picture.width(),
        height: picture.height(),
    })
}

impl Service {
    /// The file and its bytes, if the actor may read it.
    pub async fn file(&self, actor: &Actor, file_id: &str) -> ServiceResult<(File, Bytes)> {
        let row = self.readable_file(actor, file_id).await?;
        let bytes = self.blobs.get(&row.sha256).await?;
        Ok((row.into(), bytes))
    }

    /// A picture's thumbnail (PNG); a document has none.
    pub async fn file_thumbnail(
        &self,
        actor: &Actor,
        file_id: &str,
    ) -> ServiceResult<(File, Bytes)> {
        let row = self.readable_file(actor, file_id).await?;
        let Some(sha) = row.thumbnail_sha256.clone() else {
            return Err(ServiceError::NotFound(format!(
                "file {file_id} is a document and has no thumbnail"
            )));
        };
        let bytes = self.blobs.get(&sha).await?;
        Ok((row.into(), bytes))
    }

    async fn readable_file(
        &self,
        actor: &Actor,
        file_id: &str,
    ) -> ServiceResult<evidence::EvidenceRow> {
        let not_found = || ServiceError::NotFound(format!("no file with id {file_id}"));
        let Some(file_id) = id::parse_id(file_id) else {
            return Err(not_found());
        };
        let mut c = self.db.reader().await?;
        let Some(row) = evidence::get(&mut c, &file_id).await? else {
            return Err(not_found());
        };
        let cited = match (&actor.store_id, &row.store_id) {
            (Some(mine), None) => evidence::cited_in_store(&mut c, &row.id, mine).await?,
            _ => false,
        };
        if actor
            .role
            .reads_file(actor.store_id.as_deref(), row.store_id.as_deref(), cited)
        {
            Ok(row)
        } else {
            Err(not_found())
        }
    }
}
