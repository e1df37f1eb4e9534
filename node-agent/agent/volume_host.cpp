#include "node-agent/agent/volume_host.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <fmt/format.h>

namespace berth::agent {
namespace {

namespace fs = std::filesystem;

/// True when `path` is a mount point (its device differs from its parent's).
bool is_mount_point(const std::string& path) {
  struct stat self {}, parent {};
  if (::lstat(path.c_str(), &self) != 0) return false;
  if (::lstat((path + "/..").c_str(), &parent) != 0) return false;
  return self.st_dev != parent.st_dev;
}

std::string make_dir(const std::string& path, bool world_writable) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return fmt::format("cannot create {}: {}", path, ec.message());
  // Kubernetes makes emptyDir 0777: containers may run as any user.
  if (world_writable && ::chmod(path.c_str(), 0777) != 0)
    return fmt::format("cannot chmod {}: {}", path, std::strerror(errno));
  return "";
}

std::string mount_tmpfs(const std::string& path, const char* options = "mode=0777") {
  if (is_mount_point(path)) return "";
  if (::mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    return fmt::format("cannot mount a tmpfs on {}: {}", path, std::strerror(errno));
  return "";
}

/// Writes `data` to `dir/path` atomically: a temporary file in the same
/// directory, then rename(2) over the old one. "#berth-tmp" cannot be a
/// key's name (keys match [-._a-zA-Z0-9]+).
std::string write_atomically(const std::string& dir, const secret_file& f) {
  const fs::path target = fs::path(dir) / f.path;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return fmt::format("cannot create {}: {}", target.parent_path().string(), ec.message());
  const std::string tmp = (target.parent_path() / "#berth-tmp").string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fmt::format("cannot create {}: {}", tmp, std::strerror(errno));
  std::size_t done = 0;
  while (done < f.data.size()) {
    auto n = ::write(fd, f.data.data() + done, f.data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto why = fmt::format("cannot write {}: {}", tmp, std::strerror(errno));
      ::close(fd);
      return why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, static_cast<mode_t>(f.mode & 07777)) != 0 || ::close(fd) != 0)
    return fmt::format("cannot finish {}: {}", tmp, std::strerror(errno));
  if (::rename(tmp.c_str(), target.c_str()) != 0)
    return fmt::format("cannot rename {} to {}: {}", tmp, target.string(), std::strerror(errno));
  return "";
}

/// Makes the volume's directory hold exactly `files`: each written atomically,
/// then the files (and emptied directories) no longer in the secret removed.
std::string sync_secret_files(const std::string& dir, const std::vector<secret_file>& files) {
  std::set<std::string> wanted;
  for (const auto& f : files) {
    if (auto why = write_atomically(dir, f); !why.empty()) return why;
    wanted.insert((fs::path(dir) / f.path).lexically_normal().string());
  }
  std::error_code ec;
  std::vector<fs::path> stale, dirs;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec))
      dirs.push_back(it->path());
    else if (!wanted.count(it->path().lexically_normal().string()))
      stale.push_back(it->path());
  }
  for (const auto& p : stale) fs::remove(p, ec);
  // Deepest first, so that a directory emptied by its children goes too.
  std::sort(dirs.begin(), dirs.end(), [](const auto& a, const auto& b) { return a.string() > b.string(); });
  for (const auto& d : dirs)
    if (fs::is_empty(d, ec)) fs::remove(d, ec);
  return "";
}

/// The secret volume `v` of the pod: a tmpfs (mode 0755: the files' own modes
/// decide who reads them) with the secret's files.
std::string make_secret_volume(const std::string& path, const model::secret_volume& v, const model::secret& secret) {
  auto content = secret_volume_files(v, secret);
  if (!content.error.empty()) return content.error;
  if (auto why = make_dir(path, false); !why.empty()) return why;
  if (auto why = mount_tmpfs(path, "mode=0755"); !why.empty()) return why;
  return sync_secret_files(path, content.files);
}

/// mount -t nfs [-o ro] SERVER:PATH DIR, waited for.
std::string mount_nfs(const model::nfs_volume& v, const std::string& path) {
  if (is_mount_point(path)) return "";
  std::string source = v.server + ":" + v.path;
  std::vector<const char*> argv = {"mount", "-t", "nfs"};
  if (v.read_only) argv.insert(argv.end(), {"-o", "ro"});
  argv.insert(argv.end(), {source.c_str(), path.c_str(), nullptr});
  pid_t pid = ::fork();
  if (pid < 0) return fmt::format("cannot run mount: {}", std::strerror(errno));
  if (pid == 0) {
    ::execvp("mount", const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fmt::format("mount -t nfs {} {} failed (status {})", source, path, status);
  return "";
}

/// Detaches whatever is mounted on the directories below `dir` (one level).
void unmount_children(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto p = entry.path().string();
    if (is_mount_point(p)) ::umount2(p.c_str(), MNT_DETACH);
  }
}

}  // namespace

