#pragma once
// --persist-interval: a thread that saves the store every interval while the workers serve
// (persist/store_file.hpp), and logs each save. The save at a graceful stop is the server's
// (server.cpp), after this thread has stopped, so two saves never write at once.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "cache/store.hpp"
#include "util/time.hpp"

namespace cachet::persist {

class Persister {
public:
    Persister(const cache::Store& store, std::string path, Millis interval);
    ~Persister();  // stops
    Persister(const Persister&) = delete;
    Persister& operator=(const Persister&) = delete;

    // Waits for a save under way to end; no other starts.
    void stop();

private:
    void run();

    const cache::Store& store_;
    const std::string path_;
    const Millis interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

// Saves and logs the outcome (with the entries, bytes and seconds it took). False: not saved.
bool save_and_log(const cache::Store& store, const std::string& path, bool progress);

}  // namespace cachet::persist
