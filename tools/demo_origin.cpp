// cachet-demo-origin: the slow little JSON API scripts/run.sh puts behind cachet when the user
// names no origin, so that the difference a cache makes is visible at once.
//
//   cachet-demo-origin --listen 127.0.0.1:PORT [--delay-ms 50]
//
//   GET /                 index of the routes                     Cache-Control: max-age=60
//   GET /api/users/<id>   a deterministic user object             public, max-age=60
//   GET /api/time         the current time                        max-age=5
//   GET /api/random       a random number                         no-store
//   anything else         404 JSON                                max-age=10
//
// Every response waits --delay-ms first (the "slow" backend) and carries Date and Server:
// cachet-demo-origin.
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <string_view>

#include "origin_server/http_date.hpp"
#include "origin_server/server.hpp"

namespace {

using namespace cachet::tools;

constexpr const char* usage =
    "usage: cachet-demo-origin [--listen HOST:PORT] [--delay-ms N]\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8081; port 0 picks one)\n"
    "  --delay-ms N        milliseconds each response waits before it is sent (default 50)\n";

// Users change on a fixed schedule, so Last-Modified and the object agree on every run.
constexpr std::time_t users_epoch = 1700000000;  // 2023-11-14, seconds

struct Reply {
    int status = 200;
    std::string cache_control;
    std::string body;
    std::string last_modified;  // empty: none
    std::string etag;           // empty: none
};

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            out += '?';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string json_index() {
    return "{\"service\": \"cachet-demo-origin\", \"routes\": ["
           "{\"path\": \"/api/users/<id>\", \"cache_control\": \"public, max-age=60\"}, "
           "{\"path\": \"/api/time\", \"cache_control\": \"max-age=5\"}, "
           "{\"path\": \"/api/random\", \"cache_control\": \"no-store\"}]}\n";
}

// A decimal number of at most 9 digits: ids and milliseconds.
bool parse_number(std::string_view text, std::uint64_t& out) {
    if (text.empty() || text.size() > 9) return false;
    out = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

Reply user(std::uint64_t id) {
    static constexpr std::array<std::string_view, 8> first = {
        "Ada", "Alan", "Barbara", "Dennis", "Edsger", "Grace", "Ken", "Margaret"};
    static constexpr std::array<std::string_view, 8> last = {
        "Lovelace", "Turing", "Liskov", "Ritchie", "Dijkstra", "Hopper", "Thompson", "Hamilton"};
    static constexpr std::array<std::string_view, 4> roles = {"admin", "editor", "viewer",
                                                              "viewer"};
    std::string name = std::string(first[id % first.size()]) + " " +
                       std::string(last[(id / first.size() + id) % last.size()]);
    std::string handle = std::string(first[id % first.size()]) + std::to_string(id);
    for (char& c : handle) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    Reply r;
    r.cache_control = "public, max-age=60";
    r.body = "{\"id\": " + std::to_string(id) + ", \"name\": \"" + name + "\", \"email\": \"" +
             handle + "@example.com\", \"role\": \"" + std::string(roles[id % roles.size()]) +
             "\"}\n";
    r.last_modified = http_date(users_epoch + static_cast<std::time_t>(id % 1000) * 3600);
    r.etag = "\"user-" + std::to_string(id) + "-v1\"";
    return r;
}

Reply route(std::string_view method, std::string_view path, std::mt19937_64& random) {
    Reply r;
    if (method != "GET" && method != "HEAD") {
        r.status = 405;
        r.cache_control = "no-store";
        r.body = "{\"error\": \"method not allowed\"}\n";
        return r;
    }
    if (path == "/") {
        r.cache_control = "max-age=60";
        r.body = json_index();
        return r;
    }
    constexpr std::string_view users = "/api/users/";
    std::uint64_t id = 0;
    if (path.substr(0, users.size()) == users && parse_number(path.substr(users.size()), id)) {
        return user(id);
    }
    if (path == "/api/time") {
        std::time_t now = std::time(nullptr);
        r.cache_control = "max-age=5";
        r.body =
            "{\"unix\": " + std::to_string(now) + ", \"http_date\": \"" + http_date(now) + "\"}\n";
        return r;
    }
    if (path == "/api/random") {
        r.cache_control = "no-store";
        r.body = "{\"value\": " + std::to_string(random() % 1000000) + "}\n";
        return r;
    }
    r.status = 404;
    r.cache_control = "max-age=10";
    // The path is client input: escaped so the JSON stays valid whatever it holds.
    r.body = "{\"error\": \"not found\", \"path\": " + json_string(path.substr(0, 200)) + "}\n";
    return r;
}

std::string render(const Reply& r, bool head_only, bool keep_alive) {
    const char* reason = r.status == 200   ? "OK"
                         : r.status == 404 ? "Not Found"
                                           : "Method Not Allowed";
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason + "\r\n";
    out += "Date: " + http_date(std::time(nullptr)) + "\r\n";
    out += "Server: cachet-demo-origin\r\n";
    out += "Content-Type: application/json\r\n";
    out += "Cache-Control: " + r.cache_control + "\r\n";
    if (!r.last_modified.empty()) out += "Last-Modified: " + r.last_modified + "\r\n";
    if (!r.etag.empty()) out += "ETag: " + r.etag + "\r\n";
    if (r.status == 405) out += "Allow: GET, HEAD\r\n";
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    if (!keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
    if (!head_only) out += r.body;
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:8081";
    std::uint64_t delay_ms = 50;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        auto take_value = [&](std::string_view flag) {
            if (arg == flag && i + 1 < argc) {
                value = argv[++i];
                return true;
            }
            if (arg.size() > flag.size() + 1 && arg.substr(0, flag.size()) == flag &&
                arg[flag.size()] == '=') {
                value = arg.substr(flag.size() + 1);
                return true;
            }
            return false;
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return 0;
        }
        if (take_value("--listen")) {
            listen = std::string(value);
        } else if (take_value("--delay-ms")) {
            if (!parse_number(value, delay_ms)) {
                std::fprintf(stderr,
                             "cachet-demo-origin: --delay-ms: expected milliseconds like 50, "
                             "got '%.*s'\n",
                             static_cast<int>(value.size()), value.data());
                return 2;
            }
        } else {
            std::fprintf(stderr, "cachet-demo-origin: unknown flag %s\n%s", argv[i], usage);
            return 2;
        }
    }
    auto address = parse_listen_address(listen);
    if (!address) {
        std::fprintf(stderr, "cachet-demo-origin: --listen: expected HOST:PORT, got '%s'\n",
                     listen.c_str());
        return 2;
    }
    std::mt19937_64 random(static_cast<std::uint64_t>(std::time(nullptr)));
    Server server("demo-origin", [&](Connection& conn) {
        const Request& request = conn.request();
        std::string response = render(route(request.method, request.path(), random),
                                      request.method == "HEAD", request.keep_alive);
        conn.after(delay_ms, [&conn, response = std::move(response)]() mutable {
            conn.write(std::move(response), [&conn] { conn.finish(); });
        });
    });
    return server.run(*address);
}
