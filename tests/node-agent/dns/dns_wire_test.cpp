// The DNS wire codec on hand-written bytes: what is sent, what is accepted,
// and the exact reason for each malformed reply.

#include <doctest/doctest.h>

#include <string>

#include "node-agent/dns/dns_wire.hpp"

namespace berth::agent::dns {
namespace {

using namespace std::string_literals;

const std::string k_question =
    "\x01"
    "a"
    "\x02"
    "bc"
    "\x00"
    "\x00\x01"
    "\x00\x01"s;

// A reply to id 0x1234 with `flags`, the question for a.bc and `answers`.
std::string reply(const std::string& flags, char ancount, const std::string& answers) {
  return "\x12\x34"s + flags + "\x00\x01"s + std::string{'\0', ancount} + "\x00\x00\x00\x00"s + k_question + answers;
}

// An answer record whose owner is a pointer to the question name.
std::string record(const std::string& type, const std::string& rdata) {
  return "\xc0\x0c"s + type +
         "\x00\x01"
         "\x00\x00\x00\x00"s +
         std::string{'\0', static_cast<char>(rdata.size())} + rdata;
}

}  // namespace

TEST_CASE("encode_a_query: header, labels, type A, class IN") {
  encoded_query q = encode_a_query(0x1234, "a.bc");
  CHECK(q.error == "");
  CHECK(q.bytes ==
        "\x12\x34"
        "\x01\x00"
        "\x00\x01"
        "\x00\x00"
        "\x00\x00"
        "\x00\x00"s +
            k_question);
}

TEST_CASE("encode_a_query: a trailing dot changes nothing") {
  CHECK(encode_a_query(7, "a.bc.").bytes == encode_a_query(7, "a.bc").bytes);
}

TEST_CASE("encode_a_query: malformed names are refused with the reason") {
  CHECK(encode_a_query(1, "").error == "empty name");
  CHECK(encode_a_query(1, ".").error == "empty name");
  CHECK(encode_a_query(1, "a..b").error == "empty label at offset 2 of \"a..b\"");
  CHECK(encode_a_query(1, ".a").error == "empty label at offset 0 of \".a\"");
  CHECK(encode_a_query(1, "a." + std::string(64, 'x')).error == "label of 64 bytes at offset 2, more than 63");
  std::string long_name;
  for (int i = 0; i < 127; ++i) long_name += "ab";
  CHECK(encode_a_query(1, long_name).error == "name of 254 bytes, more than 253");
}

TEST_CASE("decode_a_reply: A answers are collected, other types skipped") {
  std::string cname = record("\x00\x05"s,
                             "\x03"
                             "www"
                             "\xc0\x0c"s);
  std::string a = record("\x00\x01"s, "\x0a\x60\x00\x32"s);
  a_reply r = decode_a_reply(0x1234, reply("\x81\x80"s, 2, cname + a));
  CHECK(r.error == "");
  CHECK(r.rcode == k_rcode_noerror);
  CHECK(r.addresses == std::vector<std::string>{"10.96.0.50"});
}

TEST_CASE("decode_a_reply: NXDOMAIN carries its rcode and no address") {
  a_reply r = decode_a_reply(0x1234, reply("\x81\x83"s, 0, ""));
  CHECK(r.error == "");
  CHECK(r.rcode == k_rcode_nxdomain);
  CHECK(r.addresses.empty());
  CHECK(rcode_name(r.rcode) == "NXDOMAIN");
}

TEST_CASE("decode_a_reply: malformed replies give the exact reason") {
  CHECK(decode_a_reply(0x1234, "\x12\x34\x81"s).error == "reply of 3 bytes, shorter than the 12-byte header");
  CHECK(decode_a_reply(0x1235, reply("\x81\x80"s, 0, "")).error == "reply id 4660, expected 4661");
  CHECK(decode_a_reply(0x1234, reply("\x01\x00"s, 0, "")).error == "not a response (QR bit clear)");
  std::string a = record("\x00\x01"s, "\x0a\x60\x00\x32"s);
  CHECK(decode_a_reply(0x1234, reply("\x81\x80"s, 1, a.substr(0, a.size() - 1))).error ==
        "answer 0 data of 4 bytes runs past the end at offset 34");
  CHECK(decode_a_reply(0x1234, reply("\x81\x80"s, 1, a.substr(0, 5))).error ==
        "answer 0 header cut short at offset 24");
  CHECK(decode_a_reply(0x1234, reply("\x81\x80"s, 1, "\x80"s)).error == "bad label length byte 0x80 at offset 22");
  CHECK(decode_a_reply(0x1234, reply("\x81\x80"s, 1, "\xc0"s)).error == "name pointer cut short at offset 22");
  CHECK(decode_a_reply(0x1234, reply("\x81\x80"s, 1,
                                     "\x05"
                                     "ab"s))
            .error == "name runs past the end at offset 28");
}

TEST_CASE("rcode_name: the common codes by name, others by number") {
  CHECK(rcode_name(0) == "NOERROR");
  CHECK(rcode_name(2) == "SERVFAIL");
  CHECK(rcode_name(5) == "REFUSED");
  CHECK(rcode_name(9) == "RCODE9");
}

TEST_CASE("lookup_a: a server address that is not IPv4 is refused before sending") {
  CHECK(lookup_a("dns.local", 53, "a.bc", std::chrono::milliseconds(100)).error ==
        "\"dns.local\" is not an IPv4 address");
}

}  // namespace berth::agent::dns
