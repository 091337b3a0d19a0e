//! The worker's allocator: small blocks by size class, everything else from the system's.
//!
//! Reading a report allocates a few small blocks per finding (strings, short lists), hundreds of
//! thousands of times. dlmalloc, wasm's default, spent ~150 of the ~570 ms it takes to read
//! 100 MB of SARIF in malloc. Rust tells `dealloc` the size of the block it frees, so small
//! blocks need no header: a freed block goes on its class's list, and an allocation takes the
//! head of that list, or the next bytes of the current chunk.
//!
//! Freed small blocks stay in their class for reuse and are never given back (wasm memory
//! never shrinks anyway). Single-threaded: it is only installed where wasm has no threads.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr;

/// Blocks up to this many bytes (and aligned to at most [`GRAIN`]) are served by class.
const SMALL: usize = 256;
/// Class width, and the alignment every small block has.
const GRAIN: usize = 8;
const CLASSES: usize = SMALL / GRAIN;
/// Bytes asked of the system allocator at a time for small blocks.
const CHUNK: usize = 256 * 1024;

/// A size-class allocator in front of `A`.
pub struct Slab<A> {
    system: A,
    state: UnsafeCell<State>,
}

struct State {
    /// Head of each class's list of freed blocks; each holds the address of the next.
    free: [*mut u8; CLASSES],
    /// The unused rest of the current chunk.
    next: *mut u8,
    end: *mut u8,
}

// SAFETY: only installed on wasm without the atomics feature, where there is one thread.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<A: Sync> Sync for Slab<A> {}

impl<A> Slab<A> {
    pub const fn new(system: A) -> Slab<A> {
        Slab {
            system,
            state: UnsafeCell::new(State {
                free: [ptr::null_mut(); CLASSES],
                next: ptr::null_mut(),
                end: ptr::null_mut(),
            }),
        }
    }
}

