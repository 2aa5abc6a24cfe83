/// Folds parsed lines into one `Evidence` per UTC day, for the state file's
/// day buckets (`--state`, `--window`).
///
/// Logs are written in time order, so at any moment one or two days are being
/// filled: a few collectors stay open (the most recent first, so the common
/// line costs one comparison more than `EvidenceCollector`), and the least
/// recently used is closed into its compact `Evidence` when another day
/// arrives. A day that comes back later gets a new collector whose evidence is
/// merged into the closed one at the end. Memory is that of `open` collectors
/// plus one `Evidence` per day.
package struct DailyCollector {
    private let make: () -> EvidenceCollector
    private let capacity: Int
    /// Lines without a time go to this day.
    private let undatedDay: Int32
    private var open: [(day: Int32, collector: EvidenceCollector)] = []
    private var closed: [Int32: Evidence] = [:]
    private static let maxOpen = 3

    package init(capacity: Int, undatedDay: Int32, make: @escaping () -> EvidenceCollector) {
        self.make = make
        self.capacity = capacity
        self.undatedDay = undatedDay
    }

    package mutating func add(_ f: borrowing ParsedFields) {
        let day = f.time.map(OriginStats.day(of:)) ?? undatedDay
        if let first = open.first, first.day == day {
            open[0].collector.add(f)
            return
        }
        if let i = open.firstIndex(where: { $0.day == day }) {
            open.swapAt(0, i)
        } else {
            if open.count >= Self.maxOpen { close(open.removeLast()) }
            open.insert((day, make()), at: 0)
        }
        open[0].collector.add(f)
    }

    private mutating func close(_ entry: (day: Int32, collector: EvidenceCollector)) {
        let e = entry.collector.finish()
        if closed[entry.day] == nil {
            closed[entry.day] = e
        } else {
            closed[entry.day]!.merge(e, capacity: capacity)
        }
    }

    /// The evidence of each day seen.
    package mutating func finish() -> [Int32: Evidence] {
        while let last = open.popLast() { close(last) }
        return closed
    }
}
