//! An input file's bytes: mapped from the page cache where the OS allows it, else read.
//!
//! Reading a 100 MB log copies it into fresh memory the kernel must first zero page by page;
//! a read-only private mapping shares the page cache's copy instead (ripgrep does the same).

use std::fs::File;
use std::ops::Deref;

use anyhow::Context as _;

/// The bytes of one input file.
pub(crate) enum Input {
    #[cfg(unix)]
    Mapped {
        at: *const u8,
        len: usize,
    },
    Read(Vec<u8>),
}

impl Input {
    /// Maps or reads `path`; the error names the file.
    pub(crate) fn open(path: &str) -> anyhow::Result<Input> {
        let file = File::open(path).with_context(|| format!("cannot read {path}"))?;
        #[cfg(unix)]
        if let Some(mapped) = map(&file) {
            return Ok(mapped);
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut &file, &mut bytes)
            .with_context(|| format!("cannot read {path}"))?;
        Ok(Input::Read(bytes))
    }
}

/// A regular, non-empty file mapped read-only; `None` when it cannot be (a pipe, an empty
/// file, a failed mmap), so the caller reads it instead.
#[cfg(unix)]
fn map(file: &File) -> Option<Input> {
    use std::os::fd::AsRawFd as _;
    let meta = file.metadata().ok()?;
    let len = usize::try_from(meta.len()).ok()?;
    if !meta.is_file() || len == 0 {
        return None;
    }
    // SAFETY: a fresh read-only private mapping of an open regular file, `len` bytes from
    // offset 0; the result is checked before use. The file could still be truncated by
    // another process while mapped (SIGBUS), as for any tool that maps its input: scanlens
    // reads finished scanner output, which nothing rewrites while it is being read.
    let at = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    (at != libc::MAP_FAILED).then_some(Input::Mapped { at: at as *const u8, len })
}

impl Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            // SAFETY: `at` is a live read-only mapping of `len` bytes until `drop`.
            #[cfg(unix)]
            Input::Mapped { at, len } => unsafe { std::slice::from_raw_parts(*at, *len) },
            Input::Read(bytes) => bytes,
        }
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Input::Mapped { at, len } = *self {
            // SAFETY: the mapping made in `map`, unmapped once; no slice of it outlives `self`.
            unsafe { libc::munmap(at as *mut libc::c_void, len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Input;

    #[test]
    fn a_file_maps_to_its_bytes_and_what_cannot_map_is_read() {
        let dir = std::env::temp_dir().join(format!("scanlens-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (full, empty) = (dir.join("full.json"), dir.join("empty.json"));
        std::fs::write(&full, b"{\"runs\": []}").unwrap();
        std::fs::write(&empty, b"").unwrap();
        let input = Input::open(full.to_str().unwrap()).unwrap();
        #[cfg(unix)]
        assert!(matches!(input, Input::Mapped { .. }), "a regular file is mapped");
        assert_eq!(&*input, b"{\"runs\": []}");
        let input = Input::open(empty.to_str().unwrap()).unwrap();
        assert!(matches!(&input, Input::Read(bytes) if bytes.is_empty()), "nothing to map");
        let err = Input::open(dir.to_str().unwrap()).err().expect("a folder is not an input");
        assert!(format!("{err:#}").starts_with(&format!("cannot read {}", dir.display())));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
