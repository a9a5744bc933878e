//! Set-up the runtime's integration tests and benches share, written once: endpoint specs as
//! data (a new `EndpointSpec` or `ParamSpec` field needs one edit here, not one per file) and
//! loopback servers (an axum app on a free port, or a raw socket that controls every byte and
//! records what it was sent).
//!
//! Each test file uses a part of it (`mod support;`; benches `#[path]` to it).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::{Arc, Mutex};

use auth_runtime::spec::{
    Encoding, EndpointSpec, EnvelopeSpec, ExpiryKind, ExpirySpec, Literal, Location, Method,
    ParamSpec, Presentation, Role, TokenSpec, ValueType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The token at `access_token`, presented as `Authorization: Bearer` (OAuth 2's shape).
pub const ACCESS_TOKEN: TokenSpec = TokenSpec {
    path: "access_token",
    header: false,
    presentation: Presentation::Authorization { scheme: "Bearer" },
    scheme_included: None,
    invalidates_previous: false,
};

/// WeChat's envelope: `errcode` 0 (or absent) is success, `errmsg` the message.
pub const ERRCODE: EnvelopeSpec = EnvelopeSpec {
    success_field: "errcode",
    success: Literal::Int(0),
    absent_ok: true,
    code: Some("errcode"),
    message: Some("errmsg"),
    data: None,
};

/// The lifetime in seconds at `expires_in`.
pub const EXPIRES_IN: [ExpirySpec; 1] = [ExpirySpec {
    path: "expires_in",
    kind: ExpiryKind::Seconds,
    time_zone: None,
}];

/// A token endpoint of provider `p` named `token`: no envelope, no expiry field, no documented
/// errors. Tests change what they need with struct update syntax.
pub const fn token_endpoint(
    method: Method,
    path: &'static str,
    encoding: Encoding,
    params: &'static [ParamSpec],
) -> EndpointSpec {
    EndpointSpec {
        provider: "p",
        name: "token",
        method,
        path,
        encoding,
        params,
        basic_auth: None,
        envelope: None,
        token: Some(ACCESS_TOKEN),
        expiry: &[],
        use_limit: None,
        errors: &[],
    }
}

/// A required string credential at `location`.
pub const fn credential(name: &'static str, location: Location, secret: bool) -> ParamSpec {
    ParamSpec {
        name,
        location,
        required: true,
        secret,
        ty: ValueType::String,
        role: Role::Credential,
    }
}

/// Serves `app` on a free loopback port; the base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// An HTTP/1.1 response with a JSON body, closing the connection.
pub fn json_response(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A loopback server written on a raw socket: it answers every request with the same bytes and
/// records each request it read (head and as much body as `Content-Length` says).
pub struct Recorder {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    /// Starts one answering with `response`, sent as is.
    pub async fn start(response: Vec<u8>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let response = Arc::new(response);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let seen = Arc::clone(&seen);
                let response = Arc::clone(&response);
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    seen.lock().unwrap().push(request);
                    let _ = socket.write_all(&response).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Recorder { port, requests }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests read so far, as lossy text.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request: the head, then the body `Content-Length` announces. `None` when the
/// connection fails first.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut got = Vec::new();
    loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                break;
            }
        }
    }
    Some(String::from_utf8_lossy(&got).into_owned())
}
