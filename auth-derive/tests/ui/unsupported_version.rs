#[auth_runtime::token_endpoint(spec = "auth-derive/tests/ui/fixtures/future.json")]
pub struct Future;

fn main() {}
