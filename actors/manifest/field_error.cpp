#include "actors/manifest/field_error.hpp"

#include <fmt/format.h>

namespace berth::manifest {
namespace {

field_error make(std::string field, std::string message, std::string_view detail) {
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  return {std::move(field), std::move(message)};
}

}  // namespace

std::string field_error::to_string() const {
  if (field.empty()) return message;
  return field + ": " + message;
}

std::string child_path(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  return fmt::format("{}.{}", parent, name);
}

std::string index_path(std::string_view parent, std::size_t index) { return fmt::format("{}[{}]", parent, index); }

std::string key_path(std::string_view parent, std::string_view key) { return fmt::format("{}[{}]", parent, key); }

std::string go_quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += ch;  // UTF-8 bytes pass through, as %q keeps printable runes
        }
    }
  }
  out += '"';
  return out;
}

field_error required(std::string field, std::string_view detail) {
  return make(std::move(field), "Required value", detail);
}

field_error invalid(std::string field, std::string_view value, std::string_view detail) {
  return make(std::move(field), "Invalid value: " + go_quoted(value), detail);
}

field_error invalid(std::string field, std::int64_t value, std::string_view detail) {
  return make(std::move(field), fmt::format("Invalid value: {}", value), detail);
}

field_error invalid_shown(std::string field, std::string_view shown, std::string_view detail) {
  if (shown.empty()) return make(std::move(field), "Invalid value", detail);
  return make(std::move(field), fmt::format("Invalid value: {}", shown), detail);
}

field_error unsupported(std::string field, std::string_view value, std::initializer_list<std::string_view> supported) {
  return unsupported(std::move(field), value, std::vector<std::string_view>(supported));
}

field_error unsupported(std::string field, std::string_view value, const std::vector<std::string_view>& supported) {
  std::string list;
  for (std::string_view s : supported) {
    if (!list.empty()) list += ", ";
    list += go_quoted(s);
  }
  return {std::move(field), fmt::format("Unsupported value: {}: supported values: {}", go_quoted(value), list)};
}

field_error duplicate(std::string field, std::string_view value) {
  return {std::move(field), "Duplicate value: " + go_quoted(value)};
}

field_error duplicate(std::string field, std::int64_t value) {
  return {std::move(field), fmt::format("Duplicate value: {}", value)};
}

field_error not_found(std::string field, std::string_view value) {
  return {std::move(field), "Not found: " + go_quoted(value)};
}

field_error forbidden(std::string field, std::string_view detail) {
  return make(std::move(field), "Forbidden", detail);
}

field_error unknown_field(std::string field) { return {std::move(field), "Unknown field"}; }

field_error too_long(std::string field, std::size_t limit) {
  return {std::move(field), fmt::format("Too long: must have at most {} bytes", limit)};
}

}  // namespace berth::manifest
