import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The state of incremental runs (`--state FILE`): what was already read of each
/// log file, and the evidence so far in one bucket per UTC day, so the next run
/// reads only new bytes and `--window` reports on the last days without
/// re-reading old logs.
///
///     {"corslog_state": 1, "corslog_version": "0.1.0", "source": "origin-header",
///      "sites": [...], "format": {...}, "files": [{...}], "days": {"2025-11-01": {evidence}}}
///
/// Written atomically (a temporary file beside it, then rename); read strictly:
/// a corrupt file, or one written by a newer corslog, is an error naming the file,
/// never a silent fresh start. `StateLock` keeps two runs from using it at once.
package struct StateFile: Sendable {
    package static let formatVersion = 1

    /// One log file already read.
    package struct FileRecord: Sendable, Equatable, Codable {
        package var path: String
        package var device: UInt64
        package var inode: UInt64
        package var size: UInt64
        package var modified: Int64
        package var compressed: Bool
        /// Decoded bytes the head hash covers (at most `LineReader.headBytes`).
        package var headLength: Int
        /// FNV-1a of those bytes, 16 hex digits.
        package var headHash: String
        /// Decoded bytes read (through the last complete line).
        package var offset: UInt64
        /// Lines read.
        package var lines: Int
        /// The UTC day of the run that last saw it (records unseen for a window are dropped).
        package var lastSeenDay: Int32

        enum CodingKeys: String, CodingKey {
            case path, device, inode, size, modified, compressed, offset, lines
            case headLength = "head_length"
            case headHash = "head_hash"
            case lastSeenDay = "last_seen_day"
        }
    }

    package var source: OriginSource?
    package var sites: [Origin]
    package var format: FormatInfo?
    package var files: [FileRecord]
    package var days: [Int32: Evidence]

    package init(sites: [Origin]) {
        source = nil
        self.sites = sites
        format = nil
        files = []
        days = [:]
    }

    // MARK: - Matching files

    /// The record whose data `identity` continues: the same head, preferring the
    /// same inode (a renamed file) over another (a compressed copy).
    package func record(for identity: FileIdentity) -> Int? {
        var best: Int? = nil
        for (i, r) in files.enumerated() {
            guard r.headLength <= identity.head.count,
                  HashText.hex(identity.headHash(length: r.headLength)) == r.headHash else { continue }
            // An empty head matches anything: only the same inode counts then.
            let sameInode = r.device == identity.device && r.inode == identity.inode
            if r.headLength == 0 && !sameInode { continue }
            if sameInode { return i }
            if best == nil || files[best!].offset < r.offset { best = i }
        }
        return best
    }

    // MARK: - Days

    /// Drops the day buckets before `firstDay` and the file records last seen before `filesSeenFrom`.
    package mutating func keep(daysFrom firstDay: Int32, filesSeenFrom: Int32) {
        days = days.filter { $0.key >= firstDay }
        files = files.filter { $0.lastSeenDay >= filesSeenFrom }
    }

    /// The evidence of the days from `firstDay` on, merged.
    package func evidence(from firstDay: Int32?, capacity: Int, source: OriginSource) -> Evidence {
        var e = Evidence(source: self.source ?? source)
        e.originCap.capacity = capacity
        for (day, d) in days.sorted(by: { $0.key < $1.key }) where firstDay == nil || day >= firstDay! {
            e.merge(d, capacity: capacity)
        }
        return e
    }

    /// The origins a day's bucket holds at most for a run's `--max-origins`: an eighth (at
    /// least 16), so that a window of many days stays small; an incremental run also collects
    /// each day with it (`AnalysisOptions.dayCapacity`).
    package static func dayCapacity(maxOrigins: Int) -> Int { max(maxOrigins / 8, 16) }

    /// Caps each day's bucket at `perDay` origins (the most requested kept, the rest
    /// counted in its `origin_cap`), so a flood of distinct origins cannot grow the file without bound.
    package mutating func capDays(perDay: Int) {
        for (day, e) in days where e.origins.count > perDay {
            var capped = Evidence(source: e.source)
            capped.merge(e, capacity: perDay)
            days[day] = capped
        }
    }

    // MARK: - Reading and writing

    /// The file's text: what `JSONEncoder` with sorted keys makes of the whole `Layout`, but
    /// encoded a day at a time — the encoder's tree of a whole state at the origin cap (seven
    /// days of 1,250 origins, 8.5 MB of JSON) took 75 MB, more than everything else in the run.
    package func encoded() -> String {
        var out = ""
        encodedPieces { out += $0 }
        return out
    }

    /// The file's text in pieces, in order: the document with `days` empty, each day encoded
    /// in its place (`JSONPieces`; `write` puts them in the file as they come).
    func encodedPieces(_ emit: (String) throws -> Void) rethrows {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let sorted = days.sorted { $0.key < $1.key }
        // Plain values, strings and numbers: encoding cannot fail.
        try JSONPieces.emit(Layout(self, withDays: false), at: ["days"], empty: "{}", count: sorted.count, encoder: encoder,
                            element: { "\"" + DayText.text(sorted[$0].key) + "\":" + String(decoding: try! encoder.encode(sorted[$0].value), as: UTF8.self) },
                            emit)
        try emit("\n")
    }

    /// The same text made in one piece, as `encoded` did before it went a day at a time:
    /// the reference the tests compare it with.
    func encodedWhole() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(Layout(self)), as: UTF8.self) + "\n"
    }

    /// Reads the state at `path`; nil when there is none yet.
    package static func load(path: String) throws(CorsLogError) -> StateFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorsLogError(.noInput, "\(path): cannot read the state file")
        }
        return try decode(data, path: path)
    }

    /// Reads a state file's bytes (read from `path`, named in errors) strictly.
    package static func decode(_ data: Data, path: String) throws(CorsLogError) -> StateFile {
        if let state = decodeByDay(data) { return state }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: data), let version = probe.version else {
            throw CorsLogError(.dataError, "\(path): not a corslog state file (no corslog_state key), or corrupt; "
                + "move it away to start afresh (everything will be read again)")
        }
        guard version <= formatVersion else {
            throw CorsLogError(.dataError, "\(path): state format \(version) was written by a newer corslog; "
                + "this corslog \(CorsLogVersion.current) reads format \(formatVersion)")
        }
        do {
            return try JSONDecoder().decode(Layout.self, from: data).state
        } catch let error as DecodingError {
            throw CorsLogError(.dataError, "\(path): corrupt state file: \(SummaryDecoding.describe(error))")
        } catch {
            throw CorsLogError(.dataError, "\(path): corrupt state file: \(error)")
        }
    }

    private struct Probe: Decodable {
        var version: Int?
        enum CodingKeys: String, CodingKey { case version = "corslog_state" }
    }

    /// The state decoded a day at a time (`JSONDecoder`'s map of the whole document of a state
    /// at the origin cap took 75 MB): the members besides `days` as one small document, then
    /// each day's evidence on its own. Nil when the document is not plainly what `encoded`
    /// writes — not an object, a repeated or escaped key, a member that does not decode, a
    /// newer format — and `decode` reads it whole, as before, to say what is wrong.
    static func decodeByDay(_ data: Data) -> StateFile? {
        let bytes = [UInt8](data)
        guard let top = JSONMembers(bytes, in: 0..<bytes.count) else { return nil }
        let keys = top.keys
        guard Set(keys).count == keys.count, let d = keys.firstIndex(of: "days"),
              let days = JSONMembers(bytes, in: top.members[d].value),
              Set(days.keys).count == days.keys.count else { return nil }
        var rest: [UInt8] = [UInt8(ascii: "{")]
        for (i, m) in top.members.enumerated() where i != d {
            rest.append(UInt8(ascii: "\""))
            rest += m.key
            rest += [UInt8(ascii: "\""), UInt8(ascii: ":")]
            rest += bytes[m.value]
            rest.append(UInt8(ascii: ","))
        }
        rest += Array("\"days\":{}}".utf8)
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(Probe.self, from: Data(rest)), let version = probe.version,
              version <= formatVersion,
              var layout = try? decoder.decode(Layout.self, from: Data(rest)) else { return nil }
        for m in days.members {
            guard let e = try? decoder.decode(Evidence.self, from: Data(bytes[m.value])) else { return nil }
            layout.days[String(decoding: m.key, as: UTF8.self)] = e
        }
        return try? layout.state
    }

    /// Writes the state atomically, a day at a time as the days are encoded (`AtomicFile`).
    package func write(to path: String) throws(CorsLogError) {
        try AtomicFile.write(path, what: "the state file") { try encodedPieces($0) }
    }

    private struct Layout: Codable {
        var corslogState: Int
        var corslogVersion: String
        var source: OriginSource?
        var sites: [Origin]
        var format: FormatInfo?
        var files: [FileRecord]
        var days: [String: Evidence]

        enum CodingKeys: String, CodingKey {
            case source, sites, format, files, days
            case corslogState = "corslog_state"
            case corslogVersion = "corslog_version"
        }

        init(_ s: StateFile, withDays: Bool = true) {
            corslogState = StateFile.formatVersion
            corslogVersion = CorsLogVersion.current
            source = s.source
            sites = s.sites.sorted()
            format = s.format
            files = s.files.sorted { $0.path != $1.path ? $0.path < $1.path : $0.inode < $1.inode }
            days = withDays ? Dictionary(uniqueKeysWithValues: s.days.map { (DayText.text($0.key), $0.value) }) : [:]
        }

        var state: StateFile {
            get throws {
                var s = StateFile(sites: sites)
                s.source = source
                s.format = format
                s.files = files
                for (text, e) in days {
                    guard let day = DayText.parse(text) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.days], debugDescription: "\(text) is not a date YYYY-MM-DD"))
                    }
                    guard source == nil || e.source == source else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.days], debugDescription: "day \(text) was read from another field"))
                    }
                    s.days[day] = e
                }
                for f in files {
                    guard f.headLength >= 0, f.headLength <= LineReader.headBytes, f.headHash.utf8.count == 16,
                          UInt64(f.headHash, radix: 16) != nil, f.lines >= 0,
                          !f.path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.files], debugDescription: "a file record is malformed (\(LogText.escaped(f.path)))"))
                    }
                }
                return s
            }
        }
    }
}

/// An exclusive lock beside the state file (`STATE.lock`, `flock`), held for a
/// whole run: a second run at the same time stops with a clear error instead of
/// interleaving its writes. The lock goes when the process ends, even killed.
package final class StateLock {
    private let fd: Int32

    package init(statePath: String) throws(CorsLogError) {
        let path = statePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CorsLogError(.cannotCreate, "\(path): cannot create the lock file: \(InputError.message(for: errno))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CorsLogError(.busy, "\(path): another corslog run is using \(statePath); try again when it has finished")
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
