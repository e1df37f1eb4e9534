// Protobuf request bodies: the bytes kubectl 1.32 sends for `kubectl create
// namespace team-a`, fields berthd keeps, fields it skips, and byte edits
// that must be refused with a reason.

#include <doctest/doctest.h>

#include "actors/kube/protobuf.hpp"

namespace berth::kube {
namespace {

/// Captured with kubectl 1.32 -v=9 against berthd.
const std::string k_kubectl_body(
    "k8s\0\x0a\x0f\x0a\x02v1\x12\x09Namespace\x12\x1e\x0a\x16\x0a\x06team-a\x12\x00\x1a\x00\x22\x00\x2a\x00\x32\x00"
    "\x38\x00\x42\x00\x12\x00\x1a\x02\x0a\x00\x1a\x00\x22\x00",
    57);

std::string varint(std::uint64_t v) {
  std::string out;
  do {
    auto b = static_cast<char>(v & 0x7f);
    v >>= 7;
    out += static_cast<char>(b | (v ? 0x80 : 0));
  } while (v);
  return out;
}

/// A length-delimited field.
std::string field(std::uint32_t number, const std::string& value) {
  return varint(number << 3 | 2) + varint(value.size()) + value;
}

std::string envelope(const std::string& kind, const std::string& raw, const std::string& api_version = "v1") {
  return std::string("k8s\0", 4) + field(1, field(1, api_version) + field(2, kind)) + field(2, raw) + field(3, "") +
         field(4, "");
}

}  // namespace

TEST_CASE("protobuf: kubectl 1.32's create namespace body decodes to the namespace it names") {
  std::string error;
  auto u = decode_protobuf_envelope(k_kubectl_body, error);
  REQUIRE_MESSAGE(u, error);
  CHECK(u->api_version == "v1");
  CHECK(u->kind == "Namespace");
  CHECK(u->content_type.empty());
  auto ns = decode_protobuf_namespace(u->raw, error);
  REQUIRE_MESSAGE(ns, error);
  CHECK(ns->metadata.name == "team-a");
  CHECK(ns->metadata.labels.empty());
}

TEST_CASE("protobuf: labels, annotations and generateName are kept; server fields and unknown ones skipped") {
  std::string meta = field(2, "team-") + field(11, field(1, "team") + field(2, "a")) +
                     field(11, field(1, "env") + field(2, "prod")) + field(12, field(1, "note") + field(2, "x")) +
                     field(5, "uid-from-client") + varint(7 << 3 | 0) + varint(300) +  // uid, generation
                     varint(99 << 3 | 5) + std::string("\x01\x02\x03\x04", 4);        // an unknown fixed32
  std::string raw = field(1, meta) + field(2, field(1, "kubernetes")) + field(3, field(1, "Terminating"));
  std::string error;
  auto u = decode_protobuf_envelope(envelope("Namespace", raw), error);
  REQUIRE_MESSAGE(u, error);
  auto ns = decode_protobuf_namespace(u->raw, error);
  REQUIRE_MESSAGE(ns, error);
  CHECK(ns->metadata.generate_name == "team-");
  CHECK(ns->metadata.labels == model::string_map{{"env", "prod"}, {"team", "a"}});
  CHECK(ns->metadata.annotations == model::string_map{{"note", "x"}});
  CHECK(ns->metadata.uid.empty());
  CHECK(ns->metadata.generation == 0);
  CHECK(ns->status.phase == model::namespace_phase::active);
}

TEST_CASE("protobuf: bad bytes are refused, saying where and why") {
  struct row {
    const char* name;
    std::string body;
    std::string error;
  };
  const std::vector<row> rows = {
      {"no magic", std::string("{\"kind\":1}"), "protobuf body: does not start with the magic bytes \"k8s\\0\""},
      {"empty", std::string(), "protobuf body: does not start with the magic bytes \"k8s\\0\""},
      {"truncated by one byte", k_kubectl_body.substr(0, k_kubectl_body.size() - 1),
       "protobuf body at byte 52: a varint runs past the end"},
      {"a length past the end", std::string("k8s\0", 4) + "\x12\x7f" + "abc",
       "protobuf body at byte 2: a length of 127 runs past the end (3 bytes left)"},
      {"a varint that never ends", std::string("k8s\0", 4) + "\x28\xff\xff",
       "protobuf body at byte 3: a varint runs past the end"},
      {"a group (wire type 3)", std::string("k8s\0", 4) + "\x4b", "protobuf body at byte 1: unsupported wire type 3"},
      {"typeMeta as a varint", std::string("k8s\0", 4) + "\x08\x01",
       "protobuf body at byte 1: wire type 0 where a string or message belongs"},
      {"no kind", std::string("k8s\0", 4) + field(1, field(1, "v1")), "protobuf body: typeMeta.kind is missing"},
  };
  for (const auto& r : rows) {
    CAPTURE(std::string(r.name));
    std::string error;
    CHECK_FALSE(decode_protobuf_envelope(r.body, error));
    CHECK(error == r.error);
  }
  std::string error;
  CHECK_FALSE(decode_protobuf_namespace(field(1, field(11, std::string("\x0a\x05" "ab", 4))), error));
  CHECK(error ==
        "Namespace at byte 8: Namespace metadata at byte 6: metadata.labels entry at byte 2: a length of 5 runs past "
        "the end (2 bytes left)");
}

TEST_CASE("protobuf: a Secret (kubectl create secret generic): data bytes as they are, stringData wins, type kept") {
  auto entry = [](const std::string& k, const std::string& v) { return field(1, k) + field(2, v); };
  std::string raw = field(1, field(1, "s1") + field(3, "team")) + field(2, entry("a", std::string("\0\xff", 2))) +
                    field(2, entry("b", "old")) + field(3, "kubernetes.io/service-account-token") +
                    field(4, entry("b", "new"));
  std::string error;
  auto u = decode_protobuf_envelope(envelope("Secret", raw), error);
  REQUIRE_MESSAGE(u, error);
  CHECK(u->kind == "Secret");
  auto x = decode_protobuf_secret(u->raw, error);
  REQUIRE_MESSAGE(x, error);
  CHECK(x->metadata.name == "s1");
  CHECK(x->metadata.namespace_ == "team");
  CHECK(x->type == "kubernetes.io/service-account-token");
  CHECK(x->data == std::map<std::string, std::string>{{"a", std::string("\0\xff", 2)}, {"b", "new"}});

  auto plain = decode_protobuf_secret(field(1, field(1, "s2")), error);
  REQUIRE(plain);
  CHECK(plain->type == "Opaque");
  CHECK_FALSE(decode_protobuf_secret(field(2, "\x0a\x7f"), error));
  CHECK(error.find("data entry") != std::string::npos);
}

}  // namespace berth::kube
