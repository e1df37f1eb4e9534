#include "actors/tokens.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace berth::actors {
namespace {

std::string random_token() {
  std::random_device rd;  // /dev/urandom on Linux
  std::string out;
  for (int i = 0; i < 8; ++i) out += fmt::format("{:08x}", rd());
  return out;
}

std::string create_token_file(const std::string& path, std::string& error) {
  auto token = random_token();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    error = fmt::format("cannot create {}: {}", path, std::strerror(errno));
    return {};
  }
  auto line = token + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return {};
  }
  return token;
}

}  // namespace

std::string read_token_file(const std::string& path, std::string& error) {
  // A token others can read is a token others hold: refuse it, as ssh does a
  // private key, rather than run with it (berthd writes its tokens 0600).
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    error = fmt::format("token file {} is readable or writable by group or others (mode {:04o}): run chmod 600 {}",
                        path, st.st_mode & 07777, path);
    return {};
  }
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot read token file {}: {}", path, std::strerror(errno));
    return {};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto token = ss.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) error = fmt::format("token file {} is empty", path);
  return token;
}

tokens load_or_create_tokens(const std::string& dir, std::string& error) {
  tokens t;
  for (auto [file, out] : {std::pair{"admin.token", &t.admin}, std::pair{"node.token", &t.node}}) {
    auto path = dir + "/" + file;
    struct stat st {};
    *out = ::stat(path.c_str(), &st) == 0 ? read_token_file(path, error) : create_token_file(path, error);
    if (!error.empty()) return {};
  }
  return t;
}

}  // namespace berth::actors
