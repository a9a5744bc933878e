//! The specs `auth_runtime::dynamic` builds from a descriptor at run time (what `cargo xtask try`
//! runs) are the very constants generated code holds, for every checked-in descriptor.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use auth_runtime::EndpointSpec;
use authgen_descriptor::Descriptor;
use embedded_clients::{anyweb, appauth, coupang, ebaas, spotify, wechat};

fn descriptor(provider: &str) -> Descriptor {
    let path = format!(
        "{}/../../specs/descriptors/{provider}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Descriptor::from_json(&std::fs::read_to_string(&path).expect("descriptor readable"))
        .expect("descriptor valid")
}

#[test]
fn runtime_specs_equal_the_generated_constants() {
    let generated: [(&str, &[&EndpointSpec]); 6] = [
        ("anyweb", anyweb::AnywebClient::ENDPOINTS),
        ("appauth", appauth::AppauthClient::ENDPOINTS),
        ("coupang", coupang::CoupangClient::ENDPOINTS),
        ("ebaas", ebaas::EbaasClient::ENDPOINTS),
        ("spotify", spotify::SpotifyClient::ENDPOINTS),
        ("wechat", wechat::WechatClient::ENDPOINTS),
    ];
    for (provider, constants) in generated {
        let built = auth_runtime::dynamic::specs(&descriptor(provider));
        assert_eq!(built.len(), constants.len(), "{provider}");
        for (b, c) in built.iter().zip(constants) {
            assert_eq!(**b, **c, "{provider}.{}", c.name);
        }
    }
}
