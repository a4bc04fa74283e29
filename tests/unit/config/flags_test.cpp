#include <doctest/doctest.h>

#include <simdjson.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/current_value.hpp"
#include "config/flags.hpp"
#include "config/setting_names.hpp"
#include "config/units.hpp"

using namespace cachet;
using namespace cachet::config;

namespace {

const char* no_env(const char*) { return nullptr; }

const char* test_env(const char* name) {
    if (std::strcmp(name, "CACHET_ORIGIN") == 0) return "http://10.0.0.1:9000";
    if (std::strcmp(name, "CACHET_WORKERS") == 0) return "3";
    return nullptr;
}

FlagsResult parse(std::vector<std::string_view> args, EnvLookup env = no_env) {
    return parse_flags(args, env);
}

// The environment of the next parse: a plain function can read it, as EnvLookup must be.
std::map<std::string, std::string, std::less<>> g_env;
const char* table_env(const char* name) {
    auto it = g_env.find(name);
    return it == g_env.end() ? nullptr : it->second.c_str();
}

// A config file named cachet.json in a directory of its own, removed with it.
class ConfigFile {
public:
    explicit ConfigFile(std::string_view json) {
        static int count = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("cachet-config-test-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "cachet.json").string();
        std::ofstream(path_) << json;
    }
    ~ConfigFile() { std::filesystem::remove_all(dir_); }
    const std::string& path() const { return path_; }

private:
    std::filesystem::path dir_;
    std::string path_;
};

std::string error_for_file(std::string_view json) {
    ConfigFile file(json);
    auto parsed = parse({"--config", file.path(), "--origin", "http://127.0.0.1:9000"});
    if (parsed) return "(no error)";
    // Messages start with the path; tests read them as if the file were ./cachet.json.
    std::string error = parsed.error();
    if (error.rfind(file.path(), 0) == 0) error = "cachet.json" + error.substr(file.path().size());
    return error;
}

Source source_of(const ParsedFlags& parsed, std::string_view flag) {
    auto names = setting_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].flag == flag) return parsed.sources.at(i);
    }
    FAIL("no setting " << flag);
    return Source::default_value;
}

// {"field": value, ...} from --print-config's {"field": {"value": value, "source": ...}}.
std::string values_only(const std::string& printed) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(printed);
    std::string out = "{";
    for (auto [field, setting] : doc.get_object()) {
        if (out.size() > 1) out += ", ";
        out += "\"" + std::string(field) + "\": " + simdjson::minify(setting["value"]);
    }
    return out + "}";
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("sizes accept k, m and g suffixes in powers of 1024") {
    CHECK(parse_size("4096") == 4096u);
    CHECK(parse_size("64k") == 64u * 1024);
    CHECK(parse_size("256m") == 256u << 20);
    CHECK(parse_size("1G") == 1u << 30);
    CHECK(parse_size("2MiB") == 2u << 20);
    CHECK_FALSE(parse_size("lots").has_value());
    CHECK_FALSE(parse_size("-1m").has_value());
    CHECK_FALSE(parse_size("99999999999999999999g").has_value());
}

TEST_CASE("durations accept ms, s, m and h, and a bare number is seconds") {
    CHECK(parse_duration("500ms") == 500u);
    CHECK(parse_duration("2s") == 2000u);
    CHECK(parse_duration("3") == 3000u);
    CHECK(parse_duration("1m") == 60000u);
    CHECK(parse_duration("1h") == 3600000u);
    CHECK_FALSE(parse_duration("soon").has_value());
    CHECK_FALSE(parse_duration("5 s").has_value());
}

