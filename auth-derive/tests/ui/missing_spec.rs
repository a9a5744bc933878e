#[auth_runtime::token_endpoint()]
pub struct Coupang;

fn main() {}
