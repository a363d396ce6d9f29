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
        .map_err(|e| {
            js_error(Error::Output {
                format: "JS value",
                message: e.to_string(),
            })
        })
}

pub(crate) fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &key.into(), v);
}

pub(crate) fn f64s(v: &[f64]) -> JsValue {
    Float64Array::from(v).into()
}

/// A scenario from a JS object, with the CLI's strictness.
///
/// serde-wasm-bindgen reads a struct by looking up the fields it knows, so it never sees the
/// others and `deny_unknown_fields` cannot fire: a misspelt key would be silently ignored. So
/// the scenario read is written back to a JS object and every key of the input, at every depth,
/// must be there too (a key given as `null`, `undefined` or `[]` may be written back as absent
/// and is let through).
/// Reading through `serde_json` instead would do the same check for ~20 KB more wasm.
pub(crate) fn parse(scenario: JsValue) -> Result<Scenario, JsValue> {
    let sc: Scenario = serde_wasm_bindgen::from_value(scenario.clone())
        .map_err(|e| js_error(Error::Parse(e.to_string())))?;
    let known = sc
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| js_error(Error::Parse(e.to_string())))?;
    if let Some(path) = unknown_key(&scenario, &known, String::new()) {
        return Err(js_error(Error::Parse(format!(
            "unknown field `{path}` (the CLI rejects it too)"
        ))));
    }
    Ok(sc)
}

/// The first key of `given` (dotted path) that `known` lacks, recursing into objects and
/// arrays.
fn unknown_key(given: &JsValue, known: &JsValue, path: String) -> Option<String> {
    if js_sys::Array::is_array(given) {
        let (g, k) = (js_sys::Array::from(given), js_sys::Array::from(known));
        return (0..g.length())
            .find_map(|i| unknown_key(&g.get(i), &k.get(i), format!("{path}[{i}]")));
    }
    if !given.is_object() || !known.is_object() {
        return None;
    }
    let keys = js_sys::Object::keys(given.unchecked_ref::<js_sys::Object>());
    keys.iter().find_map(|key| {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(given, &key).unwrap_or(JsValue::UNDEFINED);
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        // absent, null and empty lists read the same and may be left out when written back
        let empty_list =
            js_sys::Array::is_array(&value) && js_sys::Array::from(&value).length() == 0;
        if value.is_null() || value.is_undefined() || empty_list {
            return None;
        }
        match Reflect::has(known, &key) {
            Ok(true) => unknown_key(
                &value,
                &Reflect::get(known, &key).unwrap_or(JsValue::UNDEFINED),
                sub,
            ),
            _ => Some(sub),
        }
    })
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
