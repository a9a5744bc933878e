//! anyweb: `POST /service/serviceToken`.
//!
//! The page's caution box says "use JSON", but every code sample posts form fields and the real
//! server wants a form; the fake accepts urlencoded and multipart forms and refuses JSON, so a
//! client generated from the page text alone fails here as it would in production.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde_json::{Value, json};

use crate::Provider;
use crate::credentials::{ANYWEB_APPID, ANYWEB_SECRET};
use crate::request::non_empty;
use crate::state::AppState;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/service/serviceToken", post(service_token))
}

fn envelope(code: u16, message: &str, data: Value) -> Response {
    axum::Json(json!({"code": code, "message": message, "data": data})).into_response()
}

/// How the body was sent, judged by `Content-Type`.
enum Body {
    Json,
    UrlEncoded,
    Multipart,
    Other,
}

fn kind_of(req: &Request) -> Body {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    if mime == "application/x-www-form-urlencoded" {
        Body::UrlEncoded
    } else if mime == "multipart/form-data" {
        Body::Multipart
    } else if mime.ends_with("/json") || mime.ends_with("+json") {
        Body::Json
    } else {
        Body::Other
    }
}

fn json_refused() -> Response {
    envelope(4001, "请使用表单提交 (form data expected)", Value::Null)
}

async fn service_token(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let fields = match kind_of(&req) {
        Body::Json => return json_refused(),
        Body::UrlEncoded => Form::<HashMap<String, String>>::from_request(req, &())
            .await
            .map(|Form(map)| map)
            .unwrap_or_default(),
        Body::Multipart => match Multipart::from_request(req, &()).await {
            Ok(multipart) => multipart_fields(multipart).await,
            Err(_) => HashMap::new(),
        },
        Body::Other => {
            // A JSON object sent without (or with a wrong) content type is still JSON.
            let bytes = axum::body::Bytes::from_request(req, &())
                .await
                .unwrap_or_default();
            if crate::request::json_object(&bytes).is_some() {
                return json_refused();
            }
            HashMap::new()
        }
    };
    let (Some(appid), Some(secret)) = (non_empty(&fields, "appid"), non_empty(&fields, "secret"))
    else {
        return envelope(4000, "缺少参数", Value::Null);
    };
    if appid != ANYWEB_APPID || secret != ANYWEB_SECRET {
        return envelope(4003, "appid或secret错误", Value::Null);
    }
    let issued = state.issue(Provider::Anyweb, appid);
    envelope(
        1000,
        "success",
        json!({"serviceToken": issued.value, "expiresIn": issued.valid_for.as_secs()}),
    )
}

/// Text fields of a multipart form; a malformed part ends the reading, and whatever is missing
/// by then is reported as missing.
async fn multipart_fields(mut multipart: Multipart) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        match field.text().await {
            Ok(text) => {
                fields.insert(name, text);
            }
            Err(_) => break,
        }
    }
    fields
}
