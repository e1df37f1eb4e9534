#include "actors/introspect/state_json.hpp"

#include <cmath>
#include <cstdio>

namespace berth::introspect {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

void json_object::key(std::string_view k) {
  if (out_.size() > 1) out_ += ",";
  out_ += json_quote(k);
  out_ += ":";
}

json_object& json_object::str(std::string_view k, std::string_view value) {
  key(k);
  out_ += json_quote(value);
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
