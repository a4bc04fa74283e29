#pragma once
// A request method, parsed once when the request head is (the connection maps llhttp's
// method to it), so nothing after the parser compares method names as strings. Methods are
// case-sensitive (RFC 9110 §9.1): "get" is `other`, a method of unknown semantics.
#include <cstdint>
#include <string_view>

namespace cachet::http {

enum class Method : std::uint8_t {
    get,
    head,
    post,
    put,
    delete_,
    connect,
    options,
    trace,
    patch,
    query,  // draft-ietf-httpbis-safe-method-w-body: a safe GET with a body
    other
};

// The method's name as registered (RFC 9110 §9.3, RFC 5789, the QUERY draft); "" for `other`, whose name
// only the request itself holds.
constexpr std::string_view name(Method method) noexcept {
    switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::delete_: return "DELETE";
    case Method::connect: return "CONNECT";
    case Method::options: return "OPTIONS";
    case Method::trace: return "TRACE";
    case Method::patch: return "PATCH";
    case Method::query: return "QUERY";
    case Method::other: return "";
    }
    return "";
}

// The method named exactly `text` (case-sensitive), or `other`.
constexpr Method parse_method(std::string_view text) noexcept {
    for (Method m :
         {Method::get, Method::head, Method::post, Method::put, Method::delete_, Method::connect,
          Method::options, Method::trace, Method::patch, Method::query}) {
        if (text == name(m)) return m;
    }
    return Method::other;
}

// RFC 9110 §9.2.1: safe methods (and QUERY, safe by its definition). A method of unknown
// semantics is not.
constexpr bool is_safe(Method method) noexcept {
    return method == Method::get || method == Method::head || method == Method::options ||
           method == Method::trace || method == Method::query;
}

// The methods whose responses this cache stores or answers from the store: GET, and HEAD,
// answered from a stored GET response (RFC 9110 §9.3.2).
constexpr bool is_cacheable(Method method) noexcept {
    return method == Method::get || method == Method::head;
}

}  // namespace cachet::http
