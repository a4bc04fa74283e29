#pragma once
// A raw client with a small receive buffer, for tests of clients that read slowly or not at
// all: what it does not read stays queued in cachet.
#include <cstddef>
#include <string>

#include "harness/deadline.hpp"

namespace cachet::integration {

class SlowReader {
public:
    SlowReader(int port, const std::string& request);
    ~SlowReader();
    SlowReader(const SlowReader&) = delete;
    SlowReader& operator=(const SlowReader&) = delete;

    bool connected() const noexcept { return connected_; }
    // Reads a response head and `body_size` body bytes, until the peer closes or the
    // deadline passes; `closed` says whether the peer closed (EOF or reset).
    std::string read_response(std::size_t body_size, Deadline deadline, bool* closed = nullptr);

private:
    int fd_ = -1;
    bool connected_ = false;
};

}  // namespace cachet::integration
