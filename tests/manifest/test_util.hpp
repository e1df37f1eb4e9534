#pragma once
// Helpers shared by the manifest tests.

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "actors/manifest/decode.hpp"

namespace doctest {
/// Failed comparisons of error lists print every line.
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{\n";
    for (const auto& s : v) out += "  " + s + "\n";
    return (out + "}").c_str();
  }
};
}  // namespace doctest

namespace berth::manifest::test {

/// Contents of a file under $BERTH_EXAMPLES (set by tests/manifest/meson.build).
inline std::string read_example(const std::string& relative) {
  const char* root = std::getenv("BERTH_EXAMPLES");
  if (root == nullptr) throw std::runtime_error("BERTH_EXAMPLES is not set (run through meson test)");
  std::string path = std::string(root) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The error strings of decoding `text` as "test.yaml".
inline std::vector<std::string> errors_of(const std::string& text) {
  return decode_manifests(text, "test.yaml").error_strings();
}

}  // namespace berth::manifest::test
