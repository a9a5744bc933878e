// The field rules of the generator, checked by the macro: an optional parameter is an
// `Option<T>` of its documented type, a plain one has its documented type, and a constant the
// page fixes (`grant_type`) is sent by the client, never declared.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/wechat.json")]
pub struct Wechat {
    pub appid: i64,
    pub secret: auth_runtime::SecretString,
    pub force_refresh: bool,
    pub grant_type: String,
}

fn main() {}
