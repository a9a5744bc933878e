//! The words pages use: column headers, required markers, type names, section names, keys.
//!
//! Matching is on a normalised form (lower case, no spaces, no `*`, `:` or `：`), so `**Method：**`,
//! `method` and `Method :` are one word.

use super::case;
use crate::model::{Location, ValueType};

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Parameter or field name.
    Name,
    /// Declared type.
    Type,
    /// Required marker.
    Required,
    /// Maximum length.
    MaxLength,
    /// Description or remarks.
    Description,
    /// Example value.
    Example,
    /// Fixed value (YApi's 参数值) or default.
    Value,
    /// Row number.
    Index,
    /// Environment label (开发/测试/生产).
    Environment,
    /// URL, host or path.
    Url,
    /// HTTP method.
    Method,
    /// Whether the resource needs the token.
    NeedsAuth,
    /// Key column of a key/value table (标题).
    Key,
    /// Value column of a key/value table (内容).
    Content,
    /// Error or status code.
    Code,
    /// Where a parameter goes (`位置`, `In`, `Parameter Type`: header/query/body/path).
    Location,
    /// Whether a value may be empty (`是否可空`): the inverse of required.
    Nullable,
    /// Anything else (YApi's 其他信息): kept out of the way.
    Other,
}

/// Whether `normalize` drops `c`.
fn is_decoration(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | ':' | '：' | '`' | '_' | '-')
}

/// Lower-cases and strips decoration so variants of one word compare equal.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| !is_decoration(c)) {
        case::push_lowercase(&mut out, c);
    }
    out
}

/// Calls `f` with [`normalize`]`(text)`, built on the stack when it is short.
fn with_normalized<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    let chars = text.chars().filter(|&c| !is_decoration(c)).map(|c| {
        if c.is_ascii() {
            Some(c.to_ascii_lowercase())
        } else {
            // Cased letters outside ASCII may lower-case to several characters.
            case::is_caseless(c).then_some(c)
        }
    });
    case::with_short_str(chars, || normalize(text), f)
}

/// Classifies a column header; `None` for a header no reader knows.
pub fn column(header: &str) -> Option<Column> {
    with_normalized(header, |h| {
        column_of(h).or_else(|| {
            // `错误码(error)`, `Name (required)`: the word before the parenthesis, else the one
            // inside it.
            let (base, rest) = h.split_once(['(', '（'])?;
            let inner = rest.split([')', '）']).next().unwrap_or("");
            column_of(base).or_else(|| column_of(inner))
        })
    })
}

fn column_of(h: &str) -> Option<Column> {
    let column =
        match h {
            "参数" | "参数名" | "参数名称" | "名称" | "字段" | "字段名" | "字段名称" | "属性"
            | "属性名" | "变量" | "变量名" | "name" | "field" | "parameter" | "param" | "key"
            | "参数key" | "fieldname" | "parametername" | "paramname" | "property"
            | "propertyname" | "attribute" | "claim" | "argument" | "paramkey" | "fieldkey"
            | "字段key" | "header" | "headername" | "请求头名称" => Column::Name,
            "类型" | "参数类型" | "字段类型" | "数据类型" | "type" | "datatype" => {
                Column::Type
            }
            "是否必填" | "是否必须" | "必填" | "必须" | "是否必传" | "必传" | "必选"
            | "是否必选" | "必含" | "必需" | "是否必需" | "required" | "required?"
            | "isrequired" | "mandatory" | "condition" | "requirement" | "必填项" => {
                Column::Required
            }
            "是否可空" | "可空" | "nullable" | "允许空" | "是否允许为空" | "optional" | "可选" => {
                Column::Nullable
            }
            "位置" | "参数位置" | "in" | "location" | "parametertype" | "paramtype"
            | "参数类别" => Column::Location,
            "最大长度" | "长度" | "maxlength" | "length" | "maxlen" => Column::MaxLength,
            "参数描述" | "字段说明" | "备注" | "描述" | "说明" | "参数说明" | "含义"
            | "description" | "desc" | "remark" | "remarks" | "comment" | "注释" | "简介"
            | "meaning" | "details" | "detail" | "错误描述" | "错误信息" | "返回信息" | "信息"
            | "message" | "msg" | "reason" | "cause" | "原因" | "描述信息" | "错误说明"
            | "notes" | "note" | "explanation" | "解释" => Column::Description,
            "示例值" | "示例" | "例子" | "样例" | "example" | "sample" | "examplevalue"
            | "样例值" => Column::Example,
            "参数值" | "默认值" | "值" | "value" | "default" | "defaultvalue" | "paramvalue" => {
                Column::Value
            }
            "序号" | "编号" | "no" | "no." | "#" | "index" => Column::Index,
            "环境" | "environment" | "env" | "环境名称" => Column::Environment,
            "请求地址" | "地址" | "url" | "域名" | "host" | "请求路径" | "路径" | "path"
            | "接口地址" | "endpoint" | "baseurl" => Column::Url,
            "请求方式" | "方法" | "请求类型" | "method" | "httpmethod" | "请求方法" => {
                Column::Method
            }
            "需要授权" | "是否需要授权" | "需要认证" | "requiresauth" | "auth"
            | "authorization" => Column::NeedsAuth,
            "标题" | "项目" | "项" | "item" => Column::Key,
            "内容" | "content" => Column::Content,
            "错误码" | "返回码" | "状态码" | "code" | "errorcode" | "errcode" | "statuscode"
            | "error" | "错误" | "错误代码" | "http状态码" | "httpstatus" | "httpcode"
            | "status" | "http" | "subcode" | "errorcodes" | "错误编码" | "业务码" | "返回值"
            | "返回码说明" => Column::Code,
            "其他信息" | "其他" | "other" | "备用" => Column::Other,
            _ => return None,
        };
    Some(column)
}

