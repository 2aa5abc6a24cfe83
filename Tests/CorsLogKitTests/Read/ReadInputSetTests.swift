import Foundation
import Testing
@testable import CorsLogKit

@Suite struct ReadInputSetTests {
    @Test func numberedRotationsComeOldestFirst() {
        #expect(InputSet.logrotateOrder(["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz"])
                == ["access.log.10.gz", "access.log.2.gz", "access.log.1", "access.log"])
    }

    @Test func dateextRotationsSortByDateBeforeTheLiveFile() {
        #expect(InputSet.logrotateOrder([
            "access.log", "access.log-20240103.gz", "access.log-20231231.gz", "access.log-20240102",
        ]) == ["access.log-20231231.gz", "access.log-20240102", "access.log-20240103.gz", "access.log"])
        // Hourly dateformat (-%Y%m%d%H) too.
        #expect(InputSet.logrotateOrder(["app.log", "app.log-2024010112", "app.log-2024010109"])
                == ["app.log-2024010109", "app.log-2024010112", "app.log"])
    }

    @Test func interleavedSetsKeepFirstAppearanceAndUnrelatedFilesKeepTheirPlace() {
        #expect(InputSet.logrotateOrder([
            "notes.txt", "a.log", "b.log.1", "a.log.2.gz", "other.json", "b.log", "a.log.1",
        ]) == ["notes.txt", "a.log.2.gz", "a.log.1", "a.log", "b.log.1", "b.log", "other.json"])
    }

    @Test func setsNeverMixDirectories() {
        #expect(InputSet.logrotateOrder(["web1/access.log", "web2/access.log.1", "web1/access.log.1", "web2/access.log"])
                == ["web1/access.log.1", "web1/access.log", "web2/access.log.1", "web2/access.log"])
    }

    @Test func namesThatOnlyLookNumberedStayPut() {
        let names = ["report.2024.csv", "v1.2", "x.gz", "-", "access.log"]
        // "v1.2" is base "v1" rotation 2, alone in its set; nothing moves.
        #expect(InputSet.logrotateOrder(names) == names)
    }

    @Test func expandListsRegularNonHiddenFilesOfADirectoryInRotationOrder() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        for name in ["access.log", "access.log.1", "access.log.2.gz", ".hidden.log", "error.log"] {
            try Data("x\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        try fm.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try Data("x\n".utf8).write(to: dir.appendingPathComponent("sub/inner.log"))
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("linked.log").path,
                                  withDestinationPath: dir.appendingPathComponent("error.log").path)
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.log").path,
                                  withDestinationPath: dir.appendingPathComponent("nowhere").path)

        let d = dir.path
        let missing = d + "/missing.log"
        // The directory's error.log is left out, and read where it is named itself.
        let expanded = InputSet.expand([missing, d, "-", d + "/error.log"])
        #expect(expanded == [missing, "\(d)/access.log.2.gz", "\(d)/access.log.1", "\(d)/access.log",
                             "\(d)/linked.log", "-", "\(d)/error.log"])
        #expect(InputSet.listing([missing, d, "-", d + "/error.log"]).errorLogsLeftOut.isEmpty)
        #expect(InputSet.listing([d]).errorLogsLeftOut == ["\(d)/error.log"])
        // The subdirectory and the link to nothing are not read, and said; named, they are not left out.
        #expect(InputSet.listing([d]).entriesLeftOut == ["\(d)/dangling.log", "\(d)/sub/"])
        #expect(InputSet.listing([d, d + "/sub", d + "/dangling.log"]).entriesLeftOut.isEmpty)
        #expect(InputSet.listing([d, d + "/sub/"]).entriesLeftOut == ["\(d)/dangling.log"])
        // A trailing slash gives the same paths.
        #expect(InputSet.expand([d + "/"]).first == "\(d)/access.log.2.gz")
    }

    @Test func errorLogsAreKnownByTheWordErrorInTheirSetsName() {
        for name in ["error.log", "error_log", "error.log.1", "error.log.2.gz", "api-error.log", "api.error.log.10.gz",
                     "ssl_error_log-20251101", "ERROR.LOG", "vhost_errors.log", "/var/log/nginx/error.log"] {
            #expect(InputSet.isErrorLogName(name), "\(name)")
        }
        for name in ["access.log", "access_log.1", "other_vhosts_access.log", "terror.log", "errorpages-access.log",
                     "api.log.2.gz", "/var/log/error/access.log"] {
            #expect(!InputSet.isErrorLogName(name), "\(name)")
        }
    }

    @Test func aDirectorysErrorLogsAreLeftOutAndListed() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["api-error.log", "api.access.log", "error.log.1", "error.log", "access.log"] {
            try Data("x\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        let d = dir.path
        #expect(InputSet.expand([d]) == ["\(d)/access.log", "\(d)/api.access.log"])
        #expect(InputSet.listing([d]).errorLogsLeftOut == ["\(d)/api-error.log", "\(d)/error.log", "\(d)/error.log.1"])
        #expect(InputSet.expand([d + "/error.log"]) == ["\(d)/error.log"], "a file named itself is read")
    }

    @Test func expandKeepsAMissingPathSoReadCanReportIt() {
        let expanded = InputSet.expand(["/nonexistent-corslog/access.log.1", "/nonexistent-corslog/access.log"])
        #expect(expanded == ["/nonexistent-corslog/access.log.1", "/nonexistent-corslog/access.log"])
    }
}
