#include "node-agent/docker/hijack.hpp"

#include <charconv>

#include <fmt/format.h>

namespace berth::agent::docker {
namespace {

constexpr std::size_t k_max_head = 64 * 1024;
constexpr std::size_t k_max_error_body = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// The reply's head so far plus what came after it.
struct head_reader {
  kj::Own<kj::AsyncIoStream> io;
  std::string data;
  kj::Array<char> buffer = kj::heapArray<char>(16 * 1024);

  kj::Promise<response_head> read_head() {
    return io->tryRead(buffer.begin(), 1, buffer.size()).then([this](std::size_t n) -> kj::Promise<response_head> {
      if (n == 0) throw docker_failure("dockerd closed the connection before answering the exec/attach request");
      data.append(buffer.begin(), n);
      if (auto head = parse_response_head(data)) return *head;
      if (data.size() > k_max_head) throw docker_failure("dockerd's reply head is larger than 64 KiB");
      return read_head();
    });
  }

  /// Reads a refusal's body (up to its length, or the connection's end).
  kj::Promise<void> read_body(std::uint64_t wanted) {
    if (data.size() >= wanted || data.size() >= k_max_error_body) return kj::READY_NOW;
    return io->tryRead(buffer.begin(), 1, buffer.size()).then([this, wanted](std::size_t n) -> kj::Promise<void> {
      if (n == 0) return kj::READY_NOW;
      data.append(buffer.begin(), n);
      return read_body(wanted);
    });
  }
};

}  // namespace

std::optional<response_head> parse_response_head(std::string_view data) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  response_head head;
  head.size = end + 4;
  auto text = data.substr(0, end + 2);
  auto line_end = text.find("\r\n");
  auto status_line = text.substr(0, line_end);
  // "HTTP/1.1 101 UPGRADED"
  auto sp = status_line.find(' ');
  if (status_line.substr(0, 5) == "HTTP/" && sp != std::string_view::npos) {
    auto code = status_line.substr(sp + 1, 3);
    unsigned value = 0;
    auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), value);
    if (ec == std::errc() && p == code.data() + code.size()) head.status = value;
  }
  text.remove_prefix(line_end + 2);
  while (!text.empty()) {
    auto eol = text.find("\r\n");
    auto line = text.substr(0, eol);
    text.remove_prefix(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (iequals(trim(line.substr(0, colon)), "content-length")) {
      auto v = trim(line.substr(colon + 1));
      std::uint64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && p == v.data() + v.size()) head.content_length = n;
    }
  }
  return head;
}

std::string hijack_request(std::string_view path, std::string_view json_body) {
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
      "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
      path, json_body.size(), json_body);
}

kj::Promise<hijacked> hijack(docker_client& client, std::string path, std::string json_body) {
  return client.connect().then([path = std::move(path), body = std::move(json_body)](kj::Own<kj::AsyncIoStream> io) {
    auto reader = kj::heap<head_reader>();
    reader->io = kj::mv(io);
    auto request = kj::heapString(hijack_request(path, body).c_str());
    auto& r = *reader;
    auto sent = r.io->write(request.begin(), request.size()).attach(kj::mv(request));
    return sent.then([&r] { return r.read_head(); })
        .then([&r](response_head head) -> kj::Promise<hijacked> {
          hijacked out;
          out.status = head.status;
          if (head.status == 101 || head.status == 200) {
            out.early = r.data.substr(head.size);
            out.io = kj::mv(r.io);
            return kj::mv(out);
          }
          auto length = head.content_length.value_or(k_max_error_body);
          return r.read_body(head.size + length).then([&r, head, out = kj::mv(out)]() mutable {
            docker_reply reply{head.status, r.data.substr(head.size)};
            out.error = docker_error(reply);
            return kj::mv(out);
          });
        })
        .attach(kj::mv(reader));
  });
}

}  // namespace berth::agent::docker
