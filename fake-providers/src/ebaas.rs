//! ebaas: `GET /oauth/getAccessToken`, `POST /oauth/getServiceTicket`, and `GET /ebaas/resource`,
//! a protected call the pages do not show but use-limited tickets need to be tested against.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::credentials::{EBAAS_CLIENT_ID, EBAAS_CLIENT_SECRET};
use crate::request::{QueryMap, json_object, json_str, non_empty, query_map};
use crate::state::AppState;
use crate::{Provider, time, token};

/// Header carrying the service ticket on [`resource`] calls.
const TICKET_HEADER: &str = "x-service-ticket";

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/oauth/getAccessToken", get(get_access_token))
        .route("/oauth/getServiceTicket", post(get_service_ticket))
        .route("/ebaas/resource", get(resource))
}

/// The page's envelope; every answer gets a fresh `request_id`.
fn envelope(code: &str, msg: &str, data: Value) -> Response {
    axum::Json(json!({
        "request_id": token::request_id(),
        "code": code,
        "msg": msg,
        "data": data,
    }))
    .into_response()
}

fn missing(name: &str) -> Response {
    envelope("400", &format!("参数[{name}]不能为空"), Value::Null)
}

fn unparsable() -> Response {
    envelope("400003", "入参解析异常", Value::Null)
}

async fn get_access_token(State(state): State<Arc<AppState>>, query: QueryMap) -> Response {
    let query = query_map(query);
    let Some(client_id) = non_empty(&query, "client_id") else {
        return missing("client_id");
    };
    let Some(client_secret) = non_empty(&query, "client_secret") else {
        return missing("client_secret");
    };
    if client_id != EBAAS_CLIENT_ID {
        return envelope("403006", "client_id不正确", Value::Null);
    }
    if client_secret != EBAAS_CLIENT_SECRET {
        return envelope("403007", "client_secret不正确", Value::Null);
    }
    let issued = state.issue(Provider::Ebaas, client_id);
    envelope(
        "000",
        "成功",
        json!({
            "access_token": issued.value,
            "expired": time::shanghai_naive(time::unix_secs(issued.expires_at)),
        }),
    )
}

async fn get_service_ticket(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(obj) = body.ok().as_deref().and_then(json_object) else {
        return unparsable();
    };
    let (access_token, login_token) =
        match (json_str(&obj, "access_token"), json_str(&obj, "token")) {
            (Ok(a), Ok(t)) => (a, t),
            _ => return unparsable(),
        };
    let Some(access_token) = access_token else {
        return missing("access_token");
    };
    // The login token belongs to an end user of another system; the fake has no users, so any
    // non-empty value passes.
    if login_token.is_none() {
        return missing("token");
    }
    if !state.present(Provider::Ebaas, access_token) {
        return envelope("401003", "无效的access_token", Value::Null);
    }
    let ticket = state.issue_ticket();
    envelope(
        "000",
        "成功",
        json!({
            "expired": time::shanghai_naive(time::unix_secs(ticket.expires_at)),
            "service_ticket": ticket.value,
            "number_of_uses": ticket.uses,
        }),
    )
}

async fn resource(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let ticket = headers
        .get(TICKET_HEADER)
        // Lossy, so that a garbled ticket still counts as an invalid presentation.
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if state.use_ticket(&ticket) {
        axum::Json(json!({"code": "000", "msg": "成功", "data": "ok"})).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"code": "401003", "msg": "无效的service_ticket", "data": null})),
        )
            .into_response()
    }
}
