#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CIsal

/// Intel ISA-L's inflate functions, loaded once from `libisal.so.2` at run time
/// (Debian `libisal2`), so the default build and binary need only zlib.
///
/// `CORSLOG_ISAL_LIBRARY` names another file to load (tests, odd installs).
struct IsalLibrary: Sendable {
    let initialise: CIsal_init_fn
    let inflate: CIsal_inflate_fn

    /// nil when the library or its functions are missing.
    static let shared: IsalLibrary? = load()

    private static func load() -> IsalLibrary? {
        let name = getenv("CORSLOG_ISAL_LIBRARY").map { String(cString: $0) } ?? "libisal.so.2"
        guard !name.isEmpty, let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { return nil }
        // The handle is never closed: the functions stay valid for the process's life.
        guard let initSymbol = dlsym(handle, "isal_inflate_init"),
              let inflateSymbol = dlsym(handle, "isal_inflate") else { return nil }
        // safe because: these are ISA-L's exported C functions, whose prototypes
        // (void isal_inflate_init(struct inflate_state *), int isal_inflate(struct inflate_state *))
        // are the function types they are cast to.
        return IsalLibrary(initialise: unsafeBitCast(initSymbol, to: CIsal_init_fn.self),
                           inflate: unsafeBitCast(inflateSymbol, to: CIsal_inflate_fn.self))
    }
}
