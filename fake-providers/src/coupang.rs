//! coupang: `POST /oauth/token/get` and the test resource API `GET /product`, `GET /product/get`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::Provider;
use crate::credentials::{COUPANG_APP_ID, COUPANG_APP_SECRET, COUPANG_SERVER_ERROR_APP_ID};
use crate::request::{QueryMap, json_object, json_str, query_map};
use crate::state::AppState;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/oauth/token/get", post(get_token))
        .route("/product", get(product_list))
        .route("/product/get", get(product_get))
}

/// Errors keep the HTTP status at 200 and put the status in the body, like the page's sample.
fn failure(status_code: u16, err_msg: &str) -> Response {
    axum::Json(json!({
        "appId": null,
        "accessToken": null,
        "expiresIn": null,
        "statusCode": status_code,
        "errMsg": err_msg,
    }))
    .into_response()
}

async fn get_token(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let bad_request = || failure(400, "错误请求");
    let Some(obj) = body.ok().as_deref().and_then(json_object) else {
        return bad_request();
    };
    // Only `app_secret`, the name the sample request uses: the table's `app_key` is what a client
    // built from the table alone would send, and the fake should catch that.
    let (Ok(Some(app_id)), Ok(Some(app_secret))) =
        (json_str(&obj, "app_id"), json_str(&obj, "app_secret"))
    else {
        return bad_request();
    };
    if app_id == COUPANG_SERVER_ERROR_APP_ID {
        return failure(500, "服务错误");
    }
    if app_id != COUPANG_APP_ID {
        return failure(401, "非法id");
    }
    if app_secret != COUPANG_APP_SECRET {
        return failure(403, "禁止访问");
    }
    let issued = state.issue(Provider::Coupang, app_id);
    axum::Json(json!({
        "appId": app_id,
        // The scheme is part of the value, as on the page: clients must send it as-is.
        "accessToken": format!("Bearer {}", issued.value),
        "expiresIn": issued.valid_for.as_secs(),
        "statusCode": 200,
        "errMsg": null,
    }))
    .into_response()
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn product_list() -> Response {
    text(StatusCode::OK, "Ok!You got the product list".to_owned())
}

async fn product_get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: QueryMap,
) -> Response {
    // Lossy, so that a garbled header still counts as an invalid presentation.
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let authorized = match authorization.strip_prefix("Bearer ") {
        // `Bearer Bearer x` arrives here as the token `Bearer x`, which was never issued.
        Some(token) => state.present(Provider::Coupang, token),
        None => {
            if !authorization.is_empty() {
                state.note_invalid(Provider::Coupang);
            }
            false
        }
    };
    if !authorized {
        return text(StatusCode::UNAUTHORIZED, "401".to_owned());
    }
    // ASP.NET binds a missing or non-numeric `int id` to 0.
    let id: i64 = query_map(query)
        .get("id")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    text(
        StatusCode::OK,
        format!("Ok!You successfully caught me. The Id is {id}"),
    )
}
