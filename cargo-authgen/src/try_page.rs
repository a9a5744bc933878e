//! `try PAGE...`: describe pages and run each token endpoint end to end — against
//! the fake built from the same descriptor (made-up credentials), or against a server the user
//! names (`--base-url`, credentials by `--set`) — printing the request as sent (secrets
//! redacted), the token (a prefix) and its expiry, then a documented error decoded as its code.
//! Every failing step is named, and the exit code says whether all passed.
//!
//! `serve --spec FILE.json` serves one descriptor with the same fake.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use auth_runtime::spec::{EndpointSpec, Location, Role};
use auth_runtime::{Client, Error, ParamValue, Params, SecretString, Session};
use authgen_descriptor::Descriptor;
use authgen_descriptor::model::ValueType;
use authgen_descriptor::parse::{self, Severity};
use fake_providers::DescribedFake;
use serde_json::Value;

/// What `try` was asked.
pub struct TryOptions {
    /// The pages.
    pub paths: Vec<PathBuf>,
    /// A real (or sandbox) server; the fake when absent.
    pub base_url: Option<String>,
    /// `NAME=VALUE` credentials, by the page's parameter names.
    pub set: Vec<String>,
    /// An environment of the descriptor whose base URL to call (instead of `--base-url`).
    pub env: Option<String>,
}

/// Runs `try`.
pub fn try_pages(options: &TryOptions) -> Result<ExitCode, String> {
    let given = parse_sets(&options.set)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let mut failures: Vec<String> = Vec::new();
    for build in parse::describe_pages(&options.paths) {
        for d in build
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            eprintln!("{d}");
        }
        let Some(descriptor) = build.descriptor else {
            failures.push(format!("{}: describe: no descriptor", build.name));
            continue;
        };
        let result = runtime.block_on(try_descriptor(descriptor, options, &given));
        failures.extend(result);
    }
    if failures.is_empty() {
        println!("\nall steps passed");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("\nfailed steps:");
        for f in &failures {
            eprintln!("  {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}

fn parse_sets(sets: &[String]) -> Result<BTreeMap<String, String>, String> {
    sets.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
                .ok_or_else(|| format!("--set `{s}`: expected NAME=VALUE"))
        })
        .collect()
}

/// Tries every token endpoint of one descriptor; returns the failed steps.
async fn try_descriptor(
    descriptor: Descriptor,
    options: &TryOptions,
    given: &BTreeMap<String, String>,
) -> Vec<String> {
    let provider = descriptor.provider.clone();
    let specs = auth_runtime::dynamic::specs(&descriptor);
    let token_endpoints: Vec<&'static EndpointSpec> =
        specs.iter().copied().filter(|s| s.issues_token()).collect();
    if token_endpoints.is_empty() {
        return vec![format!(
            "{provider}: describe: no token endpoint (a response field such as access_token, or a token header)"
        )];
    }
    let fake = if options.base_url.is_none() && options.env.is_none() {
        match DescribedFake::start(descriptor.clone()).await {
            Ok(fake) => Some(fake),
            Err(e) => return vec![format!("{provider}: fake: cannot start: {e}")],
        }
    } else {
        None
    };
    let mut failures = Vec::new();
    for spec in token_endpoints {
        let step = |what: &str| format!("{provider}.{}: {what}", spec.name);
        let base_url = if let Some(url) = &options.base_url {
            url.clone()
        } else if let Some(env) = &options.env {
            match descriptor
                .endpoint(spec.name)
                .and_then(|e| e.base_urls.get(env))
            {
                Some(url) => url.clone(),
                None => {
                    failures.push(step(&format!("base URL: the page gives none for `{env}`")));
                    continue;
                }
            }
        } else if let Some(fake) = &fake {
            fake.base_url()
        } else {
            failures.push(step("base URL: none given and no fake running"));
            continue;
        };
        // Everything the token endpoints need: this one may first fetch another's token.
        let credentials = match &fake {
            Some(fake) => Ok(fake_credentials(specs, fake)),
            None => given_credentials(specs, given),
        };
        let credentials = match credentials {
            Ok(c) => c,
            Err(e) => {
                failures.push(step(&format!("credentials: {e}")));
                continue;
            }
        };
        println!(
            "\n{provider}.{} on {base_url}{}",
            spec.name,
            if fake.is_some() {
                " (the fake built from this descriptor; credentials made up)"
            } else {
                ""
            }
        );
        print_request(spec, &base_url, &credentials);
        let session = match new_session(specs, &base_url, credentials.clone()) {
            Ok(s) => s,
            Err(e) => {
                failures.push(step(&format!("session: {e}")));
                continue;
            }
        };
        match session.token(spec.name).await {
            Ok(token) => println!(
                "  token   {} (expires {}, refreshed from {})",
                token.display_prefix(),
                token.expires_at(),
                token.refresh_at()
            ),
            Err(e) => {
                println!("  token   failed: {e}");
                if let Error::Status { excerpt, .. } | Error::Decode { excerpt, .. } = &e
                    && !excerpt.is_empty()
                {
                    println!("          body: {excerpt}");
                }
                failures.push(step(&format!("fetch: {e}")));
                continue;
            }
        }
        if spec.errors.is_empty() {
            println!("  error   (the page documents no error code: step skipped)");
            continue;
        }
        let Some(wrong) = wrong_secret(spec, &credentials) else {
            println!("  error   (no required secret credential to get wrong: step skipped)");
            continue;
        };
        // A session of its own: an empty cache, so the wrong secret is really sent.
        let outcome = match new_session(specs, &base_url, wrong) {
            Ok(s) => s.token(spec.name).await,
            Err(e) => Err(e),
        };
        match outcome {
            Err(e) if e.documented().is_some() => println!(
                "  error   with a wrong secret: {e}\n          typed as `{}`",
                e.documented().map_or("", |d| d.variant)
            ),
            Err(e) => {
                println!("  error   with a wrong secret: {e} (not a documented code)");
                failures.push(step(&format!(
                    "documented error: the answer to a wrong secret is not a documented code: {e}"
                )));
            }
            Ok(_) => failures.push(step("documented error: a wrong secret was accepted")),
        }
    }
    if let Some(fake) = fake {
        fake.shutdown().await;
    }
    failures
}

fn new_session(
    specs: &'static [&'static EndpointSpec],
    base_url: &str,
    credentials: Params,
) -> Result<Session, Error> {
    let client = Client::default_for("try")?;
    Session::builder(client, specs, "try", base_url)
        .credentials(credentials)
        .build()
}

