import CMalloc

/// The process's malloc settings, for the command-line tool to apply before any thread starts.
package enum MallocTuning {
    /// The size from which every allocation gets pages of its own (`M_MMAP_THRESHOLD`).
    static let mmapThreshold: Int32 = 128 * 1024

    /// Applies both settings; true when glibc took them (elsewhere — musl, Darwin — it
    /// does nothing and returns false).
    ///
    /// - One arena (`M_ARENA_MAX` 1). glibc gives each thread that allocates an arena of
    ///   its own, and memory freed in one is not reused by another: a file's evidence built
    ///   on a worker thread and dropped after its merge left its pages to that worker while
    ///   the next file grew elsewhere — six files at the 20,000-origin cap read side by side
    ///   peaked at 115 MiB with the default arenas and 82 MiB with one. corslog's threads
    ///   allocate rarely (a new origin, a new path; lines are parsed into reused buffers),
    ///   so the shared arena's lock costs nothing measurable.
    /// - A fixed mmap threshold of 128 KiB. By default glibc raises the threshold to the
    ///   size of every mmapped block freed (up to 32 MiB), so once a file's origin table
    ///   (megabytes) was dropped, the next file's tables, caches and buffers came from the
    ///   heap, between small chunks that stay alive, and their pages were never given back.
    ///   Fixed, each such block is its own mapping, returned whole when freed: `check` on six
    ///   files at the cap 65.5 → 61 MiB peak RSS, no slower.
    @discardableResult
    package static func apply() -> Bool {
        #if canImport(Glibc)
        let arenas = mallopt(M_ARENA_MAX, 1) == 1
        let threshold = mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1
        return arenas && threshold
        #else
        return false
        #endif
    }
}
