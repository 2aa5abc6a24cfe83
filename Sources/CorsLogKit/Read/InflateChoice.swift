/// Which inflate implementation decodes gzip (`--inflate`).
package enum InflateChoice: String, Sendable, CaseIterable {
    /// zlib (always there).
    case zlib
    /// Intel ISA-L's `isal_inflate`, loaded from `libisal.so.2` at run time.
    case isal
    /// ISA-L when the library loads, zlib otherwise.
    case auto

    /// The backend this choice runs here; nil when ISA-L is asked for and cannot be loaded.
    package var resolved: InflateBackend? {
        switch self {
        case .zlib: .zlib
        case .isal: IsalLibrary.shared == nil ? nil : .isal
        case .auto: IsalLibrary.shared == nil ? .zlib : .isal
        }
    }

    /// A fresh inflater for one gzip stream; nil when it cannot be set up (out of memory).
    func makeInflater() -> (any Inflater)? {
        switch resolved {
        case .isal?: IsalInflater()
        case .zlib?, nil: GzipInflater()
        }
    }
}

/// The inflate implementation that ran (reports name it: `input.inflate`).
package enum InflateBackend: String, Sendable, Equatable, Codable {
    case zlib
    case isal = "isa-l"
}
