//! How a token request authenticates (HTTP Basic, or plain parameters) and how protected calls
//! present the token (`Authorization: Bearer`, a custom header, a query parameter), read from
//! the headers, samples and prose of the endpoint's segment, then of the whole page.

use std::ops::Range;

use super::page::Page;
use super::text::{loose, snake_case};
use crate::model::{BasicAuth, Endpoint, Location, Presentation};
use crate::parse::blocks::Block;
use crate::parse::vocab;

/// Reads both facts for a token endpoint.
pub(super) fn read(page: &Page<'_>, range: Range<usize>, endpoint: &mut Endpoint) {
    if endpoint.token.is_none() {
        return;
    }
    let segment = lines(page, range);
    let whole = lines(page, 0..page.doc.blocks.len());
    endpoint.basic_auth = basic_auth(page, &segment, endpoint);
    let token_field = endpoint
        .token
        .as_ref()
        .and_then(|t| t.path.rsplit('.').next())
        .map(loose)
        .unwrap_or_default();
    if let Some(presentation) =
        presentation(&segment, &token_field).or_else(|| presentation(&whole, &token_field))
        && let Some(token) = &mut endpoint.token
    {
        token.presentation = presentation;
    }
}

/// Every line of text in the blocks of `range`, with its page line: prose, list items, notes,
/// code lines and table rows (cells joined with ` | `).
fn lines(page: &Page<'_>, range: Range<usize>) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for block in &page.doc.blocks[range] {
        match block {
            Block::Paragraph { text, line }
            | Block::Item { text, line }
            | Block::Note { text, line, .. }
            | Block::Label { text, line } => {
                out.extend(text.lines().map(|l| (*line, l.to_owned())));
            }
            Block::Code {
                text, text_line, ..
            } => out.extend(
                text.lines()
                    .enumerate()
                    .map(|(i, l)| (*text_line + i as u32, l.to_owned())),
            ),
            Block::Table(table) => {
                out.extend(
                    table
                        .rows
                        .iter()
                        .map(|row| (row.line, row.cells.join(" | "))),
                );
            }
            Block::Heading { .. } => {}
        }
    }
    out
}

/// HTTP Basic client authentication, when the segment asks for it: an `Authorization: Basic`
/// header (in a sample, or a header row whose example or description says Basic), a curl
/// `-u`/`--user`, or prose naming HTTP Basic. The credentials are named from the sample
/// (`base64(client_id:client_secret)`, `-u "$CLIENT_ID:$CLIENT_SECRET"`), else `client_id` and
/// `client_secret`. Not when the page sends the same credentials as parameters.
fn basic_auth(
    page: &Page<'_>,
    segment: &[(u32, String)],
    endpoint: &Endpoint,
) -> Option<BasicAuth> {
    let documented_header = endpoint.params.iter().find(|p| {
        p.location == Location::Header
            && p.name.eq_ignore_ascii_case("authorization")
            && [p.example.as_deref(), p.description.as_deref()]
                .into_iter()
                .flatten()
                .any(mentions_basic)
    });
    let said = segment
        .iter()
        .find(|(_, text)| says_basic(text))
        .map(|(line, text)| (*line, text.as_str()));
    let (line, evidence) = match (documented_header, said) {
        (_, Some((line, text))) => (line, text.to_owned()),
        (Some(p), None) => (
            p.source.line,
            format!(
                "{} {}",
                p.example.as_deref().unwrap_or(""),
                p.description.as_deref().unwrap_or("")
            ),
        ),
        (None, None) => return None,
    };
    let (user, password) = credential_names(&evidence)
        .or_else(|| {
            segment.iter().find_map(|(_, text)| {
                mentions_basic(text)
                    .then(|| credential_names(text))
                    .flatten()
            })
        })
        .unwrap_or_else(|| ("client_id".to_owned(), "client_secret".to_owned()));
    let sent_as_params = [&user, &password].iter().all(|name| {
        endpoint
            .params
            .iter()
            .any(|p| p.location != Location::Header && loose(&p.name) == loose(name))
    });
    (!sent_as_params).then(|| BasicAuth {
        user,
        password,
        source: page.source(line),
    })
}

fn mentions_basic(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("basic ") || lower.contains("basic<") || lower.contains("http basic")
}

/// A line that asks for HTTP Basic: an `Authorization: Basic` header, curl's `-u`/`--user` with
/// `id:secret`, or prose about HTTP Basic authentication.
fn says_basic(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let header = lower.split("authorization").skip(1).any(|rest| {
        rest.trim_start_matches([':', '"', '\'', ' ', '|', '='])
            .starts_with("basic")
    });
    let curl_user = lower
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| (w[0] == "-u" || w[0] == "--user") && w[1].contains(':'));
    let prose = vocab::BASIC_AUTH_PHRASES.iter().any(|p| lower.contains(p));
    header || curl_user || prose
}

