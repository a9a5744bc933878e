//! appauth (YApi page): `GET /auth/getAccessToken` and the validity probe `GET /auth/hello`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::credentials::{APPAUTH_APP_ID, APPAUTH_APP_SECRET};
use crate::request::{QueryMap, non_empty, query_map};
use crate::state::AppState;
use crate::{Provider, time};

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/auth/getAccessToken", get(get_access_token))
        .route("/auth/hello", get(hello))
}

fn envelope(status: StatusCode, code: u16, message: &str, result: Value) -> Response {
    let success = code == 200;
    (
        status,
        axum::Json(json!({
            "code": code,
            "message": message,
            "result": result,
            "success": success,
        })),
    )
        .into_response()
}

async fn get_access_token(State(state): State<Arc<AppState>>, query: QueryMap) -> Response {
    let query = query_map(query);
    let app_id = non_empty(&query, "appId");
    let app_secret = non_empty(&query, "appSecret");
    if app_id != Some(APPAUTH_APP_ID) || app_secret != Some(APPAUTH_APP_SECRET) {
        return envelope(StatusCode::OK, 401, "appId或appSecret不正确", Value::Null);
    }
    // "有效期内重复获取返回相同结果": the same token again while it lasts.
    let issued = state.current_or_issue(Provider::Appauth, APPAUTH_APP_ID);
    envelope(
        StatusCode::OK,
        200,
        "success",
        json!({
            "accessToken": issued.value,
            "expireTime": time::shanghai_rfc3339(time::unix_secs(issued.expires_at)),
            "expiresIn": issued.valid_for.as_secs(),
        }),
    )
}

async fn hello(State(state): State<Arc<AppState>>, query: QueryMap) -> Response {
    let query = query_map(query);
    let token = non_empty(&query, "accessToken").unwrap_or_default();
    if state.present(Provider::Appauth, token) {
        envelope(StatusCode::OK, 200, "success", json!("hello"))
    } else {
        envelope(
            StatusCode::UNAUTHORIZED,
            401,
            "accessToken无效",
            Value::Null,
        )
    }
}
