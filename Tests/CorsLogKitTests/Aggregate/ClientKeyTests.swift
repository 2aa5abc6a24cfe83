import Testing
@testable import CorsLogKit

private func key(_ text: String) -> UInt64 {
    Array(text.utf8).withUnsafeBufferPointer { ClientKey.hash(ByteSlice($0)) }
}

private func fnv(_ text: String) -> UInt64 {
    Array(text.utf8).withUnsafeBufferPointer { ByteSlice($0).fnv1a }
}

/// An origin's distinct clients decide `few-clients`: counted by IPv6 address, one browser with
/// privacy extensions (a new address a day) or one person with a /64 (2^64 addresses) made as
/// many "clients" as they liked.
@Suite struct ClientKeyTests {
    @Test func ipv4AndNamesKeepTheStoredHash() {
        for text in ["192.0.2.1", "203.0.113.250", "client.example.net", "unix:", "-", ""] {
            #expect(key(text) == fnv(text), "\(text)")
        }
    }

    @Test func anIPv4MappedAddressIsItsIPv4Address() {
        #expect(key("::ffff:192.0.2.1") == key("192.0.2.1"))
        #expect(key("::FFFF:192.0.2.1") == key("192.0.2.1"))
    }

    @Test func anIPv6AddressCountsAsItsSlash64() {
        let network = key("2001:db8:1:2::1")
        #expect(network == fnv("2001:db8:1:2::/64"))
        for same in ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:0DB8:0001:0002::99", "2001:db8:1:2:0:0:0:1"] {
            #expect(key(same) == network, "\(same)")
        }
        for other in ["2001:db8:1:3::1", "2001:db8::1", "2001:db9:1:2::1"] {
            #expect(key(other) != network, "\(other)")
        }
        #expect(key("2001:db8::1") == fnv("2001:db8:0:0::/64"))
        #expect(key("::1") == fnv("0:0:0:0::/64"))
        #expect(key("2001:db8:1::") == fnv("2001:db8:1:0::/64"))
    }

    /// What is no plain IPv6 text form is counted as logged, as before.
    @Test(arguments: ["2001:db8::1::2", "2001:db8:1:2:3:4:5:6:7", "12345::1", "fe80::1%eth0", "[2001:db8::1]",
                      "2001:db8:1:2:3:4:5", "2001:db8:", ":2001:db8::1", "64:ff9b::192.0.2.1", "1:2:3:4:5:6:7:8:"])
    func anythingElseKeepsItsText(text: String) {
        #expect(key(text) == fnv(text))
    }

    @Test func oneSlash64IsOneClientForFewClients() throws {
        var lines: [Line] = []
        for i in 0..<60 {
            let day = i % 3
            // One /64 (a new privacy address each request), and 6 subscribers each with their own.
            lines.append(Line(client: "2001:db8:aa:1:\(String(i, radix: 16))::7", method: "GET",
                              origin: "https://own.attacker.example", host: "api.example.com", day: day))
            lines.append(Line(client: "2001:db8:bb:\(i % 6 + 1)::\(String(i, radix: 16))", method: "GET",
                              origin: "https://shop.partner.example", host: "api.example.com", day: day))
        }
        var c = EvidenceCollector.forOriginLogs()
        c.add(lines)
        var options = InferenceOptions()
        options.sites = [origin("https://api.example.com")]
        let i = Inferrer.infer(c.finish(), options: options, psl: PublicSuffixList.bundled)
        let attacker = try #require(i.verdicts.first { $0.label == "https://own.attacker.example" })
        #expect(attacker.stats.clients.count == 1)
        #expect(attacker.decision == .review && attacker.reasons.map(\.code).contains(.fewClients))
        let partner = try #require(i.verdicts.first { $0.label == "https://shop.partner.example" })
        #expect(partner.stats.clients.count == 6 && partner.decision == .allow)
        #expect(i.proposal.origins == [origin("https://shop.partner.example")])
    }
}
