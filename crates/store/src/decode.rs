//! Reading closed lists of names out of a row by hand, for rows whose optional columns
//! the derive cannot parse (sqlx's `try_from` has no form for `Option`). A value outside
//! the list is a decode error naming the column, never a panic further up.

use std::str::FromStr;

use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn named<T: FromStr<Err = String>>(row: &AnyRow, column: &str) -> sqlx::Result<T> {
    let text: String = row.try_get(column)?;
    parse(column, &text)
}

pub(crate) fn named_opt<T: FromStr<Err = String>>(
    row: &AnyRow,
    column: &str,
) -> sqlx::Result<Option<T>> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| parse(column, &t)).transpose()
}

fn parse<T: FromStr<Err = String>>(column: &str, text: &str) -> sqlx::Result<T> {
    text.parse()
        .map_err(|message: String| sqlx::Error::ColumnDecode {
            index: column.to_string(),
            source: message.into(),
        })
}

/// A JSON column (attribute maps, id lists) parsed into its type.
pub(crate) fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> sqlx::Result<T> {
    let text: String = row.try_get(column)?;
    json_text(&text, column)
}

/// The value of JSON text stored in `column` (or carried inside another column's JSON).
pub(crate) fn json_text<T: serde::de::DeserializeOwned>(
    text: &str,
    column: &str,
) -> sqlx::Result<T> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: Box::new(e),
    })
}

/// The text a JSON column stores.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
