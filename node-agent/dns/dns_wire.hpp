#pragma once
// Just enough of the DNS wire format (RFC 1035) to ask one server for the A
// records of one name: cluster_dns uses it to learn that dnsmasq answers and
// has loaded the hosts file it was given, and the tests use it to resolve
// names without a DNS tool installed.
//
//   message  = header question answer*          (authority and additional ignored)
//   header   = id:u16 flags:u16 qdcount:u16 ancount:u16 nscount:u16 arcount:u16
//   question = name qtype:u16 qclass:u16
//   answer   = name type:u16 class:u16 ttl:u32 rdlength:u16 rdata[rdlength]
//   name     = (len:u8 (1..63) byte[len])* 0:u8  |  ... pointer:u16 (top bits 11)
//
// All integers are big-endian.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace berth::agent::dns {

/// Response codes this code names; any other value is kept as a number.
inline constexpr int k_rcode_noerror = 0;
inline constexpr int k_rcode_servfail = 2;
inline constexpr int k_rcode_nxdomain = 3;
inline constexpr int k_rcode_refused = 5;

/// "NOERROR", "NXDOMAIN", ... or "RCODE<n>".
std::string rcode_name(int rcode);

/// The answer to an A query: a value. `error` is empty when a well-formed
/// reply arrived, whatever its rcode; otherwise it says what went wrong and
/// the other fields are meaningless.
struct a_reply {
  std::string error;
  int rcode = 0;
  std::vector<std::string> addresses;  ///< dotted quads, in answer order
};

/// The bytes of a recursive A/IN query for `name` (no trailing dot needed).
/// Fails, with the reason in `error`, on an empty label, a label over 63
/// bytes or a name over 253 bytes.
struct encoded_query {
  std::string error;
  std::string bytes;
};
encoded_query encode_a_query(std::uint16_t id, const std::string& name);

/// Decodes a reply to the query `id`. Checks that it is a response with that
/// id and that every record lies inside `bytes`; collects the IN A answers
/// (CNAMEs and other types are skipped).
a_reply decode_a_reply(std::uint16_t id, const std::string& bytes);

/// Sends one A query for `name` over UDP to `server_ip`:`port` and waits up to
/// `timeout` for the reply with the matching id. Errors name the server and
/// the system call that failed ("no reply from 10.96.0.10:53 within 200 ms").
a_reply lookup_a(const std::string& server_ip, std::uint16_t port, const std::string& name,
                 std::chrono::milliseconds timeout);

}  // namespace berth::agent::dns
