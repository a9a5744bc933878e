#[auth_runtime::token_endpoint(spec = "specs/descriptors/nope.json")]
pub struct Nope {
    pub client_id: String,
}

fn main() {}
