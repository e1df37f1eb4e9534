#include "cli/console_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "actors/text/json_quote.hpp"

namespace berth::cli {
namespace {

constexpr std::size_t k_none = static_cast<std::size_t>(-1);

/// The index of each actor's place in the tree (k_none: a root).
std::vector<std::size_t> parents_of(const std::vector<actor_row>& actors) {
  std::map<std::string, std::size_t> by_name;
  std::map<std::uint64_t, std::size_t> by_id;
  for (std::size_t i = 0; i < actors.size(); ++i) {
    by_name.emplace(actors[i].name, i);
    by_id.emplace(actors[i].id, i);
  }
  std::vector<std::size_t> out(actors.size(), k_none);
  for (std::size_t i = 0; i < actors.size(); ++i) {
    const auto& a = actors[i];
    if (auto o = by_name.find(a.owner); !a.owner.empty() && o != by_name.end() && o->second != i)
      out[i] = o->second;
    else if (auto p = by_id.find(a.parent); a.parent != 0 && p != by_id.end() && p->second != i)
      out[i] = p->second;
  }
  return out;
}

struct forest_builder {
  const std::vector<actor_row>& actors;
  std::vector<std::vector<std::size_t>> children;
  std::vector<bool> placed;

  tree_node build(std::size_t i) {
    placed[i] = true;
    tree_node n{actors[i].name, actors[i].kind, {}};
    for (auto c : children[i])
      if (!placed[c]) n.children.push_back(build(c));
    return n;
  }
};

void draw(const tree_node& n, const std::string& prefix, bool last, bool root, std::string& out) {
  if (root)
    out += n.name + "\n";
  else
    out += prefix + (last ? "└── " : "├── ") + n.name + "\n";
  std::string inner = root ? prefix : prefix + (last ? "    " : "│   ");
  for (std::size_t i = 0; i < n.children.size(); ++i)
    draw(n.children[i], inner, i + 1 == n.children.size(), false, out);
}

std::string node_json(const tree_node& n) {
  std::string out =
      fmt::format("{{\"name\":{},\"kind\":{},\"children\":[", text::json_quote(n.name), text::json_quote(n.kind));
  for (std::size_t i = 0; i < n.children.size(); ++i) out += (i ? "," : "") + node_json(n.children[i]);
  return out + "]}";
}

}  // namespace

std::vector<tree_node> build_tree(const std::vector<actor_row>& actors) {
  std::vector<std::size_t> order(actors.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return actors[a].name < actors[b].name; });
  auto parent = parents_of(actors);
  forest_builder b{actors, std::vector<std::vector<std::size_t>>(actors.size()), std::vector<bool>(actors.size())};
  for (auto i : order)
    if (parent[i] != k_none) b.children[parent[i]].push_back(i);
  std::vector<tree_node> roots;
  for (auto i : order)
    if (parent[i] == k_none) roots.push_back(b.build(i));
  for (auto i : order)  // owner/parent cycles: nothing above reached them
    if (!b.placed[i]) roots.push_back(b.build(i));
  return roots;
}

std::string render_tree(const std::vector<tree_node>& roots) {
  std::string out;
  for (const auto& r : roots) draw(r, "", true, true, out);
  return out;
}

std::string tree_json(const std::vector<tree_node>& roots) {
  std::string out = "{\"tree\":[";
  for (std::size_t i = 0; i < roots.size(); ++i) out += (i ? "," : "") + node_json(roots[i]);
  return out + "]}";
}

std::string render_nodes(const std::vector<node_row>& nodes) {
  if (nodes.empty()) return "No nodes connected.\n";
  std::string out;
  for (const auto& n : nodes) {
    if (!n.error.empty()) {
      out += fmt::format("{}: error: {}\n", n.node, n.error);
      continue;
    }
    out += n.node + (n.actors.empty() ? " (no actors)\n" : "\n");
    auto roots = build_tree(n.actors);
    for (std::size_t i = 0; i < roots.size(); ++i) draw(roots[i], "", i + 1 == roots.size(), false, out);
  }
  return out;
}

}  // namespace berth::cli
