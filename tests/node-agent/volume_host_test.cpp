// volume_host on a real file system (a temporary root): emptyDir directories,
// the tmpfs of medium Memory (the agent runs as root; skipped otherwise),
// subPath directories and their escape check, removal and the pods listed.
#include <doctest/doctest.h>

#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>

#include "node-agent/agent/volume_host.hpp"
#include "tests/cli/temp_files.hpp"

using namespace berth;
using namespace berth::agent;
namespace fs = std::filesystem;

namespace {

constexpr long k_tmpfs_magic = 0x01021994;

model::pod pod_with(std::vector<model::volume> volumes) {
  model::pod p;
  p.metadata.uid = "uid-1";
  p.spec.volumes = std::move(volumes);
  return p;
}

}  // namespace

TEST_CASE("volume_host: emptyDir directories are made once, listed, and removed with the pod") {
  testing::temp_dir root{"berth-volumes"};
  volume_host host(root.path(), {"n1", false});
  auto pod = pod_with({{"data", model::empty_dir_volume{}}});
  CHECK(host.prepare_pod(pod) == "");
  CHECK(host.prepare_pod(pod) == "");  // idempotent
  const auto dir = empty_dir_path(root.path(), "uid-1", "data");
  REQUIRE(fs::is_directory(dir));
  CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::all);
  CHECK(host.pods_on_disk() == std::vector<std::string>{"uid-1"});
  CHECK(host.remove_pod("uid-1") == "");
  CHECK_FALSE(fs::exists(pod_volume_dir(root.path(), "uid-1")));
  CHECK(host.pods_on_disk().empty());
  CHECK(host.remove_pod("uid-1") == "");  // nothing left: not an error
}

TEST_CASE("volume_host: medium Memory mounts a tmpfs, unmounted on removal") {
  if (::geteuid() != 0) return;  // mount(2) needs root, as the agent has
  testing::temp_dir root{"berth-volumes"};
  volume_host host(root.path(), {"n1", false});
  auto pod = pod_with({{"mem", model::empty_dir_volume{"Memory"}}});
  REQUIRE(host.prepare_pod(pod) == "");
  REQUIRE(host.prepare_pod(pod) == "");  // not mounted twice
  const auto dir = empty_dir_path(root.path(), "uid-1", "mem");
  struct statfs fs_info {};
  REQUIRE(::statfs(dir.c_str(), &fs_info) == 0);
  CHECK(static_cast<long>(fs_info.f_type) == k_tmpfs_magic);
  CHECK(host.remove_pod("uid-1") == "");
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("volume_host: subPath directories are made inside the volume; one that escapes by a symlink is refused") {
  testing::temp_dir root{"berth-volumes"};
  volume_host host(root.path(), {"n1", false});
  const auto base = empty_dir_path(root.path(), "uid-1", "data");
  REQUIRE(host.prepare_pod(pod_with({{"data", model::empty_dir_volume{}}})) == "");
  CHECK(host.prepare_mounts({{base + "/a/b", "/x", false, "a/b"}}) == "");
  CHECK(fs::is_directory(base + "/a/b"));
  fs::create_directory_symlink("/", base + "/escape");
  CHECK(host.prepare_mounts({{base + "/escape", "/x", false, "escape"}}) ==
        "subPath \"escape\" resolves outside its volume");
  // A missing hostPath directory is made.
  CHECK(host.prepare_mounts({{root.path() + "/host/dir", "/y", true, ""}}) == "");
  CHECK(fs::is_directory(root.path() + "/host/dir"));
}

TEST_CASE("volume_host: without a root (hollow nodes) nothing touches the disk") {
  volume_host host("", {"hollow-0001", false});
  CHECK(host.prepare_pod(pod_with({{"data", model::empty_dir_volume{"Memory"}}})) == "");
  CHECK(host.prepare_mounts({{"/nowhere/x", "/x", false, "x"}}) == "");
  CHECK_FALSE(fs::exists("/nowhere"));
  CHECK(host.pods_on_disk().empty());
}

TEST_CASE("volume_host: a termination-log file is made empty and world-writable, and goes with the pod") {
  testing::temp_dir root{"berth-volumes"};
  volume_host host(root.path(), {"n1", false});
  const auto file = termination_log_path(root.path(), "uid-1", "app", 0);
  CHECK(host.prepare_file(file) == "");
  REQUIRE(fs::is_regular_file(file));
  CHECK(fs::file_size(file) == 0);
  CHECK((fs::status(file).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::group_write |
         fs::perms::others_read | fs::perms::others_write));
  { std::ofstream(file) << "old message"; }
  CHECK(host.prepare_file(file) == "");  // a new start begins empty
  CHECK(fs::file_size(file) == 0);
  CHECK(host.remove_pod("uid-1") == "");
  CHECK_FALSE(fs::exists(file));
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

model::secret secret_with(std::map<std::string, std::string> data) {
  model::secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "db";
  s.data = std::move(data);
  return s;
}

}  // namespace

TEST_CASE("volume_host: a secret volume is a tmpfs of files, rewritten in place, unmounted with the pod") {
  if (::geteuid() != 0) return;  // mount(2) needs root, as the agent has
  testing::temp_dir root{"berth-volumes"};
  volume_host host(root.path(), {"n1", false});
  auto pod = pod_with({{"creds", model::secret_volume{"db", 0444, {}}},
                       {"picked", model::secret_volume{"db", 0644, {{"user", "conf/who", 0600}}}}});
  pod.metadata.namespace_ = "default";
  CHECK(host.prepare_pod(pod, {}) == "volume \"creds\": secret \"db\" not found");
  auto secrets = make_node_secrets({secret_with({{"user", "admin"}, {"password", "s3cret"}})});
  REQUIRE(host.prepare_pod(pod, secrets) == "");
  REQUIRE(host.prepare_pod(pod, secrets) == "");  // not mounted twice
  const auto dir = secret_volume_path(root.path(), "uid-1", "creds");
  struct statfs fs_info {};
  REQUIRE(::statfs(dir.c_str(), &fs_info) == 0);
  CHECK(static_cast<long>(fs_info.f_type) == k_tmpfs_magic);
  CHECK(read_file(dir + "/user") == "admin");
  CHECK(read_file(dir + "/password") == "s3cret");
  CHECK((fs::status(dir + "/user").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read));
  const auto picked = secret_volume_path(root.path(), "uid-1", "picked");
  CHECK(read_file(picked + "/conf/who") == "admin");
  CHECK_FALSE(fs::exists(picked + "/password"));
  CHECK((fs::status(picked + "/conf/who").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));

  // Replaced: new values, a removed key's file gone, no temporary left behind.
  auto next = make_node_secrets({secret_with({{"user", "root"}, {"token", "t"}})});
  CHECK(host.update_secret_volumes(pod, next) == "");
  CHECK(read_file(dir + "/user") == "root");
  CHECK(read_file(dir + "/token") == "t");
  CHECK_FALSE(fs::exists(dir + "/password"));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"token", "user"});

  // The secret removed: the files stay as they were (kubelet keeps them too).
  CHECK(host.update_secret_volumes(pod, {}) == "");
  CHECK(read_file(dir + "/user") == "root");

  CHECK(host.remove_pod("uid-1") == "");
  CHECK_FALSE(fs::exists(dir));
}
