#pragma once
// `-f FILE|DIR|-`: reads manifests and decodes them (actors/manifest/decode.hpp).
// A directory contributes its .yaml, .yml and .json files (not recursively),
// sorted by name; "-" is standard input (read once, named "-" in errors).

#include <istream>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"

namespace berth::cli {

struct loaded_manifests {
  std::vector<actors::any_object> objects;  // valid objects, in file and document order
  std::vector<std::string> errors;          // "web.yaml document 2: spec.selector: Required value",
                                            // "cannot read x.yaml: No such file or directory"
};

/// Reads and decodes every path; errors in one file do not stop the others.
loaded_manifests load_manifests(const std::vector<std::string>& paths, std::istream& stdin_stream);

/// The manifest files of a directory listing: .yaml/.yml/.json names, sorted. Pure.
std::vector<std::string> manifest_files(std::vector<std::string> names);

}  // namespace berth::cli
