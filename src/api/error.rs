//! The API's one error type: every failure becomes `{ "error", "detail" }` with its status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A failed request.
#[derive(Debug)]
pub enum ApiError {
    /// A query or path parameter is malformed or out of range (400).
    BadParameter { parameter: &'static str, detail: String },
    /// The named thing does not exist (404).
    NotFound { what: &'static str, detail: String },
}

impl ApiError {
    /// A 400 for one parameter.
    pub fn bad(parameter: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadParameter { parameter, detail: detail.into() }
    }

    /// A 404 for an unknown thing.
    pub fn not_found(what: &'static str, detail: impl Into<String>) -> Self {
        ApiError::NotFound { what, detail: detail.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, detail) = match self {
            ApiError::BadParameter { parameter, detail } => {
                (StatusCode::BAD_REQUEST, format!("bad parameter `{parameter}`"), detail)
            }
            ApiError::NotFound { what, detail } => (StatusCode::NOT_FOUND, format!("{what} not found"), detail),
        };
        (status, Json(json!({ "error": error, "detail": detail }))).into_response()
    }
}
