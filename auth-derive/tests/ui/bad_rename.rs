// A method renamed to something generated code cannot define is one clear error each, not a
// panic of the macro or code that does not compile.
#[auth_runtime::token_endpoint(
    spec = "specs/descriptors/appauth.json",
    rename(get_access_token = "a-b", hello = "session")
)]
pub struct Appauth {
    pub app_id: String,
    pub app_secret: auth_runtime::SecretString,
}

fn main() {}
