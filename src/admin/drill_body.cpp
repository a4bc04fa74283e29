#include "admin/drill_body.hpp"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <optional>

#include "config/units.hpp"

namespace cachet::admin {
namespace {

using Failure = tl::unexpected<std::string>;
Failure fail(std::string reason) { return Failure(std::move(reason)); }

constexpr std::string_view kKinds = "one of down, slow, error, reset";

// A value from the request, quoted for a one-line reason: no line break, no quote unescaped.
std::string in_quotes(std::string_view text) {
    constexpr std::size_t kShown = 64;
    std::string out = "\"";
    for (char c : text.substr(0, kShown)) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else {
            out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
        }
    }
    return out + (text.size() > kShown ? "...\"" : "\"");
}

std::string origin_names(std::span<const Origin> origins) {
    std::string out;
    for (const Origin& o : origins) out += (out.empty() ? "" : ", ") + in_quotes(o.name);
    return "(origins: " + out + ")";
}

// The fields as sent, before they are checked against each other.
struct Fields {
    std::optional<std::string_view> origin, kind, duration, latency;
    std::optional<simdjson::dom::element> status, rate, cut_after;
};

tl::expected<Fields, std::string> read_fields(const simdjson::dom::object& object) {
    Fields fields;
    for (auto field : object) {
        const std::string_view name = field.key;
        std::optional<std::string_view>* text = name == "origin"     ? &fields.origin
                                                : name == "kind"     ? &fields.kind
                                                : name == "duration" ? &fields.duration
                                                : name == "latency"  ? &fields.latency
                                                                     : nullptr;
        if (text) {
            std::string_view value;
            if (field.value.get_string().get(value) != simdjson::SUCCESS) {
                return fail(std::string(name) + ": expected a string");
            }
            *text = value;
        } else if (name == "status") {
            fields.status = field.value;
        } else if (name == "rate") {
            fields.rate = field.value;
        } else if (name == "cut_after") {
            fields.cut_after = field.value;
        } else {
            return fail("body: unknown field " + in_quotes(name) +
                        "; use origin, kind, duration, latency, status, rate and cut_after");
        }
    }
    return fields;
}

tl::expected<std::uint16_t, std::string> origin_index(std::optional<std::string_view> name,
                                                      std::span<const Origin> origins) {
    if (!name) return fail("origin: required " + origin_names(origins));
    for (std::size_t i = 0; i < origins.size(); ++i) {
        if (origins[i].name == *name) return static_cast<std::uint16_t>(i);
    }
    return fail("origin: unknown origin " + in_quotes(*name) + " " + origin_names(origins));
}

std::optional<Millis> duration_within(std::string_view text, Millis most) {
    auto ms = config::parse_duration(text);
    if (!ms || *ms == 0 || *ms > most) return std::nullopt;
    return ms;
}

// The kind's own field, or the reason it is refused.
std::string add_kind_fields(const Fields& fields, proxy::Drill& drill) {
    const proxy::DrillKind kind = drill.kind;
    if (fields.latency && kind != proxy::DrillKind::slow) return "latency: only with kind slow";
    if (fields.status && kind != proxy::DrillKind::error) return "status: only with kind error";
    if (fields.cut_after && kind != proxy::DrillKind::reset)
        return "cut_after: only with kind reset";
    if (kind == proxy::DrillKind::slow) {
        auto latency =
            fields.latency ? duration_within(*fields.latency, kMaxDrillLatency) : std::nullopt;
        if (!latency)
            return "latency: required with kind slow, a duration like \"300ms\", at most 10m";
        drill.latency = *latency;
    }
    if (kind == proxy::DrillKind::error) {
        std::int64_t status = kDefaultDrillStatus;
        if (fields.status && (fields.status->get_int64().get(status) != simdjson::SUCCESS ||
                              status < 400 || status > 599)) {
            return "status: an error status from 400 to 599";
        }
        drill.status = static_cast<std::uint16_t>(status);
    }
    if (kind == proxy::DrillKind::reset) {
        std::uint64_t bytes = kDefaultCutAfter;
        if (fields.cut_after && fields.cut_after->get_uint64().get(bytes) != simdjson::SUCCESS) {
            return "cut_after: a number of body bytes, 0 or more";
        }
        drill.cut_after = bytes;
    }
    return {};
}

std::optional<std::uint32_t> rate_ppm(const std::optional<simdjson::dom::element>& field) {
    if (!field) return proxy::kRateScale;
    double rate = 0;
    if (field->get_double().get(rate) != simdjson::SUCCESS || !(rate >= 0 && rate <= 1)) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(std::lround(rate * proxy::kRateScale));
}

}  // namespace

tl::expected<DrillOrder, std::string> parse_drill_body(std::string_view json,
                                                       std::span<const Origin> origins) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::dom::object object;
    // Copies the body into simdjson's padded buffer: a drill is no hot path.
    if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS ||
        root.get_object().get(object) != simdjson::SUCCESS) {
        return fail(
            "body: expected a JSON object like {\"origin\": \"default\", \"kind\": \"down\", "
            "\"duration\": \"30s\"}");
    }
    auto fields = read_fields(object);
    if (!fields) return fail(std::move(fields.error()));

    DrillOrder order;
    auto origin = origin_index(fields->origin, origins);
    if (!origin) return fail(std::move(origin.error()));
    order.drill.origin = *origin;
    if (!fields->kind) return fail("kind: required, " + std::string(kKinds));
    auto kind = proxy::parse_drill_kind(*fields->kind);
    if (!kind)
        return fail("kind: unknown kind " + in_quotes(*fields->kind) + ", " + std::string(kKinds));
    order.drill.kind = *kind;
    auto duration =
        fields->duration ? duration_within(*fields->duration, kMaxDrillDuration) : std::nullopt;
    if (!duration) return fail("duration: required, a duration like \"30s\", at most 1h");
    order.duration = *duration;
    auto rate = rate_ppm(fields->rate);
    if (!rate) return fail("rate: a number from 0 to 1");
    order.drill.rate_ppm = *rate;
    if (std::string reason = add_kind_fields(*fields, order.drill); !reason.empty()) {
        return fail(std::move(reason));
    }
    return order;
}

std::string drill_json(const proxy::Drill& drill, std::string_view origin_name, Millis now) {
    std::string out =
        "{\"id\":" + std::to_string(drill.id) + ",\"origin\":" + in_quotes(origin_name);
    out += ",\"kind\":\"" + std::string(proxy::name(drill.kind)) + "\"";
    out += ",\"ends_in_ms\":" + std::to_string(drill.ends_at > now ? drill.ends_at - now : 0);
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.6g",
                  static_cast<double>(drill.rate_ppm) / proxy::kRateScale);
    out += ",\"rate\":" + std::string(rate);
    switch (drill.kind) {
    case proxy::DrillKind::slow: out += ",\"latency_ms\":" + std::to_string(drill.latency); break;
    case proxy::DrillKind::error: out += ",\"status\":" + std::to_string(drill.status); break;
    case proxy::DrillKind::reset: out += ",\"cut_after\":" + std::to_string(drill.cut_after); break;
    case proxy::DrillKind::none:
    case proxy::DrillKind::down: break;
    }
    return out + "}";
}

}  // namespace cachet::admin
