// The HTTP request head read before KJ's HttpServer (actors/kube/request_head.hpp).
#include <doctest/doctest.h>

#include "actors/kube/request_head.hpp"

namespace berth::kube {

TEST_CASE("kubectl 1.20's port-forward upgrade: a complete head, its fields and the SPDY upgrade") {
  const std::string text = std::string(
      "POST /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\n"
      "Host: 127.0.0.1:6443\r\n"
      "User-Agent: kubectl/v1.20.15 (linux/amd64) kubernetes/8f1e5bf\r\n"
      "Content-Length: 0\r\n"
      "Authorization: Bearer abc\r\n"
      "Connection: Upgrade\r\n"
      "Upgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version: portforward.k8s.io\r\n"
      "\r\n") +
      std::string("\x80\x03\x00\x01", 4);  // the session may follow at once
  auto r = parse_request_head(text);
  REQUIRE_MESSAGE(r.what == head_parse::status::complete, r.error);
  CHECK(r.head.method == "POST");
  CHECK(r.head.target == "/api/v1/namespaces/default/pods/web/portforward");
  CHECK(r.head.version == "HTTP/1.1");
  CHECK(r.head.length == text.size() - 4);
  CHECK(r.head.field("authorization") == "Bearer abc");
  CHECK(r.head.field("x-stream-protocol-version") == "portforward.k8s.io");
  CHECK(!r.head.field("Cookie"));
  CHECK(upgrade_of(r.head) == upgrade_kind::spdy);
}

TEST_CASE("repeated fields join with commas; token lists are matched case-insensitively") {
  auto r = parse_request_head(
      "POST /x HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: spdy/3.1\r\n"
      "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version:v3.channel.k8s.io \r\n\r\n");
  REQUIRE(r.what == head_parse::status::complete);
  CHECK(r.head.field("X-Stream-Protocol-Version") == "v4.channel.k8s.io, v3.channel.k8s.io");
  CHECK(r.head.has_token("X-Stream-Protocol-Version", "v3.channel.k8s.io"));
  CHECK(!r.head.has_token("X-Stream-Protocol-Version", "channel.k8s.io"));
  CHECK(upgrade_of(r.head) == upgrade_kind::spdy);
}

TEST_CASE("what an upgrade asks for") {
  struct row {
    const char* fields;
    upgrade_kind kind;
  };
  const row rows[] = {
      {"", upgrade_kind::none},
      {"Upgrade: SPDY/3.1\r\n", upgrade_kind::none},  // no Connection: Upgrade
      {"Connection: close\r\nUpgrade: SPDY/3.1\r\n", upgrade_kind::none},
      {"Connection: Upgrade\r\n", upgrade_kind::none},
      {"Connection: Upgrade\r\nUpgrade: websocket\r\n", upgrade_kind::websocket},
      {"Connection: upgrade\r\nUpgrade: h2c\r\n", upgrade_kind::other},
  };
  for (const auto& r : rows) {
    CAPTURE(r.fields);
    auto p = parse_request_head(std::string("GET / HTTP/1.1\r\n") + r.fields + "\r\n");
    REQUIRE(p.what == head_parse::status::complete);
    CHECK(upgrade_of(p.head) == r.kind);
  }
}

TEST_CASE("partial heads ask for more; bad heads name the byte and what was expected") {
  struct row {
    std::string text;
    head_parse::status what;
    const char* error;
  };
  const row rows[] = {
      {"", head_parse::status::partial, ""},
      {"GET / HTTP/1.1\r\nHost: x\r\n", head_parse::status::partial, ""},
      {"GET / HTTP/1.1\r\nHost: x\r\n\r", head_parse::status::partial, ""},
      {"GET / HTTP/1.1\nHost: x", head_parse::status::bad, "request head: byte 14: expected CRLF, found a bare LF"},
      {std::string("GE\0T", 4), head_parse::status::bad, "request head: byte 2: expected header text, found a NUL byte"},
      {"GET/ HTTP/1.1\r\n\r\n", head_parse::status::bad, "request head: byte 3: expected a method character, found 0x2f"},
      {"GET  HTTP/1.1\r\n\r\n", head_parse::status::bad, "request head: byte 4: expected a request target followed by a space"},
      {"GET / HTTP/2.0\r\n\r\n", head_parse::status::bad, "request head: byte 6: expected HTTP/1.0 or HTTP/1.1, found \"HTTP/2.0\""},
      {"GET / HTTP/1.1\r\nHost x\r\n\r\n", head_parse::status::bad,
       "request head: byte 16: expected a header field \"name: value\", found no colon"},
      {"GET / HTTP/1.1\r\n: x\r\n\r\n", head_parse::status::bad, "request head: byte 16: expected a header field name before the colon"},
      {"GET / HTTP/1.1\r\nHo st: x\r\n\r\n", head_parse::status::bad,
       "request head: byte 18: expected a header name character, found 0x20"},
      {"\x16\x03\x01\x02\x05\r\n\r\n", head_parse::status::bad, "request head: byte 0: expected a method followed by a space"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    auto p = parse_request_head(r.text);
    CHECK(p.what == r.what);
    CHECK(p.error == r.error);
  }
}

TEST_CASE("a head longer than the limit is bad, whether or not its end has come") {
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(200, 'a');
  auto open = parse_request_head(big, 100);
  CHECK(open.what == head_parse::status::bad);
  CHECK(open.error == "request head: byte 100: no end of the head within 100 bytes");
  auto closed = parse_request_head(big + "\r\n\r\n", 100);
  CHECK(closed.what == head_parse::status::bad);
  CHECK(parse_request_head(big + "\r\n\r\n", 1000).what == head_parse::status::complete);
}

}  // namespace berth::kube
