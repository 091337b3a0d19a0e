//! Lenient deserialisation helpers shared by the format modules' private `raw` structs.
//!
//! Scanner output is messy: numbers written as strings, `null` where a list belongs, the
//! string `"None"` from Python dumps. These helpers accept what a field plausibly holds and
//! let [`Lenient`] confine anything worse to the one element that holds it.

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

use crate::model::Diagnostic;
use std::fmt;

/// One element parsed on its own: a bad element becomes `Err(message)` and costs only itself.
///
/// Isolating an element costs a second pass over it, so documents are first read strictly
/// (see [`from_str`]): only when that fails is the document read again element by element.
#[derive(Debug)]
pub struct Lenient<T>(pub Result<T, String>);

thread_local! {
    static STRICT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if STRICT.get() {
            return T::deserialize(deserializer).map(|v| Lenient(Ok(v)));
        }
        let raw = <&RawValue>::deserialize(deserializer)?;
        // From `&str`, as documents are (see [`text`]): one instantiation of each
        // deserializer serves both paths.
        Ok(Lenient(serde_json::from_str(raw.get()).map_err(|e| e.to_string())))
    }
}

/// Runs `read` with [`Lenient`] elements read strictly (`true`) or isolated (`false`).
pub fn strictly<R>(strict: bool, read: impl FnOnce() -> R) -> R {
    let before = STRICT.replace(strict);
    let out = read();
    STRICT.set(before);
    out
}

