// Round trips model -> capnp -> model and the decoder's refusals.

#include <doctest/doctest.h>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <set>

#include "actors/model/capnp_convert.hpp"
#include "actors/model/codec.hpp"
#include "tests/model/generators.hpp"

namespace berth::model {
namespace {

using testing::rng;

constexpr int k_seeds = 200;

template <class T, class Schema>
T round_trip(const T& value) {
  capnp::MallocMessageBuilder message;
  to_capnp(value, message.initRoot<Schema>());
  return from_capnp(message.getRoot<Schema>().asReader());
}

std::string bytes_of(capnp::MessageBuilder& message) {
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

}  // namespace

TEST_CASE("every object type round-trips through capnp with every field set") {
  for (std::uint64_t seed = 1; seed <= k_seeds; ++seed) {
    rng g(seed);
    CAPTURE(seed);
    pod p = testing::full_pod(g);
    CHECK((round_trip<pod, schema::Pod>(p)) == p);
    replication_controller rc = testing::full_rc(g);
    CHECK((round_trip<replication_controller, schema::ReplicationController>(rc)) == rc);
    service s = testing::full_service(g);
    CHECK((round_trip<service, schema::Service>(s)) == s);
    endpoints ep = testing::full_endpoints(g);
    CHECK((round_trip<endpoints, schema::Endpoints>(ep)) == ep);
    node n = testing::full_node(g);
    CHECK((round_trip<node, schema::Node>(n)) == n);
  }
}

TEST_CASE("the generator really sets fields away from both defaults") {
  rng g(7);
  pod p = testing::full_pod(g);
  CHECK(p != pod{});
  CHECK(p.spec.termination_grace_period_seconds != pod_spec{}.termination_grace_period_seconds);
  CHECK(p.spec.termination_grace_period_seconds != 0);
  CHECK(p.spec.containers.at(0).liveness_probe.has_value());
  CHECK(p.spec.containers.at(0).image_pull_policy != pull_policy::if_not_present);
  replication_controller rc = testing::full_rc(g);
  CHECK(rc.spec.replicas > 1);
}

TEST_CASE("every variant alternative is covered by the seeds") {
  std::set<std::size_t> states, handlers, ports;
  for (std::uint64_t seed = 1; seed <= k_seeds; ++seed) {
    rng g(seed);
    pod p = testing::full_pod(g);
    for (const auto& cs : p.status.container_statuses) {
      states.insert(cs.state.index());
      states.insert(cs.last_state.index());
    }
    for (const auto& c : p.spec.containers) {
      handlers.insert(c.liveness_probe->handler.index());
      handlers.insert(c.readiness_probe->handler.index());
    }
    for (const auto& sp : testing::full_service(g).spec.ports) ports.insert(sp.target_port.value.index());
  }
  CHECK(states == std::set<std::size_t>{0, 1, 2, 3});
  CHECK(handlers == std::set<std::size_t>{0, 1, 2});
  CHECK(ports == std::set<std::size_t>{1, 2});
}

TEST_CASE("absent probes, unset int-or-string and unknown container state round-trip") {
  pod p;
  p.metadata.name = "web";
  container c;
  c.name = "app";
  c.readiness_probe = probe{tcp_socket_action{}, 0, 1, 10, 1, 3};
  p.spec.containers = {c};
  p.status.container_statuses = {container_status{}};
  pod back = round_trip<pod, schema::Pod>(p);
  CHECK(back == p);
  CHECK_FALSE(back.spec.containers.at(0).liveness_probe.has_value());
  CHECK(std::get<tcp_socket_action>(back.spec.containers.at(0).readiness_probe->handler).port.value.index() == 0);
  CHECK(back.status.container_statuses.at(0).state.index() == 0);
}

TEST_CASE("every event type round-trips through encode_event and decode_event") {
  for (std::uint64_t seed = 1; seed <= k_seeds; ++seed) {
    for (std::uint16_t type = 0; type < k_event_type_count; ++type) {
      rng g(seed * 100 + type);
      event e = testing::full_event(g, type);
      CAPTURE(seed);
      CAPTURE(type);
      REQUIRE(type_of(e) == type);
      std::string error;
      auto back = decode_event(e.seq, e.time, type, encode_event(e), &error);
      REQUIRE_MESSAGE(back.has_value(), error);
      CHECK(*back == e);
    }
  }
}

TEST_CASE("seq and time come from the frame, not the payload") {
  rng g(3);
  event e = testing::full_event(g, 5);
  auto back = decode_event(41, 1234, 5, encode_event(e));
  REQUIRE(back.has_value());
  CHECK(back->seq == 41);
  CHECK(back->time == 1234);
  CHECK(back->header == e.header);
}

TEST_CASE("decode_event: frame type differs from the payload's union tag") {
  event e;
  e.payload = rc_scaled{3};
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 5, encode_event(e), &error).has_value());
  CHECK(error == "type 5 (podBound) in frame but payload holds 3 (rcScaled)");
}

