import CMalloc

/// How the process's large heap blocks go back to the system.
///
/// The audit's big arrays (the connection records, per-service counters, client tables,
/// the end stage's collections) grow by copying and are freed within the run. glibc serves a
/// block from a mapping of its own only above a threshold that it raises to the size of each
/// such block freed, up to 32 MiB; after that, growing arrays come from the heap, and what
/// they free stays resident. Fixing the threshold returns every large block when it is
/// freed: 172 to 136 MB peak on 40,000 services, 135 to 112 on 2.5 M short connections, at
/// the same speed (docs/performance.md).
public enum LargeAllocations {
    /// Blocks of this many bytes or more get a mapping of their own.
    public static let threshold = 256 * 1024

    /// Makes blocks of at least `threshold` bytes unmapped when freed, for the rest of the
    /// process. Call once, first thing, before other threads start. Whether the C library
    /// took the setting (glibc does; others may not have it).
    @discardableResult
    public static func returnToSystemWhenFreed() -> Bool {
        cmalloc_map_allocations_from(Int32(threshold)) == 1
    }

    /// Bytes held right now in blocks of their own mapping (0 where the C library does not
    /// say): what a test reads to see that a large block got one and gave it back.
    public static var mappedBytes: Int {
        Int(clamping: cmalloc_mapped_bytes())
    }

    /// Bytes free in the heap right now (0 where the C library does not say): a block no
    /// larger than this may be carved from it whatever the threshold.
    public static var heapFreeBytes: Int {
        Int(clamping: cmalloc_heap_free_bytes())
    }
}
