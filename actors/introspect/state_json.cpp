#include "actors/introspect/state_json.hpp"

#include <cmath>
#include <cstdio>

namespace berth::introspect {

void json_object::key(std::string_view k) {
  if (out_.size() > 1) out_ += ",";
  out_ += text::json_quote(k);
  out_ += ":";
}

json_object& json_object::str(std::string_view k, std::string_view value) {
  key(k);
  out_ += text::json_quote(value);
  return *this;
}

json_object& json_object::num(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

json_object& json_object::num(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  out_ += buf;
  return *this;
}

json_object& json_object::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

json_object& json_object::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

json_object& json_object::list(std::string_view k, const std::vector<std::string>& json_values) {
  key(k);
  out_ += "[";
  for (std::size_t i = 0; i < json_values.size(); ++i) out_ += (i ? "," : "") + json_values[i];
  out_ += "]";
  return *this;
}

}  // namespace berth::introspect
