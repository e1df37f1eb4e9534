// Port-forward stream headers and their pairing (actors/kube/portforward.hpp).
#include <doctest/doctest.h>

#include "actors/kube/portforward.hpp"

namespace berth::kube {

TEST_CASE("port-forward stream headers: what kubectl sends, and kubelet's refusals") {
  using t = portforward_stream::type;
  struct row {
    spdy::header_list headers;
    std::uint32_t stream_id;
    const char* error;  // "" = accepted
    t kind;
    std::uint16_t port;
    const char* request_id;
  };
  const row rows[] = {
      {{{"streamtype", "error"}, {"port", "8080"}, {"requestid", "0"}}, 1, "", t::error, 8080, "0"},
      {{{"streamtype", "data"}, {"port", "8080"}, {"requestid", "0"}}, 3, "", t::data, 8080, "0"},
      {{{"streamtype", "data"}, {"port", "65535"}, {"requestid", "17"}}, 9, "", t::data, 65535, "17"},
      // Clients before requestID: the pair is told by stream id.
      {{{"streamtype", "error"}, {"port", "80"}}, 5, "", t::error, 80, "5"},
      {{{"streamtype", "data"}, {"port", "80"}}, 7, "", t::data, 80, "5"},
      {{{"port", "80"}}, 1, "\"streamType\" header is required", t::data, 0, ""},
      {{{"streamtype", "stdin"}, {"port", "80"}}, 1, "invalid stream type \"stdin\"", t::data, 0, ""},
      {{{"streamtype", "data"}}, 1, "\"port\" header is required", t::data, 0, ""},
      {{{"streamtype", "data"}, {"port", "http"}},
       1,
       "unable to parse \"http\" as a port: expected a whole number from 1 to 65535",
       t::data,
       0,
       ""},
      {{{"streamtype", "data"}, {"port", "65536"}},
       1,
       "unable to parse \"65536\" as a port: expected a whole number from 1 to 65535",
       t::data,
       0,
       ""},
      {{{"streamtype", "data"}, {"port", "0"}}, 1, "port \"0\" must be > 0", t::data, 0, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.stream_id);
    auto parsed = parse_portforward_stream(r.headers, r.stream_id);
    if (*r.error) {
      REQUIRE(std::holds_alternative<std::string>(parsed));
      CHECK(std::get<std::string>(parsed) == r.error);
      continue;
    }
    REQUIRE(std::holds_alternative<portforward_stream>(parsed));
    auto& s = std::get<portforward_stream>(parsed);
    CHECK(s.kind == r.kind);
    CHECK(s.port == r.port);
    CHECK(s.request_id == r.request_id);
  }
}

TEST_CASE("pairing: the error and data streams of one request meet; duplicates and mismatched ports are refused") {
  using t = portforward_stream::type;
  portforward_pairing p;
  auto first = p.add(1, {t::error, 8080, "0"});
  REQUIRE(std::holds_alternative<portforward_pair>(first));
  CHECK(!std::get<portforward_pair>(first).complete());
  auto other = p.add(5, {t::error, 8080, "1"});
  CHECK(!std::get<portforward_pair>(other).complete());
  auto both = p.add(3, {t::data, 8080, "0"});
  REQUIRE(std::holds_alternative<portforward_pair>(both));
  auto& pair = std::get<portforward_pair>(both);
  CHECK(pair.complete());
  CHECK(pair.error_stream == 1);
  CHECK(pair.data_stream == 3);
  CHECK(p.pending() == 2);
  p.remove("0");
  CHECK(p.pending() == 1);

  auto again = p.add(7, {t::error, 8080, "1"});
  REQUIRE(std::holds_alternative<std::string>(again));
  CHECK(std::get<std::string>(again) == "request 1: a second error stream (stream 7, the first is 5)");
  auto port = p.add(9, {t::data, 9090, "1"});
  REQUIRE(std::holds_alternative<std::string>(port));
  CHECK(std::get<std::string>(port) == "request 1: the data stream names port 9090, its pair port 8080");
}

}  // namespace berth::kube
