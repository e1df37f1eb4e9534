// Rendering of pod volumes and container volume mounts in Kubernetes v1's
// shape (volumes_internal.hpp): `kubectl get pod -o yaml` shows them as the
// API server would, omitting empty fields.
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

doc str(const std::string& s) { return doc::str(s); }

struct source_renderer {
  doc operator()(const model::empty_dir_volume& s) const { return doc::map().set_nonempty("medium", s.medium); }
  doc operator()(const model::host_path_volume& s) const { return doc::map().set("path", str(s.path)); }
  doc operator()(const model::secret_volume& s) const {
    doc items = doc::list();
    for (const auto& i : s.items) {
      doc item = doc::map().set("key", str(i.key)).set("path", str(i.path));
      if (i.mode) item.set("mode", doc::integer(*i.mode));
      items.push(std::move(item));
    }
    doc d = doc::map().set_nonempty("secretName", s.secret_name).set_nonempty("items", std::move(items));
    return std::move(d.set("defaultMode", doc::integer(s.default_mode)));
  }
  doc operator()(const model::persistent_volume_claim_volume& s) const {
    return doc::map().set("claimName", str(s.claim_name)).set_true("readOnly", s.read_only);
  }
  doc operator()(const model::nfs_volume& s) const {
    return doc::map().set("server", str(s.server)).set("path", str(s.path)).set_true("readOnly", s.read_only);
  }
  doc operator()(const model::gce_persistent_disk_volume& s) const {
    doc d = doc::map().set("pdName", str(s.pd_name)).set_nonempty("fsType", s.fs_type);
    return std::move(d.set_nonzero("partition", s.partition).set_true("readOnly", s.read_only));
  }
  doc operator()(const model::aws_elastic_block_store_volume& s) const {
    doc d = doc::map().set("volumeID", str(s.volume_id)).set_nonempty("fsType", s.fs_type);
    return std::move(d.set_nonzero("partition", s.partition).set_true("readOnly", s.read_only));
  }
  doc operator()(const model::iscsi_volume& s) const {
    doc d = doc::map().set("targetPortal", str(s.target_portal)).set("iqn", str(s.iqn));
    d.set("lun", doc::integer(s.lun)).set_nonempty("iscsiInterface", s.iscsi_interface);
    return std::move(d.set_nonempty("fsType", s.fs_type).set_true("readOnly", s.read_only));
  }
  doc operator()(const model::rbd_volume& s) const {
    doc monitors = doc::list();
    for (const auto& m : s.monitors) monitors.push(str(m));
    doc d = doc::map().set("monitors", std::move(monitors)).set("image", str(s.image));
    d.set_nonempty("fsType", s.fs_type).set_nonempty("pool", s.pool).set_nonempty("user", s.user);
    d.set_nonempty("keyring", s.keyring);
    if (!s.secret_ref.empty()) d.set("secretRef", doc::map().set("name", str(s.secret_ref)));
    return std::move(d.set_true("readOnly", s.read_only));
  }
  doc operator()(const model::glusterfs_volume& s) const {
    return doc::map().set("endpoints", str(s.endpoints)).set("path", str(s.path)).set_true("readOnly", s.read_only);
  }
};

}  // namespace

doc volume_source_doc(const model::volume_source& source) { return std::visit(source_renderer{}, source); }

doc volumes_doc(const std::vector<model::volume>& volumes) {
  doc list = doc::list();
  for (const auto& v : volumes) {
    doc d = doc::map().set("name", str(v.name));
    list.push(std::move(d.set(model::volume_type_name(v.source), std::visit(source_renderer{}, v.source))));
  }
  return list;
}

doc volume_mounts_doc(const std::vector<model::volume_mount>& mounts) {
  doc list = doc::list();
  for (const auto& m : mounts) {
    doc d = doc::map().set("name", str(m.name)).set_true("readOnly", m.read_only);
    list.push(std::move(d.set("mountPath", str(m.mount_path)).set_nonempty("subPath", m.sub_path)));
  }
  return list;
}

}  // namespace berth::manifest::detail
