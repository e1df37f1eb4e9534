#pragma once
// What the benchmark sections share: options, the report they add to, and a
// temporary directory. Sections: journal_bench.cpp (appends), fold_bench.cpp
// (fold speed and replay with snapshots).

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace berth::bench {

/// Command-line options every section sees.
struct bench_options {
  bool json = false;
  bool quick = false;  // whole run well under 10 s
};

/// What the sections measured: top-level JSON members and readable tables.
struct bench_report {
  struct member {
    std::string key;
    std::string json;  // already-formatted JSON value
  };
  std::vector<member> members;
  std::vector<std::string> tables;

  std::string to_json() const {
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i)
      out += fmt::format("{}\"{}\":{}", i ? "," : "", members[i].key, members[i].json);
    return out + "}";
  }
  std::string to_text() const {
    std::string out;
    for (const auto& t : tables) out += t + "\n";
    return out;
  }
};

/// A fresh directory, removed on destruction.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "berth-bench-XXXXXX");
    if (::mkdtemp(templ.data()) == nullptr) {
      fmt::print(stderr, "mkdtemp: {}\n", std::strerror(errno));
      std::exit(2);
    }
    path = templ;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

/// Measures fold speed and restart time with snapshots (fold_bench.cpp).
void fold_section(bench_report& report, const bench_options& o);

}  // namespace berth::bench
