#include "json/rpc_batch.hpp"

#include <algorithm>

namespace cachet::json {

namespace {

// A forwarded call that expects an answer, found by its canonical id.
struct Awaited {
    std::string_view id_key;
    std::size_t call = 0;
    bool operator<(const Awaited& other) const noexcept { return id_key < other.id_key; }
};

// The forwarded calls that expect an answer, sorted by id.
std::vector<Awaited> awaited_calls(std::span<const RpcCall> calls,
                                   std::span<const CallSource> source) {
    std::vector<Awaited> awaited;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (source[i] == CallSource::origin && !calls[i].notification()) {
            awaited.push_back({calls[i].id_key, i});
        }
    }
    std::sort(awaited.begin(), awaited.end());
    return awaited;
}

bool ids_distinct(const std::vector<Awaited>& sorted) {
    return std::adjacent_find(sorted.begin(), sorted.end(), [](const Awaited& a, const Awaited& b) {
               return a.id_key == b.id_key;
           }) == sorted.end();
}

}  // namespace

BatchPlan complete_plan(std::span<const RpcCall> calls, std::vector<CallSource> source) {
    BatchPlan plan;
    if (!ids_distinct(awaited_calls(calls, source))) {
        plan.pass = true;
        return plan;
    }
    plan.source = std::move(source);
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (plan.source[i] != CallSource::origin) continue;
        plan.forward_body += plan.forward_body.empty() ? '[' : ',';
        plan.forward_body += calls[i].text;
    }
    if (!plan.forward_body.empty()) plan.forward_body += ']';
    return plan;
}

AnswerMatch match_answers(std::span<const RpcCall> calls, const BatchPlan& plan,
                          std::span<const RpcAnswer> answers) {
    AnswerMatch match;
    match.answer.assign(calls.size(), no_answer);
    if (plan.source.size() != calls.size()) {  // a pass, or another batch's plan
        for (std::size_t a = 0; a < answers.size(); ++a) match.unmatched.push_back(a);
        return match;
    }
    const std::vector<Awaited> awaited = awaited_calls(calls, plan.source);
    for (std::size_t a = 0; a < answers.size(); ++a) {
        auto found =
            std::lower_bound(awaited.begin(), awaited.end(), Awaited{answers[a].id_key, 0});
        if (found == awaited.end() || found->id_key != answers[a].id_key ||
            match.answer[found->call] != no_answer) {
            match.unmatched.push_back(a);
            continue;
        }
        match.answer[found->call] = a;
    }
    return match;
}

bool assemble_batch(std::span<const std::string_view> answers, std::string& out) {
    out.clear();
    if (answers.empty()) return false;
    for (std::string_view answer : answers) {
        out += out.empty() ? '[' : ',';
        out += answer;
    }
    out += ']';
    return true;
}

}  // namespace cachet::json
