#[auth_runtime::token_endpoint(spec = "specs/descriptors/coupang.json", spec = "specs/descriptors/ebaas.json")]
pub struct Coupang;

fn main() {}
