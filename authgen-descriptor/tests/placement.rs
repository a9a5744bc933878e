//! Where what a page states belongs. Pages written for the test, in Markdown and in HTML.
//!
//! - A sentence may state the page's endpoint ("Send a POST request to …") or refer to another
//!   ("until it is revoked with `POST /oauth/revoke`"); a reference is not an endpoint when its
//!   section states its own endpoint outside a sentence.
//! - A token response is the response wherever it sits (under a `Token request` heading), and a
//!   `Body` heading under `Responses` is the response's body: neither gives request parameters.
//! - A list item that names the request or the response (API Blueprint's `+ Response 200`)
//!   labels what follows; `Headers`/`Body` after it are the response's.
//! - A sample call with a concrete id (`/v1/artists/0TnOYISbd1XYRBk9myaseg`) shows how to use the
//!   token; it is no protected endpoint (a documented `{id}` form is).
//! - A label over or before its media type (`REQUEST BODY *` / `application/x-www-form-urlencoded`,
//!   `Body 参数 application/json`) starts the body's parameters; a row may be one box
//!   (`developerId integer 必需`).
//! - A heading that is a key (`#### 接口URL`) takes its value from the next block (`> …/gettoken`).
//! - A plain-text environment list (`正式  api_host = https://…`), or any list of labelled bare
//!   hosts (`EU  https://accounts.example.eu`), names the base URLs.
//! - A host table (`Environment | URL`) in a request section lists hosts, not parameters.
//! - A browser authorisation page is no endpoint, and its parameters are not the next one's; nor
//!   are those of a section that declares another call (a heading, then `GET …/shop.json`).
//! - A sub-code column (`error | sub_error | Meaning`) documents codes as much as the main one.
//! - Schema rows laid out in boxes (`client_key` / `Type: string` / `required` / `Example`) give
//!   typed parameters; their attribute lines (`format: csv`, `const: …`) are none.
//! - The encoding: literal requests that all send a form outweigh a sentence saying JSON; "a
//!   URL-encoded form (not JSON)" says form. An error body is never a request sample.
//! - What is not a value: a code span's backticks, and headers the HTTP client sets itself
//!   (`User-Agent`, `Content-Length`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use authgen_descriptor::model::{Endpoint, Location};
use authgen_descriptor::parse::describe_text;

/// The endpoints read from `text`; the diagnostics when none is.
fn endpoints(page: &str, extension: &str, text: &str) -> Vec<Endpoint> {
    let (found, _, diagnostics) = describe_text(page, Some(extension), text);
    found.unwrap_or_else(|| panic!("{diagnostics:?}")).0
}

fn paths(page: &str, extension: &str, text: &str) -> Vec<String> {
    endpoints(page, extension, text)
        .into_iter()
        .map(|e| e.path)
        .collect()
}

/// The parameter names of the first endpoint.
fn param_names(page: &str, extension: &str, text: &str) -> Vec<String> {
    endpoints(page, extension, text)[0]
        .params
        .iter()
        .map(|p| p.name.clone())
        .collect()
}

const TOKEN_SECTION: &str = "# Get an app token

POST https://api.example.com/oauth2/token

The token does not expire on its own: requesting it again returns the same one until it is
revoked with `POST /oauth2/revoke_token`. Cache it and reuse it everywhere.

| Parameter | Required | Description |
|---|---|---|
| grant_type | yes | `client_credentials` |

Response:

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";

#[test]
fn a_sentence_naming_another_endpoint_is_a_reference() {
    assert_eq!(
        paths("t.md", "md", TOKEN_SECTION),
        ["/oauth2/token"],
        "the revoke endpoint is only mentioned"
    );
}

