//! A cheap look at a JSON document's shape for sniffing: top-level keys, a few scalar
//! values, and the keys of nested objects and of first array elements, a few levels deep.
//! One pass at the tokenizer's speed; nothing is kept but names.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

const DEPTH: u8 = 3;
const SCALARS: [&str; 9] = [
    "version",
    "$schema",
    "SchemaVersion",
    "kind",
    "apiVersion",
    "ID",
    "protocol_version",
    "@context",
    "bomFormat",
];

/// The keys of an object, with the shapes of nested objects (or of an array's first element).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Object {
    pub keys: Vec<String>,
    pub scalars: Vec<(String, String)>,
    pub children: Vec<(String, Object)>,
}

impl Object {
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
    pub fn scalar(&self, key: &str) -> Option<&str> {
        self.scalars.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    pub fn child(&self, key: &str) -> Option<&Object> {
        self.children.iter().find(|(k, _)| k == key).map(|(_, o)| o)
    }
}

/// What a document looks like.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Shape {
    /// Nothing but whitespace.
    Empty,
    /// Not JSON at all.
    NotJson { offset: usize, message: String },
    /// The literal `null`.
    Null,
    /// A string, number or boolean.
    Scalar,
    /// One object.
    Object(Object),
    /// An array: its length and its first element's shape if that is an object.
    Array { len: usize, first: Option<Object> },
    /// Several concatenated top-level values (govulncheck): how many, and the first's keys.
    Stream { count: usize, first: Object },
}

/// Documents larger than this are sniffed from their first bytes only (see [`Shape::skim`]).
pub(crate) const PREFIX: usize = 1 << 20;

impl Shape {
    /// Sniffs a document: exactly for small ones, from a prefix for large ones (where a full
    /// pass would cost as much as a quarter of the parse). A large document that turns out
    /// not to be JSON is reported by its format's parse instead.
    pub fn sniff(bytes: &[u8]) -> Shape {
        if bytes.len() <= PREFIX {
            return Shape::probe(bytes);
        }
        match Shape::skim(&bytes[..PREFIX]) {
            Some(shape) => shape,
            None => Shape::probe(bytes),
        }
    }

    /// The shape of a document's beginning, read tolerantly: an unterminated value counts as
    /// far as it goes. `None` when the prefix is not the start of a JSON document.
    pub fn skim(prefix: &[u8]) -> Option<Shape> {
        let mut s = Skimmer { b: strip_bom(prefix), i: 0 };
        s.ws();
        let first = s.value(0)?;
        s.ws();
        let more = s.i < s.b.len();
        Some(match first {
            Shape::Object(o) if more => Shape::Stream { count: 2, first: o },
            other => other,
        })
    }

    /// Reads the whole document: exact shape, or where it stops being JSON.
    pub fn probe(bytes: &[u8]) -> Shape {
        let bytes = strip_bom(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Shape::Empty;
        }
        let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Top>();
        let first = match stream.next() {
            Some(Ok(Top(shape))) => shape,
            Some(Err(e)) => return not_json(bytes, &e),
            None => return Shape::Empty,
        };
        let mut count = 1;
        for next in stream {
            match next {
                Ok(_) => count += 1,
                Err(e) if count == 1 => return not_json(bytes, &e),
                Err(_) => break,
            }
        }
        match first {
            Shape::Object(object) if count > 1 => Shape::Stream { count, first: object },
            other => other,
        }
    }

    pub fn object(&self) -> Option<&Object> {
        match self {
            Shape::Object(o) => Some(o),
            Shape::Stream { first, .. } => Some(first),
            _ => None,
        }
    }

    pub fn first_element(&self) -> Option<&Object> {
        match self {
            Shape::Array { first, .. } => first.as_ref(),
            _ => None,
        }
    }

    /// A short description for "unrecognised JSON" diagnostics.
    pub fn describe(&self) -> String {
        let keys = |o: &Object| {
            let mut names: Vec<&str> = o.keys.iter().map(String::as_str).take(8).collect();
            if o.keys.len() > 8 {
                names.push("…");
            }
            names.join(", ")
        };
        match self {
            Shape::Object(o) => format!("an object with keys {}", keys(o)),
            Shape::Stream { count, first } => {
                format!("{count} concatenated values, the first with keys {}", keys(first))
            }
            Shape::Array { len, first: Some(o) } => {
                format!("a list of {len} objects with keys {}", keys(o))
            }
            Shape::Array { len, first: None } => {
                format!("a list of {len} values that are not objects")
            }
            Shape::Scalar => "a single string, number or boolean".to_string(),
            Shape::Null => "null".to_string(),
            Shape::Empty | Shape::NotJson { .. } => "nothing".to_string(),
        }
    }
}

