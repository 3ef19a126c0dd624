//! The field names `docs/audit-schema.md` documents, read from the document itself, and the
//! field names a JSON document has, so tests can hold the two to each other.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

/// The schema document's text.
pub fn doc_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/audit-schema.md"))
        .unwrap()
}

/// The schema block: the first fenced block of the document.
pub fn doc_block() -> String {
    let doc = doc_text();
    let start = doc.find("```\n").expect("a fenced schema block") + 4;
    let len = doc[start..].find("```").expect("its end");
    doc[start..start + len].to_string()
}

/// The object keys written in a JSON-like sketch, with their nesting depth (1 = top level):
/// a quoted name inside `{…}` that follows `{` or `,` and is followed by `:`, `,` or `}` (the
/// document writes `{"name", "fqdn"}` for fields whose values go without saying). Values
/// (`"source": "file"`), array items (`["aw", …]`) and `//` comments are not keys.
pub fn sketch_keys(text: &str) -> Vec<(usize, String)> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let mut prev = ' ';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        match c {
            '{' | '[' => stack.push(c),
            '}' | ']' => {
                stack.pop();
            }
            '"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != '"' {
                    j += 1;
                }
                let tok: String = b[start..j.min(b.len())].iter().collect();
                let mut k = j + 1;
                while k < b.len() && b[k] == ' ' {
                    k += 1;
                }
                let next = b.get(k).copied().unwrap_or(' ');
                let name = !tok.is_empty()
                    && tok
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if name
                    && stack.last() == Some(&'{')
                    && (prev == '{' || prev == ',')
                    && matches!(next, ':' | ',' | '}')
                {
                    out.push((stack.len(), tok));
                }
                i = j + 1;
                prev = '"';
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            prev = c;
        }
        i += 1;
    }
    out
}

/// Every key the schema block documents, at any depth.
pub fn doc_keys() -> BTreeSet<String> {
    sketch_keys(&doc_block())
        .into_iter()
        .map(|(_, k)| k)
        .collect()
}

/// The inline sketch (`` `{…}` ``) that follows `after` in the document's prose.
pub fn prose_sketch(after: &str) -> String {
    let doc = doc_text();
    let at = doc
        .find(after)
        .unwrap_or_else(|| panic!("{after} in the schema document"))
        + after.len();
    let rest = &doc[at..];
    let open = rest.find("`{").expect("an inline sketch") + 1;
    let len = rest[open..].find('`').expect("its end");
    rest[open..open + len].to_string()
}

/// The top-level keys of the inline sketch that follows `after` in the document's prose
/// (`` `ccetrust plan --json` prints `{"schema", "at", "plan"}` ``).
pub fn prose_top_keys(after: &str) -> BTreeSet<String> {
    sketch_keys(&prose_sketch(after))
        .into_iter()
        .filter(|(d, _)| *d == 1)
        .map(|(_, k)| k)
        .collect()
}

/// Every object key of a JSON document, at any depth.
pub fn json_keys(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                json_keys(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_keys(x, out)),
        _ => {}
    }
}

/// The top-level keys of a JSON object.
pub fn top_keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// Keys only a `fetch = true` host whose server answered gives (`hosts[].evidence[]` of
/// source `fetched`); `cce_fetch.rs` checks that they are emitted against real servers.
pub const FETCHED_ONLY: &[&str] = &[
    "target",
    "sni",
    "fetched_at",
    "tls_version",
    "cipher_suite",
    "handshake_completed",
];
