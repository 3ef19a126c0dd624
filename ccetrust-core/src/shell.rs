//! What ccetrust prints must be safe to paste: values taken from an inventory or a store
//! (FQDNs, aliases, file names, paths) end up inside `cmd.exe` commands an administrator pastes
//! on a production server, and inside text a terminal interprets.
//!
//! `cmd.exe` has no quoting that neutralises every character: inside `"…"` the characters
//! `&`, `|`, `<`, `>` and `^` are literal, but `"` ends the quoted run (and no escape for it is
//! honoured by every program's argument parser), `%NAME%` is expanded even inside quotes, and
//! `!` is expanded when delayed expansion is on. A value that holds one of those, or a control
//! character, is therefore never printed inside a command: the caller gives a manual step
//! instead ([`cmd_unsafe`] says why). Everything else is printed double-quoted ([`cmd_quote`]).
//!
//! Text for a terminal goes through [`escape_control`], so that an ANSI escape sequence in an
//! FQDN or an alias is shown, not executed.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Why `value` cannot be placed safely in a `cmd.exe` command line, or `None` when it can be
/// (double-quoted with [`cmd_quote`]).
///
/// Refused: `"` (ends the quoted argument), `%` (variable expansion, even inside quotes),
/// `!` (delayed expansion), `^`, `&`, `|`, `<`, `>` (command separators and redirections once
/// a quote is unbalanced), and control characters (a newline ends the command).
pub fn cmd_unsafe(value: &str) -> Option<&'static str> {
    for c in value.chars() {
        let why = match c {
            '"' => "a double quote ends the quoted argument in cmd.exe",
            '%' => "cmd.exe expands %NAME% even inside quotes",
            '!' => "cmd.exe expands !NAME! when delayed expansion is on",
            '^' | '&' | '|' | '<' | '>' => {
                "cmd.exe treats ^ & | < > as command separators or redirections"
            }
            c if c.is_control() => "a control character (a newline ends the command in cmd.exe)",
            _ => continue,
        };
        return Some(why);
    }
    None
}

/// `value` double-quoted for `cmd.exe`. Callers check [`cmd_unsafe`] first: this function does
/// not make an unsafe value safe.
pub fn cmd_quote(value: &str) -> String {
    format!("\"{value}\"")
}

/// `value` with every control character (C0, DEL, C1 — ESC among them) written as `\t`, `\n`,
/// `\r` or `\u{…}`. Text without control characters is returned as it is.
pub fn escape_control(value: &str) -> Cow<'_, str> {
    if !value.chars().any(char::is_control) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(value, safe in cmd.exe)`: the characters cmd.exe interprets inside or around quotes.
    const CMD_CASES: &[(&str, bool)] = &[
        ("rgra.example.com_IIS", true),
        (
            "C:\\Program Files (x86)\\Java\\jre1.8.0_221\\lib\\security\\cacerts",
            true,
        ),
        ("old rgra", true),
        ("old rgra\" & calc.exe & \"x", false),
        ("x.example.com & calc & rem", false),
        ("%CVP_HOME%", false),
        ("a!b!", false),
        ("a^b", false),
        ("a|b", false),
        ("a<b", false),
        ("a>b", false),
        ("line\nnext", false),
        ("esc\u{1b}[31m", false),
        ("ümlaut café", true),
    ];

    #[test]
    fn cmd_safety_follows_cmd_exe_parsing() {
        for (value, safe) in CMD_CASES {
            assert_eq!(cmd_unsafe(value).is_none(), *safe, "{value:?}");
        }
    }

    #[test]
    fn control_characters_are_shown_not_executed() {
        assert_eq!(escape_control("plain"), "plain");
        assert!(matches!(escape_control("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_control("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_control("x\ny"), "x\\ny");
        assert_eq!(escape_control("\u{9b}"), "\\u{9b}");
        assert_eq!(escape_control("\u{7f}"), "\\u{7f}");
    }
}
