//! Structured inputs: a Postman collection and OpenAPI in YAML are read like any page (HTTP Basic,
//! the form encoding from the Content-Type row, OAuth error codes from saved responses); broken
//! YAML, a dangling `$ref`, a `$ref` cycle and a 10,000-deep schema end in an error with a line or
//! a descriptor, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use authgen_descriptor::model::Role;
use authgen_descriptor::parse::describe_text;

#[test]
fn a_postman_collection_reads_like_a_page() {
    let text = include_str!("structured/acme.postman_collection.json");
    let (found, _, diagnostics) = describe_text("acme.postman_collection.json", Some("json"), text);
    let (endpoints, _) = found.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let e = &endpoints[0];
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("POST", "/oauth2/token")
    );
    assert_eq!(
        e.base_urls.get("prod").map(String::as_str),
        Some("https://auth.acme.example")
    );
    assert_eq!(e.encoding.as_str(), "form");
    let basic = e.basic_auth.as_ref().expect("HTTP Basic");
    assert_eq!(
        (basic.user.as_str(), basic.password.as_str()),
        ("client_id", "client_secret")
    );
    assert_eq!(
        e.token.as_ref().map(|t| t.path.as_str()),
        Some("access_token")
    );
    assert!(e.errors.iter().any(|x| x.code == "invalid_client"));
    assert!(e.params.iter().any(|p| p.name == "grant_type"));
    let _ = Role::Credential;
}

const OPENAPI_YAML: &str = "openapi: 3.1.0
info:
  title: Acme
  version: '1'
servers:
  - url: https://auth.acme.example
paths:
  /oauth2/token:
    post:
      summary: Get a token
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [grant_type]
              properties:
                grant_type:
                  type: string
                  description: Must be `client_credentials`.
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Token'
components:
  schemas:
    Token:
      type: object
      properties:
        access_token: {type: string}
        expires_in: {type: integer, description: Lifetime in seconds}
";

#[test]
fn openapi_in_yaml_reads_like_openapi_in_json() {
    let (found, _, diagnostics) = describe_text("acme.yaml", Some("yaml"), OPENAPI_YAML);
    let (endpoints, _) = found.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let e = &endpoints[0];
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("POST", "/oauth2/token")
    );
    assert_eq!(
        e.token.as_ref().map(|t| t.path.as_str()),
        Some("access_token")
    );
    assert_eq!(
        e.expiry.first().map(|x| x.path.as_str()),
        Some("expires_in")
    );
    // Without an extension, sniffed from its first line.
    let (found, _, _) = describe_text("acme", None, OPENAPI_YAML);
    assert!(found.is_some());
}

#[test]
fn bad_structured_input_is_an_error_with_a_line_or_a_descriptor_never_a_panic() {
    let (found, _, diagnostics) = describe_text(
        "b.yaml",
        Some("yaml"),
        "openapi: 3.1.0\npaths: [1, 2\n  x: y\n",
    );
    assert!(found.is_none());
    assert!(
        diagnostics
            .iter()
            .any(|d| d.is_error() && d.source.line > 1),
        "{diagnostics:?}"
    );

    let dangling = OPENAPI_YAML.replace("#/components/schemas/Token", "#/components/schemas/Nope");
    let (_, _, diagnostics) = describe_text("d.yaml", Some("yaml"), &dangling);
    assert!(
        diagnostics.iter().any(|d| d.message.contains("dangling `$ref` at /paths/~1oauth2~1token/post/responses/200/content/application~1json/schema")),
        "{diagnostics:?}"
    );

    let cycle = OPENAPI_YAML.replace(
        "        access_token: {type: string}",
        "        access_token: {type: string}\n        again: {$ref: '#/components/schemas/Token'}",
    );
    let (found, _, diagnostics) = describe_text("c.yaml", Some("yaml"), &cycle);
    assert!(found.is_some(), "a cycle is cut, the rest is read");
    assert!(
        diagnostics.iter().any(|d| d
            .message
            .contains("`$ref` cycle at /components/schemas/Token/properties/again")),
        "{diagnostics:?}"
    );

    let deep = format!(
        "{{\"openapi\": \"3.0.0\", \"paths\": {{\"/t\": {{\"post\": {{\"responses\": {{\"200\": {{\"description\": \"x\", \"content\": {{\"application/json\": {{\"schema\": {}{}}}}}}}}}}}}}}}}}",
        "{\"type\": \"object\", \"properties\": {\"a\": ".repeat(10_000),
        "}}".repeat(10_000)
    );
    let (_, _, diagnostics) = describe_text("deep.json", Some("json"), &deep);
    assert!(diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
    let deep_yaml = format!(
        "openapi: 3.0.0\nx: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (found, _, diagnostics) = describe_text("deep.yaml", Some("yaml"), &deep_yaml);
    assert!(found.is_none() && diagnostics.iter().any(|d| d.message.contains("deeper")));
}

#[test]
fn a_swagger_ui_responses_table_gives_its_success_sample() {
    let page = "<h2>Create a token</h2><p>POST</p><p>/app/tokens</p><h4>Responses</h4><table><tr><th>Code</th><th>Description</th></tr><tr><td>201</td><td>Response<pre>{\n\"token\": \"ghs_16C7e42F292c6912E7710c838347Ae178B4a\",\n\"expires_at\": \"2016-07-11T22:14:10Z\"\n}</pre></td></tr><tr><td>401</td><td>Requires authentication</td></tr></table>";
    let (found, _, diagnostics) = describe_text("swagger-ui.html", Some("html"), page);
    let (endpoints, _) = found.unwrap_or_else(|| panic!("{diagnostics:?}"));
    let e = &endpoints[0];
    assert_eq!(e.token.as_ref().map(|t| t.path.as_str()), Some("token"));
    assert_eq!(
        e.expiry.first().map(|x| x.path.as_str()),
        Some("expires_at")
    );
}
