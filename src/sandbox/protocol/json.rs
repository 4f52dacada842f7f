//! awsJson1_1: a JSON body in, a JSON body out; errors as `__type` + `message`.

use serde_json::{Map, Value};

use crate::sandbox::error::ApiError;
use crate::sandbox::world::Time;

/// A request body with typed accessors that answer AWS's validation errors.
pub struct JsonRequest {
    body: Map<String, Value>,
}

impl JsonRequest {
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self { body: Map::new() });
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(body)) => Ok(Self { body }),
            _ => Err(ApiError::new(
                400,
                "SerializationException",
                "Start of structure or map found where not expected.",
            )),
        }
    }

    pub fn str(&self, key: &str) -> Result<Option<&str>, ApiError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(type_error(key, "STRING_VALUE")),
        }
    }

    /// A required string: absent is AWS's "Member must not be null".
    pub fn required(&self, key: &str) -> Result<&str, ApiError> {
        self.str(key)?.ok_or_else(|| {
            ApiError::validation(format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(key)
            ))
        })
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| type_error(key, "INTEGER_VALUE")),
            Some(_) => Err(type_error(key, "INTEGER_VALUE")),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(type_error(key, "BOOLEAN_VALUE")),
        }
    }

    pub fn object(&self, key: &str) -> Result<Option<&Map<String, Value>>, ApiError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(type_error(key, "STRUCTURE")),
        }
    }

    pub fn list(&self, key: &str) -> Result<&[Value], ApiError> {
        match self.body.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(type_error(key, "LIST")),
        }
    }

    /// A string member checked against an enum of the model.
    pub fn enum_value(&self, key: &str, allowed: &[&str]) -> Result<Option<&str>, ApiError> {
        let Some(v) = self.str(key)? else {
            return Ok(None);
        };
        if allowed.contains(&v) {
            Ok(Some(v))
        } else {
            Err(ApiError::validation(format!(
                "1 validation error detected: Value '{v}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                lower_first(key),
                allowed.join(", ")
            )))
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn type_error(key: &str, expected: &str) -> ApiError {
    ApiError::new(
        400,
        "SerializationException",
        format!("Unexpected value type for {key}: expected {expected}"),
    )
}

/// A timestamp as awsJson sends it: epoch seconds with fractions.
pub fn timestamp(t: Time) -> Value {
    let ms = t.timestamp_millis();
    serde_json::Number::from_f64(ms as f64 / 1000.0)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The error body the SDKs parse.
pub fn error_body(e: &ApiError) -> String {
    error_body_as(e, "message")
}

/// The error body with the message under `key` (AWS Organizations says `Message`).
pub fn error_body_as(e: &ApiError, key: &str) -> String {
    let mut body = Map::new();
    body.insert("__type".into(), Value::String(e.code.clone()));
    body.insert(key.into(), Value::String(e.message.clone()));
    if let Some(reason) = &e.reason {
        body.insert("Reason".into(), Value::String(reason.clone()));
    }
    Value::Object(body).to_string()
}

/// Drops null members so responses carry only what is set, as AWS's do.
pub fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(compact).collect()),
        other => other,
    }
}
