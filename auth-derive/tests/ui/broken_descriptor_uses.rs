// A descriptor broken by hand (a stray comma): one error at the attribute. The client's methods
// still exist as stubs, so the uses below add no error of their own.
#[auth_runtime::token_endpoint(spec = "auth-derive/tests/ui/fixtures/trailing_comma.json")]
pub struct Appauth {
    pub app_id: String,
    pub app_secret: auth_runtime::SecretString,
}

async fn use_it() -> Result<(), auth_runtime::Error> {
    let client = Appauth {
        app_id: "a".into(),
        app_secret: auth_runtime::SecretString::from("s"),
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
