#[auth_runtime::token_endpoint(spec = "auth-derive/tests/ui/fixtures/broken.json")]
pub struct Broken;

fn main() {}
