//! Reading a scenario from JSON text: the one reader of the CLI, the browser (which passes
//! `JSON.stringify`'s text) and the tests, so both accept exactly the same language.
//!
//! serde_json does the parsing with the scenario's types (`deny_unknown_fields` everywhere);
//! this module adds what a person needs to act on an error: the dotted path of the field where
//! it went wrong, numbers written compactly, serde's type names in words, and a clear message
//! when the text is not one JSON object. A UTF-8 byte-order mark at the start is skipped (RFC
//! 8259 lets a parser ignore it; some editors write one).

use crate::error::{Error, Result};
use crate::text::{compact_quoted_floats, quoted};
use serde::de::DeserializeOwned;

/// Largest scenario text accepted, bytes (a scenario at every limit is far smaller: 500 dose
/// items, 2000 times, a name).
pub const MAX_JSON_BYTES: usize = 4 << 20;

/// Frames deeper than this are not spelt out in an error's path.
const MAX_PATH_DEPTH: usize = 16;
/// Characters of one key in a path, of a whole path, and of a message (longer ones are cut
/// with `…`: a message stays readable whatever the input).
const MAX_KEY_CHARS: usize = 64;
const MAX_PATH_CHARS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 600;

/// Parses `text` as one JSON object of type `T` (a scenario), with errors that name the field.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    from_json_as(
        text,
        "scenario",
        "{\"patient\": …, \"regimen\": […], \"horizon_min\": …}",
    )
}

/// Parses `text` as one JSON object of type `T`, `what` it is (`lecture`) and its `shape` named
/// in errors.
pub fn from_json_as<T: DeserializeOwned>(text: &str, what: &'static str, shape: &str) -> Result<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_JSON_BYTES {
        return Err(Error::TooLarge {
            what: format!("{what} JSON, bytes"),
            value: text.len() as u64,
            limit: MAX_JSON_BYTES as u64,
        });
    }
    let start = text.len() - text.trim_start().len();
    let first = text[start..].chars().next();
    if first != Some('{') {
        let (line, column) = line_column(text, start);
        let got = match first {
            None => "the text is empty".to_string(),
            Some('[') => "got an array [...]".to_string(),
            Some('"') => "got a string".to_string(),
            Some(c) if c == '-' || c.is_ascii_digit() => "got a number".to_string(),
            Some(c) => format!("the text starts with `{}`", c.escape_default()),
        };
        return Err(Error::Json {
            what,
            field: String::new(),
            message: format!("a {what} is one JSON object {shape}; {got}"),
            line,
            column,
        });
    }
    serde_json::from_str(text).map_err(|e| error_at(text, &e, what))
}

/// The line (1-based) and byte column of byte `offset`, as serde_json counts them.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
    (line, offset - line_start)
}

/// The byte offset of serde_json's (line, column).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text.as_bytes()[offset..].iter().position(|&b| b == b'\n') {
            Some(p) => offset += p + 1,
            None => return text.len(),
        }
    }
    (offset + column).min(text.len())
}

/// serde_json's error in a person's terms, with the path of the field at its position.
fn error_at(text: &str, e: &serde_json::Error, what: &'static str) -> Error {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let raw = full.strip_suffix(&suffix).unwrap_or(&full);
    let mut message = quoted(&words(&compact_quoted_floats(raw)), MAX_MESSAGE_CHARS);
    let mut field = path_at(text, offset_of(text, line, column));
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // serde names the key alone: name it with its path (the path ends with the key)
        if let Some(end) = rest.find('`') {
            let key = &path_key(&rest[..end]);
            if !(field == *key || field.ends_with(&format!(".{key}"))) {
                // an object read whole before its fields were checked (an internally tagged
                // enum) is reported after its end: find the key's own position before there
                if let Some(at) = key_before(text, &rest[..end], offset_of(text, line, column)) {
                    field = path_at(text, at);
                }
            }
            if !(field == *key || field.ends_with(&format!(".{key}"))) {
                field = if field.is_empty() {
                    key.to_string()
                } else {
                    format!("{field}.{key}")
                };
            }
            message = format!("unknown field `{field}`{}", &rest[end + 1..]);
        }
    }
    if let Some((key, rest)) = message.split_once(": ") {
        // an error raised after its object was read: name the object itself
        if crate::scenario::de::SELF_NAMED.contains(&key) {
            if !(field == key || field.ends_with(&format!(".{key}"))) {
                field = if field.is_empty() {
                    key.to_string()
                } else {
                    format!("{field}.{key}")
                };
            }
            message = rest.to_string();
        }
    }
    if message.starts_with("EOF while parsing") {
        field.clear();
        message.push_str(": the text ends before the JSON is complete");
    }
    Error::Json {
        what,
        field,
        message,
        line,
        column,
    }
}

