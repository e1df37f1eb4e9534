#pragma once
// The files and mounts behind a node's pod volumes (layout: logic/pod_volumes.hpp).
// Owned by one node_session and used on its KJ thread only; every call is
// a few local syscalls (mount.nfs aside), idempotent, and reports failure as
// a message, never by throwing.

#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_secrets.hpp"
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
  /// a tmpfs mounted on them for medium Memory), nfs mounts, and secret
  /// volumes (a tmpfs with the secret's files, from `secrets`). "" or what failed.
  std::string prepare_pod(const model::pod& pod, const node_secrets& secrets = {}) const;

  /// Rewrites the files of the pod's secret volumes that are already made
  /// (each file written to a temporary name, then renamed over the old one, so
  /// a reader sees the old or the new content, never a mix; keys gone from the
  /// secret are removed). A volume whose secret is missing keeps its files, as
  /// kubelet does. "" or what failed.
  std::string update_secret_volumes(const model::pod& pod, const node_secrets& secrets) const;

  /// Makes missing hostPath and subPath directories of `mounts`, refusing a
  /// subPath that resolves outside its volume (a symlink made by a
  /// container). "" or what failed.
  std::string prepare_mounts(const std::vector<host_mount>& mounts) const;

  /// Makes an empty file (mode 0666, so a container of any user can write it)
  /// and its directories: a termination-log file. "" or what failed.
  std::string prepare_file(const std::string& path) const;

  /// Unmounts the pod's tmpfs (emptyDir Memory, secret) and nfs mounts and removes its directory. A
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
