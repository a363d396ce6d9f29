//! The WebAssembly boundary: converts types in and out, nothing else.
//!
//! Two modules are built from it: the page's main module (single runs, metadata) and, with the
//! `population-module` feature, the population workers' module (virtual populations only), so
//! that the page's first load stays small and the population code loads when it is used.
//!
//! Scenarios arrive as plain JS objects (serde-wasm-bindgen), series leave as `Float64Array`s,
//! metadata as plain objects. Errors are thrown as JS `Error`s carrying the core's message and,
//! where the error concerns one input, a `field` property with its dotted path.

use crate::{Error, Scenario};
use js_sys::{Float64Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "population-module"))]
mod page;
#[cfg(feature = "population-module")]
mod population;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

pub(crate) fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    if let Some(field) = e.field() {
        let _ = Reflect::set(&err, &"field".into(), &field.into());
    }
    err.into()
}

pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(Error::Numerical(e.to_string())))
}

pub(crate) fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &key.into(), v);
}

pub(crate) fn f64s(v: &[f64]) -> JsValue {
    Float64Array::from(v).into()
}

pub(crate) fn parse(scenario: JsValue) -> Result<Scenario, JsValue> {
    serde_wasm_bindgen::from_value(scenario).map_err(|e| js_error(Error::Parse(e.to_string())))
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
