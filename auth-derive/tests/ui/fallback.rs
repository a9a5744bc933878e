// One bad attribute: one error. The struct and its client type still exist, so the uses below
// add nothing.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/nope.json")]
pub struct Ebaas {
    pub client_id: String,
}

fn use_it(_client: Option<EbaasClient>) -> String {
    let e = Ebaas { client_id: "x".to_owned() };
    e.client_id
}

fn main() {
    let _ = use_it(None);
}
