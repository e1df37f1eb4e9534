// Every manifest of Kubernetes v1.0.0's examples directory (the project's copy
// under examples/kubernetes-v1.0.0) walked through the same decode, default
// and validate pipeline as `berth create --dry-run`, compared with the list of
// what berth accepts today (tests/manifest/v1_examples_expected.txt).
//
// A file that changes side, either way, fails the test with its errors, so a
// regression shows and so does progress: a newly accepted file is moved to
// the accepted side of the list in the same commit. The summary line and the
// refusals are printed on every run (`meson test manifest -v`).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/manifest/test_util.hpp"

using namespace berth::manifest;
namespace fs = std::filesystem;

namespace {

const std::string k_dir = "kubernetes-v1.0.0";

fs::path examples_root() {
  const char* root = std::getenv("BERTH_EXAMPLES");
  REQUIRE_MESSAGE(root != nullptr, "BERTH_EXAMPLES is not set (run through meson test)");
  return fs::path(root) / k_dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool manifest_extension(const fs::path& p) {
  auto e = p.extension().string();
  return e == ".yaml" || e == ".yml" || e == ".json";
}

/// Files under the examples directory that are API objects (the data files
/// among them, an HTML page's data.json or an application's own config, have
/// no apiVersion), by path relative to it, sorted.
std::vector<std::string> manifest_files(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || !manifest_extension(e.path())) continue;
    if (slurp(e.path()).find("apiVersion") == std::string::npos) continue;
    out.push_back(fs::relative(e.path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The expected list: "accepted PATH" or "refused PATH  # why", one per line;
/// blank lines and lines starting with '#' are comments.
std::map<std::string, bool> expected_sides() {
  const char* src = std::getenv("BERTH_V1_EXAMPLES_EXPECTED");
  REQUIRE_MESSAGE(src != nullptr, "BERTH_V1_EXAMPLES_EXPECTED is not set (run through meson test)");
  std::ifstream in(src);
  REQUIRE_MESSAGE(bool(in), "cannot open " << src);
  std::map<std::string, bool> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string side, path;
    words >> side >> path;
    REQUIRE_MESSAGE((side == "accepted" || side == "refused"), "bad line in the expected list: " << line);
    out[path] = side == "accepted";
  }
  return out;
}

std::string side(bool accepted) { return accepted ? "accepted" : "refused"; }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "    " + l + "\n";
  return out;
}

}  // namespace

TEST_CASE("every Kubernetes v1.0 example manifest is accepted or refused as listed") {
  const fs::path root = examples_root();
  const auto files = manifest_files(root);
  auto expected = expected_sides();
  REQUIRE(files.size() > 100);

  std::size_t accepted = 0;
  std::string refusals;
  for (const auto& rel : files) {
    auto result = decode_manifests(slurp(root / rel), rel);
    const bool ok = result.ok();
    accepted += ok ? 1 : 0;
    if (!ok) refusals += "  " + rel + "\n" + joined(result.error_strings());

    auto want = expected.find(rel);
    if (want == expected.end()) {
      FAIL_CHECK(rel << " is not in the expected list; it is " << side(ok) << "\n"
                     << joined(result.error_strings()));
      continue;
    }
    if (want->second != ok) {
      FAIL_CHECK(rel << " was expected " << side(want->second) << " and is "
                     << side(ok) << "\n"
                     << joined(result.error_strings()));
    }
    expected.erase(want);
  }
  for (const auto& [path, accepted_side] : expected) FAIL_CHECK(path << " is in the expected list but not a manifest file");

  MESSAGE("Kubernetes v1.0 examples: " << accepted << " of " << files.size() << " manifests accepted; refused:\n"
                                       << refusals);
}
