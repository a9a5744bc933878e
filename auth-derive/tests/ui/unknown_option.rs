#[auth_runtime::token_endpoint(spec = "specs/descriptors/coupang.json", colour = "red")]
pub struct Coupang;

fn main() {}
