//! Request extractors whose every refusal is a problem+json naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use marketdesk_core::FieldError;
use marketdesk_service::Actor;
use serde::de::DeserializeOwned;

use crate::problem::{ApiError, Problem};

/// A JSON body. Syntax errors answer 400; a wrong type, a missing or an unknown field
/// answers 422 with the path of the field (via serde_path_to_error).
pub struct JsonBody<T>(pub T);

/// Like [`JsonBody`], but an empty body means `T::default()` (moves that need no input).
pub struct OptionalJsonBody<T>(pub T);

/// Every body the API takes is a JSON object. serde would also read a struct from an
/// array of its fields in order (`[null]`), which no client means: refused, as is a
/// scalar, with 422; what is not JSON at all stays a 400.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| {
            ApiError(Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                e.to_string(),
            ))
        })?;
        return Err(ApiError(Problem::validation(vec![FieldError {
            field: "body".into(),
            message: "expected a JSON object".into(),
        }])));
    }
    parse_object(bytes)
}

fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => Ok(v),
        // JSON has one number type: `78.0` is the whole number 78 (JSON Schema's
        // `integer` says so too), though serde will not read it into an integer field.
        // Read again with whole floats written as integers: only bodies that have them
        // pay for the second pass.
        Err(e)
            if e.inner()
                .to_string()
                .contains("invalid type: floating point") =>
        {
            let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                return Err(field_error(e));
            };
            whole_floats_as_integers(&mut value);
            serde_path_to_error::deserialize(&value).map_err(field_error)
        }
        Err(e) => Err(field_error(e)),
    }
}

/// Writes every float with no fractional part (and exact in an f64) as an integer.
fn whole_floats_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(whole_floats_as_integers),
        Value::Object(m) => m.values_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

fn field_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        ApiError(Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            "Malformed JSON",
            inner.to_string(),
        ))
    } else {
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        // serde's message ends with " at line L column C": useful for syntax, noise here.
        let message = inner.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        ApiError(Problem::validation(vec![FieldError { field, message }]))
    }
}

fn require_json(req: &Request) -> Result<(), ApiError> {
    let ok = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/json") || v.starts_with("application/merge-patch+json")
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Expected JSON",
            "send the body as application/json (or application/merge-patch+json for a PATCH)",
        )))
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        ApiError(Problem::new(
            e.status(),
            "body",
            "Unreadable body",
            e.body_text(),
        ))
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_json(&req)?;
        let bytes = body_bytes(req, state).await?;
        Ok(JsonBody(parse(&bytes)?))
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if has_type {
            require_json(&req)?;
        }
        let bytes = body_bytes(req, state).await?;
        // No body, or JSON's `null`, is the move without a note.
        if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
            return Ok(OptionalJsonBody(T::default()));
        }
        Ok(OptionalJsonBody(parse(&bytes)?))
    }
}

/// The authenticated caller, put in the request by [`crate::auth`].
pub struct Caller(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            // Taken, not copied: the handler is the last to need it.
            .remove::<Actor>()
            .map(Caller)
            .ok_or_else(|| {
                ApiError(Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Not authenticated",
                    "send Authorization: Bearer TOKEN",
                ))
            })
    }
}

/// Query parameters. A parameter of the wrong shape or one the list does not know answers
/// 422, so a typo never returns the unfiltered list.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(t)| QueryParams(t))
            .map_err(|e| {
                ApiError(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "Invalid query",
                    e.body_text(),
                ))
            })
    }
}

/// A whole number from a query parameter (kept as text by the parameter struct, so that
/// a bad one is named rather than refused as a whole query).
pub fn whole_number(field: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.map(str::parse::<i64>) {
        None => Ok(None),
        Some(Ok(n)) => Ok(Some(n)),
        Some(Err(_)) => Err(ApiError(Problem::validation(vec![FieldError {
            field: field.into(),
            message: "must be a whole number".into(),
        }]))),
    }
}