/// A tolerant reader of a JSON prefix: returns what it has when the bytes run out, `None`
/// on anything that is not JSON.
struct Skimmer<'a> {
    b: &'a [u8],
    i: usize,
}

impl Skimmer<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }

    /// Skips a string (the opening quote is current); returns its raw contents if complete.
    fn string(&mut self) -> Option<&[u8]> {
        let start = self.i + 1;
        let mut j = start;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 2,
                b'"' => {
                    self.i = j + 1;
                    return Some(&self.b[start..j]);
                }
                _ => j += 1,
            }
        }
        self.i = self.b.len();
        None
    }

    fn scalar(&mut self) -> Option<()> {
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
        {
            self.i += 1;
        }
        (self.i > start).then_some(())
    }

    fn value(&mut self, depth: u8) -> Option<Shape> {
        self.ws();
        match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut object = Object::default();
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        None => return Some(Shape::Object(object)),
                        Some(b'}') => {
                            self.i += 1;
                            return Some(Shape::Object(object));
                        }
                        Some(b',') => self.i += 1,
                        Some(b'"') => {
                            let Some(key) = self.string() else {
                                return Some(Shape::Object(object));
                            };
                            let key = String::from_utf8_lossy(key).into_owned();
                            self.ws();
                            if self.at_end() {
                                object.keys.push(key);
                                return Some(Shape::Object(object));
                            }
                            if self.b[self.i] != b':' {
                                return None;
                            }
                            self.i += 1;
                            self.ws();
                            if SCALARS.contains(&key.as_str()) && self.b.get(self.i) == Some(&b'"')
                            {
                                if let Some(text) = self.string() {
                                    object.scalars.push((
                                        key.clone(),
                                        String::from_utf8_lossy(text).into_owned(),
                                    ));
                                }
                            } else if depth + 1 >= DEPTH {
                                self.skip()?;
                            } else {
                                match self.value(depth + 1) {
                                    Some(Shape::Object(child)) => {
                                        object.children.push((key.clone(), child))
                                    }
                                    Some(Shape::Array { first: Some(child), .. }) => {
                                        object.children.push((key.clone(), child))
                                    }
                                    Some(_) => {}
                                    None if self.at_end() => {}
                                    None => return None,
                                }
                            }
                            object.keys.push(key);
                        }
                        Some(_) => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Some(Shape::Array { len: 0, first: None });
                }
                let first = match self.value(depth + 1) {
                    Some(Shape::Object(o)) => Some(o),
                    _ if self.at_end() => None,
                    Some(_) => None,
                    None => return None,
                };
                let mut len = 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        None => return Some(Shape::Array { len, first }),
                        Some(b']') => {
                            self.i += 1;
                            return Some(Shape::Array { len, first });
                        }
                        Some(b',') => {
                            self.i += 1;
                            self.skip()?;
                            len += 1;
                        }
                        Some(_) => return None,
                    }
                }
            }
            b'"' => {
                self.string();
                Some(Shape::Scalar)
            }
            b'n' if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                Some(Shape::Null)
            }
            _ => self.scalar().map(|()| Shape::Scalar),
        }
    }

    /// Skips one value of any depth (tolerating the end of the prefix).
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.b.get(self.i) {
            None => Some(()),
            Some(b'"') => {
                self.string();
                Some(())
            }
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(&c) = self.b.get(self.i) {
                    match c {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                Some(())
            }
            Some(_) => self.scalar(),
        }
    }
}

/// Skips a UTF-8 byte-order mark, which some Windows tools write.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn not_json(bytes: &[u8], err: &serde_json::Error) -> Shape {
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    if err.is_eof() {
        return Shape::NotJson {
            offset: bytes.len(),
            message: format!("the file ends too early, {message} (a truncated download?)"),
        };
    }
    Shape::NotJson { offset: byte_offset(bytes, err.line(), err.column()), message }
}

