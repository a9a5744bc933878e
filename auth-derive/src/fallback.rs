//! What to emit when the descriptor cannot be used: the struct as written plus an empty client,
//! so one mistake gives one error, not dozens at every use of the struct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn expand(item: &syn::ItemStruct, errors: syn::Error) -> TokenStream {
    let name = &item.ident;
    let client = format_ident!("{}Client", name);
    let errors = errors.into_compile_error();
    quote! {
        #item
        #errors
        /// Placeholder: the `#[token_endpoint]` attribute above has an error.
        pub struct #client;
    }
}
