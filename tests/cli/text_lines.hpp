#pragma once
// Splitting what a command printed, for end-to-end tests, and a berthd data
// directory that removes itself: shared by the CLI, journal and node-agent
// end-to-end tests.

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/berthd_process.hpp"

namespace berth::testing {

/// Every line of `text`, empty ones included.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The non-empty lines of `text` (e.g. a list of ids).
inline std::vector<std::string> nonempty_lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (auto& line : lines_of(text))
    if (!line.empty()) out.push_back(std::move(line));
  return out;
}

/// The whitespace-separated words of one line.
inline std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// A fresh berthd data directory, removed with berthd's log once berthd is
/// gone (declare it before the berthd_process).
struct data_dir_cleanup {
  std::string path;
  explicit data_dir_cleanup(const std::string& prefix) : path(make_temp_dir(prefix)) {}
  ~data_dir_cleanup() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    std::filesystem::remove(path + ".log", ec);
  }
};

}  // namespace berth::testing
