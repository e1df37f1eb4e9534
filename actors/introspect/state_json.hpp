#pragma once
// A small JSON object writer for actors' state renderers (the console's
// `inspect`): fields in the order written, values escaped; raw() embeds JSON
// made elsewhere (an object rendered by actors/manifest/render.hpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// list() and raw() take JSON values: strings among them are quoted with
// text::json_quote, berth's one JSON string quoter.
#include "actors/text/json_quote.hpp"

namespace berth::introspect {

class json_object {
 public:
  json_object& str(std::string_view key, std::string_view value);
  json_object& num(std::string_view key, std::int64_t value);
  json_object& num(std::string_view key, double value);
  json_object& boolean(std::string_view key, bool value);
  /// `json` must be a valid JSON value.
  json_object& raw(std::string_view key, std::string_view json);
  /// A list of JSON values.
  json_object& list(std::string_view key, const std::vector<std::string>& json_values);
  std::string done() const { return out_ + "}"; }

 private:
  void key(std::string_view k);
  std::string out_ = "{";
};

}  // namespace berth::introspect
