#pragma once
// Many concurrent REST watches on berthd's Kubernetes API, for the watch
// benchmark rows (reads.cpp) and the integration test of concurrent watchers
// (tests/integration/watch_test.cpp). One thread of its own runs a KJ event
// loop with one TLS connection per watch; each WatchEvent line is checked
// and recorded as it arrives. KJ stays in rest_watchers.cpp.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace berth::bench {

/// What one watch received.
struct watch_record {
  struct line {
    char type = '?';  // 'A'dded, 'M'odified, 'D'eleted, 'B'ookmark, 'E'rror
    std::string name;  // metadata.name ("" for bookmarks)
    std::uint64_t resource_version = 0;
    std::int64_t received_ns = 0;  // wall clock
    bool running = false;          // the line's object has "phase":"Running"
  };
  int status = 0;          // the HTTP status of the watch request (0: no answer)
  std::vector<line> lines;
  std::string end;         // why it ended ("" while it was stopped by stop())
};

class rest_watchers {
 public:
  /// Opens `count` watches of `path` (with ?watch=true... in it) on
  /// `api_address` over TLS trusting only `ca_pem`. Returns once every
  /// watch has its response headers; throws std::runtime_error otherwise.
  rest_watchers(const std::string& api_address, const std::string& ca_pem, const std::string& token,
                const std::string& path, int count);
  ~rest_watchers();
  rest_watchers(const rest_watchers&) = delete;
  rest_watchers& operator=(const rest_watchers&) = delete;

  /// Lines received so far by all watches (any thread).
  std::uint64_t lines() const { return lines_.load(); }
  /// Watches whose stream ended (any thread).
  int ended() const { return ended_.load(); }

  /// Closes every watch and returns what each received.
  std::vector<watch_record> stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::atomic<std::uint64_t> lines_{0};
  std::atomic<int> ended_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

/// Parses one WatchEvent line (the fields rest_watchers records).
watch_record::line parse_watch_line(std::string_view text);

}  // namespace berth::bench
