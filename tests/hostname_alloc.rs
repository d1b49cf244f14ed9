//! Hostname matching does not allocate on its common paths (`src/policy/hostname.rs`).
//!
//! A test binary of its own, because it installs a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use sectrust::Platform;
use sectrust::policy::hostname::{HostnameInput, SuffixSet, matches, rules_for};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts, per thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn common_paths_do_not_allocate() {
    const V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    let input = HostnameInput {
        dns_names: &[
            "bad name",
            "www.example.org",
            "*.example.com",
            "example.com",
        ],
        ip_addresses: &[&[1, 2, 3, 4], &V6],
        common_names: &["www.example.com"],
    };
    let cn_only = HostnameInput {
        dns_names: &[],
        ..input
    };
    let psl = SuffixSet::new(["com", "co.uk"]);
    assert_eq!(
        allocations(|| drop(black_box(Vec::<u8>::with_capacity(8)))),
        1,
        "the counter counts"
    );
    let hosts = [
        "www.example.com",
        "WWW.EXAMPLE.COM.",
        "example.com",
        "nope.example.net",
        "1.2.3.4",
        "2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001",
        "",
    ];
    for (major, minor) in [(6, 0), (8, 4), (9, 0), (10, 0), (12, 0), (13, 0), (15, 0)] {
        let rules = rules_for(&Platform::ios(major, minor));
        for host in hosts {
            for input in [&input, &cn_only] {
                let n = allocations(|| {
                    black_box(matches(
                        black_box(input),
                        black_box(host),
                        rules,
                        Some(&psl),
                    ));
                });
                assert_eq!(n, 0, "{host:?} on iOS {major}.{minor}");
            }
        }
    }
}
