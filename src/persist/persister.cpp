#include "persist/persister.hpp"

#include <chrono>

#include "persist/store_file.hpp"
#include "util/log.hpp"

namespace cachet::persist {

bool save_and_log(const cache::Store& store, const std::string& path, bool progress) {
    const auto started = std::chrono::steady_clock::now();
    const SaveResult saved = save_store(store, path, progress);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (saved.error) {
        log::write(log::Level::error, "store not saved; the previous file stays",
                   {{"path", path}, {"error", *saved.error}});
        return false;
    }
    log::write(log::Level::info, "store saved",
               {{"path", path},
                {"entries", static_cast<std::int64_t>(saved.entries)},
                {"bytes", static_cast<std::int64_t>(saved.bytes)},
                {"ms", static_cast<std::int64_t>(ms)}});
    return true;
}

Persister::Persister(const cache::Store& store, std::string path, Millis interval)
    : store_(store), path_(std::move(path)), interval_(interval) {
    thread_ = std::thread([this] { run(); });
}

Persister::~Persister() { stop(); }

void Persister::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void Persister::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (wake_.wait_for(lock, std::chrono::milliseconds(interval_), [&] { return stopping_; }))
            return;
        lock.unlock();
        save_and_log(store_, path_, /*progress=*/false);
        lock.lock();
    }
}

}  // namespace cachet::persist
