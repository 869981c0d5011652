//! Forms that carry evidence files (delist, rectification, appeal, after-sales decisions,
//! ticket replies): read as multipart, the session's token checked before anything is
//! stored. The files are uploaded before the use case runs, so a form the use case then
//! refuses leaves them stored in the store's evidence but cited by nothing.

use axum::extract::Multipart;
use marketdesk_service::ServiceError;

use crate::ConsoleState;
use crate::session::Signed;
use crate::web::Fields;

/// Why a multipart form is not taken.
pub enum Unsigned {
    /// The body is not a readable multipart form (its words say where).
    Unreadable(String),
    /// It does not carry this session's CSRF token.
    Forged,
}

/// A multipart form of this session: its fields and its non-empty `evidence` files.
pub async fn signed_multipart(
    s: &Signed,
    m: Multipart,
) -> Result<(Fields, Vec<(String, bytes::Bytes)>), Unsigned> {
    let posted = read_multipart(m, "evidence")
        .await
        .map_err(Unsigned::Unreadable)?;
    let f = Fields(posted.fields);
    if !s.csrf_ok(f.get("csrf_token")) {
        return Err(Unsigned::Forged);
    }
    Ok((f, posted.files))
}

/// What a multipart form carried.
#[derive(Default)]
struct Posted {
    fields: Vec<(String, String)>,
    files: Vec<(String, bytes::Bytes)>,
}

/// Reads a multipart form: text fields, and the files of `file_field` that are not empty
/// (a browser sends an empty part when no file was chosen).
async fn read_multipart(mut m: Multipart, file_field: &str) -> Result<Posted, String> {
    let mut out = Posted::default();
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(e.body_text()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let filename = field.file_name().unwrap_or("evidence").to_owned();
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            if !bytes.is_empty() {
                out.files.push((filename, bytes));
            }
        } else {
            let text = field.text().await.map_err(|e| e.body_text())?;
            out.fields.push((name, text));
        }
    }
    Ok(out)
}

/// Uploads the files a form carried as evidence; their ids, or the page of the refusal.
pub async fn upload_all(
    st: &ConsoleState,
    s: &Signed,
    files: Vec<(String, bytes::Bytes)>,
) -> Result<Vec<String>, ServiceError> {
    let mut ids = Vec::new();
    for (name, bytes) in files {
        ids.push(
            st.service
                .upload_evidence(s.actor(), &name, bytes)
                .await?
                .id,
        );
    }
    Ok(ids)
}