/// Reads a required marker: `Some(true)` for 是/必须/True/Y/yes..., `Some(false)` for 否/非必须/..., `None` if blank or unknown.
pub fn required(cell: &str) -> Option<bool> {
    with_normalized(cell, |c| match c {
        "是" | "必须" | "必填" | "必传" | "必需" | "必选" | "true" | "y" | "yes" | "required"
        | "1" | "√" | "✓" => Some(true),
        "否" | "非必须" | "非必填" | "可选" | "选填" | "false" | "n" | "no" | "optional" | "0" => {
            Some(false)
        }
        _ => None,
    })
}

/// Reads a required marker written as words, in a Required/Condition cell, a type cell
/// (`string, required`) or a description (`Required. The client id`, `可选，默认…`): the first
/// marker wins; `None` when the text has none.
pub fn required_in_text(text: &str) -> Option<bool> {
    if let Some(exact) = required(text) {
        return Some(exact);
    }
    let lower = text.to_lowercase();
    let markers: [(&str, bool); 20] = [
        ("not required", false),
        // Required in one mode only, which the corpus conventions (and a client whose fields
        // are per-endpoint) treat as optional: "Only for `grant_type=refresh_token`".
        ("only for", false),
        ("only when", false),
        ("only if", false),
        ("only with", false),
        ("non-required", false),
        ("非必填", false),
        ("非必须", false),
        ("非必传", false),
        ("optional", false),
        ("可选", false),
        ("选填", false),
        ("conditional", false),
        ("required", true),
        ("mandatory", true),
        ("必填", true),
        ("必须", true),
        ("必传", true),
        ("必选", true),
        ("必需", true),
    ];
    let (at, word, value) = markers
        .iter()
        .filter_map(|(word, value)| lower.find(word).map(|at| (at, *word, *value)))
        .min_by_key(|(at, _, _)| *at)?;
    Some(value && !conditional(&lower[..at], &lower[at + word.len()..]))
}

/// Whether a "required" marker holds in one case only: "Required for `authorization_code`",
/// "required when grant_type is refresh_token", "refresh_token 模式时必填".
fn conditional(before: &str, after: &str) -> bool {
    let after = after.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '*'));
    let english = ["for ", "when ", "if ", "unless ", "only ", "in case "]
        .iter()
        .any(|w| after.starts_with(w))
        && !["for all", "for every", "for each"]
            .iter()
            .any(|w| after.starts_with(w));
    let before = before.trim_end();
    english || before.ends_with('时') || before.ends_with("情况下") || before.ends_with('则')
}

/// Reads a location cell or label (`header`, `query`, `formData`, `body`, `path`, `请求头`, ...).
pub fn location_word(text: &str) -> Option<Location> {
    with_normalized(text, |t| match t {
        "header" | "headers" | "请求头" | "头" | "head" | "httpheader" => {
            Some(Location::Header)
        }
        "query" | "querystring" | "url" | "查询" | "query参数" | "params" => {
            Some(Location::Query)
        }
        "body" | "formdata" | "form" | "json" | "请求体" | "body参数" | "payload" => {
            Some(Location::Body)
        }
        "path" | "路径" | "pathvariable" | "uri" => Some(Location::Path),
        _ => None,
    })
}

