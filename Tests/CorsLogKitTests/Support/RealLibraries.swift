import Foundation

/// The real libraries outside Swift that rendered configurations are checked
/// against: the project's Python virtual environment (`.venv`, made by
/// `.ci/run` from `Tests/Python/requirements.txt`), Debian's Node modules and PHP.
enum RealLibraries {
    /// `.venv/bin/python3` beside Package.swift.
    static let python = PackagePaths.root.appendingPathComponent(".venv/bin/python3").path
    /// Debian's node (`nodejs`) with its modules folder (`node-express`, `node-cors`).
    static let node = "/usr/bin/node"
    static let nodePath = "/usr/share/nodejs"
    static let php = "/usr/bin/php"

    /// Whether the venv has every module named (`flask_cors`, `corsheaders`, …).
    static func pythonHas(_ modules: String...) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let check = "import " + modules.joined(separator: ", ")
        return (try? runProcess(python, ["-c", check]).status) == 0
    }

    /// Whether Debian's node finds `module` in /usr/share/nodejs.
    static func nodeHas(_ module: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(nodePath)/\(module)/package.json")
            && FileManager.default.isExecutableFile(atPath: node)
    }

    /// A test that needs a real library may be skipped on a developer machine
    /// without it (with a message), never in CI (CI=true).
    static func available(_ present: Bool) -> Bool {
        present || ProcessInfo.processInfo.environment["CI"] == "true"
    }
}
