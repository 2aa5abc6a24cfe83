import Foundation

/// Turns command-line paths into the ordered list of inputs to read.
package enum InputSet {
    /// Expands the command-line paths: "-" stays; a directory becomes its regular, non-hidden files (not recursive);
    /// then every logrotate set is ordered OLDEST FIRST: `access.log.3.gz, access.log.2.gz, access.log.1, access.log`
    /// (higher number = older; `-YYYYMMDD[.gz]` dateext suffixes sort by date ascending, before the live file);
    /// sets keep the order in which they first appear; unrelated files keep command-line order.
    /// A path that does not exist is kept (read() will report cannotOpen), so one bad path never stops the others.
    /// A path named twice (also through its directory) is read once.
    package static func expand(_ paths: [String]) -> [String] {
        var expanded: [String] = []
        var seen = Set<String>()
        func add(_ path: String) {
            if seen.insert(path).inserted { expanded.append(path) }
        }
        for path in paths {
            guard path != "-", isDirectory(path) else {
                add(path)
                continue
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                add(path) // unlistable: read() reports it
                continue
            }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes($1.utf8) })
            where !name.hasPrefix(".") && isRegularFile(prefix + name) {
                add(prefix + name)
            }
        }
        return logrotateOrder(expanded)
    }

    /// The same ordering for plain names (pure function, for tests).
    package static func logrotateOrder(_ names: [String]) -> [String] {
        var groupIndex: [String: Int] = [:]
        var groups: [[(position: Int, name: LogrotateName, path: String)]] = []
        for (position, path) in names.enumerated() {
            let name = LogrotateName(path)
            if let index = groupIndex[name.base] {
                groups[index].append((position, name, path))
            } else {
                groupIndex[name.base] = groups.count
                groups.append([(position, name, path)])
            }
        }
        return groups.flatMap { group in
            group.sorted { a, b in
                if a.name.isOlder(than: b.name) { return true }
                if b.name.isOlder(than: a.name) { return false }
                return a.position < b.position
            }.map(\.path)
        }
    }

    /// `stat(2)` (following symbolic links) says directory.
    static func isDirectory(_ path: String) -> Bool {
        fileType(path) == S_IFDIR
    }

    /// `stat(2)` (following symbolic links) says regular file.
    static func isRegularFile(_ path: String) -> Bool {
        fileType(path) == S_IFREG
    }

    private static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