TEST_CASE("sizes and durations are printed in the largest unit that divides them exactly") {
    CHECK(format_size(256u << 20) == "256m");
    CHECK(format_size(1u << 30) == "1g");
    CHECK(format_size(1536) == "1536");
    CHECK(format_size(3u << 10) == "3k");
    CHECK(format_duration(2000) == "2s");
    CHECK(format_duration(90'000) == "90s");
    CHECK(format_duration(120'000) == "2m");
    CHECK(format_duration(7'200'000) == "2h");
    CHECK(format_duration(1500) == "1500ms");
    for (std::size_t bytes : {std::size_t{1}, std::size_t{4096}, std::size_t{5} << 30}) {
        CHECK(parse_size(format_size(bytes)) == bytes);
    }
    for (Millis ms : {Millis{1}, Millis{999}, Millis{61'000}, Millis{3'600'000}}) {
        CHECK(parse_duration(format_duration(ms)) == ms);
    }
}

TEST_CASE("flags fill the config and --origin is required") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--listen", "0.0.0.0:0",
                         "--workers=4", "--cache-size", "64m", "--first-byte-timeout", "500ms"});
    REQUIRE(parsed.has_value());
    const Config& c = parsed->config;
    CHECK(c.origin.host == "127.0.0.1");
    CHECK(c.origin.port == 9000);
    CHECK(c.origin.authority == "127.0.0.1:9000");
    CHECK(c.listen_host == "0.0.0.0");
    CHECK(c.listen_port == 0);
    CHECK(c.workers == 4);
    CHECK(c.cache_size == 64u << 20);
    CHECK(c.first_byte_timeout == 500u);

    auto missing = parse({"--listen", "127.0.0.1:8080"});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().find("--origin") != std::string::npos);
}

TEST_CASE("an unknown flag is an error that names it") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--cache-sise", "1m"});
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error() == "unknown flag --cache-sise (did you mean --cache-size?)");
    CHECK(parse({"--no-such-flag", "1"}).error() == "unknown flag --no-such-flag (see --help)");
}

