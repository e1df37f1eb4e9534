#include "actors/kube/patch.hpp"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

namespace berth::kube {
namespace {

/// The merge key of a list field, or "" when the list is replaced wholesale.
/// Container and service ports share the field name: the elements decide.
std::string merge_key(const std::string& field, const YAML::Node& list) {
  if (field == "containers" || field == "initContainers" || field == "volumes" || field == "env") return "name";
  if (field == "volumeMounts") return "mountPath";
  if (field == "conditions") return "type";
  if (field == "ports") {
    for (const auto& e : list)
      if (e.IsMap() && e["containerPort"]) return "containerPort";
    return "port";
  }
  return "";
}

YAML::Node clone(const YAML::Node& n) { return YAML::Clone(n); }

bool is_directive(const std::string& key) {
  return key == "$patch" || key == "$retainKeys" || key.rfind("$setElementOrder/", 0) == 0 ||
         key.rfind("$deleteFromPrimitiveList/", 0) == 0;
}

YAML::Node merge(const YAML::Node& target, const YAML::Node& patch, bool strategic);

/// Strategic merge of one keyed list: patch elements update the element with
/// the same key, or are appended; `$patch: delete` elements remove it.
YAML::Node merge_keyed_list(const YAML::Node& target, const YAML::Node& patch, const std::string& key) {
  YAML::Node out(YAML::NodeType::Sequence);
  std::vector<YAML::Node> items;
  if (target.IsSequence())
    for (const auto& e : target) items.push_back(clone(e));
  for (const auto& p : patch) {
    if (!p.IsMap() || !p[key]) {
      items.push_back(clone(p));
      continue;
    }
    const auto wanted = p[key].as<std::string>();
    auto same = [&](const YAML::Node& e) { return e.IsMap() && e[key] && e[key].as<std::string>() == wanted; };
    auto it = std::find_if(items.begin(), items.end(), same);
    const bool remove = p["$patch"] && p["$patch"].as<std::string>() == "delete";
    if (remove) {
      if (it != items.end()) items.erase(it);
    } else if (it != items.end()) {
      *it = merge(*it, p, true);
    } else {
      items.push_back(merge(YAML::Node(YAML::NodeType::Map), p, true));
    }
  }
  for (auto& e : items) out.push_back(e);
  return out;
}

YAML::Node merge(const YAML::Node& target, const YAML::Node& patch, bool strategic) {
  if (!patch.IsMap()) return clone(patch);
  if (strategic && patch["$patch"] && patch["$patch"].as<std::string>() == "replace") {
    YAML::Node out(YAML::NodeType::Map);
    for (const auto& kv : patch)
      if (!is_directive(kv.first.as<std::string>())) out[kv.first.as<std::string>()] = clone(kv.second);
    return out;
  }
  YAML::Node out = target.IsMap() ? clone(target) : YAML::Node(YAML::NodeType::Map);
  for (const auto& kv : patch) {
    const auto key = kv.first.as<std::string>();
    if (strategic && key.rfind("$deleteFromPrimitiveList/", 0) == 0) {
      const auto field = key.substr(std::string("$deleteFromPrimitiveList/").size());
      if (!out[field] || !out[field].IsSequence() || !kv.second.IsSequence()) continue;
      YAML::Node kept(YAML::NodeType::Sequence);
      for (const auto& e : out[field]) {
        bool drop = false;
        for (const auto& d : kv.second) drop |= e.IsScalar() && d.IsScalar() && e.Scalar() == d.Scalar();
        if (!drop) kept.push_back(clone(e));
      }
      out[field] = kept;
      continue;
    }
    if (strategic && is_directive(key)) continue;
    if (kv.second.IsNull()) {
      out.remove(key);
      continue;
    }
    if (strategic && kv.second.IsSequence()) {
      auto k = merge_key(key, kv.second);
      if (!k.empty()) {
        out[key] = merge_keyed_list(out[key], kv.second, k);
        continue;
      }
    }
    out[key] = out[key] && kv.second.IsMap() ? merge(out[key], kv.second, strategic)
                                             : merge(YAML::Node(), kv.second, strategic);
  }
  return out;
}

// ---------------------------------------------------------------- JSON patch

/// "/spec/containers/0/image" → ["spec", "containers", "0", "image"], with ~1 → / and ~0 → ~.
bool pointer_tokens(const std::string& pointer, std::vector<std::string>& out) {
  out.clear();
  if (pointer.empty()) return true;
  if (pointer[0] != '/') return false;
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      out.push_back(token);
      token.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      token += pointer[++i] == '0' ? '~' : '/';
    } else {
      token += pointer[i];
    }
  }
  return true;
}

bool index_of(const YAML::Node& seq, const std::string& token, bool allow_end, std::size_t& out) {
  if (allow_end && token == "-") return out = seq.size(), true;
  if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoul(token);
  return out < seq.size() + (allow_end ? 1 : 0);
}

/// The parent container of the pointer's last token (a copy-free handle: yaml-cpp nodes are references).
bool parent_of(YAML::Node root, const std::vector<std::string>& tokens, YAML::Node& parent) {
  YAML::Node cur = root;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (cur.IsMap()) {
      if (!cur[tokens[i]]) return false;
      cur.reset(cur[tokens[i]]);
    } else if (cur.IsSequence()) {
      std::size_t at = 0;
      if (!index_of(cur, tokens[i], false, at)) return false;
      cur.reset(cur[at]);
    } else {
      return false;
    }
  }
  parent.reset(cur);
  return true;
}

