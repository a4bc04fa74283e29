#include "proxy/fill.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cachet;
using namespace cachet::proxy;

namespace {

// Fills here have no subscribers on other workers to wake.
struct QuietNotifier final : Notifier {
    void notify(unsigned, FillRef) override {}
};

struct CountingSubscriber final : FillSubscriber {
    void on_fill_progress() override {}
};

FillRef streaming_fill(QuietNotifier& notifier, cache::NotStored verdict) {
    FillRef fill = Fill::create("key", 1, 1, 0, notifier, false);
    FillHead head;
    head.status = 200;
    head.verdict = verdict;
    fill->publish_head(std::move(head));
    return fill;
}

std::string joined(const std::vector<Fill::Slice>& slices) {
    std::string out;
    for (const auto& s : slices) out.append(s.data, s.size);
    return out;
}

}  // namespace

TEST_CASE("a fill that will not be stored drops the chunks its only subscriber has written") {
    QuietNotifier notifier;
    FillRef fill = streaming_fill(notifier, cache::NotStored::no_store);
    CountingSubscriber reader;
    fill->subscribe(0, reader);
    const std::string first(64 * 1024, 'a');  // one whole stream chunk
    const std::string second(1000, 'b');
    fill->append(first.data(), first.size());
    fill->append(second.data(), second.size());

    std::vector<Fill::Slice> written;
    fill->body_slices(0, first.size(), written);
    CHECK(joined(written) == first);
    fill->release_through(first.size() - 1);  // the chunk is not wholly written yet
    CHECK(fill->released_bytes() == 0);
    fill->release_through(first.size());  // its write completed
    CHECK(fill->released_bytes() == first.size());

    // What lies beyond is still served; the last chunk stays for append().
    std::vector<Fill::Slice> rest;
    fill->body_slices(first.size(), first.size() + second.size(), rest);
    CHECK(joined(rest) == second);
    CHECK(fill->body_size() == first.size() + second.size());
    fill->unsubscribe(0, reader);
}

TEST_CASE("a storable fill, or one with two subscribers, keeps every chunk") {
    QuietNotifier notifier;
    const std::string body(64 * 1024 + 10, 'x');
    for (bool storable : {true, false}) {
        FillRef fill = streaming_fill(
            notifier, storable ? cache::NotStored::stored : cache::NotStored::no_store);
        CountingSubscriber one, two;
        fill->subscribe(0, one);
        if (!storable) fill->subscribe(0, two);
        fill->append(body.data(), body.size());
        fill->release_through(body.size());
        std::vector<Fill::Slice> all;
        fill->body_slices(0, body.size(), all);  // from 0: nothing was dropped
        CHECK(joined(all) == body);
        CHECK(fill->released_bytes() == 0);
        fill->unsubscribe(0, one);
        if (!storable) fill->unsubscribe(0, two);
    }
}