/// Reads a type name (`String`, `int`, `integer`, `Number`, `object`, ...).
pub fn value_type(cell: &str) -> Option<ValueType> {
    with_normalized(cell, value_type_of)
}

fn value_type_of(t: &str) -> Option<ValueType> {
    let t = t.split(['(', '（', '[', '<']).next().unwrap_or("");
    let ty = match t {
        "string" | "str" | "varchar" | "char" | "text" | "字符串" | "date" | "datetime" => {
            ValueType::String
        }
        "int" | "integer" | "long" | "int32" | "int64" | "short" | "整数" | "整型" => {
            ValueType::Integer
        }
        "number" | "float" | "double" | "decimal" | "数字" | "bigdecimal" => ValueType::Number,
        "bool" | "boolean" | "布尔" => ValueType::Boolean,
        "object" | "json" | "map" | "对象" => ValueType::Object,
        "array" | "list" | "数组" => ValueType::Array,
        "" => return None,
        _ => ValueType::Unknown,
    };
    Some(ty)
}

/// What a heading or label announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Request parameters (optionally with a location: `Headers`, `Query`, `Body`).
    Request(Option<Location>),
    /// Response fields.
    Response,
    /// A request sample.
    RequestSample,
    /// A response sample.
    ResponseSample,
    /// An error sample.
    ErrorSample,
    /// Host list.
    Hosts,
    /// Basic information (method, path).
    Basics,
    /// Samples about a protected resource, not the token endpoint.
    Resource,
    /// Something else.
    Other,
}

/// Classifies a heading or label.
pub fn section(text: &str) -> Section {
    with_normalized(text, section_of)
}

fn section_of(t: &str) -> Section {
    // The bytes of `t`: a word whose first or last byte is not among them cannot occur in it,
    // which turns down most of the forty-odd words below without a search.
    let mut present = [false; 256];
    for &b in t.as_bytes() {
        present[usize::from(b)] = true;
    }
    let may_contain = |w: &str| {
        let (first, last) = (w.as_bytes().first(), w.as_bytes().last());
        first.is_none_or(|&b| present[usize::from(b)])
            && last.is_none_or(|&b| present[usize::from(b)])
    };
    let has = |words: &[&str]| words.iter().any(|w| may_contain(w) && case::contains(t, w));
    if has(&["资源"]) {
        return Section::Resource;
    }
    match t {
        "headers" | "header" | "请求头" => return Section::Request(Some(Location::Header)),
        "query" | "querystring" | "查询参数" => return Section::Request(Some(Location::Query)),
        "body" | "请求体" | "formdata" => return Section::Request(Some(Location::Body)),
        "path" | "路径参数" => return Section::Request(Some(Location::Path)),
        _ => {}
    }
    // A location word with a request word (`Header 参数`, `Request headers`, `Body parameters`,
    // `Query 参数`, `路径参数`), not about the response.
    let about_response = has(&["响应", "返回", "response", "应答", "出参"]);
    let about_request = t.chars().count() <= 24
        && (has(&["参数", "param", "request", "请求", "field", "入参"]) || t.len() <= 16);
    if about_request && !about_response {
        let location = if has(&["header", "请求头", "头部"]) {
            Some(Location::Header)
        } else if has(&["querystring", "query", "查询", "url参数"]) {
            Some(Location::Query)
        } else if has(&["pathparam", "pathvariable", "路径参数", "path参数"]) {
            Some(Location::Path)
        } else if has(&["body", "请求体", "formdata", "payload", "表单"]) {
            Some(Location::Body)
        } else {
            None
        };
        if location.is_some() {
            return Section::Request(location);
        }
    }
    // Error samples and error-code tables: "错误样例1", "错误码", "Error response".
    if has(&[
        "错误",
        "error",
        "异常",
        "失败",
        "wrong",
        "fail",
        "返回码",
        "troubleshoot",
    ]) {
        Section::ErrorSample
    } else if has(&["域名", "环境", "host", "服务器"]) {
        Section::Hosts
    } else if (has(&["样例", "示例", "example", "sample", "mock"])
        && has(&[
            "返回", "应答", "响应", "response", "结果", "success", "成功",
        ]))
        || t.ends_with("返回")
        || t.ends_with("应答")
    {
        Section::ResponseSample
    } else if (has(&["样例", "示例", "example", "sample"])
        && has(&["请求", "request", "调用", "代码"]))
        || t.ends_with("请求")
    {
        Section::RequestSample
    } else if has(&[
        "应答报文",
        "返回数据",
        "返回值",
        "返回参数",
        "输出参数",
        "响应参数",
        "响应",
        "出参",
        "response",
        "返回",
        "result",
        "output",
    ]) {
        Section::Response
    } else if has(&[
        "请求参数",
        "输入参数",
        "具体参数",
        "入参",
        "参数内容",
        "request",
        "parameter",
        "argument",
    ]) {
        Section::Request(None)
    } else if has(&["基本信息", "接口说明", "请求信息", "接口信息", "basic"]) {
        Section::Basics
    } else {
        Section::Other
    }
}

