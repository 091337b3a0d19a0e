//! Containers as CI hands them over: a `.zip` (GitHub Actions artifact download, nested
//! folders) or a `.gz`. Detected by magic bytes, never by name. Stored and deflated zip
//! members are supported; sizes and compression ratios are capped so a zip bomb costs a
//! diagnostic, not the tab.

use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};

/// Caps on what an archive may expand to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest single member (or gzip payload) after decompression.
    pub max_member_bytes: u64,
    /// Largest total of all members after decompression.
    pub max_total_bytes: u64,
    /// Largest ratio of decompressed to compressed size (zip bombs compress ~1000:1).
    pub max_ratio: u64,
    /// How deep archives may nest (a zip in a zip).
    pub max_depth: u8,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_member_bytes: 1 << 30, max_total_bytes: 2 << 30, max_ratio: 250, max_depth: 3 }
    }
}

/// What an archive member turned into.
#[derive(Debug)]
pub enum Member {
    /// A member's path inside the archive and its bytes.
    File {
        /// Path inside the archive, with `/` separators.
        path: String,
        /// The member's decompressed bytes.
        bytes: Vec<u8>,
        /// Its modification time (zip times have no zone: read as UTC).
        modified: Option<crate::time::Timestamp>,
    },
    /// A member that could not be extracted, and why.
    Skipped {
        /// Path inside the archive.
        path: String,
        /// Why it was not extracted.
        reason: String,
    },
}

/// The container kind of some bytes, from their magic number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// `PK\x03\x04` (or an empty zip's `PK\x05\x06`).
    Zip,
    /// `\x1f\x8b`.
    Gzip,
}

/// Detects a zip or gzip container by its first bytes.
pub fn detect(bytes: &[u8]) -> Option<Container> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Container::Zip)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Container::Gzip)
    } else {
        None
    }
}

/// Decompresses a gzip stream (one member; concatenated members are rare in CI output).
pub fn gunzip(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
    if bytes.len() < 18 || bytes[2] != 8 {
        return Err("not a deflate-compressed gzip stream".into());
    }
    let flags = bytes[3];
    let mut pos = 10;
    if flags & 0x04 != 0 {
        let extra = u16::from_le_bytes([
            *bytes.get(pos).ok_or("truncated gzip header")?,
            *bytes.get(pos + 1).ok_or("truncated gzip header")?,
        ]);
        pos += 2 + usize::from(extra);
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            let end = bytes
                .get(pos..)
                .and_then(|b| b.iter().position(|&c| c == 0))
                .ok_or("truncated gzip header")?;
            pos += end + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    let body = bytes.get(pos..bytes.len().saturating_sub(8)).ok_or("truncated gzip stream")?;
    let cap = limits.max_member_bytes.min((bytes.len() as u64).saturating_mul(limits.max_ratio));
    inflate(body, cap, bytes.len() as u64, limits)
}

fn inflate(body: &[u8], cap: u64, compressed: u64, limits: &Limits) -> Result<Vec<u8>, String> {
    match decompress_to_vec_with_limit(body, cap as usize) {
        Ok(out) => Ok(out),
        Err(e) if e.status == TINFLStatus::HasMoreOutput => Err(if cap < limits.max_member_bytes {
            format!(
                "expands more than {}× its compressed size of {compressed} bytes (a zip bomb?)",
                limits.max_ratio
            )
        } else {
            format!(
                "expands past the {} limit for one file",
                crate::units::format_bytes(limits.max_member_bytes)
            )
        }),
        Err(e) => Err(format!("corrupt deflate data ({:?})", e.status)),
    }
}

fn le16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}
fn le32(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)))
}

