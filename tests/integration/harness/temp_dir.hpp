#pragma once
// A directory of one test's own under the system's temporary directory, removed with it,
// and whole-file reads and writes for the files a test puts there (snapshots, saved stores).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cachet::integration {

class TempDir {
public:
    // "cachet-test-PURPOSE-PID-N".
    explicit TempDir(const std::string& purpose) {
        static std::atomic<int> count{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("cachet-test-" + purpose + "-" + std::to_string(getpid()) + "-" +
                std::to_string(++count));
        std::filesystem::create_directories(dir_);
    }
    ~TempDir() { std::filesystem::remove_all(dir_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
    std::filesystem::path dir_;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace cachet::integration
