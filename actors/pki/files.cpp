#include "actors/pki/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace berth::pki {
namespace {

namespace fs = std::filesystem;

std::string io_error(const char* what, const std::string& path, int err) {
  return fmt::format("{} {}: {}", what, path, std::strerror(err));
}

std::optional<std::string> fsync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("fsync", dir, err);
  return std::nullopt;
}

std::string parent_of(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

result<std::optional<std::string>> read_if_exists(const std::string& path) {
  using r = result<std::optional<std::string>>;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return r::success(std::nullopt);
  if (fd < 0) return r::failure(io_error("open", path, errno));
  std::string bytes;
  char buffer[1 << 14];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return r::failure(io_error("read", path, err));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return r::success(std::move(bytes));
}

std::string temp_name_for(const std::string& path) { return fmt::format("{}.tmp-{}", path, ::getpid()); }

std::optional<std::string> write_temp(const std::string& temp, const std::string& bytes, mode_t mode) {
  ::unlink(temp.c_str());
  // O_EXCL|O_NOFOLLOW: the key is born with its mode in a file nobody else opened.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return io_error("create", temp, errno);
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return io_error(what, temp, err);
  };
  // The umask may have taken bits away; the modes are part of the contract.
  if (::fchmod(fd, mode) != 0) return fail("chmod");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return io_error("close", temp, err);
  }
  return std::nullopt;
}

std::optional<std::string> replace(const std::string& temp, const std::string& path) {
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return fmt::format("rename {} to {}: {}", temp, path, std::strerror(err));
  }
  return fsync_directory(parent_of(path));
}

std::optional<std::string> remove_durably(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("remove", path, errno);
  return fsync_directory(parent_of(path));
}

std::optional<std::string> write_atomically(const std::string& path, const std::string& bytes, mode_t mode) {
  const std::string temp = temp_name_for(path);
  if (auto err = write_temp(temp, bytes, mode)) return err;
  return replace(temp, path);
}

std::optional<std::string> ensure_directory(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return std::nullopt;
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("create {}: {}", dir, ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return fmt::format("chmod {}: {}", dir, ec.message());
  return std::nullopt;
}

}  // namespace berth::pki
