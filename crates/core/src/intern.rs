//! String interning: a path or key that repeats across thousands of findings is stored once.

use foldhash::HashSet;

use crate::model::Str;

/// A set of shared strings; `get` returns the one copy of its text.
#[derive(Default)]
pub(crate) struct Interner(HashSet<Str>);

impl Interner {
    pub fn get(&mut self, text: &str) -> Str {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared = Str::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_text_is_one_allocation() {
        let mut interner = super::Interner::default();
        let a = interner.get("src/main.go");
        let b = interner.get("src/main.go");
        assert!(std::rc::Rc::ptr_eq(&a, &b));
        assert_ne!(interner.get("src/other.go"), a);
    }
}