/// What a `key: value` line states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Path or URL.
    Url,
    /// HTTP method.
    Method,
    /// Endpoint description.
    Description,
}

/// Classifies the key of a `key: value` line.
pub fn key(text: &str) -> Option<Key> {
    with_normalized(text, key_of)
}

fn key_of(k: &str) -> Option<Key> {
    if matches!(
        k,
        "method"
            | "请求类型"
            | "请求方式"
            | "方法"
            | "请求方法"
            | "httpmethod"
            | "http方法"
            | "调用方式"
            | "提交方式"
            | "httpverb"
            | "verb"
            | "requestmethod"
            | "http请求方式"
            | "https请求方式"
            | "接口方法"
    ) {
        Some(Key::Method)
    } else if matches!(
        k,
        "path"
            | "url"
            | "请求地址"
            | "地址"
            | "请求路径"
            | "路径"
            | "接口地址"
            | "endpoint"
            | "请求url"
            | "接口url"
            | "requesturl"
            | "url地址"
            | "调用地址"
            | "接口路径"
            | "api地址"
            | "httprequest"
            | "endpointurl"
            | "resourceurl"
            | "resource"
            | "requestpath"
            | "tokenurl"
            | "tokenendpoint"
            | "接口"
            | "网关地址"
            | "gateway"
            | "api"
            | "apiuri"
            | "uri"
            | "apiurl"
    ) || k.ends_with("服务地址")
    {
        Some(Key::Url)
    } else if matches!(k, "接口描述" | "描述" | "description" | "接口说明" | "说明") {
        Some(Key::Description)
    } else {
        None
    }
}

/// Words in a path that name an operation issuing or renewing a token (`/oauth2/token`,
/// `/getAccessToken`, `/auth/tokens`, `/AssumeRole`, `/ticket`), as opposed to the protected APIs
/// and pages a token page also mentions.
const TOKEN_OPERATION_WORDS: &[&str] = &[
    "token",
    "oauth",
    "auth",
    "login",
    "ticket",
    "credential",
    "session",
    "assume",
    "jwt",
    "signin",
    "令牌",
];

/// Words that name a token operation only as a whole path segment (`/connect/token`, not
/// `/connections`).
const TOKEN_OPERATION_SEGMENTS: &[&str] = &["connect", "identity", "sts"];

/// Whether a path names a token operation (its vocabulary of token words).
pub fn names_token_operation(path: &str) -> bool {
    let lower = path.to_lowercase();
    TOKEN_OPERATION_WORDS.iter().any(|w| lower.contains(w))
        || lower
            .split('/')
            .any(|segment| TOKEN_OPERATION_SEGMENTS.contains(&segment))
}

/// Whether a path is a browser authorisation page (`/oauth/authorize`), which a token page links
/// to but which is not an API endpoint.
pub fn names_authorize_page(path: &str) -> bool {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "authorize" | "authorization" | "to_login" | "consent" | "oauth2.html"
    )
}

/// Whether a path serves the API's description or its doc viewer (`/v2/api-docs` that a
/// Knife4j or Springfox page names as its source, `/openapi.json`, `/swagger-ui.html`): never an
/// endpoint of the API.
pub fn names_api_description(path: &str) -> bool {
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "api-docs"
            | "swagger.json"
            | "swagger.yaml"
            | "openapi.json"
            | "openapi.yaml"
            | "swagger-resources"
            | "swagger-ui.html"
            | "doc.html"
    )
}

