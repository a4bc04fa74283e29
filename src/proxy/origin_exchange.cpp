#include "proxy/origin_exchange.hpp"

namespace cachet::proxy {

http::HeaderSpan OriginExchange::fields() {
    views_.clear();
    views_.reserve(fields_.size());
    const char* base = head_bytes_.data();
    for (const auto& f : fields_) {
        views_.push_back(
            http::HeaderView{{base + f.name_at, f.name_len}, {base + f.value_at, f.value_len}});
    }
    return views_;
}

}  // namespace cachet::proxy