/// The two credential names in `id:secret` text (`base64(client_id:client_secret)`,
/// `"$CLIENT_ID:$CLIENT_SECRET"`, `<client_id>:<client_secret>`), as snake_case names.
fn credential_names(text: &str) -> Option<(String, String)> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(':').find_map(|(at, _)| {
        let before = text[..at].trim_end_matches(['>', '}', ' ']);
        let after = text[at + 1..].trim_start_matches(['<', '{', '$', ' ']);
        let user: String = before
            .chars()
            .rev()
            .take_while(|c| is_name_char(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let password: String = after.chars().take_while(|c| is_name_char(*c)).collect();
        let user = credential_name(&user)?;
        let password = credential_name(&password)?;
        (user != password).then_some((user, password))
    })
}

/// A credential name from a sample's spelling (`CLIENT_ID`, `clientId`, `client_id`), when it
/// names an id or a secret.
fn credential_name(raw: &str) -> Option<String> {
    let name = snake_case(raw);
    let known = ["id", "key", "secret", "user", "username", "password"];
    let last = name.rsplit('_').next().unwrap_or("");
    (name.len() > 1 && known.contains(&last)).then_some(name)
}

/// How the segment's protected calls present a token: an `Authorization: <scheme> <token>`
/// header (any scheme but Basic), a header whose value is the token (`X-Auth-Token: $TOKEN`),
/// or a query parameter named like the token field (`?access_token=ACCESS_TOKEN`).
fn presentation(lines: &[(u32, String)], token_field: &str) -> Option<Presentation> {
    lines.iter().find_map(|(_, text)| {
        authorization_scheme(text)
            .map(|scheme| Presentation::Authorization { scheme })
            .or_else(|| token_query(text, token_field).map(|name| Presentation::Query { name }))
            .or_else(|| token_header(text).map(|name| Presentation::Header { name }))
    })
}

/// `Authorization: Bearer …`, `"Authorization": "token …"`: the scheme word, unless it is Basic.
fn authorization_scheme(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("authorization")?;
    let rest = text[at + "authorization".len()..].trim_start_matches(['"', '\'', ':', ' ', '=']);
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    let after = &rest[word.len()..];
    let known = vocab::TOKEN_SCHEMES
        .iter()
        .find(|s| s.eq_ignore_ascii_case(&word))?;
    after.starts_with(' ').then(|| {
        // The page's own spelling of a scheme it spells as the standard does.
        if word.eq_ignore_ascii_case(known) && word.chars().next().is_some_and(char::is_uppercase) {
            word.clone()
        } else {
            (*known).to_owned()
        }
    })
}

/// A query parameter named like the token field in a URL (`?access_token=`, `&token=`).
fn token_query(text: &str, token_field: &str) -> Option<String> {
    if token_field.is_empty() {
        return None;
    }
    text.match_indices(['?', '&']).find_map(|(at, _)| {
        let rest = &text[at + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (rest[name.len()..].starts_with('=') && loose(&name) == token_field).then_some(name)
    })
}

/// A request header other than `Authorization` whose value stands for the token
/// (`X-Auth-Token: $TOKEN`, `-H "X-Access-Token: <access_token>"`).
fn token_header(text: &str) -> Option<String> {
    text.match_indices(':').find_map(|(at, _)| {
        let before = text[..at].trim_end();
        let name: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let value = text[at + 1..].trim_start();
        let placeholder = value
            .trim_start_matches(['<', '{', '$', '"', '\''])
            .to_ascii_lowercase();
        let names_token = ["token", "access_token", "accesstoken", "access-token"]
            .iter()
            .any(|t| placeholder.starts_with(t));
        (name.contains('-')
            && name.to_ascii_lowercase().contains("token")
            && names_token
            && !name.eq_ignore_ascii_case("authorization"))
        .then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_recognised_in_headers_curl_and_prose() {
        assert!(says_basic(
            "-H \"Authorization: Basic $(echo -n id:secret | base64)\""
        ));
        assert!(says_basic(
            "curl -u \"$CLIENT_ID:$CLIENT_SECRET\" https://x/token"
        ));
        assert!(says_basic("Authenticate with HTTP Basic authentication."));
        assert!(!says_basic("Authorization: Bearer abc"));
        assert!(!says_basic("The basic plan includes one app."));
    }

    #[test]
    fn credential_names_come_from_the_sample() {
        assert_eq!(
            credential_names("Basic base64(client_id:client_secret)"),
            Some(("client_id".into(), "client_secret".into()))
        );
        assert_eq!(
            credential_names("-u \"$CLIENT_ID:$CLIENT_SECRET\""),
            Some(("client_id".into(), "client_secret".into()))
        );
        assert_eq!(
            credential_names("<app_key>:<app_secret>"),
            Some(("app_key".into(), "app_secret".into()))
        );
        assert_eq!(credential_names("https://example.com:443/token"), None);
    }

    #[test]
    fn presentations() {
        assert_eq!(
            authorization_scheme("-H 'Authorization: Bearer $TOKEN'"),
            Some("Bearer".into())
        );
        assert_eq!(
            authorization_scheme("\"Authorization\": \"token ghs_xxx\""),
            Some("token".into())
        );
        assert_eq!(authorization_scheme("Authorization: Basic abc"), None);
        assert_eq!(
            token_query(
                "GET https://api.weixin.qq.com/cgi-bin/getcallbackip?access_token=ACCESS_TOKEN",
                "accesstoken"
            ),
            Some("access_token".into())
        );
        assert_eq!(
            token_header("-H \"X-Auth-Token: $TOKEN\""),
            Some("X-Auth-Token".into())
        );
        assert_eq!(token_header("Content-Type: application/json"), None);
    }
}
