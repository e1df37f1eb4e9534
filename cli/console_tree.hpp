#pragma once
// `tree` and `nodes`: who spawned whom, drawn like tree(1). Pure.
//
// An actor's place: under the actor named by its owner (a pod under its RC,
// an agent's pod under its node actor); without an owner (or when the owner
// is gone), under the actor that spawned it (parent id); otherwise a root.
// Siblings are in name order. An owner cycle cannot hide actors: whatever no
// root reaches becomes a root itself.

#include <string>
#include <vector>

#include "cli/console_model.hpp"

namespace berth::cli {

struct tree_node {
  std::string name;
  std::string kind;
  std::vector<tree_node> children;
  bool operator==(const tree_node&) const = default;
};

/// The forest of `actors` by the rules above.
std::vector<tree_node> build_tree(const std::vector<actor_row>& actors);

/// tree(1)'s drawing: roots at the margin, children under "├── " / "└── "
/// with "│   " / "    " continuing the levels above.
std::string render_tree(const std::vector<tree_node>& roots);

/// {"tree":[{"name":...,"kind":...,"children":[...]},...]} on one line.
std::string tree_json(const std::vector<tree_node>& roots);

/// `nodes`: per node its name, then its actors' tree indented under it, or
/// "NODE: error: WHY" when its agent could not be asked.
std::string render_nodes(const std::vector<node_row>& nodes);

}  // namespace berth::cli
