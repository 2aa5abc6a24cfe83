/// `corslog log-format nginx|apache`: what to add to a server's config so its
/// access log carries what corslog needs.
package enum LogFormatAdvice {
    /// The directive(s) to add so the log carries Origin, Access-Control-Request-Method,
    /// Access-Control-Request-Headers, the response's Access-Control-Allow-Origin and
    /// -Credentials, and the host, with comments saying where they go and which preset
    /// reads the result. nil for an unknown server name.
    package static func directive(for server: String) -> String? {
        switch server.lowercased() {
        case "nginx":
            return """
            # nginx: log the CORS request and response headers for corslog.
            # 1. In the http { } block of nginx.conf (log_format is only allowed there):
            log_format cors '\(LogFormat.nginxCORSDefinition)';

            # 2. In each server { } block to analyse (replacing its access_log line):
            access_log /var/log/nginx/access.log cors;

            # Reload nginx (nginx -t && nginx -s reload), then read the log with:
            #   corslog analyze --format nginx-cors /var/log/nginx/access.log
            # An empty header is logged as "-". $sent_http_access_control_allow_origin
            # shows the header as sent, whether add_header or the upstream set it.

            """
        case "apache", "httpd", "apache2":
            return """
            # Apache (mod_log_config): log the CORS request and response headers for corslog.
            # In the server config (apache2.conf / httpd.conf) or inside a <VirtualHost>:
            LogFormat "\(LogFormat.apacheCORSDefinition)" cors
            CustomLog ${APACHE_LOG_DIR}/access.log cors

            # Reload Apache (apachectl configtest && apachectl graceful), then read the log with:
            #   corslog analyze --format apache-cors /var/log/apache2/access.log
            # An empty header is logged as "-". %{…}o logs a response header as Apache sent
            # it, whether "Header set" or "Header always set" added it. Use "always" for CORS
            # headers: "Header set" leaves them off the errors Apache generates itself (a 404
            # for a missing file, say), and such responses log "-" because none was sent.

            """
        default:
            return nil
        }
    }
}
