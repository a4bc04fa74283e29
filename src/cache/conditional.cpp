// RFC 9110 §13 preconditions. Choices made where the RFC leaves room:
// - A list member that is not an entity-tag never matches (the RFC gives no rule for
//   them). For If-None-Match this can only turn a 304 into a full response, the safe
//   mistake; for If-Match it can only turn a success into a 412, also the safe one.
// - "*" counts only as the whole field; "*" beside entity-tags (in one line or spread over
//   several) is an invalid member and matches nothing.
// - A malformed If-None-Match still counts as present: RFC 9110 §13.1.3 ignores
//   If-Modified-Since whenever the request "contains an If-None-Match header field".
// - If-Match is never "ignored" as invalid: §13.1.1 has no such rule, and failing is the
//   safe reading for a request that asked for a guarantee.
#include "cache/conditional.hpp"

#include <optional>

#include "http/entity_tag.hpp"
#include "http/http_date.hpp"

namespace cachet::cache {
namespace {

using http::iequals;

// Every line of one field, in order.
struct FieldLines {
    http::HeaderSpan headers;
    std::string_view name;

    std::size_t count() const noexcept {
        std::size_t n = 0;
        for (const http::HeaderView& h : headers) n += iequals(h.name, name) ? 1 : 0;
        return n;
    }
    std::string_view first() const noexcept {
        for (const http::HeaderView& h : headers) {
            if (iequals(h.name, name)) return h.value;
        }
        return {};
    }
    bool present() const noexcept { return count() > 0; }
};

// The date of an If-Modified-Since / If-Unmodified-Since field, or nullopt when the
// field must be ignored: absent, repeated, or not one valid HTTP-date (§13.1.3, §13.1.4).
// A list of dates fails to parse as one date, so it is ignored too.
std::optional<Seconds> single_date(const FieldLines& field, Seconds now) noexcept {
    if (field.count() != 1) return std::nullopt;
    return http::parse_http_date(field.first(), now);
}

// RFC 9110 §13.1.1 and §13.1.2 share the shape: "*" matches any current representation
// (the stored one exists), a list matches when a member compares equal to the stored tag.
bool tag_condition_matches(const FieldLines& field, const StoredValidators& stored,
                           http::Comparison comparison) noexcept {
    if (field.count() == 1 && http::is_any(field.first())) return true;
    if (!stored.etag) return false;
    for (const http::HeaderView& h : field.headers) {
        if (iequals(h.name, field.name) && http::list_contains(h.value, *stored.etag, comparison)) {
            return true;
        }
    }
    return false;
}

// The modification date to compare with, per evaluator (see conditional.hpp).
std::optional<Seconds> modification_date(const StoredValidators& stored,
                                         Evaluator evaluator) noexcept {
    if (stored.last_modified || evaluator == Evaluator::origin) return stored.last_modified;
    return stored.date ? *stored.date : stored.response_time;
}

bool evaluates_status(int status, Evaluator evaluator) noexcept {
    if (evaluator == Evaluator::cache) return status == 200 || status == 206;
    return status >= 200 && status <= 299;
}

}  // namespace

std::string_view name(Precondition outcome) noexcept {
    switch (outcome) {
    case Precondition::proceed: return "proceed";
    case Precondition::not_modified: return "not-modified";
    case Precondition::precondition_failed: return "precondition-failed";
    case Precondition::forward: return "forward";
    }
    return "unknown";
}

Precondition evaluate_preconditions(http::Method method, http::HeaderSpan request,
                                    const StoredValidators& stored, Evaluator evaluator,
                                    Seconds now) noexcept {
    const bool get_or_head = http::is_cacheable(method);
    if (evaluator == Evaluator::cache && !get_or_head) return Precondition::forward;
    // RFC 9110 §13.2.1: methods that select no representation ignore preconditions.
    if (method == http::Method::connect || method == http::Method::options ||
        method == http::Method::trace) {
        return Precondition::proceed;
    }
    if (!evaluates_status(stored.status, evaluator)) return Precondition::proceed;

    const FieldLines if_match{request, "If-Match"};
    const FieldLines if_unmodified_since{request, "If-Unmodified-Since"};
    const FieldLines if_none_match{request, "If-None-Match"};
    const FieldLines if_modified_since{request, "If-Modified-Since"};

    // Step 1 (§13.1.1, strong comparison), else step 2 (§13.1.4). The "unless the
    // state-changing request already succeeded" exception is the method handler's call.
    if (if_match.present()) {
        if (evaluator == Evaluator::cache) return Precondition::forward;
        if (!tag_condition_matches(if_match, stored, http::Comparison::strong)) {
            return Precondition::precondition_failed;
        }
    } else if (const auto date = single_date(if_unmodified_since, now)) {
        if (evaluator == Evaluator::cache) return Precondition::forward;
        const auto modified = modification_date(stored, evaluator);
        if (modified && *modified > *date) return Precondition::precondition_failed;
    }

    // Step 3 (§13.1.2, weak comparison), else step 4 (§13.1.3, GET and HEAD only).
    if (if_none_match.present()) {
        if (tag_condition_matches(if_none_match, stored, http::Comparison::weak)) {
            return get_or_head ? Precondition::not_modified : Precondition::precondition_failed;
        }
    } else if (get_or_head) {
        if (const auto date = single_date(if_modified_since, now)) {
            const auto modified = modification_date(stored, evaluator);
            if (modified && *modified <= *date) return Precondition::not_modified;
        }
    }
    return Precondition::proceed;
}

}  // namespace cachet::cache
