#pragma once
// JSON for the Docker Engine API. Writing: a small streaming writer (request
// bodies are small and their shape is fixed, so a tree would only add
// allocations). Reading: Cap'n Proto's JSON codec (`decodeRaw` into
// `capnp::JsonValue`), already linked by berth for its own JSON, so no
// further library is needed; helpers below read fields by path and treat
// absent and `null` alike, which is what Docker's optional fields need.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <capnp/compat/json.h>

namespace capnp {
class MallocMessageBuilder;
}

namespace berth::agent::docker {

/// Writes one JSON text. Keys and values are appended in call order; commas
/// are inserted by the writer. Misuse (a value where a key is due) is a bug of
/// the caller and is not detected.
class json_writer {
 public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view name);
  json_writer& value(std::string_view text);
  json_writer& value(const char* text) { return value(std::string_view(text)); }
  json_writer& value(std::int64_t number);
  json_writer& value(bool flag);
  /// An array of strings.
  json_writer& strings(const std::vector<std::string>& items);
  /// An object of string values.
  json_writer& string_map(const std::map<std::string, std::string>& items);

  /// The text written so far.
  const std::string& str() const { return out_; }

 private:
  void separate();

  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

/// `text` with every \\uXXXX escape (and surrogate pair) replaced by UTF-8,
/// except those that must stay escaped (quote, backslash, control characters).
/// Works around Cap'n Proto 0.9.2's JSON decoder, which decodes such escapes
/// wrongly; json_doc applies it.
std::string decode_unicode_escapes(std::string_view text);

/// A parsed JSON document; owns the message holding the tree.
class json_doc {
 public:
  /// Parses `text`; throws kj::Exception when it is not JSON (dockerd sent
  /// garbage: the runtime is broken, not an ordinary failure).
  explicit json_doc(std::string_view text);
  ~json_doc();
  json_doc(json_doc&&) noexcept;
  json_doc& operator=(json_doc&&) noexcept;

  capnp::JsonValue::Reader root() const;

 private:
  std::unique_ptr<capnp::MallocMessageBuilder> message_;
};

using json_value = capnp::JsonValue::Reader;
using json_path = std::initializer_list<std::string_view>;

/// The value at `path` (object members, outermost first); nullopt when a
/// member is missing, `null`, or a step is not an object.
std::optional<json_value> json_at(json_value root, json_path path);
/// The string at `path`, or "" when absent, null or not a string.
std::string json_string(json_value root, json_path path);
/// The number at `path` as an integer, or `fallback`.
std::int64_t json_int(json_value root, json_path path, std::int64_t fallback = 0);
/// The boolean at `path`, or false.
bool json_bool(json_value root, json_path path);
/// The string members of the object at `path` (non-strings are skipped).
std::map<std::string, std::string> json_string_map(json_value root, json_path path);

/// Docker's RFC 3339 time ("2024-05-07T21:09:36.123456789Z", or with a
/// "+02:00" offset) as ns since the epoch. Docker's zero time
/// ("0001-01-01T00:00:00Z"), "" and unparsable text give 0.
std::int64_t parse_docker_time(std::string_view text);

}  // namespace berth::agent::docker
