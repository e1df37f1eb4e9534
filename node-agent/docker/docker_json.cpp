#include "node-agent/docker/docker_json.hpp"

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <fmt/format.h>

#include "actors/text/json_quote.hpp"

namespace berth::agent::docker {

// ------------------------------------------------------------------ writing

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

json_writer& json_writer::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  separate();
  out_ += text::json_quote(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view text) {
  separate();
  out_ += text::json_quote(text);
  return *this;
}

json_writer& json_writer::value(std::int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}

json_writer& json_writer::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

json_writer& json_writer::strings(const std::vector<std::string>& items) {
  begin_array();
  for (const auto& item : items) value(item);
  return end_array();
}

json_writer& json_writer::string_map(const std::map<std::string, std::string>& items) {
  begin_object();
  for (const auto& [k, v] : items) key(k).value(v);
  return end_object();
}

// ------------------------------------------------------------------ reading

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at text[at] (at points at the backslash), or -1.
long utf16_unit(std::string_view text, std::size_t at) {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t i = at + 2; i < at + 6; ++i) {
    int d = hex_digit(text[i]);
    if (d < 0) return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string decode_unicode_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    long unit = utf16_unit(text, i);
    if (unit < 0) {  // another escape (or a malformed one): the codec judges it
      out += text[i];
      out += text[++i];
      continue;
    }
    i += 5;
    unsigned long cp = static_cast<unsigned long>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      long low = utf16_unit(text, i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<unsigned long>(low - 0xDC00);
        i += 6;
      }
    }
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (cp < 0x20) {
          // Other control characters: an escape of digits only decodes
          // correctly; the codec takes the rest raw.
          auto escaped = fmt::format("\\u{:04x}", cp);
          if (escaped.find_first_of("abcdef") == std::string::npos) {
            out += escaped;
          } else {
            out += static_cast<char>(cp);
          }
        } else {
          append_utf8(out, cp);
        }
    }
  }
  return out;
}

json_doc::json_doc(std::string_view text) : message_(std::make_unique<capnp::MallocMessageBuilder>()) {
  capnp::JsonCodec codec;
  auto root = message_->initRoot<capnp::JsonValue>();
  if (text.find("\\u") == std::string_view::npos) {
    codec.decodeRaw(kj::ArrayPtr<const char>(text.data(), text.size()), root);
    return;
  }
  // Cap'n Proto 0.9.2 decodes \uXXXX wrongly (hex letters, non-ASCII,
  // surrogate pairs); dockerd writes <, > and & that way (Go's HTML escaping).
  auto decoded = decode_unicode_escapes(text);
  codec.decodeRaw(kj::ArrayPtr<const char>(decoded.data(), decoded.size()), root);
}

json_doc::~json_doc() = default;
json_doc::json_doc(json_doc&&) noexcept = default;
json_doc& json_doc::operator=(json_doc&&) noexcept = default;

capnp::JsonValue::Reader json_doc::root() const { return message_->getRoot<capnp::JsonValue>().asReader(); }

std::optional<json_value> json_at(json_value root, json_path path) {
  json_value here = root;
  for (auto name : path) {
    if (!here.isObject()) return std::nullopt;
    bool found = false;
    for (auto field : here.getObject()) {
      auto field_name = field.getName();
      if (std::string_view(field_name.cStr(), field_name.size()) == name) {
        here = field.getValue();
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  if (here.isNull()) return std::nullopt;
  return here;
}

std::string json_string(json_value root, json_path path) {
  auto v = json_at(root, path);
  if (!v || !v->isString()) return {};
  auto text = v->getString();
  return std::string(text.cStr(), text.size());
}

std::int64_t json_int(json_value root, json_path path, std::int64_t fallback) {
  auto v = json_at(root, path);
  if (!v || !v->isNumber()) return fallback;
  return static_cast<std::int64_t>(v->getNumber());
}

bool json_bool(json_value root, json_path path) {
  auto v = json_at(root, path);
  return v && v->isBoolean() && v->getBoolean();
}

std::map<std::string, std::string> json_string_map(json_value root, json_path path) {
  std::map<std::string, std::string> out;
  auto v = json_at(root, path);
  if (!v || !v->isObject()) return out;
  for (auto field : v->getObject()) {
    auto value = field.getValue();
    if (!value.isString()) continue;
    out.emplace(field.getName().cStr(), value.getString().cStr());
  }
  return out;
}

// ------------------------------------------------------------------ time

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads `count` digits at text[at...]; false if any is not a digit.
bool digits(std::string_view text, std::size_t at, std::size_t count, std::int64_t& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::int64_t parse_docker_time(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  std::int64_t year, month, day, hour, minute, second;
  if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) || text[7] != '-' ||
      !digits(text, 8, 2, day) || text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return 0;
  }
  if (year <= 1) return 0;  // Go's zero time: unset
  std::size_t at = 19;
  std::int64_t nanos = 0;
  if (text[at] == '.') {
    std::int64_t scale = 100'000'000;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      nanos += (text[at] - '0') * scale;
      scale /= 10;
    }
  }
  std::int64_t offset_seconds = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    std::int64_t oh, om;
    if (!digits(text, at + 1, 2, oh) || text.size() <= at + 3 || text[at + 3] != ':' || !digits(text, at + 4, 2, om)) {
      return 0;
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[at] == '+' ? 1 : -1);
  } else if (at >= text.size() || text[at] != 'Z') {
    return 0;
  }
  auto days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  auto seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1'000'000'000 + nanos;
}

}  // namespace berth::agent::docker