/// The offset just after `"key":` (its last occurrence as an object key before `offset`).
fn key_before(text: &str, key: &str, offset: usize) -> Option<usize> {
    let quoted_key = format!("\"{key}\"");
    let head = text.get(..offset.min(text.len()))?;
    let mut end = head.len();
    while let Some(p) = head[..end].rfind(&quoted_key) {
        let after = p + quoted_key.len();
        let rest = head[after..].trim_start();
        if rest.starts_with(':') {
            return Some(head.len() - rest.len() + 1);
        }
        end = p;
    }
    None
}

/// serde's type names in words.
fn words(message: &str) -> String {
    let mut m = message
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number");
    for (from, to) in [
        ("expected struct ", "expected an object ("),
        (
            "expected internally tagged enum ",
            "expected an object with \"kind\" (",
        ),
    ] {
        if let Some(i) = m.find(from) {
            let name_start = i + from.len();
            let name_end = m[name_start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(m.len(), |n| name_start + n);
            m = format!("{}{to}{})", &m[..i], &m[name_start..name_end]) + &m[name_end..];
        }
    }
    m
}

/// One level of nesting in [`path_at`]'s scan.
enum Frame {
    /// In an object: the key of the current member once read.
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    /// In an array: the index of the current element.
    Array { index: usize },
}

/// The dotted path (`regimen[0].schedule.every`) of the value at byte `offset` of `text`,
/// found by scanning the JSON up to there (the text may be invalid after it).
pub(crate) fn path_at(text: &str, offset: usize) -> String {
    let b = text.as_bytes();
    let end = offset.min(b.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match b[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let s = i + 1;
                let mut j = s;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let content = text.get(s..j.min(b.len())).unwrap_or("");
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(path_key(content));
                        *expect_key = false;
                    }
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for (depth, frame) in stack.iter().enumerate() {
        if depth >= MAX_PATH_DEPTH {
            path.push('…');
            break;
        }
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    quoted(&path, MAX_PATH_CHARS)
}

/// A key as it appears in a path: control characters escaped (the text may be invalid JSON
/// with raw ones), at most [`MAX_KEY_CHARS`] characters.
fn path_key(raw: &str) -> String {
    quoted(raw, MAX_KEY_CHARS)
}

/// The end (exclusive) of the JSON value that starts at byte `start` (after whitespace), by
/// bracket depth and string escapes; `None` when the text ends first.
fn value_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 0 {
                    return (i < b.len()).then_some(i + 1);
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
    (depth == 0 && i > start).then_some(i)
}

/// The object member (`"key": value`) at byte `offset` — in the innermost object there
/// (`up` = 0) or in an enclosing one (`up` objects out) — as the span to cut (the member with
/// one adjoining comma, so that the rest stays valid JSON) and the span of its value. `None`
/// when the offset is not within a member's value.
pub(crate) fn member_at(
    text: &str,
    offset: usize,
    up: usize,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    /// An object's current member: where its key starts, the comma before it, where its value
    /// starts.
    #[derive(Clone, Copy, Default)]
    struct Member {
        key: Option<usize>,
        comma: Option<usize>,
        value: Option<usize>,
    }
    let b = text.as_bytes();
    let end = offset.min(b.len());
    // objects hold their current member; arrays hold nothing
    let mut stack: Vec<Option<Member>> = Vec::new();
    let mut i = 0;
    while i < end {
        match b[i] {
            b'{' => stack.push(Some(Member::default())),
            b'[' => stack.push(None),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Some(m)) = stack.last_mut() {
                    *m = Member {
                        comma: Some(i),
                        ..Member::default()
                    };
                }
            }
            b':' => {
                if let Some(Some(m)) = stack.last_mut() {
                    let mut v = i + 1;
                    while v < b.len() && b[v].is_ascii_whitespace() {
                        v += 1;
                    }
                    m.value = Some(v);
                }
            }
            b'"' => {
                if let Some(Some(m)) = stack.last_mut() {
                    if m.key.is_none() {
                        m.key = Some(i);
                    }
                }
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    let m = stack.iter().rev().flatten().nth(up).copied()?;
    let (key, value) = (m.key?, m.value?);
    let value_end = value_end(b, value)?;
    let cut = match m.comma {
        Some(c) => c..value_end,
        None => {
            // the first member: take the comma after it, if any
            let mut j = value_end;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b',') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                key..j
            } else {
                key..value_end
            }
        }
    };
    Some((cut, value..value_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_objects_and_arrays() {
        let t = r#"{"regimen": [{"dose_mg": 1}, {"schedule": {"every": {"start": 1}}}]}"#;
        let at = t.find("\"start\"").unwrap() + 7;
        assert_eq!(path_at(t, at), "regimen[1].schedule.every.start");
        let t = r#"{"patient": {"weight_kg": 70}, "x": "a,]}\"b"#;
        assert_eq!(path_at(t, t.len()), "x");
        assert_eq!(path_at("", 5), "");
        assert_eq!(path_at("[[[[", 4), "[0][0][0][0]");
    }

    #[test]
    fn members_are_cut_with_one_comma() {
        let cut = |t: &str, at: &str, up: usize| {
            let off = t.find(at).unwrap() + at.len();
            let (m, v) = member_at(t, off, up).unwrap();
            let mut s = t.to_string();
            let value = t[v].to_string();
            s.replace_range(m, "");
            (s, value)
        };
        let t = r#"{"a": 1, "b": "x", "c": {"d": [1, {"e": "y"}]}}"#;
        assert_eq!(
            cut(t, r#""x""#, 0),
            (
                r#"{"a": 1, "c": {"d": [1, {"e": "y"}]}}"#.into(),
                r#""x""#.into()
            )
        );
        assert_eq!(
            cut(t, "1", 0),
            (
                r#"{"b": "x", "c": {"d": [1, {"e": "y"}]}}"#.into(),
                "1".into()
            )
        );
        assert_eq!(
            cut(t, r#""y""#, 0),
            (
                r#"{"a": 1, "b": "x", "c": {"d": [1, {}]}}"#.into(),
                r#""y""#.into()
            )
        );
        assert_eq!(
            cut(t, r#""y""#, 1),
            (
                r#"{"a": 1, "b": "x", "c": {}}"#.into(),
                r#"[1, {"e": "y"}]"#.into()
            )
        );
        assert_eq!(
            cut(t, r#""y""#, 2),
            (
                r#"{"a": 1, "b": "x"}"#.into(),
                r#"{"d": [1, {"e": "y"}]}"#.into()
            )
        );
        assert!(member_at(t, t.len(), 0).is_none());
        assert!(member_at("{\"a\"", 4, 0).is_none());
        assert!(member_at("{\"a\": [", 7, 0).is_none());
    }

    #[test]
    fn line_and_column_round_trip() {
        let t = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        for off in 0..t.len() {
            let (l, c) = line_column(t, off);
            assert_eq!(offset_of(t, l, c), off);
        }
    }
}
