// The same struct declared as the rules say compiles: `Option<bool>` for the optional boolean,
// no field for the constant.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/wechat.json")]
pub struct Wechat {
    pub appid: String,
    pub secret: auth_runtime::SecretString,
    pub force_refresh: Option<bool>,
}

fn main() {
    let _ = Wechat {
        appid: "wx".into(),
        secret: auth_runtime::SecretString::from("s"),
        force_refresh: None,
    };
}