TEST_CASE("an invalid value is an error that names the flag and the value") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--connect-timeout", "thirty"});
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().find("--connect-timeout") != std::string::npos);
    CHECK(parsed.error().find("thirty") != std::string::npos);

    CHECK_FALSE(parse({"--origin", "ftp://example.com"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:99999"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000/api"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--listen", "8080"}).has_value());
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--workers"}).has_value());
}

TEST_CASE("environment variables configure cachet and flags override them") {
    auto from_env = parse({}, test_env);
    REQUIRE(from_env.has_value());
    CHECK(from_env->config.origin.host == "10.0.0.1");
    CHECK(from_env->config.workers == 3);

    auto overridden = parse({"--workers", "1"}, test_env);
    REQUIRE(overridden.has_value());
    CHECK(overridden->config.workers == 1);
}

TEST_CASE("--help asks for the help text, which lists every flag") {
    auto parsed = parse({"--help"});
    REQUIRE(parsed.has_value());
    CHECK(parsed->action == ParsedFlags::Action::help);
    std::string help = help_text();
    for (auto flag :
         {"--listen", "--origin", "--workers", "--cache-size", "--max-object-size",
          "--connect-timeout", "--first-byte-timeout", "--origin-idle-timeout", "--client-timeout",
          "--coalesce-max-waiters", "--coalesce-timeout", "--origin-keepalive"}) {
        CHECK_MESSAGE(help.find(flag) != std::string::npos, flag);
    }
    CHECK(help.find("--config PATH") != std::string::npos);
    CHECK(help.find("--print-config") != std::string::npos);
    for (const auto& setting : setting_names()) {
        std::string names = "[" + std::string(setting.env) + ", " + setting.field + "]";
        CHECK_MESSAGE(help.find(names) != std::string::npos, names);
    }
}

TEST_CASE("an IPv6 origin keeps its brackets in the authority") {
    auto origin = parse_origin_url("http://[::1]:8081");
    REQUIRE(origin.has_value());
    CHECK(origin->host == "::1");
    CHECK(origin->port == 8081);
    CHECK(origin->authority == "[::1]:8081");
}

TEST_CASE("an https origin speaks TLS, on port 443 unless it names one") {
    auto origin = parse_origin_url("https://api.example.com");
    REQUIRE(origin.has_value());
    CHECK(origin->tls);
    CHECK(origin->host == "api.example.com");
    CHECK(origin->port == 443);
    CHECK(origin->authority == "api.example.com");
    auto plain = parse_origin_url("http://api.example.com");
    REQUIRE(plain.has_value());
    CHECK_FALSE(plain->tls);
    CHECK(plain->port == 80);
    CHECK(parse_origin_url("https://[::1]:8443")->port == 8443);
    CHECK(parse_origin_url("https://").error() == "a host after the scheme");
}

TEST_CASE(
    "TLS listener settings come together: a certificate with its key, --tls-listen with both") {
    auto tls = parse({"--origin", "https://127.0.0.1:9443", "--origin-ca", "ca.pem", "--tls-cert",
                      "c.pem", "--tls-key", "k.pem", "--tls-listen", "127.0.0.1:8443"});
    REQUIRE_MESSAGE(tls.has_value(), tls.error());
    CHECK(tls->config.tls_cert == "c.pem");
    CHECK(tls->config.tls_key == "k.pem");
    CHECK(tls->config.tls_listen_set);
    CHECK(tls->config.tls_listen_port == 8443);
    REQUIRE(tls->config.origins.size() == 1);
    CHECK(tls->config.origins[0].ca_file == "ca.pem");  // --origin-ca: every origin's default
    CHECK(tls->config.origins[0].servers[0].tls);

    CHECK(parse({"--origin", "http://x", "--tls-cert", "c.pem"}).error() ==
          "--tls-key: required with --tls-cert, e.g. --tls-key server.key");
    CHECK(parse({"--origin", "http://x", "--tls-key", "k.pem"}).error() ==
          "--tls-cert: required with --tls-key, e.g. --tls-cert server.pem");
    CHECK(parse({"--origin", "http://x", "--tls-listen", "127.0.0.1:8443"}).error() ==
          "--tls-cert: required with --tls-listen, e.g. --tls-cert server.pem");
    CHECK_FALSE(parse({"--origin", "http://x", "--tls-listen", "8443"}).has_value());
}

TEST_CASE("each setting comes from its flag, else its variable, else the file, else the default") {
    ConfigFile file(R"({"origin": "http://10.0.0.9:9000", "cache_size": "8m",
                        "connect_timeout": "3s", "workers": 2, "store_set_cookie": true})");
    g_env = {{"CACHET_CONNECT_TIMEOUT", "4s"}, {"CACHET_WORKERS", "3"}};
    auto parsed = parse({"--config", file.path(), "--workers", "4"}, table_env);
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error());
    const Config& c = parsed->config;
    CHECK(c.origin.host == "10.0.0.9");
    CHECK(c.cache_size == 8u << 20);
    CHECK(c.store_set_cookie);
    CHECK(c.connect_timeout == 4000u);
    CHECK(c.workers == 4);
    CHECK(c.first_byte_timeout == 30'000u);
    CHECK(source_of(*parsed, "cache-size") == Source::file);
    CHECK(source_of(*parsed, "connect-timeout") == Source::environment);
    CHECK(source_of(*parsed, "workers") == Source::flag);
    CHECK(source_of(*parsed, "first-byte-timeout") == Source::default_value);

    // The flag beats the variable wherever it appears on the command line.
    auto flag_first = parse({"--workers", "4", "--config", file.path()}, table_env);
    REQUIRE(flag_first.has_value());
    CHECK(flag_first->config.workers == 4);
    g_env.clear();
}

TEST_CASE("CACHET_CONFIG names the file, and --config overrides it") {
    ConfigFile from_env(R"({"origin": "http://127.0.0.1:9000", "cache_size": "8m"})");
    ConfigFile from_flag(R"({"origin": "http://127.0.0.1:9000", "cache_size": "16m"})");
    g_env = {{"CACHET_CONFIG", from_env.path()}};
    auto by_env = parse({}, table_env);
    REQUIRE(by_env.has_value());
    CHECK(by_env->config.cache_size == 8u << 20);
    auto by_flag = parse({"--config=" + from_flag.path()}, table_env);
    REQUIRE(by_flag.has_value());
    CHECK(by_flag->config.cache_size == 16u << 20);
    g_env.clear();
    CHECK(parse({"--config", ""}).error() ==
          "--config: expected the path of a JSON file, got \"\"");
}

TEST_CASE("a bad config file is refused with the file, the field and what was expected") {
    CHECK(error_for_file(R"({"cache_sise": "1m"})") ==
          "cachet.json: cache_sise: unknown field (did you mean cache_size?)");
    CHECK(error_for_file(R"({"routes": []})") == "(no error)");
    CHECK(error_for_file(R"({"routes": {}})") ==
          "cachet.json: routes: expected an array of routes, got an object");
    CHECK(error_for_file(R"({"routes": [{"match": {"path": "/"}, "default_ttl": "thirty"}]})") ==
          "cachet.json: routes[0].default_ttl: expected a duration like 500ms, 2s or 1m, got "
          "\"thirty\"");
    CHECK(error_for_file(R"({"route": []})") ==
          "cachet.json: route: unknown field (did you mean routes?)");
    CHECK(error_for_file(R"({"origns": {}})") ==
          "cachet.json: origns: unknown field (did you mean origins?)");
    CHECK(error_for_file(R"({"origins": {}})") ==
          "cachet.json: origins: expected at least one origin");
    CHECK(error_for_file(R"({"connect_timeout": "thirty"})") ==
          "cachet.json: connect_timeout: expected a duration like 500ms, 2s or 1m, got \"thirty\"");
    CHECK(error_for_file(R"({"connect_timeout": 30})") ==
          "cachet.json: connect_timeout: expected a string (a duration like 500ms, 2s or 1m), got "
          "the number 30");
    CHECK(error_for_file(R"({"workers": [4]})") ==
          "cachet.json: workers: expected a number or a string (a number of workers from 0 (one "
          "per core) to 256), got an array");
    CHECK(error_for_file(R"({"workers": 4.5})") ==
          "cachet.json: workers: expected a number of workers from 0 (one per core) to 256, got "
          "the number 4.5");
    CHECK(error_for_file(R"({"store_set_cookie": 1})") ==
          "cachet.json: store_set_cookie: expected true, false or a string (true or false), got "
          "the number 1");
    CHECK(error_for_file(R"({"listen": null})") ==
          "cachet.json: listen: expected a string (HOST:PORT, e.g. 127.0.0.1:8080), got null");
    CHECK(error_for_file("{\"listen\": \"1:2\",\n \"workers\": 4,,\n}")
              .rfind("cachet.json: malformed JSON at line 2, column", 0) == 0);
    CHECK(error_for_file(R"({"workers": 2, "workers": 3})") ==
          "cachet.json: workers: given twice (each setting once)");

    auto missing = parse({"--config", "/nonexistent/cachet.json"});
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error() ==
          "/nonexistent/cachet.json: cannot read the config file: No such file or directory");
}

TEST_CASE("counts take JSON numbers or strings, booleans take true, false or strings") {
    CHECK(error_for_file(R"({"workers": "4", "origin_keepalive": 8, "store_set_cookie": "yes"})") ==
          "(no error)");
    CHECK(error_for_file(R"({"store_set_cookie": false, "coalesce_max_waiters": 0})") ==
          "(no error)");
}

TEST_CASE("every setting's variable is CACHET_ + its name, and its file field is snake_case") {
    std::set<std::string> fields;
    for (const auto& setting : setting_names()) {
        CHECK(setting.env == env_name(setting.flag));
        CHECK(setting.field == field_name(setting.flag));
        CHECK(setting.field.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
              std::string::npos);
        CHECK_MESSAGE(fields.insert(setting.field).second, setting.field << " twice");
    }
    CHECK(fields.count("cache_size") == 1);
    CHECK(fields.count("first_byte_timeout") == 1);
}

TEST_CASE("every setting renders its current value (config/current_value.cpp)") {
    Config defaults;
    for (const auto& setting : setting_names()) {
        CHECK_MESSAGE(current_value(defaults, setting.flag).has_value(),
                      "add a rendering for --" << setting.flag << " to current_value.cpp");
    }
}

TEST_CASE("--print-config shows every setting with its value and source") {
    g_env = {{"CACHET_CACHE_SIZE", "512m"}};
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--print-config"}, table_env);
    g_env.clear();
    REQUIRE(parsed.has_value());
    CHECK(parsed->action == ParsedFlags::Action::print_config);
    std::string printed = print_config(*parsed);
    CHECK(printed.find(R"("listen": {"value": "127.0.0.1:8080", "source": "default"})") !=
          std::string::npos);
    CHECK(printed.find(R"("cache_size": {"value": "512m", "source": "environment"})") !=
          std::string::npos);
    CHECK(printed.find(R"("origin": {"value": "http://127.0.0.1:9000", "source": "flag"})") !=
          std::string::npos);
    CHECK(printed.find(R"("coalesce_max_waiters": {"value": 4096, "source": "default"})") !=
          std::string::npos);
    CHECK(printed.find(R"("store_set_cookie": {"value": false, "source": "default"})") !=
          std::string::npos);
    for (const auto& setting : setting_names()) {
        CHECK_MESSAGE(printed.find("\"" + setting.field + "\": {") != std::string::npos,
                      setting.field);
    }
}

TEST_CASE("the printed values, as a config file, reproduce the configuration") {
    auto first = parse({"--origin", "http://[::1]:8081", "--listen", "[::1]:0", "--workers", "3",
                        "--cache-size", "1536k", "--max-object-size", "1000", "--connect-timeout",
                        "1500ms", "--client-timeout", "90", "--coalesce-max-waiters", "0",
                        "--store-set-cookie", "on"});
    REQUIRE(first.has_value());
    std::string values = values_only(print_config(*first));
    ConfigFile file(values);
    auto second = parse({"--config", file.path()});
    REQUIRE_MESSAGE(second.has_value(), second.error());
    CHECK(values_only(print_config(*second)) == values);
    const Config& a = first->config;
    const Config& b = second->config;
    CHECK(b.listen_host == a.listen_host);
    CHECK(b.listen_port == a.listen_port);
    CHECK(b.origin.host == a.origin.host);
    CHECK(b.origin.port == a.origin.port);
    CHECK(b.origin.authority == a.origin.authority);
    CHECK(b.workers == a.workers);
    CHECK(b.cache_size == a.cache_size);
    CHECK(b.max_object_size == a.max_object_size);
    CHECK(b.connect_timeout == a.connect_timeout);
    CHECK(b.client_timeout == a.client_timeout);
    CHECK(b.coalesce_max_waiters == a.coalesce_max_waiters);
    CHECK(b.store_set_cookie == a.store_set_cookie);
    for (const auto& setting : setting_names()) {
        CHECK(source_of(*second, setting.flag) == Source::file);
    }
}

TEST_CASE("--print-config shows the routes from the file, and they read back the same") {
    ConfigFile file(R"({"origin": "http://127.0.0.1:9000", "routes": [
        {"match": {"host": "API.example.com", "path_prefix": "/v1/"}, "default_ttl": "90s",
         "cache_key": {"query": {"drop": ["tracking", "ref"]}, "sort_query": true,
                       "headers": ["Accept-Language"], "cookies": ["region"]}},
        {"match": {"path_glob": "/img/**"}, "forced_ttl": "1h", "strip_set_cookie": true,
         "ignore_no_cache": true, "store_set_cookie": true},
        {"match": {"path": "/login"}, "bypass": true, "cache_key": {"query": {"keep": ["q"]}}},
        {"match": {"path": "/s"}, "cache_key": {"query": "drop_all"}}]})");
    auto first = parse({"--config", file.path()});
    REQUIRE_MESSAGE(first.has_value(), first.error());
    const std::string printed = print_config(*first);
    CHECK_MESSAGE(printed.find(R"("routes": {"value": [{"match": {"host": "api.example.com", )"
                               R"("path_prefix": "/v1/"}, "default_ttl": "90s", "cache_key": )"
                               R"({"query": {"drop": ["tracking", "ref"]}, "sort_query": true, )"
                               R"("headers": ["Accept-Language"], "cookies": ["region"]}}, )") !=
                      std::string::npos,
                  printed);
    CHECK(printed.find(R"("source": "file"})") != std::string::npos);
    std::string values = values_only(printed);
    ConfigFile again(values);
    auto second = parse({"--config", again.path()});
    REQUIRE_MESSAGE(second.has_value(), second.error());
    CHECK(values_only(print_config(*second)) == values);
    const auto& routes = second->config.routes;
    REQUIRE(routes.size() == 4);
    CHECK(routes[0].rules.key.patterns.size() == 9);  // tracking's eight, and ref
    CHECK(routes[0].rules.response.default_ttl == 90);
    CHECK(routes[1].rules.response.forced_ttl == 3600);
    CHECK(routes[1].match.kind == cache::PathMatch::glob);
    CHECK(routes[2].rules.bypass);

    auto none = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(none.has_value());
    CHECK(print_config(*none).find(R"("routes": {"value": [], "source": "default"})") !=
          std::string::npos);
}

TEST_CASE("docs/configuration.md holds the generated reference and an example of every field") {
    std::string doc = read_text(std::filesystem::path(CACHET_SOURCE_DIR) / "docs/configuration.md");
    REQUIRE_FALSE(doc.empty());
    CHECK_MESSAGE(doc.find(config_reference()) != std::string::npos,
                  "regenerate the reference: build/cachet --print-config-reference");

    auto start = doc.find("```json\n");
    REQUIRE(start != std::string::npos);
    start += 8;
    std::string example = doc.substr(start, doc.find("```", start) - start);
    ConfigFile file(example);
    auto parsed = parse({"--config", file.path()});
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error());
    for (const auto& setting : setting_names()) {
        CHECK_MESSAGE(source_of(*parsed, setting.flag) == Source::file,
                      setting.field << " missing from the example");
    }
}

