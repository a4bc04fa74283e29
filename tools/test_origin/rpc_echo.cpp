#include "test_origin/rpc_echo.hpp"

#include <vector>

namespace cachet::tools {
namespace {

struct Scanner {
    std::string_view text;
    std::size_t at = 0;

    void skip_space() {
        while (at < text.size() &&
               (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t'))
            ++at;
    }
    bool eat(char c) {
        skip_space();
        if (at < text.size() && text[at] == c) {
            ++at;
            return true;
        }
        return false;
    }
    bool skip_string() {
        if (at >= text.size() || text[at] != '"') return false;
        for (++at; at < text.size(); ++at) {
            if (text[at] == '\\') {
                ++at;
            } else if (text[at] == '"') {
                ++at;
                return true;
            }
        }
        return false;
    }
    // One value's text, nested arrays and objects included; empty when malformed.
    std::string_view value() {
        skip_space();
        const std::size_t from = at;
        if (at >= text.size()) return {};
        if (text[at] == '"')
            return skip_string() ? text.substr(from, at - from) : std::string_view();
        if (text[at] == '{' || text[at] == '[') {
            int depth = 0;
            while (at < text.size()) {
                const char c = text[at];
                if (c == '"') {
                    if (!skip_string()) return {};
                    continue;
                }
                if (c == '{' || c == '[') ++depth;
                if (c == '}' || c == ']') --depth;
                ++at;
                if (depth == 0) return text.substr(from, at - from);
            }
            return {};
        }
        while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
               text[at] != ' ' && text[at] != '\n')
            ++at;
        return text.substr(from, at - from);
    }
};

struct Call {
    std::string_view method, params, id;
};

std::optional<Call> call_of(Scanner& in) {
    if (!in.eat('{')) return std::nullopt;
    Call call;
    if (in.eat('}')) return call;
    do {
        in.skip_space();
        const std::string_view name = in.value();
        if (name.empty() || !in.eat(':')) return std::nullopt;
        const std::string_view value = in.value();
        if (value.empty()) return std::nullopt;
        if (name == "\"method\"") call.method = value;
        if (name == "\"params\"") call.params = value;
        if (name == "\"id\"") call.id = value;
    } while (in.eat(','));
    if (!in.eat('}') || call.method.empty()) return std::nullopt;
    return call;
}

std::string answer(const Call& call) {
    return std::string(R"({"jsonrpc":"2.0","result":{"method":)") + std::string(call.method) +
           R"(,"params":)" + std::string(call.params.empty() ? "null" : call.params) +
           R"(},"id":)" + std::string(call.id) + "}";
}

}  // namespace

std::optional<std::string> rpc_echo(std::string_view body) {
    Scanner in{body};
    std::vector<Call> calls;
    const bool batch = in.eat('[');
    do {
        auto call = call_of(in);
        if (!call) return std::nullopt;
        calls.push_back(*call);
    } while (batch && in.eat(','));
    if (batch && !in.eat(']')) return std::nullopt;
    in.skip_space();
    if (in.at != body.size()) return std::nullopt;
    std::string out;
    for (auto call = calls.rbegin(); call != calls.rend(); ++call) {
        if (call->id.empty()) continue;  // a notification
        out += out.empty() ? "" : ",";
        out += answer(*call);
    }
    if (out.empty() || !batch) return out;
    return "[" + out + "]";
}

}  // namespace cachet::tools
