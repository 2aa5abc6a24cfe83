import Foundation

/// The Mozilla Public Suffix List (https://publicsuffix.org/list/), ICANN and
/// PRIVATE sections alike, used to tell a registrable domain (`example.co.uk`)
/// from the suffixes under which anybody can register (`co.uk`, `github.io`).
package struct PublicSuffixList: Sendable {
    /// The file it was read from.
    package var source: String
    /// Plain rules (`co.uk`), in punycode.
    private var rules: Set<String>
    /// The part after `*.` of wildcard rules (`ck` for `*.ck`).
    private var wildcards: Set<String>
    /// The part after `!` of exception rules (`www.ck` for `!www.ck`).
    private var exceptions: Set<String>

    /// Debian's copy (package `publicsuffix`), kept current by apt.
    package static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// A malformed or unreadable list.
    package enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String)
        case malformedRule(path: String, line: Int, rule: String, expected: String)
        case noRules(path: String)

        package var description: String {
            switch self {
            case .unreadable(let path):
                "\(path): cannot read the public suffix list"
            case .malformedRule(let path, let line, let rule, let expected):
                "\(path):\(line): malformed public suffix rule \(String(reflecting: rule)): expected \(expected)"
            case .noRules(let path):
                "\(path): no public suffix rules found (expected lines like `co.uk`, `*.ck`, `!www.ck`)"
            }
        }
    }

    /// `path` given → that file; otherwise Debian's
    /// /usr/share/publicsuffix/public_suffix_list.dat if readable, else the
    /// copy bundled with corslog.
    package static func load(path: String? = nil) throws -> PublicSuffixList {
        if let path { return try load(file: path) }
        if FileManager.default.isReadableFile(atPath: systemPath) { return try load(file: systemPath) }
        guard let bundled = bundledPath else { throw LoadError.unreadable(path: "public_suffix_list.dat (bundled resource)") }
        return try load(file: bundled)
    }

    /// The copy shipped with corslog.
    package static let bundled: PublicSuffixList = {
        guard let path = bundledPath else {
            fatalError("packaging bug: the bundled Resources/public_suffix_list.dat is missing from CorsLogKit's resource bundle")
        }
        do {
            return try load(file: path)
        } catch {
            fatalError("packaging bug: the bundled public suffix list is unusable: \(error)")
        }
    }()

    static var bundledPath: String? {
        Bundle.module.url(forResource: "public_suffix_list", withExtension: "dat", subdirectory: "Resources")?.path
    }

    private static func load(file path: String) throws -> PublicSuffixList {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path: path) }
        return try PublicSuffixList(contents: [UInt8](data), source: path)
    }

    /// Parses the list format: one rule per line, read up to the first
    /// whitespace; lines starting with `//` are comments.
    ///
    ///     rule      = [ "!" ] name / "*." name
    ///     name      = label *( "." label )
    ///     label     = 1*( ALPHA / DIGIT / "-" / non-ASCII letter )   ; IDN labels are stored as punycode "xn--"
    init(contents: [UInt8], source: String) throws {
        self.source = source
        var rules = Set<String>()
        var wildcards = Set<String>()
        var exceptions = Set<String>()
        var lineNumber = 0
        var lineStart = 0
        let n = contents.count
        while lineStart < n {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < n && contents[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            // The rule is the first whitespace-delimited token.
            var a = lineStart
            while a < lineEnd && Self.isSpace(contents[a]) { a += 1 }
            var b = a
            while b < lineEnd && !Self.isSpace(contents[b]) { b += 1 }
            if a == b { continue }
            if b - a >= 2 && contents[a] == UInt8(ascii: "/") && contents[a + 1] == UInt8(ascii: "/") { continue }
            let token = Array(contents[a..<b])
            guard let text = String(validating: token, as: UTF8.self) else {
                throw LoadError.malformedRule(path: source, line: lineNumber,
                                              rule: String(decoding: token, as: UTF8.self), expected: "UTF-8 text")
            }
            switch Self.rule(text) {
            case .success(.plain(let name)): rules.insert(name)
            case .success(.wildcard(let name)): wildcards.insert(name)
            case .success(.exception(let name)): exceptions.insert(name)
            case .failure(let expected):
                throw LoadError.malformedRule(path: source, line: lineNumber, rule: text, expected: expected.text)
            }
        }
        if rules.isEmpty && wildcards.isEmpty { throw LoadError.noRules(path: source) }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    private enum Rule {
        case plain(String), wildcard(String), exception(String)
    }

    private struct Expected: Error {
        var text: String
    }

    private static func rule(_ text: String) -> Result<Rule, Expected> {
        var body = Substring(text)
        var isException = false
        var isWildcard = false
        if body.hasPrefix("!") {
            isException = true
            body = body.dropFirst()
        } else if body.hasPrefix("*.") {
            isWildcard = true
            body = body.dropFirst(2)
        }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        var ascii: [String] = []
        for label in labels {
            if label.isEmpty { return .failure(Expected(text: "no empty label (no leading, trailing or doubled dot)")) }
            if label == "*" { return .failure(Expected(text: "`*` only as the whole leftmost label (`*.ck`)")) }
            guard let converted = punycodeLabel(label) else {
                return .failure(Expected(text: "labels of letters, digits and `-` (a leading `!` marks an exception, `*.` a wildcard)"))
            }
            ascii.append(converted)
        }
        if isException && labels.count < 2 {
            return .failure(Expected(text: "an exception rule of at least two labels (`!www.ck`)"))
        }
        let name = ascii.joined(separator: ".")
        if isException { return .success(.exception(name)) }
        if isWildcard { return .success(.wildcard(name)) }
        return .success(.plain(name))
    }

    /// The label in lower-case ASCII; non-ASCII labels as `xn--` + punycode
    /// (RFC 3492). nil when it has other characters.
    private static func punycodeLabel(_ label: Substring) -> String? {
        let lower = label.lowercased()
        var isASCII = true
        for scalar in lower.unicodeScalars {
            if scalar.isASCII {
                let c = UInt8(scalar.value)
                let ok = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                    || c == UInt8(ascii: "-")
                if !ok { return nil }
            } else {
                guard scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark
                    || scalar.properties.generalCategory == .spacingMark || scalar.properties.numericType != nil
                else { return nil }
                isASCII = false
            }
        }
        if isASCII { return lower }
        guard let encoded = punycode(lower.unicodeScalars.map(\.value)) else { return nil }
        return "xn--" + encoded
    }

    /// RFC 3492 §6.3 encoding of the code points of one label.
    static func punycode(_ input: [UInt32]) -> String? {
        let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26
        func digit(_ d: UInt32) -> Character {
            Character(Unicode.Scalar(d < 26 ? d + 97 : d + 22)!)  // a-z, then 0-9
        }
        func adapt(_ delta: UInt32, _ numPoints: UInt32, _ first: Bool) -> UInt32 {
            var delta = first ? delta / 700 : delta / 2
            delta += delta / numPoints
            var k: UInt32 = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + 38)
        }
        var output = ""
        for c in input where c < 0x80 { output.append(Character(Unicode.Scalar(c)!)) }
        let basicCount = UInt32(output.count)
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n: UInt32 = 0x80, delta: UInt32 = 0, bias: UInt32 = 72
        while handled < UInt32(input.count) {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (step, overflow1) = (m - n).multipliedReportingOverflow(by: handled + 1)
            let (sum, overflow2) = delta.addingReportingOverflow(step)
            if overflow1 || overflow2 { return nil }
            delta = sum
            n = m
            for c in input {
                if c < n {
                    delta += 1
                } else if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }

    // MARK: Lookup

    /// The public suffix of `host` by the PSL algorithm: the exception rule
    /// (`!www.ck`) prevails, else the matching rule with most labels (a
    /// wildcard `*.ck` matching one extra label), else the default rule `*`
    /// (the last label). nil for IP literals and malformed names.
    package func publicSuffix(of host: String) -> String? {
        match(host)?.suffix
    }

    /// The registrable domain (eTLD+1): the public suffix plus one label. nil
    /// when `host` is itself a public suffix or an IP literal.
    package func registrableDomain(of host: String) -> String? {
        guard let (labels, suffixStart, _) = matchLabels(host), suffixStart > 0 else { return nil }
        return labels[(suffixStart - 1)...].joined(separator: ".")
    }

    /// Whether `host` is a public suffix by an explicit rule of the list (not
    /// only by the default rule `*`, which makes every unknown single-label
    /// name such as `localhost` a suffix).
    package func isListedPublicSuffix(_ host: String) -> Bool {
        guard let m = matchLabels(host) else { return false }
        return m.suffixStart == 0 && m.explicit
    }

    private func match(_ host: String) -> (suffix: String, explicit: Bool)? {
        guard let (labels, suffixStart, explicit) = matchLabels(host) else { return nil }
        return (labels[suffixStart...].joined(separator: "."), explicit)
    }

    /// The host's labels and the index of the first label of its public suffix.
    private func matchLabels(_ host: String) -> (labels: [Substring], suffixStart: Int, explicit: Bool)? {
        let name = host.lowercased()
        guard !name.isEmpty, !name.hasPrefix("["), !name.contains(":") else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.contains(where: \.isEmpty) else { return nil }
        if labels.last!.allSatisfy(\.isNumber) { return nil }  // an IPv4 address
        let count = labels.count
        func suffix(_ from: Int) -> String { labels[from...].joined(separator: ".") }
        for i in 0..<count where exceptions.contains(suffix(i)) {
            return (labels, i + 1, true)
        }
        for i in 0..<count {
            if rules.contains(suffix(i)) || (i + 1 < count && wildcards.contains(suffix(i + 1))) {
                return (labels, i, true)
            }
        }
        return (labels, count - 1, false)
    }
}
