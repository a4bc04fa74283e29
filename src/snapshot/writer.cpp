#include "snapshot/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <utility>

#include "snapshot/format.hpp"
#include "snapshot/progress.hpp"
#include "snapshot/record_copy.hpp"

namespace cachet::snapshot {
namespace {

// Tells apart the temporary files of writers in one process (the pid, those of processes).
std::atomic<unsigned> temp_serial{0};

std::string directory_of(const std::string& path) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// 0, or the errno of the write that failed; retries short writes and EINTR.
int write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return 0;
}

// The rename is durable once the directory is synced. Some file systems cannot sync a
// directory (EINVAL): there is nothing more to do on those.
int sync_directory(const std::string& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int result = ::fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    ::close(fd);
    return result;
}

}  // namespace

SnapshotResult<SnapshotWriter> SnapshotWriter::create(std::string path, Progress* progress) {
    const std::string stem = path + ".tmp-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string temp_path = stem + std::to_string(temp_serial.fetch_add(1));
        const int fd =
            ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
        if (fd < 0 && errno == EEXIST) continue;  // left by a crashed process that had our pid
        if (fd < 0) return tl::unexpected(system_error("create", temp_path, errno));
        SnapshotWriter writer(std::move(path), std::move(temp_path), fd, progress);
        encode_header(FileHeader{.created = std::time(nullptr)}, writer.buffer_);
        writer.bytes_ = writer.buffer_.size();
        return writer;
    }
    return tl::unexpected(system_error("create", stem + "N", EEXIST));
}

SnapshotWriter::SnapshotWriter(std::string path, std::string temp_path, int fd, Progress* progress)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd), progress_(progress) {
    buffer_.reserve(buffer_bytes + (64u << 10));
}

SnapshotWriter::SnapshotWriter(SnapshotWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      progress_(other.progress_),
      records_(other.records_),
      bytes_(other.bytes_),
      written_(other.written_),
      committed_(other.committed_),
      temp_exists_(std::exchange(other.temp_exists_, false)),
      failure_(std::move(other.failure_)) {}

SnapshotWriter& SnapshotWriter::operator=(SnapshotWriter&& other) noexcept {
    if (this != &other) {
        discard();
        path_ = std::move(other.path_);
        temp_path_ = std::move(other.temp_path_);
        fd_ = std::exchange(other.fd_, -1);
        buffer_ = std::move(other.buffer_);
        progress_ = other.progress_;
        records_ = other.records_;
        bytes_ = other.bytes_;
        written_ = other.written_;
        committed_ = other.committed_;
        temp_exists_ = std::exchange(other.temp_exists_, false);
        failure_ = std::move(other.failure_);
    }
    return *this;
}

SnapshotWriter::~SnapshotWriter() { discard(); }

SnapshotResult<void> SnapshotWriter::append(const RecordView& record) {
    if (auto usable = check_usable(); !usable) return usable;
    const std::size_t before = buffer_.size();
    encode(record, buffer_);
    bytes_ += buffer_.size() - before;
    ++records_;
    if (buffer_.size() >= buffer_bytes) return write_buffer();
    return {};
}

SnapshotResult<void> SnapshotWriter::append(const Record& record) {
    return append(view_of(record));
}

SnapshotResult<void> SnapshotWriter::commit() {
    if (auto usable = check_usable(); !usable) return usable;
    if (auto written = write_buffer(); !written) return written;
    if (::fsync(fd_) != 0) return fail(system_error("sync", temp_path_, errno));
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return fail(system_error("close", temp_path_, errno));
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
        return fail(system_error("rename", temp_path_ + " to " + path_, errno));
    }
    temp_exists_ = false;  // it is PATH now
    committed_ = true;
    if (const int err = sync_directory(directory_of(path_)); err != 0) {
        return fail(system_error("sync the directory of", path_, err));
    }
    return {};
}

SnapshotResult<void> SnapshotWriter::check_usable() const {
    if (failure_) return tl::unexpected(*failure_);
    if (committed_ || fd_ < 0) {
        return tl::unexpected(SnapshotError{
            .message = "cannot write " + path_ + ": the snapshot is committed already",
            .sys_errno = EBADF,
            .format = {}});
    }
    return {};
}

SnapshotResult<void> SnapshotWriter::write_buffer() {
    if (const int err = write_all(fd_, buffer_.data(), buffer_.size()); err != 0) {
        return fail(system_error("write", temp_path_, err));
    }
    // Start writing these pages to the disk now, without waiting for it: the disk works
    // while we encode the next buffer, and commit()'s fsync finds little left to do. A hint
    // only; fsync reports any error.
    ::sync_file_range(fd_, static_cast<off_t>(written_), static_cast<off_t>(buffer_.size()),
                      SYNC_FILE_RANGE_WRITE);
    written_ += buffer_.size();
    if (progress_ != nullptr) progress_->advance(buffer_.size());
    buffer_.clear();
    // A huge record grew the buffer: give that memory back rather than keep it to the end.
    if (buffer_.capacity() > 4 * buffer_bytes) {
        std::string().swap(buffer_);
        buffer_.reserve(buffer_bytes + (64u << 10));
    }
    return {};
}

SnapshotResult<void> SnapshotWriter::fail(SnapshotError error) {
    failure_ = error;
    discard();
    return tl::unexpected(std::move(error));
}

void SnapshotWriter::discard() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    if (temp_exists_) ::unlink(temp_path_.c_str());
    temp_exists_ = false;
    std::string().swap(buffer_);
}

}  // namespace cachet::snapshot
