#include "actors/model/codec.hpp"

#include <cstring>
#include <utility>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/array.h>
#include <kj/exception.h>
#include <xxhash.h>

#include "actors/model/capnp_convert.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::model {
namespace {

// Reading limits for untrusted bytes. A well-formed message is traversed about
// once, so eight times its size plus a margin for small messages leaves room
// for double reads while a message whose pointers overlap (the amplification
// attack capnp's limit exists for) is stopped early.
constexpr std::uint64_t k_traversal_factor = 8;
constexpr std::uint64_t k_traversal_margin_words = 1024;
constexpr int k_nesting_limit = 64;

template <class T>
std::optional<T> fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

std::string to_bytes(capnp::MessageBuilder& message) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const kj::byte> bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

/// Runs `read(reader, error)` over `bytes` as one flat-array capnp message: copied into
/// word-aligned memory first (capnp 0.9 needs alignment and the caller's buffer
/// is a RocksDB value or a string), with explicit limits, and with every
/// kj::Exception (malformed data) turned into an error string that starts
/// with `what` ("payload", "snapshot").
template <class T, class Read>
std::optional<T> read_message(const char* what, std::string_view bytes, std::string* error, Read&& read) {
  if (bytes.empty()) return fail<T>(error, fmt::format("{} is empty", what));
  if (bytes.size() % sizeof(capnp::word) != 0) {
    return fail<T>(error, fmt::format("{} size {} is not a multiple of 8", what, bytes.size()));
  }
  kj::Array<capnp::word> words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  capnp::ReaderOptions options;
  options.traversalLimitInWords = words.size() * k_traversal_factor + k_traversal_margin_words;
  options.nestingLimit = k_nesting_limit;
  try {
    capnp::FlatArrayMessageReader reader(words, options);
    if (reader.getEnd() != words.end()) {
      auto used = static_cast<std::size_t>(reader.getEnd() - words.begin()) * sizeof(capnp::word);
      return fail<T>(error, fmt::format("{} has {} bytes after the {}-byte message", what, bytes.size() - used, used));
    }
    return read(reader, error);
  } catch (const kj::Exception& e) {
    return fail<T>(error, fmt::format("{}: {}", what, text::describe(e)));
  }
}

}  // namespace

std::string encode_event(const event& e) {
  capnp::MallocMessageBuilder message;
  to_capnp(e, message.initRoot<schema::Event>());
  return to_bytes(message);
}

std::optional<event> decode_event(std::uint64_t seq, std::int64_t time_ns, std::uint16_t type, std::string_view payload,
                                  std::string* error) {
  if (type >= k_event_type_count) {
    return fail<event>(error,
                       fmt::format("type {} in frame is not an event type (0..{})", type, k_event_type_count - 1));
  }
  return read_message<event>("payload", payload, error,
                             [&](capnp::MessageReader& reader, std::string* err) -> std::optional<event> {
                               auto root = reader.getRoot<schema::Event>();
                               auto tag = static_cast<std::uint16_t>(root.which());
                               if (tag != type) {
                                 return fail<event>(err, fmt::format("type {} ({}) in frame but payload holds {} ({})",
                                                                     type, type_name(type), tag, type_name(tag)));
                               }
                               event e = from_capnp(root);
                               e.seq = seq;
                               e.time = time_ns;
                               return e;
                             });
}

std::string state_hash::hex() const { return fmt::format("{:016x}{:016x}", high, low); }

std::string state_hash::bytes() const {
  std::string out(16, '\0');
  for (int i = 0; i < 8; ++i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(high >> (56 - 8 * i));
    out[static_cast<std::size_t>(8 + i)] = static_cast<char>(low >> (56 - 8 * i));
  }
  return out;
}

std::optional<state_hash> state_hash::from_bytes(std::string_view b) {
  if (b.size() != 16) return std::nullopt;
  state_hash h;
  for (std::size_t i = 0; i < 8; ++i) {
    h.high = (h.high << 8) | static_cast<unsigned char>(b[i]);
    h.low = (h.low << 8) | static_cast<unsigned char>(b[8 + i]);
  }
  return h;
}

state_hash hash_state(const cluster_state& s) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::ClusterSnapshot>();
  to_capnp(s, root);
  // Canonical form: one segment, pre-order layout, no padding garbage -- the
  // same state always gives the same words, whatever the builder did.
  kj::Array<capnp::word> canonical = capnp::canonicalize(root.asReader());
  kj::ArrayPtr<const kj::byte> bytes = canonical.asBytes();
  XXH128_hash_t h = XXH3_128bits(bytes.begin(), bytes.size());
  return {h.high64, h.low64};
}

std::string encode_snapshot(const cluster_state& s) {
  capnp::MallocMessageBuilder message;
  to_capnp(s, message.initRoot<schema::ClusterSnapshot>());
  return to_bytes(message);
}

std::optional<cluster_state> decode_snapshot(std::string_view bytes, std::string* error) {
  return read_message<cluster_state>("snapshot", bytes, error, [](capnp::MessageReader& reader, std::string*) {
    return std::optional<cluster_state>(from_capnp(reader.getRoot<schema::ClusterSnapshot>()));
  });
}

}  // namespace berth::model