/// Lists and extracts a zip's members, from its central directory.
pub fn unzip(bytes: &[u8], limits: &Limits) -> Result<Vec<Member>, String> {
    // The end-of-central-directory record sits in the last 22 + 65535 bytes.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
        .ok_or("no zip central directory (truncated download?)")?;
    let count = le16(bytes, eocd + 10).ok_or("truncated zip")?;
    let mut at = le32(bytes, eocd + 16).ok_or("truncated zip")? as usize;
    let mut members = Vec::new();
    let mut total = 0u64;
    for _ in 0..count {
        if !bytes.get(at..).is_some_and(|b| b.starts_with(b"PK\x01\x02")) {
            return Err("corrupt zip central directory".into());
        }
        let method = le16(bytes, at + 10).ok_or("truncated zip")?;
        let modified = dos_time(
            le16(bytes, at + 12).ok_or("truncated zip")?,
            le16(bytes, at + 14).ok_or("truncated zip")?,
        );
        let compressed = le32(bytes, at + 20).ok_or("truncated zip")?;
        let size = le32(bytes, at + 24).ok_or("truncated zip")?;
        let name_len = le16(bytes, at + 28).ok_or("truncated zip")?;
        let extra_len = le16(bytes, at + 30).ok_or("truncated zip")?;
        let comment_len = le16(bytes, at + 32).ok_or("truncated zip")?;
        let flags = le16(bytes, at + 8).ok_or("truncated zip")?;
        let local = le32(bytes, at + 42).ok_or("truncated zip")? as usize;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or("truncated zip")?;
        let path = String::from_utf8_lossy(name).replace('\\', "/");
        at += 46 + name_len + extra_len + comment_len;
        if path.ends_with('/') {
            continue;
        }
        let skip = |reason: String| Member::Skipped { path: path.clone(), reason };
        if flags & 1 != 0 {
            members.push(skip("encrypted: scanlens cannot read password-protected zips".into()));
            continue;
        }
        if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            members.push(skip("zip64 member: larger than 4 GB, over the supported size".into()));
            continue;
        }
        if size > limits.max_member_bytes {
            members.push(skip(format!(
                "{} uncompressed, over the {} limit for one file",
                crate::units::format_bytes(size),
                crate::units::format_bytes(limits.max_member_bytes)
            )));
            continue;
        }
        if compressed > 0 && size / compressed.max(1) > limits.max_ratio {
            members.push(skip(format!(
                "expands {}× (over the {}× limit: a zip bomb?)",
                size / compressed,
                limits.max_ratio
            )));
            continue;
        }
        if total + size > limits.max_total_bytes {
            members.push(skip(format!(
                "the archive expands past the {} total limit",
                crate::units::format_bytes(limits.max_total_bytes)
            )));
            continue;
        }
        let Some(data_at) = (|| {
            if !bytes.get(local..)?.starts_with(b"PK\x03\x04") {
                return None;
            }
            Some(local + 30 + le16(bytes, local + 26)? + le16(bytes, local + 28)?)
        })() else {
            members.push(skip("corrupt local header".into()));
            continue;
        };
        let Some(data) = bytes.get(data_at..data_at + compressed as usize) else {
            members.push(skip("truncated member data".into()));
            continue;
        };
        let extracted = match method {
            0 => Ok(data.to_vec()),
            8 => {
                let cap = size.min(limits.max_member_bytes);
                inflate_exact(data, cap)
            }
            other => Err(format!(
                "compression method {other} is not supported (only stored and deflate)"
            )),
        };
        match extracted {
            Ok(out) if out.len() as u64 == size => {
                total += size;
                members.push(Member::File { path, bytes: out, modified });
            }
            Ok(out) => members.push(skip(format!(
                "size mismatch: directory says {size} bytes, data holds {}",
                out.len()
            ))),
            Err(reason) => members.push(skip(reason)),
        }
    }
    Ok(members)
}

/// An MS-DOS date and time (as zip stores them) as a timestamp; `None` for the zero date.
fn dos_time(time: usize, date: usize) -> Option<crate::time::Timestamp> {
    let (year, month, day) = (1980 + (date >> 9), (date >> 5) & 15, date & 31);
    let (hour, minute, second) = (time >> 11, (time >> 5) & 63, (time & 31) * 2);
    crate::time::Timestamp::parse(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

fn inflate_exact(data: &[u8], size: u64) -> Result<Vec<u8>, String> {
    match decompress_to_vec_with_limit(data, size as usize) {
        Ok(out) => Ok(out),
        Err(e) if e.status == TINFLStatus::HasMoreOutput => {
            Err("expands past its declared size (corrupt or hostile zip)".into())
        }
        Err(e) => Err(format!("corrupt deflate data ({:?})", e.status)),
    }
}
