import ArgumentParser
import Foundation
import Testing
@testable import corslog

/// The files in samples/cron/, checked with the tools that read them on a log host.
@Suite struct CronSamplesTests {
    static let directory = PackagePaths.samples.appendingPathComponent("cron")
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let systemdAnalyze = "/usr/bin/systemd-analyze"
    static let logrotate = "/usr/sbin/logrotate"
    /// Whether the cron mode's subcommand exists yet.
    static let hasCheckCommand = CorsLogCommand.configuration.subcommands.contains { $0._commandName == "check" }

    /// The one command line every sample runs, as the samples' README shows it.
    static let checkArguments = ["check", "--policy", "/etc/corslog/corslog-policy.yaml",
                                 "--state", "/var/lib/corslog/state.json", "--output", "markdown", "--quiet", "/var/log/nginx/"]

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func words(_ line: some StringProtocol) -> [String] {
        String(line).split(whereSeparator: { (c: Character) in c == " " || c == "\t" }).map(String.init)
    }

    // MARK: cron

    struct CronJob {
        var fields: [String]
        var user: String
        var command: [String]
    }

    /// Reads an /etc/cron.d file: comments, NAME=value lines, and jobs of five time
    /// fields, a user and a command (crontab(5), Debian's system crontab format).
    static func parseCronD(_ text: String) -> (environment: [String: String], jobs: [CronJob], errors: [String]) {
        var environment: [String: String] = [:], jobs: [CronJob] = [], errors: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let eq = line.firstIndex(of: "="), line[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
               !line[..<eq].isEmpty {
                environment[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
                continue
            }
            let w = words(line)
            guard w.count >= 7 else { errors.append("line \(number + 1): expected 5 time fields, a user and a command"); continue }
            let ranges: [(String, ClosedRange<Int>, [String])] = [
                ("minute", 0...59, []), ("hour", 0...23, []), ("day of month", 1...31, []),
                ("month", 1...12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
                ("day of week", 0...7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
            ]
            for (i, (name, range, names)) in ranges.enumerated() where !cronField(w[i], range, names) {
                errors.append("line \(number + 1): bad \(name) field \(w[i])")
            }
            if w[5].range(of: "^[a-z_][a-z0-9_-]*$", options: .regularExpression) == nil {
                errors.append("line \(number + 1): bad user \(w[5])")
            }
            // In a crontab an unescaped % ends the command (the rest becomes standard input).
            if w[6...].contains(where: { $0.contains("%") }) { errors.append("line \(number + 1): % in the command") }
            jobs.append(CronJob(fields: Array(w[0..<5]), user: w[5], command: Array(w[6...])))
        }
        return (environment, jobs, errors)
    }

    /// One crontab time field: `*` or a number or name, ranges `a-b`, steps `/n`, lists `,`.
    static func cronField(_ field: String, _ range: ClosedRange<Int>, _ names: [String]) -> Bool {
        func value(_ s: Substring) -> Int? {
            if let n = Int(s) { return range.contains(n) ? n : nil }
            return names.firstIndex(of: s.lowercased()).map { $0 + range.lowerBound }
        }
        return field.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { item in
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return false }
            if parts.count == 2 { guard let step = Int(parts[1]), step >= 1 else { return false } }
            if parts[0] == "*" { return true }
            let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1: return parts.count == 1 && value(bounds[0]) != nil
            case 2:
                guard let a = value(bounds[0]), let b = value(bounds[1]) else { return false }
                return a <= b
            default: return false
            }
        }
    }

    @Test func theCronLineIsOneJobOfFiveTimeFieldsAUserAndTheCheckCommand() throws {
        let (environment, jobs, errors) = Self.parseCronD(try Self.text("corslog.cron"))
        #expect(errors.isEmpty, "\(errors)")
        #expect(jobs.count == 1)
        #expect(environment["MAILTO"]?.contains("@") == true, "cron mails the report to MAILTO")
        #expect(environment["PATH"]?.split(separator: ":").contains("/usr/local/bin") == true,
                "corslog is installed in /usr/local/bin, which cron's default PATH lacks")
        let job = try #require(jobs.first)
        #expect(job.user == "corslog")
        #expect(job.command.first == "corslog")
        #expect(Array(job.command.dropFirst()) == Self.checkArguments)
        #expect(try Self.text("corslog.cron").hasSuffix("\n"), "cron ignores a last line without a newline")
        // The parser itself, on lines it must refuse.
        #expect(!Self.parseCronD("60 4 * * * corslog corslog check\n").errors.isEmpty)
        #expect(!Self.parseCronD("17 4 * * corslog corslog\n").errors.isEmpty)
        #expect(Self.parseCronD("*/15 0-6,22 1 jan-mar mon-fri corslog corslog check\n").errors.isEmpty)
    }

    @Test(.enabled(if: hasCheckCommand,
                   "corslog has no check subcommand yet (issue 5's cron mode): the samples' check arguments are not parsed"))
    func theCheckArgumentsParseWithCorslogsOwnParser() throws {
        let command = try CorsLogCommand.parseAsRoot(Self.checkArguments)
        #expect(type(of: command)._commandName == "check")
    }

