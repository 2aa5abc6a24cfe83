import CMalloc

/// The process's malloc arenas.
package enum MallocArenas {
    /// Makes every thread allocate from one glibc malloc arena (`M_ARENA_MAX` 1), for the
    /// command-line tool to call before any thread starts.
    ///
    /// glibc gives each thread that allocates an arena of its own, and memory freed in one
    /// is not reused by another: a file's evidence built on a worker thread and dropped
    /// after its merge left its pages to that worker while the next file grew elsewhere —
    /// six files at the 20,000-origin cap read side by side peaked at 115 MiB with the
    /// default arenas and 82 MiB with one. corslog's threads allocate rarely (a new origin,
    /// a new path; lines are parsed into reused buffers), so the shared arena's lock costs
    /// nothing measurable. Elsewhere (musl, Darwin) this does nothing.
    /// True when the setting took (glibc).
    @discardableResult
    package static func useOne() -> Bool {
        #if canImport(Glibc)
        return mallopt(M_ARENA_MAX, 1) == 1
        #else
        return false
        #endif
    }
}
