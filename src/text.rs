//! Text that a person reads: numbers written compactly, and user-supplied strings with their
//! control characters escaped.
//!
//! One formatting rule for every number in a message and in the CSV export: the shortest text
//! that reads back to the same `f64` (so a value is shown as the user typed it), in exponent
//! form when it would otherwise run to many digits — `1e308`, not 309 digits; `5e-324`, not
//! 324 zeros.
//!
//! ```
//! use ketasim::text::num;
//! assert_eq!(num(1e308), "1e308");
//! assert_eq!(num(5e-324), "5e-324");
//! assert_eq!(num(0.5), "0.5");
//! assert_eq!(num(259_200.0), "259200");
//! assert_eq!(num(-3.0), "-3");
//! assert_eq!(num(1e-13), "1e-13");
//! assert_eq!(num(f64::NAN), "NaN");
//! ```

use std::borrow::Cow;
use std::fmt;

/// A number written compactly (see the [module](self) documentation); `Display` does the work
/// without allocating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

/// Below this magnitude (and above zero) a number is written with an exponent.
const SMALL: f64 = 1e-5;
/// From this magnitude on a number is written with an exponent.
const LARGE: f64 = 1e15;

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        let a = x.abs();
        if a.is_finite() && a != 0.0 && !(SMALL..LARGE).contains(&a) {
            write!(f, "{x:e}")
        } else {
            write!(f, "{x}")
        }
    }
}

/// `x` written compactly: the shortest text that reads back to the same `f64`, with an
/// exponent outside 1e-5 ≤ |x| < 1e15.
pub fn num(x: f64) -> String {
    Num(x).to_string()
}

/// `s` with its control characters (ANSI escape sequences, carriage returns, …) written as
/// escapes, so that a name from a file cannot move the cursor or recolour a terminal.
///
/// ```
/// use ketasim::text::printable;
/// assert_eq!(printable("plain"), "plain");
/// assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
/// ```
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A user-supplied text as it may appear in a message: control characters escaped
/// ([`printable`]) and at most `max_chars` characters kept (then `…`), so that no input makes a
/// message long or moves a terminal's cursor.
///
/// ```
/// use ketasim::text::quoted;
/// assert_eq!(quoted("kamp2099", 20), "kamp2099");
/// assert_eq!(quoted("a\nb", 20), "a\\u{a}b");
/// assert_eq!(quoted(&"x".repeat(100), 5), "xxxxx…");
/// ```
pub fn quoted(s: &str, max_chars: usize) -> String {
    let p = printable(s);
    match p.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &p[..end]),
        None => p.into_owned(),
    }
}

/// Rewrites the numbers that serde quotes in its messages (`floating point `1000…0.0``) in the
/// compact form.
pub(crate) fn compact_quoted_floats(message: &str) -> String {
    const KEY: &str = "floating point `";
    let mut out = String::with_capacity(message.len().min(512));
    let mut rest = message;
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        match tail.find('`') {
            Some(end) => {
                let quoted = &tail[..end];
                out.push_str(&compact_decimal(quoted).unwrap_or_else(|| quoted.to_string()));
                rest = &tail[end..];
            }
            None => {
                rest = tail;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A number written out in full (`1000…000.0`, `0.000…005`, as `{}` writes an `f64`) in the
/// form of [`num`], by moving digits rather than parsing: the page's WebAssembly then needs no
/// decimal-to-float code for messages. `None` when `s` is not such a number.
fn compact_decimal(s: &str) -> Option<String> {
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", s),
    };
    // serde writes large and small numbers with an exponent too (`1e+308`)
    let (body, e10) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let Some(lead) = all.iter().position(|&b| b != b'0') else {
        return Some(format!("{sign}0"));
    };
    let last = all.iter().rposition(|&b| b != b'0').unwrap_or(lead);
    let sig = &all[lead..=last];
    let exp = int.len() as i64 - lead as i64 - 1 + e10;
    if e10 == 0 && (-5..15).contains(&exp) {
        let frac = frac.trim_end_matches('0');
        return Some(if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        });
    }
    let mut out = format!("{sign}{}", sig[0] as char);
    if sig.len() > 1 {
        out.push('.');
        out.extend(sig[1..].iter().map(|&b| b as char));
    }
    Some(format!("{out}e{exp}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_decimals_become_what_num_writes() {
        for x in [
            1e308,
            -1e308,
            5e-324,
            1.5e-7,
            123.5,
            100.0,
            0.5,
            1e15,
            9.99e14,
            1e-5,
            2.5e-300,
            0.0,
            f64::MAX,
        ] {
            assert_eq!(
                compact_decimal(&format!("{x}")).as_deref(),
                Some(num(x).as_str()),
                "{x}"
            );
            // as serde quotes it: with a decimal point
            let serde = format!("{x}");
            let serde = if serde.contains('.') {
                serde
            } else {
                format!("{serde}.0")
            };
            assert_eq!(compact_decimal(&serde).as_deref(), Some(num(x).as_str()));
        }
        assert_eq!(compact_decimal("inf"), None);
        assert_eq!(compact_decimal("1e+308").as_deref(), Some("1e308"));
        assert_eq!(compact_decimal("-2.50e-7").as_deref(), Some("-2.5e-7"));
        assert_eq!(compact_decimal("1e5x"), None);
        assert_eq!(compact_decimal(""), None);
    }

    #[test]
    fn every_number_reads_back_to_itself() {
        for x in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-5,
            9.99e-6,
            123_456.789,
            1e15,
            999_999_999_999_999.9,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -2.5e-300,
        ] {
            let s = num(x);
            assert_eq!(s.parse::<f64>().unwrap(), x, "{s}");
            assert!(s.len() <= 24, "{s}");
        }
    }

    #[test]
    fn quoted_floats_in_serde_messages_become_compact() {
        let long = format!(
            "invalid type: floating point `1{}.0`, expected u64",
            "0".repeat(308)
        );
        assert_eq!(
            compact_quoted_floats(&long),
            "invalid type: floating point `1e308`, expected u64"
        );
        assert_eq!(compact_quoted_floats("no number"), "no number");
        assert_eq!(
            compact_quoted_floats("floating point `x"),
            "floating point `x"
        );
    }
}