/// The class of a layout served here, if it is small.
fn class(layout: Layout) -> Option<usize> {
    (layout.size() <= SMALL && layout.align() <= GRAIN)
        .then(|| layout.size().max(1).div_ceil(GRAIN) - 1)
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for Slab<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            // SAFETY: the caller's contract, passed on.
            return unsafe { self.system.alloc(layout) };
        };
        // SAFETY: one thread, and no call below re-enters this allocator while `state` is
        // borrowed (the system allocator is another one).
        let state = unsafe { &mut *self.state.get() };
        let head = state.free[c];
        if !head.is_null() {
            // SAFETY: a freed block of this class holds the address of the next one.
            state.free[c] = unsafe { head.cast::<*mut u8>().read() };
            return head;
        }
        let size = (c + 1) * GRAIN;
        if (state.end as usize) - (state.next as usize) < size {
            // The rest of the old chunk (under SMALL bytes) is left unused.
            // SAFETY: CHUNK is non-zero; GRAIN is a power of two.
            let chunk =
                unsafe { self.system.alloc(Layout::from_size_align_unchecked(CHUNK, GRAIN)) };
            if chunk.is_null() {
                return chunk;
            }
            state.next = chunk;
            // SAFETY: the chunk is CHUNK bytes long.
            state.end = unsafe { chunk.add(CHUNK) };
        }
        let block = state.next;
        // SAFETY: `size` bytes remain in the chunk (checked above).
        state.next = unsafe { block.add(size) };
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match class(layout) {
            Some(c) => {
                // SAFETY: as in `alloc`; the block is at least GRAIN bytes, GRAIN-aligned, and
                // no longer used by the caller, so it may hold the list's next address.
                let state = unsafe { &mut *self.state.get() };
                unsafe { block.cast::<*mut u8>().write(state.free[c]) };
                state.free[c] = block;
            }
            // SAFETY: a large block came from the system allocator with this layout.
            None => unsafe { self.system.dealloc(block, layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class(layout).is_none() {
            // SAFETY: the caller's contract, passed on.
            return unsafe { self.system.alloc_zeroed(layout) };
        }
        // SAFETY: as `alloc`; a reused block holds old bytes, so it is cleared.
        let block = unsafe { self.alloc(layout) };
        if !block.is_null() {
            unsafe { block.write_bytes(0, layout.size()) };
        }
        block
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with this alignment is a valid layout.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(layout), class(new)) {
            (None, None) => unsafe { self.system.realloc(block, layout, new_size) },
            (Some(a), Some(b)) if a == b => block,
            _ => {
                // SAFETY: a fresh block for the new layout, the bytes both hold copied, the old
                // block freed with its own layout.
                let moved = unsafe { self.alloc(new) };
                if !moved.is_null() {
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    /// A block handed out, with the byte it was filled with.
    struct Held {
        block: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn check(held: &Held) {
        // SAFETY: the block is live and `layout.size()` bytes long.
        let bytes = unsafe { std::slice::from_raw_parts(held.block, held.layout.size()) };
        assert!(bytes.iter().all(|b| *b == held.fill), "a block kept its bytes");
        assert_eq!(held.block as usize % held.layout.align(), 0, "a block is aligned");
    }

    #[test]
    fn blocks_keep_their_bytes_through_frees_reuse_and_growth() {
        let slab = Slab::new(System);
        let mut held: Vec<Held> = Vec::new();
        let mut seed = 0x9e37_79b9_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for step in 0..200_000 {
            let fill = step as u8;
            match next() % 4 {
                // New block: mostly small, some large, some over-aligned.
                0 | 1 => {
                    let size = match next() % 10 {
                        0 => 257 + next() % 5000,
                        _ => 1 + next() % SMALL,
                    };
                    let align = [1, 2, 4, 8, 16][next() % 5];
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let zeroed = next() % 3 == 0;
                    // SAFETY: a non-zero size.
                    let block = unsafe {
                        if zeroed {
                            slab.alloc_zeroed(layout)
                        } else {
                            slab.alloc(layout)
                        }
                    };
                    assert!(!block.is_null());
                    if zeroed {
                        check(&Held { block, layout, fill: 0 });
                    }
                    // SAFETY: the block is `size` bytes long.
                    unsafe { block.write_bytes(fill, size) };
                    held.push(Held { block, layout, fill });
                }
                // Free one.
                2 if !held.is_empty() => {
                    let h = held.swap_remove(next() % held.len());
                    check(&h);
                    // SAFETY: allocated here with this layout.
                    unsafe { slab.dealloc(h.block, h.layout) };
                }
                // Grow or shrink one, across classes and between small and large.
                _ if !held.is_empty() => {
                    let i = next() % held.len();
                    check(&held[i]);
                    let h = &mut held[i];
                    let new_size = 1 + next() % 600;
                    // SAFETY: allocated here with this layout; a non-zero new size.
                    let block = unsafe { slab.realloc(h.block, h.layout, new_size) };
                    assert!(!block.is_null());
                    let kept = h.layout.size().min(new_size);
                    // SAFETY: the new block is `new_size` bytes long.
                    let bytes = unsafe { std::slice::from_raw_parts(block, kept) };
                    assert!(bytes.iter().all(|b| *b == h.fill), "realloc kept the bytes");
                    h.block = block;
                    h.layout = Layout::from_size_align(new_size, h.layout.align()).unwrap();
                    // SAFETY: as above.
                    unsafe { block.write_bytes(h.fill, new_size) };
                }
                _ => {}
            }
        }
        for h in held {
            check(&h);
            // SAFETY: allocated here with this layout.
            unsafe { slab.dealloc(h.block, h.layout) };
        }
    }

    #[test]
    fn a_freed_small_block_is_the_next_one_of_its_class() {
        let slab = Slab::new(System);
        let layout = Layout::from_size_align(24, 8).unwrap();
        // SAFETY: non-zero sizes; each block freed once, with its layout.
        unsafe {
            let a = slab.alloc(layout);
            let b = slab.alloc(layout);
            assert_eq!(b as usize - a as usize, 24, "consecutive blocks of one chunk");
            slab.dealloc(a, layout);
            // 17..=24 bytes share a class.
            let c = slab.alloc(Layout::from_size_align(17, 4).unwrap());
            assert_eq!(c, a);
            slab.dealloc(b, layout);
            slab.dealloc(c, Layout::from_size_align(17, 4).unwrap());
        }
    }
}
