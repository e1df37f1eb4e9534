// Protobuf bodies of kinds berthd reads as the JSON they stand for (Service,
// ResourceQuota, LimitRange, Endpoints): the JSON made from hand-built wire
// bytes, zero values left out as Go's omitempty does, and bad bytes refused
// with where and why.

#include <doctest/doctest.h>

#include "actors/kube/protobuf_json.hpp"

namespace berth::kube {
namespace {

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
/// A varint field.
std::string number(std::uint32_t n, std::uint64_t value) { return varint(n << 3) + varint(value); }
/// One map entry.
std::string entry(const std::string& k, const std::string& v) { return field(1, k) + field(2, v); }

protobuf_unknown unknown(const std::string& kind, const std::string& raw) { return {"v1", kind, raw, "", ""}; }

std::string json_of(const std::string& kind, const std::string& raw) {
  std::string error;
  auto json = protobuf_object_json(unknown(kind, raw), error);
  REQUIRE_MESSAGE(json, error);
  return *json;
}

}  // namespace

TEST_CASE("protobuf json: a Service as kubectl create service clusterip writes it, empty fields left out") {
  // Go writes every non-pointer field: the empty clusterIP, sessionAffinity,
  // nodePort 0 and publishNotReadyAddresses false are on the wire.
  std::string port = field(1, "80-8080") + field(2, "TCP") + number(3, 80) +
                     field(4, number(1, 0) + number(2, 8080) + field(3, "")) + number(5, 0);
  std::string spec = field(1, port) + field(2, entry("app", "web")) + field(3, "") + field(4, "ClusterIP") +
                     field(7, "") + number(13, 0) + field(99, "a newer field");
  std::string meta = field(1, "web") + field(2, "") + field(3, "") + field(5, "server-set uid") +
                     field(11, entry("app", "web"));
  std::string raw = field(1, meta) + field(2, spec) + field(3, field(1, "status is the server's"));
  CHECK(json_of("Service", raw) ==
        R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},)"
        R"("spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],)"
        R"("selector":{"app":"web"},"type":"ClusterIP"}})");
}

TEST_CASE("protobuf json: a named targetPort, several ports and a negative number keep their shape") {
  std::string p1 = field(1, "http") + number(3, 80) + field(4, number(1, 1) + field(3, "web"));
  std::string p2 = field(1, "dns") + field(2, "UDP") + number(3, 53) + number(5, 0xFFFFFFFFFFFFFFFFull);
  std::string raw = field(1, field(1, "s")) + field(2, field(1, p1) + field(1, p2));
  CHECK(json_of("Service", raw) ==
        R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[)"
        R"({"name":"http","port":80,"targetPort":"web"},{"name":"dns","protocol":"UDP","port":53,"nodePort":-1}]}})");
}

TEST_CASE("protobuf json: a ResourceQuota as kubectl create quota writes it: quantities as strings") {
  auto quantity = [](const std::string& q) { return field(1, q); };
  std::string spec = field(1, entry("pods", quantity("2"))) + field(1, entry("memory", quantity("1Gi")));
  std::string raw = field(1, field(1, "q") + field(3, "team")) + field(2, spec);
  CHECK(json_of("ResourceQuota", raw) ==
        R"({"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"team"},)"
        R"("spec":{"hard":{"pods":"2","memory":"1Gi"}}})");
}

TEST_CASE("protobuf json: a LimitRange and Endpoints") {
  std::string item = field(1, "Container") + field(2, entry("cpu", field(1, "1"))) +
                     field(4, entry("memory", field(1, "64Mi")));
  CHECK(json_of("LimitRange", field(1, field(1, "lr")) + field(2, field(1, item))) ==
        R"({"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"lr"},)"
        R"("spec":{"limits":[{"type":"Container","max":{"cpu":"1"},"default":{"memory":"64Mi"}}]}})");

  std::string address = field(1, "10.0.0.1") + field(2, field(1, "Pod") + field(3, "p1"));
  std::string subset = field(1, address) + field(3, field(1, "http") + number(2, 8080) + field(3, "TCP"));
  CHECK(json_of("Endpoints", field(1, field(1, "gluster")) + field(2, subset)) ==
        R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"gluster"},"subsets":[{"addresses":[)"
        R"({"ip":"10.0.0.1","targetRef":{"kind":"Pod","name":"p1"}}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]})");
}

TEST_CASE("protobuf json: map keys and values are JSON-escaped") {
  std::string raw = field(1, field(1, "s") + field(12, entry("note", "say \"hi\"\n")));
  CHECK(json_of("Service", raw) ==
        R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s","annotations":{"note":"say \"hi\"\n"}}})");
}

TEST_CASE("protobuf json: bad bytes and unknown kinds are refused, saying where and why") {
  struct row {
    const char* what;
    std::string kind;
    std::string raw;
    std::string error;
  };
  const row rows[] = {
      {"a spec that runs past the end", "Service", field(1, field(1, "s")) + std::string("\x12\x7f", 2),
       "Service at byte 7: a length of 127 runs past the end (0 bytes left)"},
      {"a port number sent as a string", "Service", field(2, field(1, field(3, "80"))),
       "Service at byte 8: ServiceSpec at byte 6: ServicePort at byte 1: wire type 2 where a number belongs"},
      {"a broken quantity", "ResourceQuota", field(2, field(1, field(1, "pods") + std::string("\x12\x02\x0a\x05", 4))),
       "ResourceQuota at byte 14: ResourceQuotaSpec at byte 12: hard entry at byte 10: Quantity at byte 2: a length "
       "of 5 runs past the end (0 bytes left)"},
      {"a kind not read as protobuf", "Pod", field(1, field(1, "p")),
       "protobuf body: kind Pod is not read as protobuf (send it as JSON)"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    std::string error;
    CHECK_FALSE(protobuf_object_json(unknown(r.kind, r.raw), error));
    CHECK(error == r.error);
  }
  CHECK(protobuf_json_kind("Service"));
  CHECK_FALSE(protobuf_json_kind("Namespace"));  // read directly by protobuf.hpp
}

}  // namespace berth::kube