/// The byte offset of a serde_json error position (1-based line, 1-based column).
pub(crate) fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match bytes[offset..].iter().position(|&b| b == b'\n') {
            Some(i) => offset += i + 1,
            None => break,
        }
    }
    (offset + column.saturating_sub(1)).min(bytes.len())
}

struct Top(Shape);

impl<'de> de::Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor { depth: 0 }).map(Top)
    }
}

#[derive(Clone, Copy)]
struct ShapeVisitor {
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for ShapeVisitor {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        if self.depth >= DEPTH {
            IgnoredAny::deserialize(d)?;
            return Ok(Shape::Scalar);
        }
        d.deserialize_any(self)
    }
}

use serde::Deserialize as _;

struct ScalarText;

impl<'de> DeserializeSeed<'de> for ScalarText {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        crate::json::string(d)
    }
}

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let inner = ShapeVisitor { depth: self.depth + 1 };
        let first = match seq.next_element_seed(inner)? {
            None => return Ok(Shape::Array { len: 0, first: None }),
            Some(Shape::Object(o)) => Some(o),
            Some(_) => None,
        };
        let mut len = 1;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            len += 1;
        }
        Ok(Shape::Array { len, first })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut object = Object::default();
        let inner = ShapeVisitor { depth: self.depth + 1 };
        while let Some(key) = map.next_key::<String>()? {
            if SCALARS.contains(&key.as_str()) {
                if let Some(text) = map.next_value_seed(ScalarText)? {
                    object.scalars.push((key.clone(), text));
                }
            } else {
                match map.next_value_seed(inner)? {
                    Shape::Object(child) => object.children.push((key.clone(), child)),
                    Shape::Array { first: Some(child), .. } => {
                        object.children.push((key.clone(), child))
                    }
                    _ => {}
                }
            }
            object.keys.push(key);
        }
        Ok(Shape::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_typical_documents() {
        assert_eq!(Shape::probe(b"  \n"), Shape::Empty);
        assert_eq!(Shape::probe(b"null"), Shape::Null);
        assert_eq!(Shape::probe(b"[]"), Shape::Array { len: 0, first: None });
        let Shape::Object(o) =
            Shape::probe(br#"{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}"#)
        else {
            panic!()
        };
        assert_eq!(o.scalar("version"), Some("2.1.0"));
        assert!(o.child("runs").unwrap().has("tool"), "the first run's keys are seen");
        let Shape::Stream { count, first } =
            Shape::probe(b"{\"config\":{}}\n{\"osv\":{}}\n{\"finding\":{}}")
        else {
            panic!()
        };
        assert_eq!((count, first.keys.as_slice()), (3, ["config".to_string()].as_slice()));
    }

    #[test]
    fn a_prefix_is_skimmed_like_the_whole_document() {
        let doc = br#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a\"b", "x": [1, {"y": 2}]}, {"ruleId": "c"}]}]}"#;
        for cut in [40, 80, doc.len()] {
            let Some(Shape::Object(o)) = Shape::skim(&doc[..cut]) else { panic!("cut {cut}") };
            assert_eq!(o.scalar("version"), Some("2.1.0"));
            assert!(o.has("runs") && o.child("runs").unwrap().has("tool"), "cut {cut}: {o:?}");
        }
        assert_eq!(Shape::skim(&doc[..]), Some(Shape::probe(doc)));
        assert!(matches!(Shape::skim(b"{\"config\": {}}\n{\"osv\": "), Some(Shape::Stream { .. })));
        assert_eq!(Shape::skim(b"<html>"), None);
        assert_eq!(
            Shape::skim(b"[{\"security_advisory\": {}, \"x\": 1}, {\"trunc"),
            Some(Shape::probe(b"[{\"security_advisory\": {}, \"x\": 1}]")).map(|s| match s {
                Shape::Array { first, .. } => Shape::Array { len: 2, first },
                other => other,
            })
        );
    }

    #[test]
    fn not_json_reports_the_byte_offset() {
        assert_eq!(
            Shape::probe(b"{\n  \"a\": 1,\n  oops\n}"),
            Shape::NotJson { offset: 14, message: "key must be a string".to_string() }
        );
        assert!(matches!(Shape::probe(b"<html>"), Shape::NotJson { offset: 0, .. }));
        assert!(matches!(Shape::probe(b"{\"a\": [1, 2"), Shape::NotJson { .. }));
    }
}
