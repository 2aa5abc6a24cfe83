extension Pipeline {
    /// An incremental run (`--state`): under the state's lock, reads only what earlier
    /// runs did not (recognising renamed and compressed files by their head), adds the
    /// new lines' evidence to the state's day buckets, drops the days before the window,
    /// writes the state atomically, and returns the analysis of the window.
    static func runIncremental(_ base: AnalysisOptions, state options: StateOptions,
                               progress: ProgressHandler?) throws(CorsLogError) -> Analysis {
        let lock = try StateLock(statePath: options.path)
        defer { withExtendedLifetime(lock) {} }
        var state = try StateFile.load(path: options.path) ?? StateFile(sites: base.sites)
        guard state.sites == base.sites.sorted() else {
            let was = state.sites.isEmpty ? "no --site" : "--site " + state.sites.map(\.serialized).joined(separator: " --site ")
            throw CorsLogError(.usage, "\(options.path) was made with \(was): same-origin traffic was told apart by it; "
                + "run with the same, or start another state file")
        }

        // Where each file starts: after what an earlier run read of the same data.
        var files: [FileToRead] = []
        var identities: [FileIdentity?] = []
        var alreadyRead: [(record: Int, path: String, identity: FileIdentity)] = []
        var resumed = 0
        var skipped: UInt64 = 0
        // A state file kept in the log folder is not a log.
        let own = [options.path, options.path + ".lock"].compactMap { FileIdentity.of(path: $0) }
        let listing = InputSet.listing(base.paths)
        for path in listing.files {
            let identity = FileIdentity.of(path: path)
            if let id = identity, own.contains(where: { $0.device == id.device && $0.inode == id.inode }) { continue }
            var start = LineReader.Start(holdUnterminatedTail: !(identity?.compressed ?? false))
            if let id = identity, let r = state.record(for: id) {
                let record = state.files[r]
                if id.compressed && record.compressed && id.isUnchanged(since: record.identity) {
                    alreadyRead.append((r, path, id))
                    skipped += record.offset
                    continue
                }
                if id.compressed || id.size >= record.offset {
                    start.offset = record.offset
                    start.linesBefore = record.lines
                    resumed += 1
                    skipped += record.offset
                }
            }
            files.append(FileToRead(path: path, start: start))
            identities.append(identity)
        }

        var analysisOptions = base
        analysisOptions.byDay = true
        let perDay = StateFile.dayCapacity(maxOrigins: base.maxOrigins)
        analysisOptions.dayCapacity = perDay
        analysisOptions.undatedDay = options.today
        analysisOptions.formatWhenEmpty = state.format ?? FormatInfo(name: "none yet", syntax: .nginx, definition: "")
        let run = try analyzed(analysisOptions, files: files, leftOut: listing.leftOut, progress: progress)
        let readAnything = run.analysis.input.parsed > 0
        let source = run.analysis.evidence.source
        // The log format gained Origin (the advice of `corslog log-format` taken): the days
        // inferred from Referer are dropped, and the window starts again from logs that
        // record what browsers sent. The other way round, the format lost it: a mistake to fix.
        var refererDaysDropped = 0
        if readAnything, let known = state.source, known != source {
            guard known == .referer && source == .originHeader else {
                throw CorsLogError(.dataError, "\(options.path) holds evidence from logs that record Origin, but these logs "
                    + "(format \(run.analysis.format.name)) do not: the log format lost its Origin field. Log with the directive of "
                    + "`corslog log-format nginx` or `corslog log-format apache` again, or start a new state file")
            }
            refererDaysDropped = state.days.count
            state.days = [:]
        }

        // The new evidence, day by day, and where each file stops now.
        for (day, e) in run.days {
            if state.days[day] == nil { state.days[day] = e } else { state.days[day]!.merge(e, capacity: perDay) }
        }
        for (r, path, id) in alreadyRead {
            state.files[r].lastSeenDay = options.today
            state.files[r].path = path
            state.files[r].apply(id)
        }
        for (i, read) in run.reads.enumerated() {
            guard let id = identities[i] else { continue }
            let record = StateFile.FileRecord(path: files[i].path, identity: id, offset: read.resumeOffset,
                                              lines: files[i].start.linesBefore + read.lines + read.overlongLines,
                                              day: options.today)
            if let r = state.files.firstIndex(where: { $0.device == id.device && $0.inode == id.inode }) {
                state.files[r] = record
            } else {
                state.files.append(record)
            }
        }
        if readAnything {
            state.source = source
            state.format = run.analysis.format
        }

        // The window: the last `windowDays` days up to the last day with traffic.
        let lastDay = state.days.keys.max()
        let firstDay = lastDay.map { $0 - Int32(options.windowDays) + 1 }
        // Day buckets follow the traffic's last day; file records the run's own day (the clock).
        if let firstDay {
            state.keep(daysFrom: firstDay, filesSeenFrom: min(firstDay, options.today - Int32(options.windowDays) + 1))
        }
        state.capDays(perDay: perDay)
        try state.write(to: options.path)

        var analysis = run.analysis
        if let format = state.format { analysis.format = format }
        analysis.evidence = state.evidence(from: firstDay, capacity: base.maxOrigins, source: source)
        analysis.incremental = IncrementalInfo(
            statePath: options.path, windowDays: options.windowDays, firstDay: state.days.keys.min(),
            lastDay: lastDay, days: state.days.count, filesAlreadyRead: alreadyRead.count,
            filesResumed: resumed, bytesSkipped: skipped, refererDaysDropped: refererDaysDropped)
        return analysis
    }
}

extension StateFile.FileRecord {
    init(path: String, identity: FileIdentity, offset: UInt64, lines: Int, day: Int32) {
        let headLength = min(identity.head.count, LineReader.headBytes)
        self.init(path: path, device: identity.device, inode: identity.inode, size: identity.size,
                  modified: identity.modified, compressed: identity.compressed, headLength: headLength,
                  headHash: HashText.hex(identity.headHash(length: headLength)), offset: offset, lines: lines,
                  lastSeenDay: day)
    }

    /// The file system identity recorded (the head is compared by hash).
    var identity: FileIdentity {
        FileIdentity(device: device, inode: inode, size: size, modified: modified, compressed: compressed, head: [])
    }

    /// Takes the file system identity of the same data seen under a new name.
    mutating func apply(_ id: FileIdentity) {
        device = id.device
        inode = id.inode
        size = id.size
        modified = id.modified
        compressed = id.compressed
    }
}