TEST_CASE("--admin takes HOST:PORT or off, and --admin-token its environment variable") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults.has_value());
    CHECK(defaults->config.admin_enabled);
    CHECK(defaults->config.admin_host == "127.0.0.1");
    CHECK(defaults->config.admin_port == 9091);
    CHECK(defaults->config.admin_token.empty());

    auto set = parse(
        {"--origin", "http://127.0.0.1:9000", "--admin", "[::1]:0", "--admin-token", "t0ken"});
    REQUIRE(set.has_value());
    CHECK(set->config.admin_host == "::1");
    CHECK(set->config.admin_port == 0);
    CHECK(set->config.admin_token == "t0ken");

    auto off = parse({"--origin", "http://127.0.0.1:9000", "--admin", "off"});
    REQUIRE(off.has_value());
    CHECK_FALSE(off->config.admin_enabled);

    auto bad = parse({"--origin", "http://127.0.0.1:9000", "--admin", "9091"});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().find("--admin") != std::string::npos);

    auto env = parse({"--origin", "http://127.0.0.1:9000"}, [](const char* name) -> const char* {
        return std::strcmp(name, "CACHET_ADMIN_TOKEN") == 0 ? "from-env" : nullptr;
    });
    REQUIRE(env.has_value());
    CHECK(env->config.admin_token == "from-env");
}

