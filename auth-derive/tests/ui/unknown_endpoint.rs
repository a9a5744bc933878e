#[auth_runtime::token_endpoint(spec = "specs/descriptors/coupang.json", endpoints = ["get_tokn"])]
pub struct Coupang;

fn main() {}
