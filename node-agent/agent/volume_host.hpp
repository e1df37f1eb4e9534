#pragma once
// The files and mounts behind a node's pod volumes (layout: logic/pod_volumes.hpp).
// Owned by one node_session and used on its KJ thread only; every call is
// a few local syscalls (mount.nfs aside), idempotent, and reports failure as
// a message, never by throwing.

#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_volumes.hpp"

namespace berth::agent {

class volume_host {
 public:
  /// `root` empty: nothing is kept on disk (hollow nodes: mounts are only
  /// passed on to the runtime, which ignores them).
  volume_host(std::string root, node_volume_support support);

  const std::string& root() const { return root_; }
  const node_volume_support& support() const { return support_; }

  /// Makes what the pod's containers mount: emptyDir directories (mode 0777,
  /// a tmpfs mounted on them for medium Memory) and nfs mounts. "" or what failed.
  std::string prepare_pod(const model::pod& pod) const;

  /// Makes missing hostPath and subPath directories of `mounts`, refusing a
  /// subPath that resolves outside its volume (a symlink made by a
  /// container). "" or what failed.
  std::string prepare_mounts(const std::vector<host_mount>& mounts) const;

  /// Makes an empty file (mode 0666, so a container of any user can write it)
  /// and its directories: a termination-log file. "" or what failed.
  std::string prepare_file(const std::string& path) const;

  /// Unmounts the pod's tmpfs and nfs mounts and removes its directory. A
  /// mount that stays (busy) keeps the directory: "" or why it stayed.
  std::string remove_pod(const std::string& uid) const;

  /// The pod uids that have a directory under the root.
  std::vector<std::string> pods_on_disk() const;

  /// Whether mount.nfs is installed (/sbin, /usr/sbin).
  static bool nfs_installed();

 private:
  std::string root_;
  node_volume_support support_;
};

}  // namespace berth::agent