volume_host::volume_host(std::string root, node_volume_support support)
    : root_(std::move(root)), support_(std::move(support)) {}

std::string volume_host::prepare_pod(const model::pod& pod, const node_secrets& secrets) const {
  if (root_.empty()) return "";
  const auto& uid = pod.metadata.uid;
  for (const auto& v : pod.spec.volumes) {
    std::string why;
    if (const auto* e = std::get_if<model::empty_dir_volume>(&v.source)) {
      auto path = empty_dir_path(root_, uid, v.name);
      why = make_dir(path, true);
      if (why.empty() && e->medium == "Memory") why = mount_tmpfs(path);
    } else if (const auto* n = std::get_if<model::nfs_volume>(&v.source)) {
      auto path = nfs_path(root_, uid, v.name);
      why = make_dir(path, false);
      if (why.empty()) why = mount_nfs(*n, path);
    } else if (const auto* sv = std::get_if<model::secret_volume>(&v.source)) {
      const auto* secret = find_secret(secrets, pod.metadata.namespace_, sv->secret_name);
      why = secret == nullptr ? fmt::format("secret \"{}\" not found", sv->secret_name)
                              : make_secret_volume(secret_volume_path(root_, uid, v.name), *sv, *secret);
    }
    if (!why.empty()) return fmt::format("volume \"{}\": {}", v.name, why);
  }
  return "";
}

std::string volume_host::update_secret_volumes(const model::pod& pod, const node_secrets& secrets) const {
  if (root_.empty()) return "";
  for (const auto& v : pod.spec.volumes) {
    const auto* sv = std::get_if<model::secret_volume>(&v.source);
    if (sv == nullptr) continue;
    const auto path = secret_volume_path(root_, pod.metadata.uid, v.name);
    const auto* secret = find_secret(secrets, pod.metadata.namespace_, sv->secret_name);
    if (secret == nullptr || !is_mount_point(path)) continue;  // not made yet, or the secret went: keep what is there
    auto content = secret_volume_files(*sv, *secret);
    std::string why = content.error.empty() ? sync_secret_files(path, content.files) : content.error;
    if (!why.empty()) return fmt::format("volume \"{}\": {}", v.name, why);
  }
  return "";
}

std::string volume_host::prepare_mounts(const std::vector<host_mount>& mounts) const {
  if (root_.empty()) return "";
  for (const auto& m : mounts) {
    std::error_code ec;
    if (m.sub_path.empty()) {
      // A missing hostPath is made, as Docker's -v did for Kubernetes 1.0.
      if (!fs::exists(m.host_path, ec)) {
        if (auto why = make_dir(m.host_path, false); !why.empty()) return why;
      }
      continue;
    }
    const std::string base = m.host_path.substr(0, m.host_path.size() - m.sub_path.size() - 1);
    // A subPath may name a file (a secret volume's key): only a missing one is made, as a directory.
    if (!fs::exists(m.host_path, ec))
      if (auto why = make_dir(m.host_path, false); !why.empty()) return why;
    auto real_base = fs::canonical(base, ec).string();
    auto real = fs::canonical(m.host_path, ec).string();
    if (ec || (real != real_base && !real.starts_with(real_base + "/")))
      return fmt::format("subPath \"{}\" resolves outside its volume", m.sub_path);
  }
  return "";
}

std::string volume_host::prepare_file(const std::string& path) const {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return fmt::format("cannot create {}: {}", fs::path(path).parent_path().string(), ec.message());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fmt::format("cannot create {}: {}", path, std::strerror(errno));
  ::close(fd);
  if (::chmod(path.c_str(), 0666) != 0) return fmt::format("cannot chmod {}: {}", path, std::strerror(errno));
  return "";
}

std::string volume_host::remove_pod(const std::string& uid) const {
  if (root_.empty() || uid.empty()) return "";
  const auto dir = pod_volume_dir(root_, uid);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "";
  unmount_children(dir + "/volumes/empty-dir");
  unmount_children(dir + "/volumes/nfs");
  unmount_children(dir + "/volumes/secret");
  // Never delete through a mount that stayed: it could be someone's data.
  for (const auto* kind : {"empty-dir", "nfs", "secret"}) {
    for (const auto& entry : fs::directory_iterator(fmt::format("{}/volumes/{}", dir, kind), ec)) {
      if (is_mount_point(entry.path().string()))
        return fmt::format("{} is still mounted; left in place", entry.path().string());
    }
  }
  fs::remove_all(dir, ec);
  if (ec) return fmt::format("cannot remove {}: {}", dir, ec.message());
  return "";
}

std::vector<std::string> volume_host::pods_on_disk() const {
  std::vector<std::string> uids;
  if (root_.empty()) return uids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_ + "/pods", ec))
    if (entry.is_directory(ec)) uids.push_back(entry.path().filename().string());
  return uids;
}

bool volume_host::nfs_installed() {
  return ::access("/sbin/mount.nfs", X_OK) == 0 || ::access("/usr/sbin/mount.nfs", X_OK) == 0;
}

}  // namespace berth::agent
