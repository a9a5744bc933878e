// One wrongly typed field: one error. The client and its methods are still generated, so the
// uses below add nothing.
#[auth_runtime::token_endpoint(spec = "specs/descriptors/appauth.json")]
pub struct Appauth {
    pub app_id: String,
    pub app_secret: String,
}

async fn use_it() -> Result<(), auth_runtime::Error> {
    let client = Appauth {
        app_id: "a".into(),
        app_secret: "s".into(),
    }
    .with_base_url("http://127.0.0.1:1")?;
    let _token = client.get_access_token_cached().await?;
    let _raw = client.get_access_token().await?;
    let _hello = client.hello().await?;
    Ok(())
}

fn main() {
    let _ = use_it();
}
