// A misspelt descriptor path: the error lists every path tried and the nearest existing file.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/wechta.json")]
pub struct Wechat {
    pub appid: String,
}

fn main() {}