    @Test func everySampleRunsTheSameCommand() throws {
        let service = try Self.text("corslog.service")
        let exec = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        #expect(Self.words(exec.dropFirst("ExecStart=".count)) == ["/usr/local/bin/corslog"] + Self.checkArguments)
        let rotate = try Self.text("logrotate-nginx.conf")
        #expect(rotate.contains("runuser -u corslog -- /usr/local/bin/corslog " + Self.checkArguments.joined(separator: " ") + ";"))
        let readme = try Self.text("README.md")
        #expect(readme.contains("corslog " + Self.checkArguments.joined(separator: " ") + "\n"))
    }

    // MARK: systemd

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: systemdAnalyze) || inCI,
                   "systemd-analyze is not installed (Debian package systemd): the unit files are not verified"))
    func theUnitsPassSystemdAnalyzeVerify() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // verify wants ExecStart's binary to exist: the copy runs the corslog just built.
        let service = try Self.text("corslog.service").replacingOccurrences(
            of: "ExecStart=/usr/local/bin/corslog ", with: "ExecStart=\(PackagePaths.executable.path) ")
        #expect(service != (try Self.text("corslog.service")))
        try service.write(to: dir.appendingPathComponent("corslog.service"), atomically: true, encoding: .utf8)
        try Self.text("corslog.timer").write(to: dir.appendingPathComponent("corslog.timer"), atomically: true, encoding: .utf8)
        // --man=no: the man page (Documentation=) is installed by the dist, not here.
        let r = try runProcess(Self.systemdAnalyze, ["verify", "--man=no",
                                                     dir.appendingPathComponent("corslog.service").path,
                                                     dir.appendingPathComponent("corslog.timer").path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.isEmpty, "systemd-analyze verify warns (an unknown key is only a warning): \(r.err)")
        // And it does complain about a broken unit.
        try service.replacingOccurrences(of: "NoNewPrivileges=yes", with: "NoNewPrivilege=yes")
            .write(to: dir.appendingPathComponent("corslog.service"), atomically: true, encoding: .utf8)
        let bad = try runProcess(Self.systemdAnalyze, ["verify", "--man=no", dir.appendingPathComponent("corslog.service").path])
        #expect(bad.err.contains("NoNewPrivilege"))
    }

    @Test func theServiceIsSandboxed() throws {
        var settings: [String: [String]] = [:]
        for line in try Self.text("corslog.service").split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            settings[String(line[..<eq]), default: []].append(String(line[line.index(after: eq)...]))
        }
        for (key, value) in [("Type", "oneshot"), ("DynamicUser", "yes"), ("StateDirectory", "corslog"),
                             ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("NoNewPrivileges", "yes"),
                             ("PrivateNetwork", "yes"), ("PrivateDevices", "yes"), ("CapabilityBoundingSet", "")] {
            #expect(settings[key] == [value], "\(key)=\(value)")
        }
        #expect(settings["ReadOnlyPaths"]?.first.map(Self.words)?.contains("/var/log/nginx") == true)
        #expect(settings["SuccessExitStatus"] == nil, "exit 1 (the policy should change) must leave the unit failed")
        let timer = try Self.text("corslog.timer")
        #expect(timer.contains("OnCalendar=") && timer.contains("Persistent=true") && timer.contains("WantedBy=timers.target"))
    }

    // MARK: logrotate

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: logrotate) || inCI,
                   "logrotate is not installed (apt-get install logrotate): the rotation sample is not checked"))
    func theLogrotateFilePassesLogrotateDebug() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-logrotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("logs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "127.0.0.1 - - [01/Nov/2025:00:00:00 +0000] \"GET / HTTP/1.1\" 200 0 \"-\" \"-\"\n"
            .write(to: dir.appendingPathComponent("logs/access.log"), atomically: true, encoding: .utf8)
        // The same file on a folder of our own (-d only reads: it rotates and runs nothing).
        let original = try Self.text("logrotate-nginx.conf")
        let conf = original.replacingOccurrences(of: "/var/log/nginx/*.log {", with: dir.appendingPathComponent("logs").path + "/*.log {")
        #expect(conf != original)
        try conf.write(to: dir.appendingPathComponent("nginx"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir.appendingPathComponent("nginx").path)
        let r = try runProcess(Self.logrotate, ["-d", "-s", dir.appendingPathComponent("state").path,
                                                dir.appendingPathComponent("nginx").path])
        #expect(r.status == 0, "\(r.err)")
        #expect(!r.err.contains("error:"), "\(r.err)")
        #expect(r.err.contains("considering log \(dir.path)/logs/access.log"), "\(r.err)")
        // A misspelt directive is an error logrotate reports, so the check above can fail.
        try conf.replacingOccurrences(of: "delaycompress", with: "delaycompres")
            .write(to: dir.appendingPathComponent("nginx"), atomically: true, encoding: .utf8)
        let bad = try runProcess(Self.logrotate, ["-d", "-s", dir.appendingPathComponent("state").path,
                                                  dir.appendingPathComponent("nginx").path])
        #expect(bad.err.contains("error:"))
    }

    @Test func thePrerotateScriptIsValidShellThatCannotStopTheRotation() throws {
        let lines = try Self.text("logrotate-nginx.conf").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex(of: "prerotate"))
        let end = try #require(lines[start...].firstIndex(of: "endscript"))
        let script = lines[(start + 1)..<end].joined(separator: "\n") + "\n"
        #expect(script.contains("systemctl start corslog.service"))
        #expect(script.hasSuffix("fi || true\n"), "a failing prerotate script makes logrotate skip the rotation")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-prerotate-\(UUID().uuidString).sh")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try runProcess("/bin/sh", ["-n", file.path])
        #expect(r.status == 0, "\(r.err)")
    }
}
