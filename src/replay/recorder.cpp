#include "replay/recorder.hpp"

#include "snapshot/leftover_temps.hpp"
#include "snapshot/reader.hpp"
#include "util/log.hpp"

namespace cachet::replay {

tl::expected<std::unique_ptr<Recorder>, std::string> Recorder::open(const std::string& path,
                                                                    bool keep_existing) {
    snapshot::remove_leftover_temps(path);  // a killed recording's
    auto progress = std::make_unique<snapshot::Progress>("recording " + path);
    auto writer = snapshot::SnapshotWriter::create(path, progress.get());
    if (!writer) return tl::unexpected(writer.error().message);
    if (keep_existing) {
        std::optional<std::string> copy_error;
        auto summary = snapshot::read_snapshot(path, {}, [&](const snapshot::RecordView& r) {
            if (copy_error) return;
            if (auto appended = writer->append(r); !appended) copy_error = appended.error().message;
        });
        if (copy_error) return tl::unexpected(*copy_error);
        if (summary.error && !summary.error->file_missing())
            return tl::unexpected(summary.error->message);
    }
    return std::unique_ptr<Recorder>(new Recorder(std::move(progress), std::move(*writer)));
}

Recorder::Recorder(std::unique_ptr<snapshot::Progress> progress, snapshot::SnapshotWriter writer)
    : progress_(std::move(progress)), writer_(std::move(writer)) {
    thread_ = std::thread([this] { run(); });
}

Recorder::~Recorder() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
}

void Recorder::record(snapshot::Record record) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(record));
    }
    wake_.notify_one();
}

void Recorder::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        std::deque<snapshot::Record> batch;
        batch.swap(queue_);
        lock.unlock();
        for (const snapshot::Record& record : batch) {
            if (failure_) break;
            if (auto appended = writer_.append(record); !appended) {
                failure_ = appended.error().message;
                log::write(log::Level::error, "recording stopped: the snapshot cannot be written",
                           {{"error", *failure_}});
            } else {
                ++written_;
            }
        }
        lock.lock();
    }
}

std::optional<std::string> Recorder::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    progress_->finish();
    if (failure_) return failure_;
    if (auto committed = writer_.commit(); !committed) return committed.error().message;
    return std::nullopt;
}

}  // namespace cachet::replay