/// Splits `key : value` / `key：value` (full-width colon too). The key must be short.
pub fn split_key_value(line: &str) -> Option<(&str, &str)> {
    let (at, colon) = line.char_indices().find(|(_, c)| *c == ':' || *c == '：')?;
    let key = line[..at].trim();
    // `https://...` is a value, not a key.
    if key.is_empty() || key.chars().count() > 16 || line[at..].starts_with("://") {
        return None;
    }
    Some((key, line[at + colon.len_utf8()..].trim()))
}

/// Maps an environment label to a descriptor key (`开发` → `dev`); other labels are kept, slugged.
pub fn environment(label: &str) -> String {
    let l = normalize(label);
    let known = [
        (&["开发", "dev", "development"][..], "dev"),
        (&["测试", "test", "testing", "qa"][..], "test"),
        (
            &["生产", "正式", "线上", "prod", "production", "online"][..],
            "prod",
        ),
        (&["预发", "预生产", "staging", "pre", "uat"][..], "staging"),
        (&["沙箱", "sandbox"][..], "sandbox"),
    ];
    known
        .iter()
        .find(|(words, _)| words.iter().any(|w| l.contains(w)))
        .map_or_else(
            || {
                let slug: String = l
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                if slug.trim_matches('_').is_empty() {
                    "default".to_owned()
                } else {
                    slug
                }
            },
            |(_, name)| (*name).to_owned(),
        )
}

/// Whether a parameter name is a standard HTTP request header (`Authorization`,
/// `Content-Type`), which is sent as a header wherever a table lists it.
pub fn is_request_header(name: &str) -> bool {
    const HEADERS: &[&str] = &[
        "authorization",
        "content-type",
        "accept",
        "accept-language",
        "user-agent",
        "cookie",
        "proxy-authorization",
    ];
    HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether a header is one the HTTP client sets itself on every request (reqwest and the
/// runtime's `ClientConfig`: its user agent, the body's length, the connection's host), or one a
/// tool adds to what it exports (Postman's `Postman-Token`).
pub fn is_client_managed_header(name: &str) -> bool {
    const HEADERS: &[&str] = &[
        "user-agent",
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "transfer-encoding",
        "postman-token",
    ];
    HEADERS.iter().any(|h| name.trim().eq_ignore_ascii_case(h))
}

/// The OAuth 2.0 error codes a token endpoint answers with: RFC 6749 §5.2, RFC 6750 §3.1, and
/// the device-flow and DPoP codes of the IANA "OAuth Extensions Error" registry.
pub const OAUTH_ERROR_CODES: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "access_denied",
    "server_error",
    "temporarily_unavailable",
    "invalid_token",
    "insufficient_scope",
    "authorization_pending",
    "slow_down",
    "expired_token",
    "invalid_dpop_proof",
];

/// JSON Schema keywords that generators print as `key: value` lines under a field (`Type:
/// string`, `format: password`, `const: client_credential`): a field's attributes, never a
/// parameter's name.
pub const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "const",
    "enum",
    "default",
    "pattern",
    "example",
    "examples",
    "nullable",
    "deprecated",
    "minimum",
    "maximum",
    "minlength",
    "maxlength",
    "items",
];

/// Whether a name can be a parameter's name on the wire: ASCII letters, digits and the
/// punctuation names use (`_ - . [ ] $ @ :`), with at least one letter. Words of prose
/// (`缓存位置`) and markup (`{:`) are not.
pub fn is_wire_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '$' | '@' | ':')
        })
}

/// Prose that asks for HTTP Basic client authentication (lower case).
pub const BASIC_AUTH_PHRASES: &[&str] = &[
    "http basic",
    "basic auth",
    "basic access authentication",
    "client_secret_basic",
    "基本认证",
    "basic 认证",
];

/// Schemes a protected call may put before the token in `Authorization` (Basic is client
/// authentication, not a token).
pub const TOKEN_SCHEMES: &[&str] = &["Bearer", "token", "OAuth", "MAC", "Token"];

/// Phrases that introduce a parameter's fixed value (`固定值 client_credential`, "must be
/// `client_credentials`"), lower case.
pub const FIXED_VALUE_PHRASES: &[&str] = &[
    "固定值",
    "固定为",
    "固定填写",
    "固定填",
    "值固定",
    "填写固定值",
    "取值固定",
    "唯一取值",
    "fixed value",
    "fixed to",
    "must be set to",
    "must be",
    "always set to",
    "always",
    "set it to",
    "set to",
    "the value is",
    "value must be",
    "only supported value is",
    "constant",
];

