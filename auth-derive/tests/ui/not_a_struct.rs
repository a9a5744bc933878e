#[auth_runtime::token_endpoint(spec = "specs/descriptors/ebaas.json")]
pub fn ebaas() {}

fn main() {}
