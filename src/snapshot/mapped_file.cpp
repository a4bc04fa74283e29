#include "snapshot/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace cachet::snapshot {
namespace {

// Closes the descriptor on every way out of open(): the mapping outlives it.
struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

SnapshotResult<MappedFile> MappedFile::open(const std::string& path) {
    FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) return tl::unexpected(system_error("open", path, errno));
    struct stat info {};
    if (::fstat(file.fd, &info) != 0) return tl::unexpected(system_error("stat", path, errno));
    if (!S_ISREG(info.st_mode)) {
        return tl::unexpected(system_error("read", path, S_ISDIR(info.st_mode) ? EISDIR : EINVAL));
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size == 0) return MappedFile(nullptr, 0);
    // MAP_POPULATE faults every page in at once, faster than one fault per 4 KiB page
    // as the decoder walks the file; the decoder reads it front to back, once.
    void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.fd, 0);
    if (data == MAP_FAILED) return tl::unexpected(system_error("map", path, errno));
    ::madvise(data, size, MADV_SEQUENTIAL);
    return MappedFile(data, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        unmap();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() { unmap(); }

void MappedFile::unmap() noexcept {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
}

}  // namespace cachet::snapshot