/// The names the token endpoints need from the user, each once.
fn needed_by_all(specs: &[&EndpointSpec]) -> Vec<(&'static str, ValueType, bool, bool)> {
    let mut out: Vec<(&'static str, ValueType, bool, bool)> = Vec::new();
    for spec in specs.iter().filter(|s| s.issues_token()) {
        for item in needed(spec) {
            if !out.iter().any(|(name, ..)| *name == item.0) {
                out.push(item);
            }
        }
    }
    out
}

/// The names a token endpoint needs from the user: credentials (required or not) and the HTTP
/// Basic pair, with their types.
fn needed(spec: &EndpointSpec) -> Vec<(&'static str, ValueType, bool, bool)> {
    let mut out: Vec<(&'static str, ValueType, bool, bool)> = spec
        .params
        .iter()
        .filter(|p| matches!(p.role, Role::Credential | Role::PerCall))
        .map(|p| (p.name, p.ty, p.secret, p.required))
        .collect();
    if let Some(basic) = spec.basic_auth {
        out.push((basic.user, ValueType::String, false, true));
        out.push((basic.password, ValueType::String, true, true));
    }
    out
}

fn fake_credentials(specs: &[&EndpointSpec], fake: &DescribedFake) -> Params {
    let mut params = Params::new();
    for (name, ty, secret, required) in needed_by_all(specs) {
        let value = fake
            .credentials()
            .get(name)
            .cloned()
            .unwrap_or_else(|| fake_providers::described::made_up_value(name, ty, secret));
        // Optional values the fake does not check are left out, as a user would.
        if !required && !fake.credentials().contains_key(name) {
            continue;
        }
        params.set(name, typed(value, secret));
    }
    params
}

fn typed(value: Value, secret: bool) -> ParamValue {
    match value {
        Value::String(s) if secret => ParamValue::Secret(SecretString::from(s)),
        Value::String(s) => ParamValue::Text(s),
        other => ParamValue::from(other),
    }
}

fn given_credentials(
    specs: &[&EndpointSpec],
    given: &BTreeMap<String, String>,
) -> Result<Params, String> {
    let mut params = Params::new();
    let mut missing = Vec::new();
    for (name, ty, secret, required) in needed_by_all(specs) {
        match given.get(name) {
            Some(text) => {
                let value = match ty {
                    ValueType::Boolean | ValueType::Integer | ValueType::Number => {
                        serde_json::from_str(text)
                            .map_err(|_| format!("--set {name}=…: expected a {}", ty.as_str()))?
                    }
                    _ => Value::from(text.clone()),
                };
                params.set(name, typed(value, secret));
            }
            None if required => missing.push(name),
            None => {}
        }
    }
    if missing.is_empty() {
        Ok(params)
    } else {
        Err(format!(
            "missing {} (give each with --set NAME=VALUE)",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// The credentials with the first secret replaced by a wrong value.
fn wrong_secret(spec: &EndpointSpec, credentials: &Params) -> Option<Params> {
    let secret = needed(spec)
        .into_iter()
        .find(|(name, ty, secret, required)| {
            *secret
                && *required
                && matches!(ty, ValueType::String | ValueType::Unknown)
                && credentials.contains(name)
        })?;
    let mut wrong = credentials.clone();
    wrong.set(
        secret.0,
        ParamValue::Secret(SecretString::from("wrong-secret-from-authgen-try")),
    );
    Some(wrong)
}

/// The request as the client will send it, secrets redacted.
fn print_request(spec: &EndpointSpec, base_url: &str, credentials: &Params) {
    println!(
        "  request {} {}{} ({} body)",
        spec.method,
        base_url.trim_end_matches('/'),
        spec.path,
        spec.encoding.as_str()
    );
    if let Some(basic) = spec.basic_auth {
        println!(
            "          Authorization: Basic [redacted] ({}:{})",
            basic.user, basic.password
        );
    }
    for p in spec.params {
        let shown = match p.role {
            Role::Constant(literal) => format!("{} (constant)", literal.to_json()),
            Role::ClientAuth => continue,
            Role::FilledFrom(source) => format!("[the {source} token]"),
            _ => match credentials.get(p.name) {
                Some(ParamValue::Secret(_)) => "[redacted]".to_owned(),
                Some(_) if p.secret => "[redacted]".to_owned(),
                Some(value) => format!("{value:?}"),
                None => "(not sent)".to_owned(),
            },
        };
        let place = match p.location {
            Location::Query => "query ",
            Location::Header => "header",
            Location::Body => "body  ",
            Location::Path => "path  ",
        };
        println!("          {place} {} = {shown}", p.name);
    }
}

/// `serve --spec FILE.json`: the fake of one descriptor, until stopped.
pub fn serve_spec(path: &Path, port: u16) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let descriptor =
        Descriptor::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let fake = DescribedFake::start_on(descriptor.clone(), port)
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        println!(
            "fake `{}` listening on {}",
            descriptor.provider,
            fake.base_url()
        );
        for e in &descriptor.endpoints {
            println!("  {} {}", e.method, e.path);
        }
        println!("credentials it accepts:");
        for (name, value) in fake.credentials() {
            println!("  {name} = {value}");
        }
        println!("press Ctrl-C to stop");
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
        fake.shutdown().await;
        Ok(())
    })
}
