#include "node-agent/dns/dns_wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace berth::agent::dns {

namespace {

constexpr std::uint16_t k_type_a = 1;
constexpr std::uint16_t k_class_in = 1;
constexpr std::size_t k_header_size = 12;

void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

std::uint16_t get_u16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

// Moves `at` past a name. Compression pointers end a name (we never need the
// text of a name in a reply, only where it ends), so no loop can arise.
std::string skip_name(const std::string& b, std::size_t& at) {
  while (true) {
    if (at >= b.size()) return fmt::format("name runs past the end at offset {}", at);
    auto len = static_cast<unsigned char>(b[at]);
    if (len == 0) {
      at += 1;
      return {};
    }
    if ((len & 0xc0) == 0xc0) {
      if (at + 2 > b.size()) return fmt::format("name pointer cut short at offset {}", at);
      at += 2;
      return {};
    }
    if ((len & 0xc0) != 0) return fmt::format("bad label length byte 0x{:02x} at offset {}", len, at);
    at += 1 + len;
  }
}

// One fd owned for the length of a lookup.
struct socket_fd {
  int fd = -1;
  ~socket_fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text(const char* call, int err) { return fmt::format("{}: {}", call, std::strerror(err)); }

}  // namespace

std::string rcode_name(int rcode) {
  switch (rcode) {
    case k_rcode_noerror: return "NOERROR";
    case 1: return "FORMERR";
    case k_rcode_servfail: return "SERVFAIL";
    case k_rcode_nxdomain: return "NXDOMAIN";
    case 4: return "NOTIMP";
    case k_rcode_refused: return "REFUSED";
    default: return fmt::format("RCODE{}", rcode);
  }
}

encoded_query encode_a_query(std::uint16_t id, const std::string& name) {
  std::string fqdn = name;
  if (!fqdn.empty() && fqdn.back() == '.') fqdn.pop_back();
  if (fqdn.empty()) return {"empty name", {}};
  if (fqdn.size() > 253) return {fmt::format("name of {} bytes, more than 253", fqdn.size()), {}};

  std::string out;
  put_u16(out, id);
  put_u16(out, 0x0100);  // standard query, recursion desired
  put_u16(out, 1);       // one question
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, 0);
  std::size_t start = 0;
  while (start <= fqdn.size()) {
    std::size_t dot = fqdn.find('.', start);
    if (dot == std::string::npos) dot = fqdn.size();
    std::size_t len = dot - start;
    if (len == 0) return {fmt::format("empty label at offset {} of \"{}\"", start, name), {}};
    if (len > 63) return {fmt::format("label of {} bytes at offset {}, more than 63", len, start), {}};
    out.push_back(static_cast<char>(len));
    out.append(fqdn, start, len);
    start = dot + 1;
  }
  out.push_back('\0');
  put_u16(out, k_type_a);
  put_u16(out, k_class_in);
  return {{}, out};
}

a_reply decode_a_reply(std::uint16_t id, const std::string& b) {
  a_reply r;
  if (b.size() < k_header_size) {
    r.error = fmt::format("reply of {} bytes, shorter than the 12-byte header", b.size());
    return r;
  }
  if (get_u16(b, 0) != id) {
    r.error = fmt::format("reply id {}, expected {}", get_u16(b, 0), id);
    return r;
  }
  std::uint16_t flags = get_u16(b, 2);
  if ((flags & 0x8000) == 0) {
    r.error = "not a response (QR bit clear)";
    return r;
  }
  r.rcode = flags & 0x000f;
  std::uint16_t qdcount = get_u16(b, 4);
  std::uint16_t ancount = get_u16(b, 6);

  std::size_t at = k_header_size;
  for (std::uint16_t i = 0; i < qdcount; ++i) {
    if (r.error = skip_name(b, at); !r.error.empty()) return r;
    at += 4;  // qtype, qclass
  }
  for (std::uint16_t i = 0; i < ancount; ++i) {
    if (r.error = skip_name(b, at); !r.error.empty()) return r;
    if (at + 10 > b.size()) {
      r.error = fmt::format("answer {} header cut short at offset {}", i, at);
      return r;
    }
    std::uint16_t type = get_u16(b, at);
    std::uint16_t cls = get_u16(b, at + 2);
    std::uint16_t rdlength = get_u16(b, at + 8);
    at += 10;
    if (at + rdlength > b.size()) {
      r.error = fmt::format("answer {} data of {} bytes runs past the end at offset {}", i, rdlength, at);
      return r;
    }
    if (type == k_type_a && cls == k_class_in && rdlength == 4) {
      auto byte = [&](std::size_t k) { return static_cast<unsigned char>(b[at + k]); };
      r.addresses.push_back(fmt::format("{}.{}.{}.{}", byte(0), byte(1), byte(2), byte(3)));
    }
    at += rdlength;
  }
  return r;
}

a_reply lookup_a(const std::string& server_ip, std::uint16_t port, const std::string& name,
                 std::chrono::milliseconds timeout) {
  a_reply r;
  std::string server = fmt::format("{}:{}", server_ip, port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, server_ip.c_str(), &addr.sin_addr) != 1) {
    r.error = fmt::format("\"{}\" is not an IPv4 address", server_ip);
    return r;
  }
  static thread_local std::mt19937 ids{std::random_device{}()};
  auto id = static_cast<std::uint16_t>(ids());
  encoded_query q = encode_a_query(id, name);
  if (!q.error.empty()) {
    r.error = q.error;
    return r;
  }

  socket_fd s{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) {
    r.error = errno_text("socket", errno);
    return r;
  }
  // connect(): the kernel then delivers only datagrams from the server, and an
  // ICMP port unreachable (nothing listening) comes back as ECONNREFUSED.
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(s.fd, q.bytes.data(), q.bytes.size(), 0) < 0) {
    r.error = fmt::format("{} {}", server, errno_text("send", errno));
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{s.fd, POLLIN, 0};
    int n = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = fmt::format("{} {}", server, errno_text("poll", errno));
      return r;
    }
    if (n == 0) {
      r.error = fmt::format("no reply from {} within {} ms", server, timeout.count());
      return r;
    }
    std::string buf(4096, '\0');
    ssize_t got = ::recv(s.fd, buf.data(), buf.size(), 0);
    if (got < 0) {
      r.error = fmt::format("{} {}", server, errno_text("recv", errno));
      return r;
    }
    buf.resize(static_cast<std::size_t>(got));
    // A late reply to an earlier query of the same socket cannot happen (the
    // socket is new), but a stray datagram with another id is skipped.
    if (buf.size() >= 2 && get_u16(buf, 0) != id) continue;
    return decode_a_reply(id, buf);
  }
}

}  // namespace berth::agent::dns