#[test]
fn the_same_page_in_html_reads_the_same() {
    let html = "<h1>Get an app token</h1>
<p>POST https://api.example.com/oauth2/token</p>
<p>Requesting it again returns the same one until it is revoked with
<code>POST /oauth2/revoke_token</code> by an administrator of the app.</p>
<table><tr><th>Parameter</th><th>Required</th><th>Description</th></tr>
<tr><td>grant_type</td><td>yes</td><td>client_credentials</td></tr></table>
<pre><code>{\"access_token\": \"AAAA\", \"expires_in\": 7200}</code></pre>";
    assert_eq!(paths("t.html", "html", html), ["/oauth2/token"]);
}

#[test]
fn a_sentence_that_is_the_only_statement_states_the_endpoint() {
    let page = "# Tokens

To get a token, your server sends a POST request to https://api.example.com/oauth2/token with the
client id and secret in the body.

| Parameter | Required | Description |
|---|---|---|
| client_id | yes | The app id |
| client_secret | yes | The app secret |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";
    assert_eq!(paths("t.md", "md", page), ["/oauth2/token"]);
}

#[test]
fn an_endpoint_stated_on_its_own_elsewhere_is_kept() {
    let page = format!(
        "{TOKEN_SECTION}\n# Revoke the token\n\nPOST https://api.example.com/oauth2/revoke_token\n\n\
         | Parameter | Required | Description |\n|---|---|---|\n| access_token | yes | The token to revoke |\n"
    );
    assert_eq!(
        paths("t.md", "md", &page),
        ["/oauth2/token", "/oauth2/revoke_token"]
    );
}

#[test]
fn a_value_written_as_a_code_span_is_sent_without_its_backticks() {
    let page = "# Token

POST https://api.example.com/oauth2/token

| Parameter | Where | Required | Value |
|---|---|---|---|
| `grant_type` | body | yes | `client_credentials` |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";
    let endpoints = endpoints("t.md", "md", page);
    let grant = &endpoints[0].params[0];
    assert_eq!(grant.name, "grant_type");
    // The constant the descriptor's roles make of it is this example.
    assert_eq!(grant.example.as_deref(), Some("client_credentials"));
}

#[test]
fn headers_the_http_client_sets_are_not_parameters() {
    let page = "# Token

POST https://api.example.com/oauth2/token

Request headers

| Name | Value | Description |
|---|---|---|
| User-Agent | AcmeListening/1.0.23 | |
| Content-Length | 29 | |
| X-Api-Key | abc | Your key |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";
    assert_eq!(param_names("t.md", "md", page), ["X-Api-Key"]);
}

#[test]
fn a_token_response_under_a_request_heading_gives_no_parameters() {
    let page = "# Tokens

## Token request

- Endpoint: `POST https://api.example.com/oauth/v3/token`
- `client_id`: Required. The app's client ID.
- `client_secret`: Required. The app's client secret.

A successful exchange looks like this:

```json
{\"token_type\": \"bearer\", \"access_token\": \"CJSP5qf1\", \"expires_in\": 1800, \"hub_id\": 24681357}
```
";
    assert_eq!(
        param_names("t.md", "md", page),
        ["client_id", "client_secret"]
    );
}

#[test]
fn a_body_heading_under_responses_is_the_response_body() {
    let html = "<h1>Token</h1>
<p>POST https://api.example.com/oauth/token</p>
<h2>Request</h2><h3>Body</h3>
<table><tr><th>Name</th><th>Type</th><th>Required</th><th>Description</th></tr>
<tr><td>client_id</td><td>string</td><td>yes</td><td>The app id</td></tr></table>
<h2>Responses</h2><h3>Body</h3>
<table><tr><th>Name</th><th>Type</th><th>Description</th></tr>
<tr><td>access_token</td><td>string</td><td>The token</td></tr>
<tr><td>expires_in</td><td>integer</td><td>Seconds</td></tr></table>";
    let endpoints = endpoints("t.html", "html", html);
    let params: Vec<&str> = endpoints[0]
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(params, ["client_id"]);
    let fields: Vec<&str> = endpoints[0]
        .response
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(fields, ["access_token", "expires_in"]);
}

#[test]
fn a_host_table_in_a_request_section_is_not_parameters() {
    let page = "# Token

## Client credentials grant request

POST /oauth2/token

| Environment | URL |
|---|---|
| Production | https://api.example.com |
| Sandbox | https://api.sandbox.example.com |

| Header | Required | Value |
|---|---|---|
| `X-Api-Version` | Yes | `2024-01` |

| Name | Type | Required | Description |
|---|---|---|---|
| grant_type | string | true | `client_credentials` |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";
    let endpoints = endpoints("t.md", "md", page);
    let params: Vec<(&str, Location)> = endpoints[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert_eq!(
        params,
        [
            ("X-Api-Version", Location::Header),
            ("grant_type", Location::Body)
        ]
    );
    assert_eq!(endpoints[0].base_urls.len(), 2, "the table names the hosts");
}

#[test]
fn the_authorisation_page_keeps_its_own_parameters() {
    let page = "# Merchant authorisation

#### Step 1: send the merchant to the login page

URL: `https://oauth.example.com/oauth2/authorize?app_key=XXX&response_type=code&state=1`

| Name | Required | Type | Description |
|---|---|---|---|
| app_key | yes | string | The app key |
| response_type | yes | string | Always `code` |
| state | no | string | Echoed back |

#### Step 2: exchange the code

URL: `https://oauth.example.com/oauth2/access_token`

Method: GET

| Name | Required | Type | Description |
|---|---|---|---|
| app_key | yes | string | The app key |
| code | yes | string | The code from step 1 |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 7200}
```
";
    assert_eq!(param_names("t.md", "md", page), ["app_key", "code"]);
}

#[test]
fn list_items_that_name_the_request_and_the_response_label_what_follows() {
    let page = "FORMAT: 1A
HOST: https://api.example.com

# Auth

## Get a token [/oauth/token]

### Get a token [POST]

+ Request (application/x-www-form-urlencoded)

    + Attributes
        + client_id: `a4f` (string, required) - The client id
        + client_secret: `0b9` (string, required) - The secret

+ Response 200 (application/json)

    + Attributes
        + access_token: `8d1f` (string, required) - The token
        + token_type: `bearer` (string, required) - Its type
        + expires_in: 604799 (number, required) - Seconds

    + Body

            {\"access_token\": \"8d1f\", \"token_type\": \"bearer\", \"expires_in\": 604799}
";
    assert_eq!(
        param_names("t.apib", "apib", page),
        ["client_id", "client_secret"]
    );
}

#[test]
fn a_sample_call_with_a_concrete_id_is_no_protected_endpoint() {
    let page = "# Client credentials

POST https://accounts.example.com/api/token

| Name | Required | Description |
|---|---|---|
| grant_type | yes | `client_credentials` |

```json
{\"access_token\": \"AAAA\", \"expires_in\": 3600}
```

## Use the token

```bash
curl \"https://api.example.com/v1/artists/0TnOYISbd1XYRBk9myaseg\" -H \"Authorization: Bearer AAAA\"
```

## Call the order API

GET https://api.example.com/v1/orders/{order_id}

Send `Authorization: Bearer <access_token>`.
";
    assert_eq!(
        paths("t.md", "md", page),
        ["/api/token", "/v1/orders/{order_id}"]
    );
}

#[test]
fn a_label_over_its_media_type_starts_the_body() {
    let html = "<h2>Token</h2><p>POST /realms/{realm}/token</p>
<p>PATH PARAMETERS</p>
<table><tr><th>Name</th><th>Type</th><th>Required</th></tr><tr><td>realm</td><td>string</td><td>yes</td></tr></table>
<p>REQUEST BODY *<br>application/x-www-form-urlencoded</p>
<table><tr><th>Name</th><th>Type</th><th>Required</th></tr><tr><td>grant_type</td><td>string</td><td>yes</td></tr></table>
<pre><code>{\"access_token\": \"a\", \"expires_in\": 300}</code></pre>";
    let endpoints = endpoints("t.html", "html", html);
    let params: Vec<(&str, Location)> = endpoints[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert_eq!(
        params,
        [("realm", Location::Path), ("grant_type", Location::Body)]
    );
}

#[test]
fn headings_that_are_keys_take_their_value_from_the_next_block() {
    let page = "## /鉴权/获取access_token

#### 接口URL
> {{host}}/cgi-bin/gettoken?corpid=ww3f&corpsecret={{secret}}

#### 请求方式
> GET

#### 请求Query参数
参数名 | 示例值 | 参数类型 | 是否必填 | 参数描述
--- | --- | --- | --- | ---
corpid | ww3f | String | 是 | 企业ID

#### 成功响应示例
```javascript
{\"errcode\": 0, \"access_token\": \"abc\", \"expires_in\": 7200}
```
";
    let endpoints = endpoints("t.md", "md", page);
    assert_eq!(endpoints[0].path, "/cgi-bin/gettoken");
    assert_eq!(endpoints[0].method, authgen_descriptor::model::Method::Get);
}

#[test]
fn a_host_in_a_plain_text_environment_list_is_the_base_url() {
    let page = "# App

```text
Environments:
  正式      api_host = https://api.example.com
  本地Mock  api_host = http://127.0.0.1:4523/m1/22-0-default
```

## Token

GET {{api_host}}/oauth/token

```json
{\"access_token\": \"a\", \"expires_in\": 300}
```
";
    let endpoints = endpoints("t.md", "md", page);
    assert_eq!(
        endpoints[0].base_urls.get("prod").map(String::as_str),
        Some("https://api.example.com")
    );
}

#[test]
fn a_sub_code_column_documents_codes_too() {
    let page = "# Token

POST https://oauth.example.com/oauth2/v3/token

```json
{\"access_token\": \"a\", \"expires_in\": 3600}
```

## Errors

| error | sub_error | Meaning |
|---|---|---|
| 1101 | 12304 | client_secret is wrong |
| 1102 | 20181 | grant_type is missing |
";
    let endpoints = endpoints("t.md", "md", page);
    let codes: Vec<&str> = endpoints[0]
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    for code in ["1101", "12304", "1102", "20181"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
}

#[test]
fn schema_rows_with_keyed_attributes_give_typed_parameters_and_no_attribute_parameters() {
    let html = "<h2>Client token</h2><p>POST https://open.example.com/oauth/client_token/</p>
<p>Body</p><p>application/json</p>
<div>client_key</div><div>Type: string</div><div>required</div><div>Example</div><div>awq8x2</div>
<div>The app id.</div>
<div>grant_type</div><div>const: client_credential</div><div>required</div><div>Always this value.</div>
<div>scope</div><div>Type: string</div><div>format: csv</div><div>Scopes, comma separated.</div>
<pre><code>{\"data\": {\"access_token\": \"clt.1\", \"expires_in\": 7200}}</code></pre>";
    let endpoints = endpoints("t.html", "html", html);
    let params: Vec<(&str, bool, Option<&str>)> = endpoints[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required, p.example.as_deref()))
        .collect();
    assert_eq!(
        params,
        [
            ("client_key", true, Some("awq8x2")),
            ("grant_type", true, Some("client_credential")),
            ("scope", false, None)
        ]
    );
}

#[test]
fn a_notes_table_laid_out_like_parameters_gives_none_and_says_so() {
    let page = "# Token

GET https://api.example.com/api/oauth2/access_token?app_id=a&secret=s

```json
{\"access_token\": \"a\", \"expire_time\": \"20260101120000\"}
```

## Refresh strategy

| 字段 | 类型 | 必填 | 描述 |
| --- | --- | --- | --- |
| 缓存位置 | — | 是 | Redis |
| 刷新间隔 | — | 是 | 20 分钟 |
";
    let (found, _, diagnostics) = describe_text("t.md", Some("md"), page);
    let (endpoints, _) = found.unwrap();
    assert!(endpoints[0].params.iter().all(|p| p.name.is_ascii()));
    assert!(
        endpoints[0].conflicts.is_empty(),
        "{:?}",
        endpoints[0].conflicts
    );
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("t.md:11: warning: a table of parameters")),
        "{messages:?}"
    );
}

#[test]
fn a_list_of_labelled_bare_hosts_names_the_base_urls() {
    let page = "# Token

The host must be the one of the org's data centre:

    US  https://accounts.example.com
    EU  https://accounts.example.eu

POST /oauth/v2/token

```json
{\"access_token\": \"a\", \"expires_in\": 3600}
```
";
    let endpoints = endpoints("t.md", "md", page);
    let mut hosts: Vec<&str> = endpoints[0]
        .base_urls
        .values()
        .map(String::as_str)
        .collect();
    hosts.sort_unstable();
    assert_eq!(
        hosts,
        [
            "https://accounts.example.com",
            "https://accounts.example.eu"
        ]
    );
}

#[test]
fn a_section_declaring_another_call_keeps_its_parameters() {
    let page = "# Shop sync

## Exchange code for access token

POST https://{shop}.example.com/admin/oauth/access_token

| Name | Required | Description |
|---|---|---|
| client_id | yes | The app key |
| code | yes | The code |

```json
{\"access_token\": \"shpat_1\", \"scope\": \"read_orders\"}
```

## Shop info (token check)

GET https://{shop}.example.com/admin/api/2025-10/shop.json

| Name | Required | Description |
|---|---|---|
| X-Shop-Access-Token | yes | The token |
| fields | no | Fields to return |
";
    assert_eq!(param_names("t.md", "md", page), ["client_id", "code"]);
}

#[test]
fn requests_that_all_send_a_form_outweigh_a_sentence_saying_json() {
    let page = "# Token

POST https://api.example.com/oauth2/token

Send the parameters as a JSON body.

```bash
curl -X POST https://api.example.com/oauth2/token -d grant_type=client_credentials -d client_id=abc
```

```bash
curl -X POST https://api.example.com/oauth2/token --data-urlencode grant_type=refresh_token
```

```json
{\"access_token\": \"a\", \"expires_in\": 3600}
```
";
    let endpoints = endpoints("t.md", "md", page);
    assert_eq!(
        endpoints[0].encoding,
        authgen_descriptor::model::Encoding::Form
    );
}

#[test]
fn a_sentence_saying_url_encoded_form_not_json_is_a_form_and_error_bodies_give_no_parameters() {
    let page = "# Token

POST https://api.example.com/oauth2/token

The body is a regular URL-encoded form (not JSON).

Request

```json
{\"error\": \"invalid_client\", \"error_description\": \"Client authentication failed\"}
```

| Name | Required | Description |
|---|---|---|
| grant_type | yes | `client_credentials` |

```json
{\"access_token\": \"a\", \"expires_in\": 3600}
```
";
    let endpoints = endpoints("t.md", "md", page);
    assert_eq!(
        endpoints[0].encoding,
        authgen_descriptor::model::Encoding::Form
    );
    let names: Vec<&str> = endpoints[0]
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["grant_type"]);
}

#[test]
fn rows_written_in_one_box_under_a_label_with_its_media_type() {
    let html = "<h1>Token</h1><p>POST https://api.example.com/oauth/token</p>
<h2>请求参数</h2>
<p>Header 参数</p>
<div>Content-Type string 必需</div>
<p>Body 参数 application/x-www-form-urlencoded</p>
<div>developerId integer 必需</div><div>开发者 ID</div>
<div>version string 可选</div><div>接口版本</div>
<pre><code>{\"code\": 0, \"data\": {\"accessToken\": \"t\", \"expireIn\": 2592000}}</code></pre>";
    let endpoints = endpoints("t.html", "html", html);
    let params: Vec<(&str, Location, bool)> = endpoints[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("Content-Type", Location::Header, true),
            ("developerId", Location::Body, true),
            ("version", Location::Body, false)
        ]
    );
    assert_eq!(
        endpoints[0].params[1].ty,
        authgen_descriptor::model::ValueType::Integer
    );
}
