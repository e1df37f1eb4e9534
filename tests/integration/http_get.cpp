#include "tests/integration/http_get.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

namespace berth::testing {

http_response http_get(const std::string& address, const std::string& path, const std::string& extra_headers) {
  auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  auto request = "GET " + path + " HTTP/1.1\r\nHost: berthd\r\nConnection: close\r\n" + extra_headers + "\r\n";
  REQUIRE(::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  static const std::regex length(R"(\r\nContent-Length: (\d+)\r\n)", std::regex::icase);
  std::string raw;
  std::size_t head_end = std::string::npos, want = std::string::npos;
  char buf[8192];
  while (want == std::string::npos || raw.size() < want) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
    if (head_end == std::string::npos && (head_end = raw.find("\r\n\r\n")) != std::string::npos) {
      std::smatch m;
      auto head = raw.substr(0, head_end + 2);
      if (std::regex_search(head, m, length)) want = head_end + 4 + std::stoul(m[1].str());
    }
  }
  ::close(fd);
  REQUIRE(head_end != std::string::npos);
  auto line_end = raw.find("\r\n");
  return {raw.substr(0, line_end), raw.substr(line_end + 2, head_end - line_end - 2), raw.substr(head_end + 4)};
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

}  // namespace berth::testing
