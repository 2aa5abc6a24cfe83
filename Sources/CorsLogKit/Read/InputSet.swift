import Foundation

/// Turns command-line paths into the ordered list of inputs to read.
package enum InputSet {
    /// Expands the command-line paths: "-" stays; a directory becomes its regular, non-hidden files (not recursive);
    /// then every logrotate set is ordered OLDEST FIRST: `access.log.3.gz, access.log.2.gz, access.log.1, access.log`
    /// (higher number = older; `-YYYYMMDD[.gz]` dateext suffixes sort by date ascending, before the live file);
    /// sets keep the order in which they first appear; unrelated files keep command-line order.
    /// A path that does not exist is kept (read() will report cannotOpen), so one bad path never stops the others.
    /// A path named twice (also through its directory) is read once. A directory's error
    /// logs (`isErrorLogName`) are left out: see `listing`.
    package static func expand(_ paths: [String]) -> [String] {
        listing(paths).files
    }

    /// What `expand` gives, and the error logs the directories among `paths` hold, which it
    /// leaves out: `/var/log/nginx/` holds `error.log` beside `access.log`, and its lines are
    /// no access log's (an error log that sorts first would even fail format detection). A
    /// file named on the command line is always read.
    package struct Listing: Sendable {
        package var files: [String]
        /// In byte order.
        package var errorLogsLeftOut: [String]
        /// The directories' other entries that are not read, in byte order: subdirectories
        /// (with a trailing `/`: the listing is not recursive) and what is no regular file (a
        /// pipe, a socket, a device, a link to nothing). Hidden names are not listed.
        package var entriesLeftOut: [String] = []

        /// Both, for the reports.
        package var leftOut: LeftOut { LeftOut(errorLogs: errorLogsLeftOut, entries: entriesLeftOut) }
    }

    /// What the directories given hold and are not read (`Listing`).
    package struct LeftOut: Sendable {
        package var errorLogs: [String] = []
        package var entries: [String] = []

        package init(errorLogs: [String] = [], entries: [String] = []) {
            self.errorLogs = errorLogs
            self.entries = entries
        }
    }

    /// Whether a file name is an error log's: its logrotate base, split at every byte that
    /// is no letter or digit, has the word `error` or `errors` (`error.log`, Apache's
    /// `error_log`, `api-error.log.2.gz`, `ssl_error_log-20251101`), in any case.
    package static func isErrorLogName(_ name: String) -> Bool {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        let words = LogrotateName(file).base.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return words.contains { $0 == "error" || $0 == "errors" }
    }

    /// Each directory among `paths` listed once (see `Listing`).
    package static func listing(_ paths: [String]) -> Listing {
        var expanded: [String] = []
        var errorLogs: [String] = []
        var entries: [String] = []
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
            for name in names.sortedByBytes() where !name.hasPrefix(".") {
                let type = fileType(prefix + name)
                if type == S_IFDIR {
                    entries.append(prefix + name + "/")
                    continue
                }
                guard type == S_IFREG else {
                    entries.append(prefix + name)
                    continue
                }
                if isErrorLogName(name) {
                    errorLogs.append(prefix + name)
                } else {
                    add(prefix + name)
                }
            }
        }
        // A file named itself as well as through its directory is read, so not left out; so is
        // a subdirectory named too.
        let named = seen.union(paths)
        return Listing(files: logrotateOrder(expanded), errorLogsLeftOut: errorLogs.filter { !seen.contains($0) }.sortedByBytes(),
                       entriesLeftOut: entries.filter { !named.contains($0) && !named.contains(String($0.dropLast())) }.sortedByBytes())
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

    private static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