TEST_CASE("decode_event: frame type beyond the known event types") {
  event e;
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 46, encode_event(e), &error).has_value());
  CHECK(error == "type 46 in frame is not an event type (0..45)");
}

TEST_CASE("decode_event: payload size not a multiple of 8") {
  event e;
  e.payload = pod_bound{"n1"};
  std::string bytes = encode_event(e);
  bytes.pop_back();
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 5, bytes, &error).has_value());
  CHECK(error == "payload size " + std::to_string(bytes.size()) + " is not a multiple of 8");
}

TEST_CASE("decode_event: empty payload") {
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 0, "", &error).has_value());
  CHECK(error == "payload is empty");
}

TEST_CASE("decode_event: payload truncated by one word") {
  event e;
  e.payload = pod_bound{"node-with-a-long-name"};
  std::string bytes = encode_event(e);
  bytes.resize(bytes.size() - 8);
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 5, bytes, &error).has_value());
  // capnp's own words, with the sizes in words (21 present, 22 announced).
  CHECK(bytes.size() == 168);
  CHECK(error ==
        "payload: expected array.size() >= offset + segmentSize [21 >= 22]; "
        "Message ends prematurely in first segment.");
}

TEST_CASE("decode_event: bytes after the message") {
  event e;
  e.payload = pod_bound{"n1"};
  std::string bytes = encode_event(e);
  std::size_t size = bytes.size();
  bytes.append(16, '\0');
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 5, bytes, &error).has_value());
  CHECK(error == "payload has 16 bytes after the " + std::to_string(size) + "-byte message");
}

TEST_CASE("decode_event: a segment table announcing a segment larger than the bytes") {
  std::string bytes(16, '\xff');
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 0, bytes, &error).has_value());
  CHECK(error ==
        "payload: expected array.size() >= offset + segmentSize [2 >= 4294967296]; "
        "Message ends prematurely in first segment.");
}

TEST_CASE("decode_event: a quantity that does not parse is an error, not a crash") {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::Event>();
  auto entries = root.initPodCreated().initSpec().initContainers(1)[0].initResources().initRequests().initEntries(1);
  entries[0].setKey("cpu");
  entries[0].setValue("12q");
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 4, bytes_of(message), &error).has_value());
  CHECK(error ==
        "payload: quantity \"12q\" of cpu: quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
}

TEST_CASE("decode_event: an enumerant this build does not know is an error") {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::Event>();
  root.initPodCreated().initSpec().initContainers(1)[0].initPorts(1)[0].setProtocol(static_cast<schema::Protocol>(7));
  std::string error;
  CHECK_FALSE(decode_event(1, 1, 4, bytes_of(message), &error).has_value());
  CHECK(error == "payload: unknown Protocol enumerant 7");
}

TEST_CASE("decode_event: random garbage never crashes") {
  int refused = 0;
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    rng g(seed);
    std::string bytes(static_cast<std::size_t>(g.range(1, 24)) * 8, '\0');
    for (char& c : bytes) c = static_cast<char>(g.next());
    auto type = static_cast<std::uint16_t>(g.range(0, k_event_type_count - 1));
    std::string error;
    auto e = decode_event(seed, 1, type, bytes, &error);
    if (!e) {
      CHECK_FALSE(error.empty());
      ++refused;
    }
  }
  CHECK(refused > 1900);
}

TEST_CASE("decode_event: every single-byte corruption of a real event is survived") {
  rng g(11);
  event e = testing::full_event(g, 4);
  std::string good = encode_event(e);
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    std::string error;
    auto back = decode_event(1, 1, 4, bad, &error);
    CHECK((back.has_value() || !error.empty()));
  }
}

TEST_CASE("state_hash bytes are big-endian and round-trip; hex has 32 digits") {
  state_hash h{0x0102030405060708ULL, 0x090a0b0c0d0e0f10ULL};
  CHECK(h.hex() == "0102030405060708090a0b0c0d0e0f10");
  CHECK(h.bytes() == std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
  CHECK(state_hash::from_bytes(h.bytes()) == h);
  CHECK_FALSE(state_hash::from_bytes("short").has_value());
  CHECK(state_hash{0, 1}.hex() == "00000000000000000000000000000001");
}

TEST_CASE("decode_snapshot: refuses two objects with one key") {
  capnp::MallocMessageBuilder message;
  auto pods = message.initRoot<schema::ClusterSnapshot>().initPods(2);
  for (unsigned i = 0; i < 2; ++i) {
    pods[i].initMetadata().setNamespace("default");
    pods[i].getMetadata().setName("web");
  }
  std::string error;
  CHECK_FALSE(decode_snapshot(bytes_of(message), &error).has_value());
  CHECK(error == "snapshot: snapshot holds two pods named default/web");
}

TEST_CASE("decode_snapshot: size not a multiple of 8") {
  std::string error;
  CHECK_FALSE(decode_snapshot("abc", &error).has_value());
  CHECK(error == "snapshot size 3 is not a multiple of 8");
}

}  // namespace berth::model
