#include "server/response_tail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

#include "http/tokens.hpp"

namespace cachet::server {
namespace {

// An sf-token (RFC 8941 §3.3.4) can be written bare; anything else is quoted as an
// sf-string, whose only escapes are for '"' and '\'.
bool is_token(std::string_view text) noexcept {
    if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '*')) {
        return false;
    }
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return http::is_tchar(c) || c == ':' || c == '/'; });
}

// Bytes kept free behind a detail: its closing quote, the Connection line and the empty line.
constexpr std::ptrdiff_t kAfterDetail = 32;

void put_detail(TailWriter& w, std::string_view detail) noexcept {
    w.put("; detail=");
    if (is_token(detail)) {
        w.put(detail.substr(0, static_cast<std::size_t>(
                                   std::max<std::ptrdiff_t>(0, w.end - w.out - kAfterDetail))));
        return;
    }
    w.put("\"");
    for (char c : detail) {
        if (w.end - w.out < kAfterDetail) break;  // a reason too long for the line is cut
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
        if (c == '"' || c == '\\') *w.out++ = '\\';
        *w.out++ = c;
    }
    w.put("\"");
}

}  // namespace

void put_cache_status_of_miss(TailWriter& w, const ResponseTail& tail) noexcept {
    switch (tail.phase) {
    case CachePhase::hit:
    case CachePhase::stale_hit: break;  // written inline by write_tail
    case CachePhase::forwarded:
        w.put("Cache-Status: cachet; fwd=");
        w.put(cache::name(tail.forward));
        if (tail.forward_status > 0) {
            w.put("; fwd-status=");
            w.put_number(tail.forward_status);
        }
        if (tail.collapsed) w.put("; collapsed");
        if (tail.stored) {
            w.put("; stored; ttl=");
            w.put_number(tail.ttl);
        }
        if (!tail.detail.empty()) put_detail(w, tail.detail);
        break;
    case CachePhase::error:
        w.put("Cache-Status: cachet; fwd=");
        w.put(cache::name(tail.forward));
        put_detail(w, tail.detail);
        break;
    case CachePhase::refused:
        w.put("Cache-Status: cachet");
        put_detail(w, tail.detail);
        break;
    }
    w.put("\r\n");
}

void append_tail(std::string& head, const ResponseTail& tail) {
    std::array<char, kMaxTail> buffer;
    head.append(buffer.data(), write_tail(buffer, tail));
}

}  // namespace cachet::server
