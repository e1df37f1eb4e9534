#include "cli/output.hpp"

#include "actors/manifest/render.hpp"
#include "cli/format.hpp"

namespace berth::cli {
namespace {

/// Prefixes every line of `text` (which ends in '\n') with `first` on the
/// first line and `rest` on the others; the final newline is dropped.
std::string indent_lines(const std::string& text, const std::string& first, const std::string& rest) {
  std::string out = first;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      if (i + 1 == text.size()) break;
      out += '\n';
      out += rest;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string object_yaml(const actors::any_object& o) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, model::node> || std::is_same_v<T, model::endpoints> ||
                      std::is_same_v<T, model::namespace_object> || std::is_same_v<T, model::secret> ||
                      std::is_same_v<T, model::limit_range> || std::is_same_v<T, model::resource_quota> ||
                      std::is_same_v<T, model::persistent_volume> ||
                      std::is_same_v<T, model::persistent_volume_claim> || std::is_same_v<T, model::pod_template>) {
          return manifest::to_yaml(x);
        } else {
          return manifest::to_yaml(model::api_object(x));
        }
      },
      o);
}

std::string object_json(const actors::any_object& o) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, model::node> || std::is_same_v<T, model::endpoints> ||
                      std::is_same_v<T, model::namespace_object> || std::is_same_v<T, model::secret> ||
                      std::is_same_v<T, model::limit_range> || std::is_same_v<T, model::resource_quota> ||
                      std::is_same_v<T, model::persistent_volume> ||
                      std::is_same_v<T, model::persistent_volume_claim> || std::is_same_v<T, model::pod_template>) {
          return manifest::to_json(x);
        } else {
          return manifest::to_json(model::api_object(x));
        }
      },
      o);
}

std::string list_yaml(const std::vector<actors::any_object>& objects) {
  if (objects.empty()) return "apiVersion: v1\nitems: []\nkind: List\n";
  std::string out = "apiVersion: v1\nitems:\n";
  for (const auto& o : objects) out += indent_lines(object_yaml(o), "- ", "  ") + '\n';
  return out + "kind: List\n";
}

std::string list_json(const std::vector<actors::any_object>& objects) {
  std::string out = "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": ";
  if (objects.empty()) return out + "[]\n}\n";
  out += "[\n";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    out += indent_lines(object_json(objects[i]), "        ", "        ");
    out += i + 1 < objects.size() ? ",\n" : "\n";
  }
  return out + "    ]\n}\n";
}

std::string names_text(const std::vector<actors::any_object>& objects) {
  std::string out;
  for (const auto& o : objects) out += object_name(o) + '\n';
  return out;
}

}  // namespace berth::cli
