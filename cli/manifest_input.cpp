#include "cli/manifest_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "actors/manifest/decode.hpp"

namespace berth::cli {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void decode_into(const std::string& text, const std::string& source, loaded_manifests& out) {
  auto decoded = manifest::decode_manifests(text, source);
  for (const auto& e : decoded.errors) out.errors.push_back(e.to_string());
  for (const auto& d : decoded.objects) {
    out.objects.push_back(std::visit([](const auto& o) { return actors::any_object(o); }, d.object));
  }
}

void load_file(const std::string& path, loaded_manifests& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.errors.push_back(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  decode_into(text.str(), path, out);
}

void load_dir(const std::string& dir, loaded_manifests& out) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
  }
  if (ec) {
    out.errors.push_back(fmt::format("cannot read directory {}: {}", dir, ec.message()));
    return;
  }
  names = manifest_files(std::move(names));
  if (names.empty()) out.errors.push_back(fmt::format("{}: no .yaml, .yml or .json files in it", dir));
  std::string prefix = ends_with(dir, "/") ? dir : dir + "/";
  for (const auto& n : names) load_file(prefix + n, out);
}

}  // namespace

std::vector<std::string> manifest_files(std::vector<std::string> names) {
  std::erase_if(names, [](const std::string& n) {
    return !(ends_with(n, ".yaml") || ends_with(n, ".yml") || ends_with(n, ".json"));
  });
  std::sort(names.begin(), names.end());
  return names;
}

loaded_manifests load_manifests(const std::vector<std::string>& paths, std::istream& stdin_stream) {
  loaded_manifests out;
  bool stdin_read = false;
  for (const auto& path : paths) {
    if (path == "-") {
      if (stdin_read) continue;  // "-f - -f -": standard input has only one content
      stdin_read = true;
      std::string text{std::istreambuf_iterator<char>(stdin_stream), std::istreambuf_iterator<char>()};
      decode_into(text, "-", out);
      continue;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      load_dir(path, out);
    } else {
      load_file(path, out);
    }
  }
  return out;
}

}  // namespace berth::cli
