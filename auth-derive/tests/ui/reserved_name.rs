// A descriptor whose endpoint takes a name generated clients already define (`session()`) is
// refused with the list of reserved names, not turned into code that does not compile.
#[auth_runtime::token_endpoint(spec = "auth-derive/tests/ui/fixtures/reserved.json")]
pub struct Appauth {
    pub app_id: String,
    pub app_secret: auth_runtime::SecretString,
}

fn main() {}
