//! Lower-casing and substring tests for the short texts the extractors classify (headings,
//! labels, cells), with the same results as `str::to_lowercase` and `str::contains`.
//!
//! Pages are mostly Chinese: `str::to_lowercase` looks every CJK character up in the Unicode
//! case tables and always allocates, and `str::contains` sets up a two-way searcher per call.
//! Both showed up at the top of the profiles, called thousands of times per page.

use std::borrow::Cow;

/// Whether `c` is outside ASCII and has no lower-case mapping other than itself, in blocks that
/// pages use a lot (CJK, CJK and full-width punctuation, box drawing, Latin-1 signs). Checked
/// against the Unicode tables for every character of these ranges by a test below.
pub(crate) fn is_caseless(c: char) -> bool {
    matches!(c,
        '\u{a0}'..='\u{bf}'
        | '\u{2000}'..='\u{206f}'
        | '\u{2500}'..='\u{257f}'
        | '\u{3000}'..='\u{303f}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff00}'..='\u{ff20}'
        | '\u{ff3b}'..='\u{ff40}'
        | '\u{ff5b}'..='\u{ffef}')
}

/// Exactly `text.to_lowercase()`, without allocating when nothing changes and without the
/// Unicode tables for ASCII and caseless characters.
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
    let mut upper = false;
    for c in text.chars() {
        if c.is_ascii() {
            upper |= c.is_ascii_uppercase();
        } else if !is_caseless(c) {
            // Cased letters (and the context-dependent final sigma): the standard way.
            return Cow::Owned(text.to_lowercase());
        }
    }
    if upper {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Pushes the lower case of `c` (as `char::to_lowercase` gives it) onto `out`.
pub(crate) fn push_lowercase(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_caseless(c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Calls `f` with the string `chars` spell, built on the stack when it is short: the names,
/// headers and labels classified here are, and there are thousands per page, so a heap string
/// each added up. A `None` from `chars` (a character the caller cannot map one to one) or a
/// string too long for the buffer makes `on_heap` build it instead.
pub(crate) fn with_short_str<R>(
    chars: impl Iterator<Item = Option<char>>,
    on_heap: impl FnOnce() -> String,
    f: impl FnOnce(&str) -> R,
) -> R {
    let mut buf = [0u8; 128];
    let mut len = 0;
    for c in chars {
        let written = c.and_then(|c| {
            let slot = buf.get_mut(len..len + c.len_utf8())?;
            Some(c.encode_utf8(slot).len())
        });
        match written {
            Some(n) => len += n,
            None => return f(&on_heap()),
        }
    }
    match std::str::from_utf8(&buf[..len]) {
        Ok(short) => f(short),
        Err(_) => f(&on_heap()),
    }
}

/// Exactly `haystack.contains(needle)`, quicker for the short texts compared here: each window
/// is compared only when its first and last bytes match (UTF-8 matches only at character
/// boundaries, so bytes are enough). Long texts (code samples) go to the standard search, whose
/// set-up pays off there.
/// Whether `haystack` contains the ASCII `needle` in any ASCII case, without allocating.
pub(crate) fn contains_ascii_ci(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty()
        && haystack
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    if haystack.len() > 256 {
        return haystack.contains(needle);
    }
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let (Some(&first), Some(&last)) = (n.first(), n.last()) else {
        return true;
    };
    if h.len() < n.len() {
        return false;
    }
    h.windows(n.len())
        .any(|w| w[0] == first && w[n.len() - 1] == last && w == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_ranges_have_no_case_mapping() {
        for c in (0u32..=0x10_ffff)
            .filter_map(char::from_u32)
            .filter(|c| is_caseless(*c))
        {
            assert!(!c.is_ascii());
            assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
        }
    }

    #[test]
    fn same_as_the_standard_library() {
        for text in [
            "",
            "Path：",
            "请求参数",
            "Response 示例",
            "ΣΑΣ Σ",
            "İstanbul",
            "\u{212a}elvin",
            "ＡＢＣ ｘ",
            "├─ accessToken",
            "abc",
            "MiXeD ascii",
            &"参数 long text abc ".repeat(30),
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
            let mut pushed = String::new();
            for c in text.chars() {
                push_lowercase(&mut pushed, c);
            }
            assert_eq!(
                pushed,
                text.chars()
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            );
            for needle in [
                "",
                "a",
                "参数",
                "示例",
                "Σ",
                "ccess",
                "abc",
                "请求参数x",
                "ΣΑ",
            ] {
                assert_eq!(
                    contains(text, needle),
                    text.contains(needle),
                    "{text} {needle}"
                );
            }
        }
    }
}
