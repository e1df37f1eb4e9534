#pragma once
// Reading the JSON bodies back in tests: yaml-cpp parses JSON (it is YAML's
// flow style), and the API's bodies must each be a single line.

#include <string>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

namespace berth::kube::test {

/// `body` parsed; fails the test when it spans lines (a watch stream needs one line).
inline YAML::Node parse_json(const std::string& body) {
  CHECK_MESSAGE(body.find('\n') == std::string::npos, body);
  return YAML::Load(body);
}

inline std::string text(const YAML::Node& n) { return n.as<std::string>(); }

}  // namespace berth::kube::test
