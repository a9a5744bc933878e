//! The one rule for the Rust type of a user-supplied value (a credential field or a per-call
//! field): the generated structs, the code that sends them and the macro's field checks all ask
//! [`field_type`], so they cannot disagree.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Param, ValueType};

/// The base type of a field, before `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseType {
    /// `String`.
    Text,
    /// `auth_runtime::SecretString`: never shown in `Debug` or logs.
    Secret,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `Vec<serde_json::Value>`.
    Array,
    /// `serde_json::Value`.
    Object,
}

impl BaseType {
    /// The type's path in generated code.
    pub fn tokens(self) -> TokenStream {
        match self {
            Self::Text => quote!(::std::string::String),
            Self::Secret => quote!(::auth_runtime::SecretString),
            Self::Integer => quote!(i64),
            Self::Number => quote!(f64),
            Self::Boolean => quote!(bool),
            Self::Array => quote!(::std::vec::Vec<::auth_runtime::serde_json::Value>),
            Self::Object => quote!(::auth_runtime::serde_json::Value),
        }
    }

    /// The type as a user writes it (its last path segment), for checks and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "String",
            Self::Secret => "SecretString",
            Self::Integer => "i64",
            Self::Number => "f64",
            Self::Boolean => "bool",
            Self::Array => "Vec",
            Self::Object => "Value",
        }
    }

    /// What the value is, as a noun (`boolean`, `secret`).
    pub fn what(self) -> &'static str {
        match self {
            Self::Text => "plain text",
            Self::Secret => "secret",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Array => "array",
            Self::Object => "JSON object",
        }
    }
}

/// The Rust type of a user-supplied value: `T` when required, `Option<T>` when optional (then
/// left out of the request when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldType {
    /// The type inside any `Option`.
    pub base: BaseType,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

impl FieldType {
    /// The type in generated code.
    pub fn tokens(self) -> TokenStream {
        let base = self.base.tokens();
        if self.optional {
            quote!(::core::option::Option<#base>)
        } else {
            base
        }
    }

    /// The type as a user writes it (`Option<bool>`, `SecretString`).
    pub fn written(self) -> String {
        let base = match self.base {
            BaseType::Array => "Vec<serde_json::Value>",
            BaseType::Object => "serde_json::Value",
            BaseType::Secret => "auth_runtime::SecretString",
            other => other.name(),
        };
        if self.optional {
            format!("Option<{base}>")
        } else {
            base.to_owned()
        }
    }

    /// The fix for a field declared with another type, in words ("is an optional boolean:
    /// declare it as `Option<bool>`").
    pub fn advice(self) -> String {
        let what = self.base.what();
        let described = match (self.base, self.optional) {
            (BaseType::Text, false) => what.to_owned(),
            (BaseType::Text, true) => format!("optional {what}"),
            (_, true) => format!("an optional {what}"),
            (BaseType::Integer | BaseType::Array, false) => format!("an {what}"),
            (_, false) => format!("a {what}"),
        };
        format!("is {described}: declare it as `{}`", self.written())
    }
}

/// The type of a parameter's field: secrets are `SecretString` whatever their declared type;
/// a type the page does not give is text.
pub fn field_type(param: &Param) -> FieldType {
    let base = if param.secret {
        BaseType::Secret
    } else {
        match param.ty {
            ValueType::String | ValueType::Unknown => BaseType::Text,
            ValueType::Integer => BaseType::Integer,
            ValueType::Number => BaseType::Number,
            ValueType::Boolean => BaseType::Boolean,
            ValueType::Array => BaseType::Array,
            ValueType::Object => BaseType::Object,
        }
    };
    FieldType {
        base,
        optional: !param.required,
    }
}

/// The type of an HTTP Basic credential: the user name is text, the password a secret; both
/// are required.
pub fn basic_type(password: bool) -> FieldType {
    FieldType {
        base: if password {
            BaseType::Secret
        } else {
            BaseType::Text
        },
        optional: false,
    }
}

/// How generated code puts a field's value into `params` (an `Option` only when `Some`).
pub fn set_value(ty: FieldType, wire: &str, value: TokenStream) -> TokenStream {
    if ty.optional {
        quote!(params.set_optional(#wire, #value);)
    } else {
        quote!(params.set(#wire, ::auth_runtime::ParamValue::from(#value));)
    }
}
