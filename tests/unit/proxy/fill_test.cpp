#include "proxy/fill.hpp"

#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("body bytes appended across chunks read back as one body, from any offset") {
    QuietNotifier notifier;
    FillRef fill = streaming_fill(notifier, cache::NotStored::stored);  // no declared length
    std::string body;
    for (int i = 0; i < 3 * 64 * 1024 / 1000 + 1; ++i)
        body += std::string(1000, char('a' + i % 26));
    for (std::size_t at = 0; at < body.size(); at += 1000)
        fill->append(body.data() + at, std::min<std::size_t>(1000, body.size() - at));
    CHECK(fill->body_size() == body.size());

    std::vector<Fill::Slice> all;
    fill->body_slices(0, body.size(), all);
    CHECK(all.size() == 4);  // 64 KiB stream chunks, the last one partly filled
    CHECK(joined(all) == body);

    std::vector<Fill::Slice> across;  // ends inside the second chunk, starts in the first
    fill->body_slices(60000, 70000, across);
    CHECK(across.size() == 2);
    CHECK(joined(across) == body.substr(60000, 10000));

    std::vector<Fill::Slice> past_end;
    fill->body_slices(body.size() - 5, body.size() + 100, past_end);
    CHECK(joined(past_end) == body.substr(body.size() - 5));
}

TEST_CASE("a small declared body gets one chunk of exactly its length") {
    QuietNotifier notifier;
    FillRef fill = Fill::create("key", 1, 1, 0, notifier, false);
    FillHead head;
    head.status = 200;
    head.content_length = 100 * 1024;
    fill->publish_head(std::move(head));
    const std::string body(100 * 1024, 'z');
    fill->append(body.data(), 4096);
    fill->append(body.data() + 4096, body.size() - 4096);
    std::vector<Fill::Slice> all;
    fill->body_slices(0, body.size(), all);
    CHECK(all.size() == 1);
    CHECK(joined(all) == body);
}

TEST_CASE("refusing storage releases waiters without a head and names the reason, once") {
    QuietNotifier notifier;
    FillRef fill = streaming_fill(notifier, cache::NotStored::stored);
    CHECK(fill->storable());
    CHECK_FALSE(fill->snapshot().released);
    fill->refuse_storage(cache::NotStored::too_large);
    CHECK_FALSE(fill->storable());
    CHECK(fill->snapshot().released);
    CHECK(fill->head().verdict == cache::NotStored::too_large);
    fill->refuse_storage(cache::NotStored::truncated);  // already refused: the first reason stays
    CHECK(fill->head().verdict == cache::NotStored::too_large);
    CHECK(fill->snapshot().state == Fill::State::streaming);
}

TEST_CASE("a head that will not be stored releases waiters, unless a stored response stands in") {
    QuietNotifier notifier;
    CHECK(streaming_fill(notifier, cache::NotStored::no_store)->snapshot().released);
    CHECK_FALSE(streaming_fill(notifier, cache::NotStored::stored)->snapshot().released);
    FillRef revalidated = Fill::create("key", 1, 1, 0, notifier, false);
    FillHead head;
    head.status = 200;
    head.verdict = cache::NotStored::no_freshness;
    head.revalidation = true;  // a refreshed entry that could not be stored again
    revalidated->publish_head(std::move(head));
    CHECK_FALSE(revalidated->snapshot().released);
}

TEST_CASE("a fill fails once: before its head it releases the waiters, after it it does not") {
    QuietNotifier notifier;
    FillRef early = Fill::create("key", 1, 1, 0, notifier, false);
    early->fail(Errc::origin_reset);
    early->fail(Errc::origin_idle_timeout);  // idempotent: the first error stays
    CHECK(early->snapshot().state == Fill::State::failed);
    CHECK(early->snapshot().error == Errc::origin_reset);
    CHECK(early->snapshot().released);

    FillRef late = streaming_fill(notifier, cache::NotStored::stored);
    late->append("abc", 3);
    late->fail(Errc::origin_truncated);
    CHECK(late->snapshot().state == Fill::State::failed);
    CHECK_FALSE(late->snapshot().released);
    CHECK(late->snapshot().body_size == 3);
}

TEST_CASE("a fill without a key is never storable, whatever its head's verdict") {
    // A collected response's head is judged as a keyed one's (OriginRequest::collected): the
    // verdict is for the parts its caller stores, and the fill keeps its bytes as a
    // pass-through does.
    QuietNotifier notifier;
    FillRef fill = Fill::create("", 0, 1, 0, notifier, false);
    FillHead head;
    head.status = 200;
    head.verdict = cache::NotStored::stored;
    fill->publish_head(std::move(head));
    CHECK_FALSE(fill->storable());
    CHECK(fill->head().verdict == cache::NotStored::stored);
}
