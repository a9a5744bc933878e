// Three mistakes, three errors: a misspelt field (not also reported missing), a secret declared
// as String, a missing field.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/ebaas.json")]
pub struct Ebaas {
    pub clientid: String,
    pub client_secret: String,
}

fn main() {}
