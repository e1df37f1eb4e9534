// Pod volumes and container volume mounts <-> capnp (declared in
// capnp_convert_detail.hpp). Empty lists are never initialised by the
// callers, so a pod without volumes encodes to the same canonical bytes as
// before volumes existed: old journals keep their state hashes.

#include "actors/model/capnp_convert_detail.hpp"

namespace berth::model::detail {
namespace {

using S = schema::Volume::Source;

struct source_writer {
  S::Builder b;
  void operator()(const empty_dir_volume& v) { b.initEmptyDir().setMedium(text(v.medium)); }
  void operator()(const host_path_volume& v) { b.initHostPath().setPath(text(v.path)); }
  void operator()(const secret_volume& v) {
    auto s = b.initSecret();
    s.setSecretName(text(v.secret_name));
    s.setDefaultMode(v.default_mode);
    auto items = s.initItems(static_cast<unsigned>(v.items.size()));
    for (unsigned i = 0; i < v.items.size(); ++i) {
      items[i].setKey(text(v.items[i].key));
      items[i].setPath(text(v.items[i].path));
      items[i].setMode(v.items[i].mode.value_or(-1));
    }
  }
  void operator()(const persistent_volume_claim_volume& v) {
    auto s = b.initPersistentVolumeClaim();
    s.setClaimName(text(v.claim_name));
    s.setReadOnly(v.read_only);
  }
  void operator()(const nfs_volume& v) {
    auto s = b.initNfs();
    s.setServer(text(v.server));
    s.setPath(text(v.path));
    s.setReadOnly(v.read_only);
  }
  void operator()(const gce_persistent_disk_volume& v) {
    auto s = b.initGcePersistentDisk();
    s.setPdName(text(v.pd_name));
    s.setFsType(text(v.fs_type));
    s.setPartition(v.partition);
    s.setReadOnly(v.read_only);
  }
  void operator()(const aws_elastic_block_store_volume& v) {
    auto s = b.initAwsElasticBlockStore();
    s.setVolumeID(text(v.volume_id));
    s.setFsType(text(v.fs_type));
    s.setPartition(v.partition);
    s.setReadOnly(v.read_only);
  }
  void operator()(const iscsi_volume& v) {
    auto s = b.initIscsi();
    s.setTargetPortal(text(v.target_portal));
    s.setIqn(text(v.iqn));
    s.setLun(v.lun);
    s.setFsType(text(v.fs_type));
    s.setReadOnly(v.read_only);
    s.setIscsiInterface(text(v.iscsi_interface));
  }
  void operator()(const rbd_volume& v) {
    auto s = b.initRbd();
    set_strings(v.monitors, s.initMonitors(static_cast<unsigned>(v.monitors.size())));
    s.setImage(text(v.image));
    s.setFsType(text(v.fs_type));
    s.setPool(text(v.pool));
    s.setUser(text(v.user));
    s.setKeyring(text(v.keyring));
    s.setSecretRef(text(v.secret_ref));
    s.setReadOnly(v.read_only);
  }
  void operator()(const glusterfs_volume& v) {
    auto s = b.initGlusterfs();
    s.setEndpoints(text(v.endpoints));
    s.setPath(text(v.path));
    s.setReadOnly(v.read_only);
  }
};

secret_volume secret_from(schema::SecretVolumeSource::Reader r) {
  secret_volume v{str(r.getSecretName()), r.getDefaultMode(), {}};
  for (auto item : r.getItems()) {
    key_to_path k{str(item.getKey()), str(item.getPath()), std::nullopt};
    if (item.getMode() >= 0) k.mode = item.getMode();
    v.items.push_back(std::move(k));
  }
  return v;
}

volume_source source_from(S::Reader r) {
  switch (r.which()) {
    case S::EMPTY_DIR: return empty_dir_volume{str(r.getEmptyDir().getMedium())};
    case S::HOST_PATH: return host_path_volume{str(r.getHostPath().getPath())};
    case S::SECRET: return secret_from(r.getSecret());
    case S::PERSISTENT_VOLUME_CLAIM: {
      auto s = r.getPersistentVolumeClaim();
      return persistent_volume_claim_volume{str(s.getClaimName()), s.getReadOnly()};
    }
    case S::NFS: {
      auto s = r.getNfs();
      return nfs_volume{str(s.getServer()), str(s.getPath()), s.getReadOnly()};
    }
    case S::GCE_PERSISTENT_DISK: {
      auto s = r.getGcePersistentDisk();
      return gce_persistent_disk_volume{str(s.getPdName()), str(s.getFsType()), s.getPartition(), s.getReadOnly()};
    }
    case S::AWS_ELASTIC_BLOCK_STORE: {
      auto s = r.getAwsElasticBlockStore();
      return aws_elastic_block_store_volume{str(s.getVolumeID()), str(s.getFsType()), s.getPartition(),
                                            s.getReadOnly()};
    }
    case S::ISCSI: {
      auto s = r.getIscsi();
      return iscsi_volume{str(s.getTargetPortal()), str(s.getIqn()),  s.getLun(),
                          str(s.getFsType()),       s.getReadOnly(), str(s.getIscsiInterface())};
    }
    case S::RBD: {
      auto s = r.getRbd();
      return rbd_volume{get_strings(s.getMonitors()), str(s.getImage()),   str(s.getFsType()),
                        str(s.getPool()),              str(s.getUser()),    str(s.getKeyring()),
                        str(s.getSecretRef()),         s.getReadOnly()};
    }
    case S::GLUSTERFS: {
      auto s = r.getGlusterfs();
      return glusterfs_volume{str(s.getEndpoints()), str(s.getPath()), s.getReadOnly()};
    }
  }
  throw_decode_error("unknown Volume.source member " + std::to_string(r.which()));
}

}  // namespace

void volume_source_to(const volume_source& v, schema::Volume::Builder b) {
  std::visit(source_writer{b.initSource()}, v);
}

volume_source volume_source_from(schema::Volume::Reader r) { return source_from(r.getSource()); }

void volumes_to(const std::vector<volume>& v, capnp::List<schema::Volume>::Builder b) {
  for (unsigned i = 0; i < v.size(); ++i) {
    b[i].setName(text(v[i].name));
    std::visit(source_writer{b[i].initSource()}, v[i].source);
  }
}

std::vector<volume> volumes_from(capnp::List<schema::Volume>::Reader r) {
  return list_from<volume>(r, [](auto v) { return volume{str(v.getName()), source_from(v.getSource())}; });
}

void volume_mounts_to(const std::vector<volume_mount>& v, capnp::List<schema::VolumeMount>::Builder b) {
  for (unsigned i = 0; i < v.size(); ++i) {
    b[i].setName(text(v[i].name));
    b[i].setReadOnly(v[i].read_only);
    b[i].setMountPath(text(v[i].mount_path));
    b[i].setSubPath(text(v[i].sub_path));
  }
}

std::vector<volume_mount> volume_mounts_from(capnp::List<schema::VolumeMount>::Reader r) {
  return list_from<volume_mount>(r, [](auto m) {
    return volume_mount{str(m.getName()), m.getReadOnly(), str(m.getMountPath()), str(m.getSubPath())};
  });
}

}  // namespace berth::model::detail