bool get_at(YAML::Node root, const std::vector<std::string>& tokens, YAML::Node& out) {
  if (tokens.empty()) return out.reset(root), true;
  YAML::Node parent;
  if (!parent_of(root, tokens, parent)) return false;
  if (parent.IsMap()) {
    if (!parent[tokens.back()]) return false;
    out.reset(parent[tokens.back()]);
    return true;
  }
  std::size_t at = 0;
  if (!parent.IsSequence() || !index_of(parent, tokens.back(), false, at)) return false;
  out.reset(parent[at]);
  return true;
}

bool remove_at(YAML::Node root, const std::vector<std::string>& tokens) {
  YAML::Node parent;
  if (tokens.empty() || !parent_of(root, tokens, parent)) return false;
  if (parent.IsMap()) return parent[tokens.back()] && parent.remove(tokens.back());
  std::size_t at = 0;
  if (!parent.IsSequence() || !index_of(parent, tokens.back(), false, at)) return false;
  YAML::Node kept(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i < parent.size(); ++i)
    if (i != at) kept.push_back(parent[i]);
  parent = kept;
  return true;
}

bool add_at(YAML::Node root, const std::vector<std::string>& tokens, const YAML::Node& value) {
  YAML::Node parent;
  if (tokens.empty() || !parent_of(root, tokens, parent)) return false;
  if (parent.IsMap()) {
    parent[tokens.back()] = clone(value);
    return true;
  }
  std::size_t at = 0;
  if (!parent.IsSequence() || !index_of(parent, tokens.back(), true, at)) return false;
  YAML::Node grown(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i <= parent.size(); ++i) {
    if (i == at) grown.push_back(clone(value));
    if (i < parent.size()) grown.push_back(parent[i]);
  }
  parent = grown;
  return true;
}

bool apply_json_patch(YAML::Node& doc, const YAML::Node& ops, std::string& error) {
  if (!ops.IsSequence()) return error = "patch: a JSON patch must be an array of operations", false;
  std::size_t n = 0;
  for (const auto& op : ops) {
    const auto fail = [&](const std::string& why) {
      error = fmt::format("patch op {} ({}) {}", n, op["op"] ? op["op"].as<std::string>() : "?", why);
      return false;
    };
    if (!op.IsMap() || !op["op"] || !op["path"]) return fail("needs \"op\" and \"path\"");
    const auto name = op["op"].as<std::string>();
    const auto path = op["path"].as<std::string>();
    std::vector<std::string> tokens, from;
    if (!pointer_tokens(path, tokens)) return fail("has a path that is not a JSON pointer: " + path);
    YAML::Node found;
    if (name == "add") {
      if (!op["value"] || !add_at(doc, tokens, op["value"])) return fail("cannot add at " + path);
    } else if (name == "remove") {
      if (!remove_at(doc, tokens)) return fail("found nothing at " + path);
    } else if (name == "replace") {
      if (!op["value"] || !get_at(doc, tokens, found)) return fail("found nothing at " + path);
      if (!remove_at(doc, tokens) || !add_at(doc, tokens, op["value"])) return fail("cannot replace at " + path);
    } else if (name == "move" || name == "copy") {
      if (!op["from"] || !pointer_tokens(op["from"].as<std::string>(), from) || !get_at(doc, from, found))
        return fail("found nothing at \"from\"");
      auto value = clone(found);
      if (name == "move" && !remove_at(doc, from)) return fail("cannot remove \"from\"");
      if (!add_at(doc, tokens, value)) return fail("cannot add at " + path);
    } else if (name == "test") {
      if (!op["value"] || !get_at(doc, tokens, found)) return fail("found nothing at " + path);
      if (YAML::Dump(found) != YAML::Dump(op["value"])) return fail("failed at " + path);
    } else {
      return fail("is not an operation (add, remove, replace, move, copy, test)");
    }
    ++n;
  }
  return true;
}

/// Emits `n` as YAML, double-quoting the scalars that were strings in the
/// input (yaml-cpp tags them "!") so that "true" or "80" stay strings.
void emit(YAML::Emitter& out, const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& kv : n) {
        out << YAML::Key << YAML::DoubleQuoted << kv.first.as<std::string>() << YAML::Value;
        emit(out, kv.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& e : n) emit(out, e);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!")
        out << YAML::DoubleQuoted << n.Scalar();
      else
        out << n.Scalar();
      break;
    default: out << YAML::Null; break;
  }
}

}  // namespace

bool patch_type_of(std::string_view content_type, patch_type& out) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media == "application/merge-patch+json") return out = patch_type::merge, true;
  if (media == "application/strategic-merge-patch+json") return out = patch_type::strategic, true;
  if (media == "application/json-patch+json") return out = patch_type::json, true;
  return false;
}

std::string apply_patch(std::string_view target, std::string_view patch, patch_type type, std::string& error) {
  YAML::Node doc, p;
  try {
    doc = YAML::Load(std::string(target));
  } catch (const YAML::Exception& e) {
    error = std::string("object: ") + e.what();
    return {};
  }
  try {
    p = YAML::Load(std::string(patch));
  } catch (const YAML::Exception& e) {
    error = fmt::format("patch: not valid JSON: line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg);
    return {};
  }
  YAML::Node result;
  if (type == patch_type::json) {
    result = clone(doc);
    if (!apply_json_patch(result, p, error)) return {};
  } else {
    if (!p.IsMap()) {
      error = "patch: a merge patch must be a JSON object";
      return {};
    }
    result = merge(doc, p, type == patch_type::strategic);
  }
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, result);
  return out.c_str();
}

}  // namespace berth::kube
