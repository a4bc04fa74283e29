#include "json/rpc_batch_reply.hpp"

#include <vector>

namespace cachet::json {

bool batch_reply(std::span<const RpcCall> calls, const BatchPlan& plan,
                 std::span<const StoredAnswer> stored, std::span<const RpcAnswer> answers,
                 const AnswerMatch& match, std::string& out) {
    // The spliced copies live here until assemble_batch has joined them.
    std::vector<std::string> spliced;
    spliced.reserve(calls.size());
    std::vector<std::string_view> texts;
    texts.reserve(calls.size() + match.unmatched.size());
    for (std::size_t i = 0; i < calls.size() && i < plan.source.size(); ++i) {
        if (plan.source[i] == CallSource::store && i < stored.size()) {
            splice_id(stored[i].body, stored[i].id, calls[i].id, spliced.emplace_back());
            texts.push_back(spliced.back());
        } else if (i < match.answer.size() && match.answer[i] != no_answer) {
            texts.push_back(answers[match.answer[i]].text);
        }
    }
    for (std::size_t a : match.unmatched) texts.push_back(answers[a].text);
    return assemble_batch(texts, out);
}

}  // namespace cachet::json
