#include "actors/debug/event_json.hpp"

#include <cstring>

#include <capnp/compat/json.h>
#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/array.h>
#include <yaml-cpp/yaml.h>

#include "actors/debug/points.hpp"
#include "actors/debug/words.hpp"
#include "actors/text/json_quote.hpp"
#include "schema/events.capnp.h"
#include "actors/text/kj_describe.hpp"

namespace berth::debug {
namespace {

/// A secret's sealed data as "<encrypted, N bytes>" (N: the sealed entries'
/// size): journal dumps never show key ids, nonces or ciphertext bytes, and
/// the plaintext is not in the journal to show.
class sealed_handler final : public capnp::JsonCodec::Handler<schema::SealedData> {
 public:
  using capnp::JsonCodec::Handler<schema::SealedData>::decode;
  void encode(const capnp::JsonCodec&, schema::SealedData::Reader input,
              capnp::JsonValue::Builder output) const override {
    const auto n = input.getCiphertext().size();
    auto text = fmt::format("<encrypted, {} bytes>", n >= 16 ? n - 16 : 0);
    output.setString(kj::StringPtr(text.c_str()));
  }
  void decode(const capnp::JsonCodec&, capnp::JsonValue::Reader, schema::SealedData::Builder) const override {
    KJ_FAIL_REQUIRE("sealed secret data is not read back from JSON");
  }
};

}  // namespace

journal::result<std::string> payload_json(const journal::record& r, bool pretty) {
  auto fail = [&](std::string why) {
    return journal::error{journal::error_code::corruption, fmt::format("seq {}: payload: {}", r.seq, why)};
  };
  if (r.payload.size() % sizeof(capnp::word) != 0)
    return fail(fmt::format("{} bytes is not whole words", r.payload.size()));
  auto words = kj::heapArray<capnp::word>(r.payload.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), r.payload.data(), r.payload.size());
  try {
    capnp::ReaderOptions limits;
    limits.traversalLimitInWords = words.size() + 16;
    capnp::FlatArrayMessageReader reader(words, limits);
    sealed_handler sealed;  // outlives the codec that points at it
    capnp::JsonCodec codec;
    codec.addTypeHandler(sealed);
    codec.setPrettyPrint(pretty);
    auto text = codec.encode(reader.getRoot<schema::Event>());
    return std::string(text.cStr());
  } catch (const kj::Exception& e) {
    return fail(text::describe(e));
  }
}

std::string export_line(const model::event& e, const std::string& event_json) {
  const auto type = model::type_of(e);
  return fmt::format(R"({{"seq":{},"time":"{}","timeNs":"{}","family":"{}","type":"{}","object":{},"event":{}}})",
                     e.seq, format_time(e.time), e.time, model::family_name(model::family_of(type)),
                     model::type_name(type), text::json_quote(object_text(e)), event_json);
}

namespace {
void emit_yaml(YAML::Emitter& out, const YAML::Node& n) {
  if ((n.IsMap() || n.IsSequence()) && n.size() == 0) {
    out << YAML::Flow << (n.IsMap() ? YAML::BeginMap : YAML::BeginSeq) << (n.IsMap() ? YAML::EndMap : YAML::EndSeq);
  } else if (n.IsMap()) {
    out << YAML::BeginMap;
    for (const auto& kv : n) {
      out << YAML::Key << kv.first.as<std::string>() << YAML::Value;
      emit_yaml(out, kv.second);
    }
    out << YAML::EndMap;
  } else if (n.IsSequence()) {
    out << YAML::BeginSeq;
    for (const auto& item : n) emit_yaml(out, item);
    out << YAML::EndSeq;
  } else if (n.IsScalar()) {
    out << n.as<std::string>();
  } else {
    out << YAML::Null;
  }
}
}  // namespace

std::string json_to_yaml(const std::string& json) {
  YAML::Emitter out;
  out << YAML::Block;
  emit_yaml(out, YAML::Load(json));
  return std::string(out.c_str()) + "\n";
}

}  // namespace berth::debug
