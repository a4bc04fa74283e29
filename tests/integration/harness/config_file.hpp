#pragma once
// A cachet config file (cachet.json) for one test, in a temporary directory of its own that
// goes with it; rewrite() replaces its contents (a SIGHUP test's next configuration).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace cachet::integration {

class ConfigFile {
public:
    explicit ConfigFile(const std::string& json = "{}") {
        static std::atomic<int> count{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("cachet-test-config-" + std::to_string(getpid()) + "-" + std::to_string(++count));
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "cachet.json").string();
        rewrite(json);
    }
    ~ConfigFile() { std::filesystem::remove_all(dir_); }
    ConfigFile(const ConfigFile&) = delete;
    ConfigFile& operator=(const ConfigFile&) = delete;

    void rewrite(const std::string& json) const { std::ofstream(path_, std::ios::trunc) << json; }
    const std::string& path() const { return path_; }

private:
    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace cachet::integration
