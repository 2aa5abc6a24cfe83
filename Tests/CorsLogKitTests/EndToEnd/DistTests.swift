import Foundation
import Testing

/// What `scripts/dist` ships besides the binary, checked on the debug build: the help
/// (which the man page is generated from, through --experimental-dump-help) and the
/// completion scripts. The static release build itself is too slow for every
/// `swift test`: `.ci/run` runs `bash scripts/dist --check` before them.
@Suite struct DistTests {
    let bin = PackagePaths.executable.path

    /// The command tree as swift-argument-parser's generators see it.
    func dumpHelp() throws -> [String: Any] {
        let r = try runProcess(bin, ["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        return json["command"] as! [String: Any]
    }

    func commands(_ command: [String: Any], path: [String] = []) -> [([String], [String: Any])] {
        let here = path + [command["commandName"] as! String]
        let subs = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        return [(here, command)] + subs.flatMap { commands($0, path: here) }
    }

    @Test func everyCommandAndOptionExplainsItself() throws {
        for (path, command) in commands(try dumpHelp()) {
            let name = path.joined(separator: " ")
            let abstract = command["abstract"] as? String ?? ""
            #expect(abstract.hasSuffix("."), "\(name): an abstract that is a sentence")
            if path.count > 1 {
                #expect(abstract.count <= 80, "\(name): the abstract fits the SUBCOMMANDS list in two lines (\(abstract.count))")
                #expect(!(command["discussion"] as? String ?? "").isEmpty, "\(name): a discussion")
            }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                let label = names.last.map { "--\($0)" } ?? "<\(argument["valueName"] as? String ?? "?")>"
                #expect(!(argument["abstract"] as? String ?? "").isEmpty, "\(name) \(label): help text")
                // `--max-line-bytes <max-line-bytes>` says nothing: a value name says what the value is.
                if let value = argument["valueName"] as? String, argument["kind"] as? String == "option", value.contains("-") {
                    #expect(!names.contains(value), "\(name) \(label) <\(value)>: name the value (bytes, count, file, …)")
                }
            }
        }
    }

    @Test func theExitCodesInTheHelpAreTheREADMEs() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Exit codes\n").dropFirst().first)
            .components(separatedBy: "\n## ").first!
        let documented = section.split(separator: "\n").compactMap { line -> Int? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return line.hasPrefix("|") ? cells.first.flatMap { Int($0) } : nil
        }
        #expect(!documented.isEmpty)
        let discussion = try dumpHelp()["discussion"] as? String ?? ""
        let lines = discussion.split(separator: "\n")
        let listed = try #require(lines.firstIndex(of: "Exit codes:"), "the root help lists the exit codes")
        let inHelp = lines[(listed + 1)...].prefix { $0.hasPrefix("  ") }.compactMap {
            Int($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })
        }
        #expect(inHelp == documented, "corslog --help lists exit codes \(inHelp), the README's table \(documented)")
        for line in lines where line.hasPrefix("  ") {
            // 80 columns less the man page's indent of 5.
            #expect(line.count <= 75, "a preformatted help line wraps in an 80-column terminal or man page: \(line)")
        }
    }

    @Test func theCompletionScriptsKnowEverySubcommand() throws {
        let subcommands = (try dumpHelp()["subcommands"] as! [[String: Any]]).map { $0["commandName"] as! String }
        #expect(subcommands.contains("analyze"))
        for shell in ["bash", "zsh", "fish"] {
            let r = try runProcess(bin, ["--generate-completion-script", shell])
            #expect(r.status == 0, "\(shell): \(r.err)")
            for sub in subcommands { #expect(r.out.contains(sub), "the \(shell) completion names \(sub)") }
            if shell == "bash" {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-completion-\(UUID().uuidString).bash")
                try r.out.write(to: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: file) }
                let syntax = try runProcess("/bin/bash", ["-n", file.path])
                #expect(syntax.status == 0, "the bash completion does not parse: \(syntax.err)")
            }
        }
    }

    @Test func theDistScriptParsesAndItsOutputIsNotCommitted() throws {
        let script = PackagePaths.root.appendingPathComponent("scripts/dist").path
        #expect(FileManager.default.isExecutableFile(atPath: script))
        let r = try runProcess("/bin/bash", ["-n", script])
        #expect(r.status == 0, "\(r.err)")
        let ignored = try String(contentsOf: PackagePaths.root.appendingPathComponent(".gitignore"), encoding: .utf8)
            .split(separator: "\n")
        #expect(ignored.contains("dist/"), "the dist folder (binary, man page, completions) is generated, not committed")
        #expect(ignored.contains(".build-*/"), "scripts/dist builds in .build-dist")
        let ci = try String(contentsOf: PackagePaths.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("bash scripts/dist --check"), "CI proves the shipped binary")
    }
}