TEST_CASE("--admin-timeout is a duration, 10s by default") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults);
    CHECK(defaults->config.admin_timeout == 10'000);
    auto set = parse({"--origin", "http://127.0.0.1:9000", "--admin-timeout", "1500ms"});
    REQUIRE(set);
    CHECK(set->config.admin_timeout == 1'500);
    CHECK(print_config(*set).find("\"admin_timeout\": {\"value\": \"1500ms\", \"source\": "
                                  "\"flag\"}") != std::string::npos);
    auto bad = parse({"--origin", "http://127.0.0.1:9000", "--admin-timeout", "soon"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == "--admin-timeout: expected a duration like 500ms, 2s or 1m, got \"soon\"");
}

TEST_CASE("--print-config shows that an admin token is set, never the token") {
    auto parsed = parse({"--origin", "http://127.0.0.1:9000", "--admin-token", "s3cret"});
    REQUIRE(parsed.has_value());
    const std::string printed = print_config(*parsed);
    CHECK(printed.find("s3cret") == std::string::npos);
    CHECK(printed.find("\"admin_token\": {\"value\": \"(redacted)\", \"source\": \"flag\"}") !=
          std::string::npos);
}

TEST_CASE("--purge-tag-header takes one or more field names, Surrogate-Key by default") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults);
    CHECK(defaults->config.purge_tag_headers == std::vector<std::string>{"Surrogate-Key"});

    auto two = parse(
        {"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "Surrogate-Key, Cache-Tag"});
    REQUIRE(two);
    CHECK(two->config.purge_tag_headers == std::vector<std::string>{"Surrogate-Key", "Cache-Tag"});

    auto env = parse({"--origin", "http://127.0.0.1:9000"}, [](const char* name) -> const char* {
        return std::strcmp(name, "CACHET_PURGE_TAG_HEADER") == 0 ? "Cache-Tag" : nullptr;
    });
    REQUIRE(env);
    CHECK(env->config.purge_tag_headers == std::vector<std::string>{"Cache-Tag"});

    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "a b"}));
    CHECK_FALSE(parse({"--origin", "http://127.0.0.1:9000", "--purge-tag-header", "a,,b"}));
}

