//! The WebAssembly boundary: converts types in and out, nothing else.
//!
//! Two modules are built from it: the page's main module (single runs, metadata) and, with the
//! `population-module` feature, the population workers' module (virtual populations only), so
//! that the page's first load stays small and the population code loads when it is used.
//!
//! **Nothing an export is given can break the module.** A JS exception that unwinds through
//! WebAssembly frames skips Rust's clean-up (the shadow-stack pointer, locks, destructors);
//! a few hundred of them leave every later call failing with "memory access out of bounds"
//! until a reload. So every argument is taken as a plain `JsValue` and read here with
//! operations that cannot throw into Rust (`typeof` checks) or whose exceptions are caught at
//! the import (`catch`): no getter, Proxy trap or `valueOf` of the caller's runs while Rust is
//! on the stack without being caught. Scenarios arrive as JSON text (`JSON.stringify` on the
//! JS side) and are parsed by serde_json with the same types as the CLI
//! ([`Scenario::from_json`]), so both accept exactly the same language. Numbers must be
//! numbers, texts strings, lists arrays or typed arrays, each within a size limit checked
//! before anything is allocated from it.
//!
//! Every export returns `Result<_, JsError>`: a failure is thrown as a JS `Error` carrying the
//! core's message and, where the error concerns one input, a `field` property with its dotted
//! path. Series leave as `Float64Array`s, metadata as plain objects.

use crate::scenario::json::MAX_JSON_BYTES;
use crate::{Error, Scenario};
#[cfg(feature = "population-module")]
use js_sys::Float32Array;
use js_sys::{Float64Array, JsString, Object, Reflect};
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

#[wasm_bindgen]
extern "C" {
    /// A typed array this module has just made (so its methods are the realm's own).
    type FreshTypedArray;
    /// `TypedArray.prototype.set`: copies a typed array's elements, or reads an array-like's
    /// `length` and indices (no iterator, so no endless generator); whatever the source
    /// throws is caught here.
    #[wasm_bindgen(catch, method, js_name = set)]
    fn copy_from(this: &FreshTypedArray, source: &JsValue) -> Result<(), JsValue>;
}

/// The core's error as a JS `Error` with its `field` (when it has one).
pub(crate) fn js_error(e: &Error) -> JsError {
    let err = JsError::new(&e.to_string());
    if let Some(field) = e.field() {
        let v: JsValue = err.clone().into();
        let _ = Reflect::set(&v, &"field".into(), &field.into());
    }
    err
}

/// An argument error: `field` names the argument.
pub(crate) fn arg_error(field: &str, message: impl Into<String>) -> JsError {
    js_error(&Error::invalid(field, message))
}

/// The text of whatever a caller's getter or Proxy threw, for a message.
fn thrown(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    // a JS Error's message, read through a caught Reflect.get
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "a value that is not an Error".into())
}

pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            js_error(&Error::Output {
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

/// A string argument of at most `max_bytes` (UTF-16 units × 3 bound the UTF-8 length).
pub(crate) fn text(v: &JsValue, field: &str, max_bytes: usize) -> Result<String, JsError> {
    if !v.is_string() {
        return Err(arg_error(
            field,
            format!("must be a string (got {})", type_name(v)),
        ));
    }
    let units = v.unchecked_ref::<JsString>().length() as usize;
    if units > max_bytes {
        return Err(js_error(&Error::TooLarge {
            what: format!("{field}: characters"),
            value: units as u64,
            limit: max_bytes as u64,
        }));
    }
    v.as_string()
        .ok_or_else(|| arg_error(field, "must be a string"))
}

/// A scenario argument: JSON text (`JSON.stringify(scenario)`), read as the CLI reads a file.
pub(crate) fn scenario(v: &JsValue) -> Result<Scenario, JsError> {
    if !v.is_string() {
        return Err(arg_error(
            "scenario",
            format!(
                "must be the scenario's JSON text, JSON.stringify(scenario) (got {})",
                type_name(v)
            ),
        ));
    }
    let json = text(v, "scenario", MAX_JSON_BYTES)?;
    let sc = Scenario::from_json(&json).map_err(|e| js_error(&e))?;
    // the browser's population range, before the scenario's own (the CLI's): one range named
    crate::population::check_browser_size(&sc).map_err(|e| js_error(&e))?;
    Ok(sc)
}

/// A number argument (no coercion: `"70"` is not a number).
pub(crate) fn number(v: &JsValue, field: &str) -> Result<f64, JsError> {
    v.as_f64()
        .ok_or_else(|| arg_error(field, format!("must be a number (got {})", type_name(v))))
}

/// A whole-number argument within `lo..=hi`.
#[cfg(feature = "population-module")]
pub(crate) fn whole(v: &JsValue, field: &str, lo: u32, hi: u32) -> Result<u32, JsError> {
    let x = number(v, field)?;
    if x.fract() == 0.0 && x >= f64::from(lo) && x <= f64::from(hi) {
        Ok(x as u32)
    } else {
        Err(arg_error(
            field,
            format!(
                "{} is not allowed: give a whole number from {lo} to {hi}",
                crate::text::Num(x)
            ),
        ))
    }
}

/// The length of an array or typed array argument, at most `max`.
fn length(v: &JsValue, field: &str, max: usize) -> Result<u32, JsError> {
    let list = || {
        arg_error(
            field,
            format!("must be an array or a typed array (got {})", type_name(v)),
        )
    };
    if !v.is_object() {
        return Err(list());
    }
    let len = Reflect::get(v, &"length".into())
        .map_err(|e| arg_error(field, format!("could not be read: {}", thrown(&e))))?
        .as_f64()
        .ok_or_else(list)?;
    if !(len.fract() == 0.0 && len >= 0.0) {
        return Err(list());
    }
    if len > max as f64 {
        return Err(js_error(&Error::TooLarge {
            what: format!("{field}: values"),
            value: len as u64,
            limit: max as u64,
        }));
    }
    Ok(len as u32)
}

/// An array or typed array of numbers, at most `max` of them, copied without running any of
/// the caller's code outside a caught call.
pub(crate) fn f64_list(v: &JsValue, field: &str, max: usize) -> Result<Vec<f64>, JsError> {
    let n = length(v, field, max)?;
    let fresh = Float64Array::new_with_length(n);
    fresh
        .unchecked_ref::<FreshTypedArray>()
        .copy_from(v)
        .map_err(|e| arg_error(field, format!("could not be read: {}", thrown(&e))))?;
    Ok(fresh.to_vec())
}

/// As [`f64_list`], as `f32`s.
#[cfg(feature = "population-module")]
pub(crate) fn f32_list(v: &JsValue, field: &str, max: usize) -> Result<Vec<f32>, JsError> {
    let n = length(v, field, max)?;
    let fresh = Float32Array::new_with_length(n);
    fresh
        .unchecked_ref::<FreshTypedArray>()
        .copy_from(v)
        .map_err(|e| arg_error(field, format!("could not be read: {}", thrown(&e))))?;
    Ok(fresh.to_vec())
}

/// The elements of an array argument (at most `max`), each read through a caught call.
#[cfg(feature = "population-module")]
pub(crate) fn items(v: &JsValue, field: &str, max: usize) -> Result<Vec<JsValue>, JsError> {
    let n = length(v, field, max)?;
    (0..n)
        .map(|i| {
            Reflect::get_u32(v, i).map_err(|e| {
                arg_error(
                    &format!("{field}[{i}]"),
                    format!("could not be read: {}", thrown(&e)),
                )
            })
        })
        .collect()
}

/// What a JS value is, for a message (`typeof`, with arrays and null told apart).
fn type_name(v: &JsValue) -> &'static str {
    if v.is_null() {
        "null"
    } else if v.is_undefined() {
        "undefined"
    } else if v.is_string() {
        "a string"
    } else if v.as_f64().is_some() {
        "a number"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else if v.is_bigint() {
        "a BigInt"
    } else if v.is_function() {
        "a function"
    } else if v.is_symbol() {
        "a symbol"
    } else {
        "an object"
    }
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

/// Traps on purpose (a WebAssembly `unreachable`), leaving this instance unusable: the page's
/// tests use it to check that a worker whose module trapped is replaced and that the page says
/// so. Nothing else calls it.
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}