/// Parameters whose value the protocol fixes for one endpoint (OAuth's `grant_type`): a single
/// value the page shows is that endpoint's constant.
pub const PROTOCOL_CONSTANTS: &[&str] = &["granttype"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_normalisation_is_normalize() {
        let long = "参数描述 ".repeat(40);
        for text in [
            "",
            "**Method：**",
            "是否 必填",
            "ΣΑΣ Header",
            "İd",
            long.as_str(),
            "Response 示例-1_a",
        ] {
            assert_eq!(
                with_normalized(text, str::to_owned),
                normalize(text),
                "{text}"
            );
        }
    }

    #[test]
    fn sections_by_their_words() {
        for (heading, expected) in [
            ("请求参数", Section::Request(None)),
            ("Request headers", Section::Request(Some(Location::Header))),
            ("requestInfo", Section::Request(None)),
            ("返回参数", Section::Response),
            ("resultInfo", Section::Response),
            ("Output", Section::Response),
            ("错误码", Section::ErrorSample),
        ] {
            assert_eq!(section(heading), expected, "{heading}");
        }
    }

    #[test]
    fn api_descriptions_are_not_endpoints() {
        for path in [
            "/v2/api-docs",
            "/v3/api-docs/",
            "/openapi.json",
            "/swagger-ui.html",
        ] {
            assert!(names_api_description(path), "{path}");
        }
        for path in ["/oauth2/token", "/docs/token", "/api/v1/token"] {
            assert!(!names_api_description(path), "{path}");
        }
    }

    #[test]
    fn required_in_one_mode_only_is_not_required() {
        for (text, expected) in [
            ("Required. The app's client ID.", Some(true)),
            ("string, required", Some(true)),
            ("Required for all requests.", Some(true)),
            (
                "Required for `authorization_code`. The code from step 2.",
                Some(false),
            ),
            ("Required when grant_type is refresh_token.", Some(false)),
            (
                "Only for `grant_type=refresh_token`: the refresh token.",
                Some(false),
            ),
            ("grant_type 为 refresh_token 时必填", Some(false)),
            ("必填，应用的 AppKey", Some(true)),
            ("Optional. Defaults to all scopes.", Some(false)),
            ("The client id.", None),
        ] {
            assert_eq!(required_in_text(text), expected, "{text}");
        }
    }

    #[test]
    fn wire_names_are_identifiers() {
        for name in [
            "client_id",
            "X-Api-Key",
            "data.user_id",
            "scope[]",
            "$filter",
            "appId",
        ] {
            assert!(is_wire_name(name), "{name}");
        }
        for name in ["缓存位置", "{:", "—", "", "the app id", "1"] {
            assert!(!is_wire_name(name), "{name}");
        }
    }

    #[test]
    fn headers_in_both_languages() {
        for (header, expected) in [
            ("参数", Column::Name),
            ("参数名称", Column::Name),
            ("Name", Column::Name),
            ("是否必填", Column::Required),
            ("是否必须", Column::Required),
            ("Required", Column::Required),
            ("最大长度", Column::MaxLength),
            ("字段说明  ", Column::Description),
            ("备注", Column::Description),
            ("示例值", Column::Example),
            ("请求地址", Column::Url),
            ("请求方式", Column::Method),
            ("请求类型", Column::Method),
            ("Type", Column::Type),
        ] {
            assert_eq!(column(header), Some(expected), "{header}");
        }
        assert_eq!(column("颜色"), None);
    }

    #[test]
    fn required_markers() {
        for yes in ["是", "必须", "True", "Y", "yes"] {
            assert_eq!(required(yes), Some(true), "{yes}");
        }
        for no in ["否", "非必须", "False", "N", "no"] {
            assert_eq!(required(no), Some(false), "{no}");
        }
        assert_eq!(required(""), None);
    }

    #[test]
    fn key_values_with_full_width_colons() {
        assert_eq!(split_key_value("Path： /auth/x"), Some(("Path", "/auth/x")));
        assert_eq!(
            split_key_value("请求类型 : POST"),
            Some(("请求类型", "POST"))
        );
        assert_eq!(split_key_value("https://a.b/c"), None);
        assert_eq!(key("**Method：**"), Some(Key::Method));
        assert_eq!(key("授权服务地址"), Some(Key::Url));
    }

    #[test]
    fn environments() {
        assert_eq!(environment("开发"), "dev");
        assert_eq!(environment("测试"), "test");
        assert_eq!(environment("生产"), "prod");
        assert_eq!(environment("Gray"), "gray");
    }
}
