// Endpoints in manifests: what users write for services without a selector
// (Kubernetes v1.0's glusterfs example), decoded, validated with Kubernetes'
// field paths, rendered and read back.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/manifest/render.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using berth::manifest::test::errors_of;

TEST_CASE("the glusterfs example's Endpoints decode, \"IP\" read as ip as Go's JSON decoder did") {
  auto r = manifest::decode_manifests(manifest::test::read_example("kubernetes-v1.0.0/glusterfs/glusterfs-endpoints.json"),
                                      "glusterfs-endpoints.json");
  REQUIRE(r.ok());
  REQUIRE(r.objects.size() == 1);
  const auto& ep = std::get<model::endpoints>(r.objects[0].object);
  CHECK(ep.metadata.name == "glusterfs-cluster");
  REQUIRE(ep.subsets.size() == 2);
  CHECK(ep.subsets[0].addresses.at(0).ip == "10.240.106.152");
  CHECK(ep.subsets[1].addresses.at(0).ip == "10.240.79.157");
  CHECK(ep.subsets[0].ports.at(0).port == 1);
  CHECK(ep.subsets[0].ports.at(0).protocol_ == model::protocol::tcp);  // defaulted, as Kubernetes does
}

TEST_CASE("Endpoints errors name the field: bad address, port, protocol, unknown fields") {
  auto errors = errors_of(R"(apiVersion: v1
kind: Endpoints
metadata:
  name: ext
subsets:
- addresses:
  - ip: 10.1.2
    nodeName: Not_A_Node
  ports:
  - port: 99999
    protocol: SCTP
  - name: b
    port: 80
    colour: blue
)");
  std::vector<std::string> want = {
      "test.yaml document 1: subsets[0].ports[0].protocol: Unsupported value: \"SCTP\": supported values: \"TCP\", "
      "\"UDP\"",
      "test.yaml document 1: subsets[0].ports[1].colour: Unknown field",
  };
  for (const auto& w : want) {
    bool found = false;
    for (const auto& e : errors) found = found || e == w;
    CHECK_MESSAGE(found, w);
  }
  // Read errors come first; the fields that did read are still validated.
  bool saw_ip = false, saw_port = false, saw_name = false, saw_node = false;
  for (const auto& e : errors) {
    saw_ip = saw_ip || e.find("subsets[0].addresses[0].ip: Invalid value: \"10.1.2\"") != std::string::npos;
    saw_port = saw_port || e.find("subsets[0].ports[0].port: Invalid value: 99999") != std::string::npos;
    saw_name = saw_name || e.find("subsets[0].ports[0].name: Required value") != std::string::npos;
    saw_node = saw_node || e.find("subsets[0].addresses[0].nodeName: Invalid value: \"Not_A_Node\"") != std::string::npos;
  }
  CHECK(saw_ip);
  CHECK(saw_port);
  CHECK(saw_name);
  CHECK(saw_node);
}

TEST_CASE("Endpoints render and decode back to the same value") {
  auto r = manifest::decode_manifests(R"(apiVersion: v1
kind: Endpoints
metadata:
  name: ext
  namespace: storage
  labels: {tier: db}
subsets:
- addresses:
  - ip: 192.168.5.10
  notReadyAddresses:
  - ip: 192.168.5.11
  ports:
  - {name: pg, port: 5432}
  - {name: dns, port: 53, protocol: UDP}
)",
                                      "test.yaml");
  REQUIRE(r.ok());
  const auto& ep = std::get<model::endpoints>(r.objects.at(0).object);
  CHECK(ep.subsets.at(0).ports.at(1).protocol_ == model::protocol::udp);
  auto back = manifest::decode_manifests(manifest::to_yaml(ep), "rendered.yaml");
  REQUIRE(back.ok());
  CHECK(std::get<model::endpoints>(back.objects.at(0).object) == ep);
}
