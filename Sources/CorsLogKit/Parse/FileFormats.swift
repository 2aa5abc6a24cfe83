/// Files of one run whose first lines fit different presets that agree on where the origin
/// comes from: Debian's Apache writes `access.log` in `combined` and, for every virtual host
/// without a `CustomLog` of its own, `other_vhosts_access.log` in `vhost_combined`, side by
/// side in `/var/log/apache2/`. Read with one format, the second file's lines still fit
/// `combined` (the `%v:%p` prefix runs into the client address), the virtual host's `%v` — its
/// Host — is lost, and its own pages' requests count as a cross-origin origin to allow; so each
/// file is read with the preset its own first lines fit.
///
/// Only when every file whose first lines fit a preset agrees on Origin: all record it or
/// none does (when they do not agree, `NewerFormat` reads the files that record it). A file
/// whose first lines fit no preset (or cannot be read ahead) is read with the format of the
/// first file that has one.
struct FileFormats {
    /// The format of each file, in the order given.
    var formats: [LogFormat]
    /// The first file's format (the one `--state` keeps when no line is read) and how well
    /// the files' first lines fitted theirs: parsed and sampled lines summed.
    var first: LogFormat
    var detection: FormatDetector.Detection

    /// The formats when the files' first lines fit two presets or more; nil otherwise (one
    /// format for the run, detected as usual). A file resumed past its start (`--state`) is
    /// looked at from there when it is plain, from its start when it is gzip.
    static func choose(_ files: [FileToRead]) -> FileFormats? {
        guard let found = detectHeads(files) else { return nil }
        return choose(found)
    }

    /// The preset each file's first lines fit (from where a resumed read starts: see `choose`);
    /// nil for standard input or a single file (nothing is read ahead).
    static func detectHeads(_ files: [FileToRead]) -> [FormatDetector.Detection?]? {
        guard files.count >= 2, !files.contains(where: { $0.path == "-" }) else { return nil }
        return files.map { FormatDetector.detect(NewerFormat.head($0.path, from: $0.start.offset)) }
    }

    /// The same from the files' detections (`detectHeads`).
    static func choose(_ found: [FormatDetector.Detection?]) -> FileFormats? {
        let detected = found.compactMap { $0 }
        guard let first = detected.first,
              detected.contains(where: { $0.format.name != first.format.name }) else { return nil }
        let recordsOrigin = first.format.fields.contains(.origin)
        guard detected.allSatisfy({ $0.format.fields.contains(.origin) == recordsOrigin }) else { return nil }
        var detection = FormatDetector.Detection(format: first.format, parsed: 0, sampled: 0)
        for d in detected {
            detection.parsed += d.parsed
            detection.sampled += d.sampled
            detection.originsAfterFormat += d.originsAfterFormat
        }
        return FileFormats(formats: found.map { $0?.format ?? first.format }, first: first.format, detection: detection)
    }

    /// The presets the files are read with, each once, in the order they first come.
    var distinct: [LogFormat] {
        var names: Set<String> = []
        return formats.filter { names.insert($0.name).inserted }
    }
}
