//! The optional filters of list queries, built once: each present value adds one
//! `AND` condition with its own numbered parameter, so a list query is one statement
//! whatever the caller narrowed on, and no value is ever spliced into the SQL text.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

/// A `WHERE` clause under construction, with its parameters in order.
#[derive(Debug, Default)]
pub(crate) struct Conditions {
    clause: String,
    params: Vec<Param>,
}

impl Conditions {
    /// The next parameter's placeholder, `$n`, with the value it binds.
    pub fn mark(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }

    /// `condition` with every `$?` standing for one parameter `p` (it may appear twice).
    pub fn and(&mut self, condition: &str, p: Param) -> &mut Self {
        let mark = self.mark(p);
        self.push(&condition.replace("$?", &mark));
        self
    }

    /// A condition without a parameter, added only `when` it applies.
    pub fn when(&mut self, applies: bool, condition: &str) -> &mut Self {
        if applies {
            self.push(condition);
        }
        self
    }

    fn push(&mut self, condition: &str) {
        self.clause.push_str(if self.clause.is_empty() {
            " WHERE "
        } else {
            " AND "
        });
        self.clause.push_str(condition);
    }

    pub fn eq(&mut self, column: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.and(&format!("{column} = $?"), Param::Text(v.to_string()));
        }
        self
    }

    /// `column <op> value`, for instants and other integers (`op` is `>=`, `<`, `=`, …).
    pub fn int(&mut self, column: &str, op: &str, value: Option<i64>) -> &mut Self {
        if let Some(v) = value {
            self.and(&format!("{column} {op} $?"), Param::Int(v));
        }
        self
    }

    /// `column IN (…)` (or `=` for one value) when `values` is given.
    pub fn any_of(&mut self, column: &str, values: Option<&[String]>) -> &mut Self {
        match values {
            None => {}
            Some([one]) => {
                self.eq(column, Some(one));
            }
            Some(many) => {
                let marks: Vec<String> = many
                    .iter()
                    .map(|v| self.mark(Param::Text(v.clone())))
                    .collect();
                self.push(&format!("{column} IN ({})", marks.join(", ")));
            }
        }
        self
    }

    /// The clause so far: empty, or ` WHERE …`.
    pub fn clause(&self) -> &str {
        &self.clause
    }

    #[cfg(test)]
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// Runs `sql` (built around [`Conditions::clause`]) with the parameters in order.
    pub async fn fetch_all<O>(self, c: &mut AnyConnection, sql: String) -> Result<Vec<O>>
    where
        O: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for p in self.params {
            q = match p {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
            };
        }
        Ok(q.fetch_all(c).await?)
    }
}

/// `text` as a `LIKE` pattern matching it anywhere, its wildcards escaped (with `\`).
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