/// A scalar read as text (see [`string`]), as a type of its own.
#[derive(Deserialize, Default)]
pub struct Loose(#[serde(deserialize_with = "string")] pub Option<String>);

/// Reads a document strictly, and if that fails, again with every [`Lenient`] element
/// isolated. A clean document gives the same value either way, just faster.
pub fn from_str<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, serde_json::Error> {
    STRICT.set(true);
    let strict = serde_json::from_str(text);
    STRICT.set(false);
    match strict {
        Ok(value) => Ok(value),
        Err(_) => serde_json::from_str(text),
    }
}

/// A document's bytes as text, checked to be UTF-8 in one pass: parsing `&str` then skips
/// the check of each string (100 MB SARIF: ~13 % of the parse). Bytes that are not UTF-8
/// are replaced by U+FFFD, with a warning saying where the first one was; the rest of the
/// document is read as usual.
pub fn text<'a>(bytes: &'a [u8], diagnostics: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    match utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(offset) => {
            diagnostics.push(Diagnostic::warning(format!(
                "not UTF-8 from byte offset {offset}: each invalid sequence is shown as U+FFFD (\u{FFFD})"
            )));
            Cow::Owned(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

/// Bytes checked to be UTF-8 part by part as they arrive (the page's worker checks a file
/// while the browser reads the next slice of it). Each part ends after an ASCII byte, which
/// is never inside a character (see [`utf8`]).
#[derive(Default)]
pub struct Utf8Check {
    checked: usize,
    invalid: bool,
}

impl Utf8Check {
    /// Checks `bytes`, all that has arrived so far (the same bytes as before, and more), up
    /// to their last ASCII byte.
    pub fn advance(&mut self, bytes: &[u8]) {
        let rest = &bytes[self.checked..];
        if let (false, Some(last)) = (self.invalid, rest.iter().rposition(u8::is_ascii)) {
            self.invalid = utf8(&rest[..=last]).is_err();
            self.checked += last + 1;
        }
    }

    /// Whether what was checked so far is UTF-8.
    pub fn valid(&self) -> bool {
        !self.invalid
    }

    /// Whether `bytes`, now all of them, are UTF-8.
    pub fn finish(self, bytes: &[u8]) -> bool {
        !self.invalid && utf8(&bytes[self.checked..]).is_ok()
    }
}

/// `str::from_utf8`, or the offset of the first byte that is not UTF-8; faster on ASCII,
/// which is most of any scanner's output: std checks a 4-byte word at a time on wasm32,
/// this a 32-byte block (100 MB SARIF in V8: 20.5 -> 13.5 ms).
///
/// An ASCII byte is never part of a longer sequence, so text is UTF-8 exactly when each
/// stretch between ASCII bytes is: what is not ASCII goes to std up to the next ASCII byte.
/// For the same reason, bytes split after an ASCII byte can be checked part by part.
pub fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    const BLOCK: usize = 32;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ascii = |block: &[u8]| {
        let word = |i: usize| u64::from_le_bytes(block[i..i + 8].try_into().unwrap());
        (word(0) | word(8) | word(16) | word(24)) & HIGH == 0
    };
    let mut at = 0;
    while at < bytes.len() {
        at += bytes[at..].chunks_exact(BLOCK).take_while(|b| ascii(b)).count() * BLOCK;
        let from = (at + BLOCK).min(bytes.len());
        let end = bytes[from..].iter().position(u8::is_ascii).map_or(bytes.len(), |i| from + i);
        if let Err(e) = std::str::from_utf8(&bytes[at..end]) {
            return Err(at + e.valid_up_to());
        }
        at = end;
    }
    // SAFETY: every stretch of `bytes` was checked above.
    Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// A list whose `null` (or absence, with `#[serde(default)]`) is empty.
///
/// A one-element list (most of SARIF's `locations`) gets room for one: serde's own `Vec`
/// starts at four, and four raw locations are a request big enough to make glibc's malloc
/// consolidate its free lists on every result.
///
/// Also fills a [`ThinVec`](thin_vec::ThinVec): one word in the struct being read, for lists
/// that are usually absent.
pub fn vec<'de, D, T, L>(deserializer: D) -> Result<L, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
    L: List<T>,
{
    struct VecVisitor<T, L>(std::marker::PhantomData<(T, L)>);
    impl<'de, T: Deserialize<'de>, L: List<T>> Visitor<'de> for VecVisitor<T, L> {
        type Value = L;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(L::with_capacity(0))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(L::with_capacity(0))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let Some(first) = seq.next_element()? else { return Ok(L::with_capacity(0)) };
            let second = seq.next_element()?;
            let mut out = L::with_capacity(if second.is_some() { 4 } else { 1 });
            out.push(first);
            if let Some(second) = second {
                out.push(second);
                while let Some(next) = seq.next_element()? {
                    out.push(next);
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_option(VecVisitor(std::marker::PhantomData))
}

/// A growable list [`vec`] can fill.
pub trait List<T> {
    /// An empty list with room for `n`.
    fn with_capacity(n: usize) -> Self;
    /// Appends one element.
    fn push(&mut self, item: T);
}

impl<T> List<T> for Vec<T> {
    fn with_capacity(n: usize) -> Self {
        Vec::with_capacity(n)
    }
    fn push(&mut self, item: T) {
        Vec::push(self, item)
    }
}

/// Inline room for the usual few: a list read only to be converted (a result's one location,
/// its one fingerprint) costs no heap block at all.
impl<A: smallvec::Array> List<A::Item> for smallvec::SmallVec<A> {
    fn with_capacity(n: usize) -> Self {
        smallvec::SmallVec::with_capacity(n)
    }
    fn push(&mut self, item: A::Item) {
        smallvec::SmallVec::push(self, item)
    }
}

impl<T> List<T> for thin_vec::ThinVec<T> {
    fn with_capacity(n: usize) -> Self {
        thin_vec::ThinVec::with_capacity(n)
    }
    fn push(&mut self, item: T) {
        thin_vec::ThinVec::push(self, item)
    }
}

/// A scalar read as text: strings as they are, numbers and booleans printed, `null`,
/// objects and arrays as `None`. Empty strings and Python's `"None"` are `None` too.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((!v.is_empty() && v != "None").then(|| v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok((!v.is_empty() && v != "None").then_some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TextVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Like [`string`], but borrowing from the input when the text has no escapes: for fields
/// that are read and dropped, or interned, so they cost no allocation.
pub fn cow<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct CowVisitor;
    impl<'de> Visitor<'de> for CowVisitor {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok((!v.is_empty() && v != "None").then_some(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(TextVisitor.visit_str::<E>(v)?.map(Cow::Owned))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(CowVisitor)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            TextVisitor.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            TextVisitor.visit_map(map).map(|_| None)
        }
    }
    deserializer.deserialize_any(CowVisitor)
}

/// A number read leniently: JSON numbers, numeric strings, and ranges like `"12-15"`
/// (gosec) as their first number. Anything else is `None`. Numbers cost no allocation.
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    struct NumberVisitor;
    impl<'de> Visitor<'de> for NumberVisitor {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(v.is_finite().then_some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(leading_number(v))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(NumberVisitor)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            TextVisitor.visit_seq(seq).map(|_| None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            TextVisitor.visit_map(map).map(|_| None)
        }
    }
    deserializer.deserialize_any(NumberVisitor)
}

/// A non-negative whole number read leniently (see [`number`]).
pub fn uint<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    Ok(number(deserializer)?.filter(|n| *n >= 0.0 && *n <= f64::from(u32::MAX)).map(|n| n as u32))
}

/// A boolean read leniently (`true`, `"true"`); anything else is `false`.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(string(deserializer)?.is_some_and(|s| s.eq_ignore_ascii_case("true")))
}

/// A list of strings read leniently: non-text elements are skipped, a lone string is a
/// one-element list, anything else is empty.
pub fn strings<'de, D: Deserializer<'de>, L: List<String>>(deserializer: D) -> Result<L, D::Error> {
    struct StringsVisitor<L>(std::marker::PhantomData<L>);
    impl<'de, L: List<String>> Visitor<'de> for StringsVisitor<L> {
        type Value = L;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut next = || loop {
                match seq.next_element::<Loose>()? {
                    Some(Loose(None)) => continue,
                    Some(Loose(Some(item))) => return Ok(Some(item)),
                    None => return Ok(None),
                }
            };
            // Sized as in `vec`: a lone string gets room for one, not four.
            let Some(first) = next()? else { return Ok(L::with_capacity(0)) };
            let second = next()?;
            let mut out = L::with_capacity(if second.is_some() { 4 } else { 1 });
            out.push(first);
            if let Some(second) = second {
                out.push(second);
                while let Some(item) = next()? {
                    out.push(item);
                }
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(one(TextVisitor.visit_str::<E>(v)?))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(one(Some(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(one(Some(v.to_string())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(one(Some(v.to_string())))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(one(Some(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(L::with_capacity(0))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(L::with_capacity(0))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            TextVisitor.visit_map(map).map(|_| L::with_capacity(0))
        }
    }
    fn one<L: List<String>>(item: Option<String>) -> L {
        let mut out = L::with_capacity(item.is_some() as usize);
        if let Some(item) = item {
            out.push(item);
        }
        out
    }
    deserializer.deserialize_any(StringsVisitor(std::marker::PhantomData))
}

/// An object of scalars read as `(key, text)` pairs, in document order; values that are not
/// scalars are skipped, `null` is empty.
pub fn pairs<'de: 'a, 'a, D, L>(deserializer: D) -> Result<L, D::Error>
where
    D: Deserializer<'de>,
    L: List<(Cow<'a, str>, String)>,
{
    // Two lifetimes: a list type may be invariant in its items (`SmallVec`), so the keys
    // borrowed for 'de are stored as the shorter 'a the caller's struct has.
    struct PairsVisitor<'a, L>(std::marker::PhantomData<(&'a (), L)>);
    impl<'de: 'a, 'a, L: List<(Cow<'a, str>, String)>> Visitor<'de> for PairsVisitor<'a, L> {
        type Value = L;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(L::with_capacity(0))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            #[derive(Deserialize)]
            struct Loose(#[serde(deserialize_with = "string")] Option<String>);
            let mut out = L::with_capacity(0);
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if let Loose(Some(value)) = map.next_value()? {
                    out.push((key, value));
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_any(PairsVisitor(std::marker::PhantomData))
}

fn leading_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    t[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "uint")]
        line: Option<u32>,
        #[serde(default, deserialize_with = "strings")]
        tags: Vec<String>,
        #[serde(default, deserialize_with = "vec")]
        items: Vec<u8>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scalars_are_read_leniently() {
        let p = probe(
            r#"{"text": 7.5, "line": "12-15", "tags": ["a", 1, null, {"x": 1}], "items": null}"#,
        );
        assert_eq!(
            (p.text.as_deref(), p.line, p.tags, p.items),
            (Some("7.5"), Some(12), vec!["a".to_string(), "1".to_string()], vec![])
        );
        let p = probe(r#"{"text": "None", "line": -3, "tags": "solo"}"#);
        assert_eq!((p.text, p.line, p.tags), (None, None, vec!["solo".to_string()]));
        let p = probe(r#"{"text": {"nested": true}, "line": "abc", "tags": {"k": "v"}}"#);
        assert_eq!((p.text, p.line, p.tags.len()), (None, None, 0));
    }

    #[test]
    fn a_bad_element_costs_only_itself() {
        let items: Vec<Lenient<Probe>> =
            serde_json::from_str(r#"[{"items": [1]}, {"items": "x"}, {}]"#).unwrap();
        assert!(items[0].0.is_ok() && items[2].0.is_ok());
        let err = items[1].0.as_ref().unwrap_err();
        assert!(err.contains("invalid type: string \"x\", expected a sequence"), "{err}");
    }

    /// Seeded pseudo-random numbers below `n` (xorshift64), for reproducible test inputs.
    fn numbers(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        }
    }

    /// `utf8` agrees with std on text of every mix: ASCII runs longer and shorter than its
    /// block, each width of sequence at each alignment, and each kind of damage.
    #[test]
    fn utf8_agrees_with_std() {
        let pieces: [&[u8]; 12] = [
            b"a",
            b"{\"ruleId\": \"go/sql-injection\", \"message\": {\"text\": \"x\"}}",
            "é".as_bytes(),
            "€".as_bytes(),
            "𝄞".as_bytes(),
            "日本語のテキスト".as_bytes(),
            b"\xff",
            b"\xc3",
            b"\xe2\x82",
            b"\xed\xa0\x80",
            b"\xf0\x9d\x84",
            b"\xc0\xaf",
        ];
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let (mut valid, mut invalid) = (0, 0);
        for _ in 0..4000 {
            let mut text = Vec::new();
            for _ in 0..next(40) {
                // Mostly valid pieces, so that damage falls at every offset.
                let piece = if next(8) == 0 { next(12) } else { next(6) };
                text.extend_from_slice(&pieces[piece].repeat(1 + next(5)));
            }
            let expected = std::str::from_utf8(&text).map_err(|e| e.valid_up_to());
            let got = utf8(&text);
            assert_eq!(got, expected, "{text:?}");
            if expected.is_ok() {
                valid += 1
            } else {
                invalid += 1
            }
        }
        assert!(valid > 500 && invalid > 500, "{valid} valid, {invalid} invalid");
    }

    /// Checked in parts cut anywhere (inside characters too), as a file arrives in slices,
    /// the verdict is std's on the whole.
    #[test]
    fn utf8_check_in_parts_agrees_with_std() {
        let text = "{\"message\": \"Überprüfung: 日本語 and 𝄞 in \\\"quotes\\\"\"}".repeat(7);
        let mut next = numbers(0x1234_5678_9abc_def1);
        for round in 0..3000 {
            let mut bytes = text.as_bytes().to_vec();
            if round % 2 == 1 {
                let at = next(bytes.len());
                bytes[at] = [0xff, 0x80, 0xc3, 0xe2][next(4)];
            }
            let mut cuts: Vec<usize> = (0..next(6)).map(|_| next(bytes.len())).collect();
            cuts.sort();
            let mut check = Utf8Check::default();
            for &cut in &cuts {
                check.advance(&bytes[..cut]);
            }
            assert_eq!(check.finish(&bytes), std::str::from_utf8(&bytes).is_ok(), "{cuts:?}");
        }
    }

    #[test]
    fn text_not_utf8_is_kept_with_a_warning() {
        let mut diagnostics = Vec::new();
        assert_eq!(text(b"{\"a\": \"caf\xc3\xa9\"}", &mut diagnostics), "{\"a\": \"café\"}");
        assert!(diagnostics.is_empty());
        let text = text(b"{\"a\": \"caf\xe9\"}", &mut diagnostics);
        assert_eq!(text, "{\"a\": \"caf\u{FFFD}\"}");
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0].message.starts_with("not UTF-8 from byte offset 10:"),
            "{:?}",
            diagnostics
        );
    }
}
