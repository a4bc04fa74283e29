// cachet-test-origin: the scriptable origin the integration tests put behind cachet.
//
//   cachet-test-origin --listen 127.0.0.1:0 [--tls-cert FILE --tls-key FILE]
//
// prints "test-origin listening on 127.0.0.1:PORT" once it accepts, and exits on SIGTERM or SIGINT.
// With --tls-cert and --tls-key (PEM) the listener speaks TLS only, and every scripted behaviour
// is the same over it; /__stats then also counts handshakes (test_origin/stats.hpp).
// Each response is scripted by its request's query string (test_origin/response_plan.hpp).
// Counters, read directly from the origin: GET /__stats (JSON), GET /__stats?path=/a or
// ?target=/a%3Fx%3D1 (one number), GET /__stats?last_body=/a (the body of the last request
// for /a, as received); POST /__reset zeroes them. Neither is counted.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "origin_server/server.hpp"
#include "test_origin/query.hpp"
#include "test_origin/response_plan.hpp"
#include "test_origin/response_sender.hpp"
#include "test_origin/stats.hpp"

namespace {

using namespace cachet::tools;

constexpr const char* usage =
    "usage: cachet-test-origin --listen HOST:PORT [--tls-cert FILE --tls-key FILE]\n"
    "  A scriptable HTTP/1.1 origin for cachet's integration tests; see\n"
    "  tools/test_origin/response_plan.hpp for the query parameters it obeys.\n"
    "  --tls-cert FILE --tls-key FILE  speak TLS only, with this PEM certificate chain and key\n";

void answer_text(Connection& conn, int status, const std::string& content_type,
                 const std::string& body) {
    std::string response =
        "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
        "\r\nServer: cachet-test-origin\r\nCache-Control: no-store\r\n"
        "Content-Type: " +
        content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    if (!conn.request().keep_alive) response += "Connection: close\r\n";
    response += "\r\n";
    if (conn.request().method != "HEAD") response += body;
    conn.write(std::move(response), [&conn] { conn.finish(); });
}

void answer_stats(Connection& conn, const Stats& stats) {
    const Query query(conn.request().query());
    if (auto path = query.get("last_body")) {
        answer_text(conn, 200, "application/octet-stream", stats.last_body(*path));
    } else if (auto path = query.get("path")) {
        answer_text(conn, 200, "text/plain", std::to_string(stats.for_path(*path)) + "\n");
    } else if (auto target = query.get("target")) {
        answer_text(conn, 200, "text/plain", std::to_string(stats.for_target(*target)) + "\n");
    } else {
        answer_text(conn, 200, "application/json", stats.to_json());
    }
}

void handle(Connection& conn, Stats& stats) {
    const Request& request = conn.request();
    const std::string_view path = request.path();
    if (path == "/__stats") {
        answer_stats(conn, stats);
        return;
    }
    if (path == "/__reset" && request.method == "POST") {
        stats.reset();
        answer_text(conn, 200, "text/plain", "reset\n");
        return;
    }
    const bool first_on_connection = !conn.counted;
    conn.counted = true;
    if (first_on_connection && conn.tls()) stats.count_tls_handshake(conn.tls()->resumed());
    Counted counted = stats.count(path, request.target, first_on_connection);
    stats.keep_body(path, request.body);
    ResponseSender::start(conn, plan_response(request, counted));
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen;
    std::string tls_cert;
    std::string tls_key;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (arg == "--listen" && i + 1 < argc) {
            listen = argv[++i];
        } else if (arg.substr(0, 9) == "--listen=") {
            listen = std::string(arg.substr(9));
        } else if (arg == "--tls-cert" && i + 1 < argc) {
            tls_cert = argv[++i];
        } else if (arg == "--tls-key" && i + 1 < argc) {
            tls_key = argv[++i];
        } else {
            std::fprintf(stderr, "cachet-test-origin: unknown flag %s\n%s", argv[i], usage);
            return 2;
        }
    }
    auto address = parse_listen_address(listen.empty() ? "127.0.0.1:0" : listen);
    if (!address) {
        std::fprintf(stderr, "cachet-test-origin: --listen: expected HOST:PORT, got '%s'\n",
                     listen.c_str());
        return 2;
    }
    if (tls_cert.empty() != tls_key.empty()) {
        std::fprintf(stderr, "cachet-test-origin: --tls-cert and --tls-key go together\n%s", usage);
        return 2;
    }
    Stats stats;
    Server server("test-origin", [&stats](Connection& conn) { handle(conn, stats); });
    if (!tls_cert.empty()) {
        auto refused =
            server.use_tls(tls_cert, tls_key, [&stats](Connection&) { stats.count_tls_failure(); });
        if (refused) {
            std::fprintf(stderr, "cachet-test-origin: %s\n", refused->c_str());
            return 2;
        }
    }
    return server.run(*address);
}