TEST_CASE("docs/configuration.md's routes example is a valid config file") {
    std::string doc = read_text(std::filesystem::path(CACHET_SOURCE_DIR) / "docs/configuration.md");
    auto section = doc.find("## Routes");
    REQUIRE(section != std::string::npos);
    auto start = doc.find("```\n{", section);
    REQUIRE(start != std::string::npos);
    start += 4;
    ConfigFile file(doc.substr(start, doc.find("```", start) - start));
    auto parsed = parse({"--config", file.path()});
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error());
    CHECK(parsed->config.routes.size() == 4);
    CHECK(parsed->routes_source == Source::file);
}

TEST_CASE("--access-log takes off, stdout or a path, and its format json or combined") {
    auto defaults = parse({"--origin", "http://127.0.0.1:9000"});
    REQUIRE(defaults);
    CHECK(defaults->config.access_log == "off");
    CHECK(defaults->config.access_log_format == AccessLogFormat::json);

    auto set = parse({"--origin", "http://127.0.0.1:9000", "--access-log", "/var/log/cachet.log",
                      "--access-log-format", "combined"});
    REQUIRE(set);
    CHECK(set->config.access_log == "/var/log/cachet.log");
    CHECK(set->config.access_log_format == AccessLogFormat::combined);

    auto env = parse({"--origin", "http://127.0.0.1:9000"}, [](const char* name) -> const char* {
        return std::strcmp(name, "CACHET_ACCESS_LOG") == 0 ? "stdout" : nullptr;
    });
    REQUIRE(env);
    CHECK(env->config.access_log == "stdout");

    CHECK(parse({"--origin", "http://127.0.0.1:9000", "--access-log-format", "xml"}).error() ==
          "--access-log-format: expected \"json\" or \"combined\", got \"xml\"");
    CHECK(parse({"--origin", "http://127.0.0.1:9000", "--access-log="}).error() ==
          "--access-log: expected off, stdout or the path of a file, got \"\"");
    CHECK(error_for_file(R"({"access_log_format": "xml"})") ==
          "cachet.json: access_log_format: expected \"json\" or \"combined\", got \"xml\"");
    CHECK(error_for_file(R"({"access_log": "stdout", "access_log_format": "combined"})") ==
          "(no error)");
}
