#pragma once
// Many clients at once from one thread: each request on its own connection, all connected and sent
// before any answer is awaited, driven by poll() until every reply is in or the deadline passes
// (the rest are `timeout`).
#include <string>
#include <vector>

#include "harness/deadline.hpp"
#include "harness/reply.hpp"

namespace cachet::integration {

// Replies in the order of `requests`.
std::vector<Reply> fetch_concurrently(int port, const std::vector<std::string>& requests,
                                      Deadline deadline);

}  // namespace cachet::integration
