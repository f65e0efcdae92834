//! The API's one error type: every failure becomes `{ "error", "detail" }` with its status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The body of every error answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in a few words (`bad parameter `k``, `indicator not found`, ...).
    pub error: String,
    /// What exactly, and what to do instead.
    pub detail: String,
}

/// A failed request.
#[derive(Debug)]
pub enum ApiError {
    /// A query or path parameter is malformed or out of range (400).
    BadParameter { parameter: &'static str, detail: String },
    /// The named thing does not exist (404).
    NotFound { what: &'static str, detail: String },
    /// The request body is larger than allowed (413).
    TooLarge { detail: String },
    /// The request is well-formed but its content cannot be used (422).
    Unusable { detail: String },
    /// The indicator is one district figure and has no LSOA map (422).
    NotMapped { detail: String },
    /// The server failed on its side (500): said as such, never as the client's fault.
    Internal { detail: String },
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

impl From<crate::analysis::CustomAreaError> for ApiError {
    fn from(error: crate::analysis::CustomAreaError) -> Self {
        use crate::analysis::CustomAreaError as E;
        match error {
            E::Malformed(detail) => ApiError::BadParameter { parameter: "body", detail },
            E::Unusable(detail) => ApiError::Unusable { detail },
            unknown @ E::UnknownLsoas(_) => ApiError::not_found("LSOA", unknown.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, detail) = match self {
            ApiError::BadParameter { parameter, detail } => {
                (StatusCode::BAD_REQUEST, format!("bad parameter `{parameter}`"), detail)
            }
            ApiError::NotFound { what, detail } => (StatusCode::NOT_FOUND, format!("{what} not found"), detail),
            ApiError::TooLarge { detail } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "request body too large".to_owned(), detail)
            }
            ApiError::Unusable { detail } => (StatusCode::UNPROCESSABLE_ENTITY, "unusable area".to_owned(), detail),
            ApiError::Internal { detail } => (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned(), detail),
            ApiError::NotMapped { detail } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "indicator has no LSOA map".to_owned(), detail)
            }
        };
        (status, Json(ErrorBody { error, detail })).into_response()
    }
}
