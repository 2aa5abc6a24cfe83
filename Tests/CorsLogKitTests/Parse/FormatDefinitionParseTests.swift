import Testing
@testable import CorsLogKit

@Suite struct FormatDefinitionParseTests {
    typealias T = ParseTestSupport

    static let nginxConf = #"""
    user www-data;
    worker_processes auto;

    http {
        # log_format old '$remote_addr $status';   (a comment, not a format)
        log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                        '$status $body_bytes_sent "$http_referer" '
                        '"$http_user_agent" "$http_x_forwarded_for"';

        log_format cors escape=json
            '{"time":"$time_iso8601","remote_addr":"$remote_addr",'
            '"request":"$request","status":$status,'
            '"origin":"$http_origin","acao":"$sent_http_access_control_allow_origin"}';

        server {
            listen 80;
            server_name api.example;
            access_log /var/log/nginx/access.log main;
        }
    }
    """#

    @Test func nginxConfWithTwoFormats() throws {
        let main = try LogFormat.parse(configText: Self.nginxConf, file: "nginx.conf", name: "main")
        #expect(main.name == "nginx log_format main (nginx.conf:6)")
        #expect(main.syntax == .nginx)
        #expect(main.definition == #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for""#)
        let line = #"54.36.149.41 - - [22/Jan/2019:03:56:14 +0330] "GET /a HTTP/1.1" 200 30577 "-" "AhrefsBot" "-""#
        let f = T.parse(main, line)
        #expect(f.failure == nil)
        #expect(!f.trailing)
        #expect(f.fields?.time == 1_548_116_774)

        let cors = try LogFormat.parse(configText: Self.nginxConf, file: "nginx.conf", name: "cors")
        #expect(cors.name == "nginx log_format cors (nginx.conf:10)")
        #expect(cors.escaping == .json)
        let j = try #require(T.parse(cors, #"{"time":"2026-11-20T10:00:00+00:00","remote_addr":"203.0.113.1","request":"OPTIONS /v1 HTTP/1.1","status":204,"origin":"https://app.example","acao":"https://app.example"}"#).fields)
        #expect(j.origin == "https://app.example")
        #expect(j.allowOrigin == "https://app.example")
        #expect(j.method == "OPTIONS")
    }

    @Test func nginxConfAmbiguousOrUnknownNameIsAnError() {
        #expect {
            _ = try LogFormat.parse(configText: Self.nginxConf, file: "/etc/nginx/nginx.conf", name: nil)
        } throws: { error in
            "\(error)" == "/etc/nginx/nginx.conf: 2 log formats are defined: main (/etc/nginx/nginx.conf:6), cors (/etc/nginx/nginx.conf:10); name the one the log was written with"
        }
        #expect {
            _ = try LogFormat.parse(configText: Self.nginxConf, file: "nginx.conf", name: "combined")
        } throws: { error in
            "\(error)" == "nginx.conf: no log format named 'combined'; found: main (nginx.conf:6), cors (nginx.conf:10)"
        }
        #expect {
            _ = try LogFormat.parse(configText: "events {}\nhttp { server { listen 80; } }\n", file: "nginx.conf", name: nil)
        } throws: { error in
            "\(error)".hasPrefix("nginx.conf: no nginx log_format or Apache LogFormat directive found")
        }
        #expect {
            _ = try LogFormat.parse(configText: "http {\n  log_format x '$status\n}\n", file: "nginx.conf", name: nil)
        } throws: { error in
            "\(error)" == "nginx.conf:2: a string opened with ' is never closed"
        }
    }

    @Test func theOnlyFormatNeedsNoName() throws {
        let conf = "http {\n    log_format short '$remote_addr \"$request\" $status';\n}\n"
        let f = try LogFormat.parse(configText: conf, file: "short.conf", name: nil)
        #expect(f.name == "nginx log_format short (short.conf:2)")
        #expect(T.parse(f, #"192.0.2.1 "GET / HTTP/1.1" 200"#).fields?.status == 200)
    }

    @Test func compileErrorsInConfigNameTheLine() {
        let conf = "http {\n\n  log_format bad '$remote_addr $status$http_origin';\n}\n"
        #expect {
            _ = try LogFormat.parse(configText: conf, file: "nginx.conf", name: "bad")
        } throws: { error in
            "\(error)" == "nginx.conf:3, log_format bad, column 21: $http_origin follows $status with nothing between them; corslog cannot tell where one ends"
        }
    }

    @Test func apacheConfig() throws {
        let conf = #"""
        # Debian apache2.conf excerpt
        <IfModule log_config_module>
            LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined
            LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" combined
            LogFormat "%h %l %u %t \"%r\" %>s %O" common
            LogFormat "%{Referer}i -> %U" referer
        </IfModule>
        CustomLog ${APACHE_LOG_DIR}/access.log combined
        """#
        let f = try LogFormat.parse(configText: conf, file: "apache2.conf", name: "combined")
        #expect(f.name == "Apache LogFormat combined (apache2.conf:4)")
        #expect(f.syntax == .apache)
        #expect(f.definition == #"%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#)
        let out = try #require(T.parse(f, #"192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 45 "-" "curl""#).fields)
        #expect(out.userAgent == "curl")
        #expect {
            _ = try LogFormat.parse(configText: conf, file: "apache2.conf", name: nil)
        } throws: { error in
            "\(error)" == "apache2.conf: 4 log formats are defined: vhost_combined (apache2.conf:3), combined (apache2.conf:4), common (apache2.conf:5), referer (apache2.conf:6); name the one the log was written with"
        }
    }

    @Test func pastedDirectives() throws {
        // nginx, several strings, escape=, and the closing semicolon.
        let nginx = try LogFormat.parse(definition: #"log_format main escape=default '$remote_addr - $remote_user [$time_local] ' '"$request" $status $body_bytes_sent ' "\"$http_referer\" \"$http_user_agent\"";"#)
        #expect(nginx.name == "nginx log_format main")
        #expect(nginx.definition == T.preset("combined").definition)
        #expect(nginx.escaping == .backslash)
        // Apache, with its \" escapes and a nickname.
        let apache = try LogFormat.parse(definition: #"LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined"#)
        #expect(apache.name == "Apache LogFormat combined")
        #expect(apache.definition == #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#)
        let line = #"192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 45 "https://r.example/" "curl""#
        #expect(T.parse(nginx, line).fields == T.parse(apache, line).fields)
        #expect(T.parse(nginx, line).fields?.referer == "https://r.example/")
        // A preset name is that preset.
        #expect(try LogFormat.parse(definition: " nginx-cors ").name == "nginx-cors")
    }

    @Test func compileErrors() {
        func message(_ definition: String) -> String? {
            do {
                _ = try LogFormat.parse(definition: definition)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message("$remote_addr - $status$http_origin")
            == "in --format, column 23: $http_origin follows $status with nothing between them; corslog cannot tell where one ends")
        #expect(message("%h%l %r") == "in --format, column 3: %l follows %h with nothing between them; corslog cannot tell where one ends")
        #expect(message("$remote_addr $ x") == "in --format, column 14: '$' is not followed by a variable name (expected $name or ${name})")
        #expect(message("${remote_addr x") == "in --format, column 1: '${' is not followed by a variable name and '}' (expected ${name})")
        #expect(message("%h %{Origin") == "in --format, column 5: '{' has no closing '}' (expected %{Name}i)")
        #expect(message("%h %") == "in --format, column 4: '%' ends the format (expected a directive such as %h, or %% for a literal %)")
        #expect(message("log_format x escape=yaml '$status';")
            == "in --format: escape=yaml in log_format x is not an nginx escape mode (expected escape=default, escape=json or escape=none)")
        #expect(message("hello world")?.hasPrefix("in --format: 'hello world' has no nginx $variables and no Apache %directives") == true)
        #expect(message("log_format x;") == "in --format: log_format needs a name and a format string (expected log_format NAME '…';)")
    }
}
