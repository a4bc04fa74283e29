#include "server/held_request.hpp"

#include <algorithm>

namespace cachet::server {
namespace {

void rebase(std::string_view& view, const char* from, const char* to, const char* into) noexcept {
    if (view.data() >= from && view.data() + view.size() <= to) {
        view = std::string_view(into + (view.data() - from), view.size());
    }
}

}  // namespace

void HeldRequest::hold_head(http::RequestHead& head, const char* from, const char* to) {
    head_bytes_.assign(from, static_cast<std::size_t>(to - from));
    body_.clear();
    const char* into = head_bytes_.data();
    rebase(head.method_name, from, to, into);  // llhttp's own text: left as it is
    rebase(head.target, from, to, into);
    rebase(head.host, from, to, into);
    for (std::size_t i = 0; i < head.header_count; ++i) {
        rebase(head.headers[i].name, from, to, into);
        rebase(head.headers[i].value, from, to, into);
    }
}

bool HeldRequest::append_body(const char* at, std::size_t size) {
    if (body_.size() + size > kMaxBody) return false;
    body_.append(at, size);
    return true;
}

const char* head_views_end(const http::RequestHead& head) noexcept {
    const char* end = head.target.data() + head.target.size();
    for (std::size_t i = 0; i < head.header_count; ++i) {
        const auto& field = head.headers[i];
        end = std::max(
            {end, field.name.data() + field.name.size(), field.value.data() + field.value.size()});
    }
    return end;
}

}  // namespace cachet::server
