//! Endpoints stated in running prose. A sentence may be where a page states its endpoint ("Send a
//! POST request to …") or where it refers to another one ("until it is revoked with `POST
//! /oauth/revoke`"); a reference is not an endpoint when its section states its own endpoint
//! outside a sentence. Pages written for the test, in Markdown and in HTML.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use authgen_descriptor::parse::describe_text;

fn paths(page: &str, extension: &str, text: &str) -> Vec<String> {
    let (found, _, diagnostics) = describe_text(page, Some(extension), text);
    let (endpoints, _) = found.unwrap_or_else(|| panic!("{diagnostics:?}"));
    endpoints.into_iter().map(|e| e.path).collect()
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
