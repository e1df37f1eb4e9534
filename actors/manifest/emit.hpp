#pragma once
// A small ordered document tree and its YAML and JSON writers (used by
// render.cpp and actors/kube). The renderer builds the Kubernetes shape once; the writers only
// lay it out, so YAML and JSON can never disagree about content.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace berth::manifest::detail {

/// A string, integer, boolean, map (keys in insertion order) or list.
class doc {
 public:
  enum class kind : std::uint8_t { string, integer, boolean, map, list };

  static doc map() { return doc(kind::map); }
  static doc list() { return doc(kind::list); }
  static doc str(std::string s);
  static doc integer(std::int64_t v);
  static doc boolean(bool v);

  kind type() const { return kind_; }
  /// True for a map or list with no entries.
  bool empty() const { return (kind_ == kind::map || kind_ == kind::list) && items_.empty(); }

  /// Appends to a map (no check for repeated keys: the renderer writes each once).
  doc& set(std::string key, doc value);
  /// Appends to a list.
  doc& push(doc value);

  // Omitting setters, the way Kubernetes' `omitempty` shows objects.
  doc& set_nonempty(std::string key, std::string value);  // skips ""
  doc& set_nonzero(std::string key, std::int64_t value);  // skips 0
  doc& set_nonempty(std::string key, doc value);          // skips empty maps/lists
  doc& set_true(std::string key, bool value);             // skips false

  const std::string& text() const { return text_; }
  std::int64_t number() const { return number_; }
  const std::vector<std::string>& keys() const { return keys_; }
  const std::vector<doc>& items() const { return items_; }

 private:
  explicit doc(kind k) : kind_(k) {}

  kind kind_;
  std::string text_;
  std::int64_t number_ = 0;
  std::vector<std::string> keys_;  // map keys, parallel to items_
  std::vector<doc> items_;
};

/// Block YAML as kubectl prints it: keys sorted, two-space indent, list items
/// at their key's indent, strings quoted only when plain text would read back
/// as something else (a number, a boolean, null) or not parse.
std::string write_yaml(const doc& d);

/// JSON with four-space indent, keys in insertion order (as kubectl -o json).
std::string write_json(const doc& d);

/// JSON on one line, no spaces, no trailing newline: what the Kubernetes API
/// sends (a watch stream needs each object on one line).
std::string write_json_compact(const doc& d);

}  // namespace berth::manifest::detail
