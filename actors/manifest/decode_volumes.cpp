// Decoding of pod volumes and container volume mounts (volumes_internal.hpp).
//
// Field handlers return true for a key they know, as in decode_pod.cpp.
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

void decode_items(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::key_to_path>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::key_to_path k;
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      if (key == "key") return r.read(v, fp, k.key), true;
      if (key == "path") return r.read(v, fp, k.path), true;
      if (key == "mode") {
        std::int32_t mode = 0;
        if (r.read(v, fp, mode)) k.mode = mode;
        return true;
      }
      return false;
    });
    if (is_map) out.push_back(std::move(k));
  });
}

/// Decodes the source named `key` into `out`; false for a key that is not a
/// source berth stores.
bool decode_source(reader& r, std::string_view key, const YAML::Node& v, const std::string& fp,
                   model::volume_source& out) {
  if (key == "emptyDir") {
    model::empty_dir_volume s;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               return k == "medium" ? (r.read(x, p, s.medium), true) : false;
             },
             {"sizeLimit"});
    return out = s, true;
  }
  if (key == "hostPath") {
    model::host_path_volume s;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               return k == "path" ? (r.read(x, p, s.path), true) : false;
             },
             {"type"});
    return out = s, true;
  }
  if (key == "secret") {
    model::secret_volume s;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               if (k == "secretName") return r.read(x, p, s.secret_name), true;
               if (k == "defaultMode") return r.read(x, p, s.default_mode), true;
               if (k == "items") return decode_items(r, x, p, s.items), true;
               return false;
             },
             {"optional"});
    return out = std::move(s), true;
  }
  if (key == "persistentVolumeClaim") {
    model::persistent_volume_claim_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "claimName") return r.read(x, p, s.claim_name), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      return false;
    });
    return out = std::move(s), true;
  }
  if (key == "nfs") {
    model::nfs_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "server") return r.read(x, p, s.server), true;
      if (k == "path") return r.read(x, p, s.path), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      return false;
    });
    return out = std::move(s), true;
  }
  if (key == "gcePersistentDisk") {
    model::gce_persistent_disk_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "pdName") return r.read(x, p, s.pd_name), true;
      if (k == "fsType") return r.read(x, p, s.fs_type), true;
      if (k == "partition") return r.read(x, p, s.partition), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      return false;
    });
    return out = std::move(s), true;
  }
  if (key == "awsElasticBlockStore") {
    model::aws_elastic_block_store_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "volumeID") return r.read(x, p, s.volume_id), true;
      if (k == "fsType") return r.read(x, p, s.fs_type), true;
      if (k == "partition") return r.read(x, p, s.partition), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      return false;
    });
    return out = std::move(s), true;
  }
  if (key == "iscsi") {
    model::iscsi_volume s;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               if (k == "targetPortal") return r.read(x, p, s.target_portal), true;
               if (k == "iqn") return r.read(x, p, s.iqn), true;
               if (k == "lun") return r.read(x, p, s.lun), true;
               if (k == "fsType") return r.read(x, p, s.fs_type), true;
               if (k == "readOnly") return r.read(x, p, s.read_only), true;
               if (k == "iscsiInterface") return r.read(x, p, s.iscsi_interface), true;
               return false;
             },
             {"portals", "chapAuthDiscovery", "chapAuthSession", "secretRef", "initiatorName"});
    return out = std::move(s), true;
  }
  if (key == "rbd") {
    model::rbd_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "monitors") return r.read(x, p, s.monitors), true;
      if (k == "image") return r.read(x, p, s.image), true;
      if (k == "fsType") return r.read(x, p, s.fs_type), true;
      if (k == "pool") return r.read(x, p, s.pool), true;
      if (k == "user") return r.read(x, p, s.user), true;
      if (k == "keyring") return r.read(x, p, s.keyring), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      if (k == "secretRef") {
        r.fields(x, p, [&](std::string_view kk, const YAML::Node& y, const std::string& pp) {
          return kk == "name" ? (r.read(y, pp, s.secret_ref), true) : false;
        });
        return true;
      }
      return false;
    });
    return out = std::move(s), true;
  }
  if (key == "glusterfs") {
    model::glusterfs_volume s;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "endpoints") return r.read(x, p, s.endpoints), true;
      if (k == "path") return r.read(x, p, s.path), true;
      if (k == "readOnly") return r.read(x, p, s.read_only), true;
      return false;
    });
    return out = std::move(s), true;
  }
  return false;
}

}  // namespace

bool decode_volume_source(reader& r, std::string_view key, const YAML::Node& v, const std::string& fp,
                          model::volume_source& out) {
  return decode_source(r, key, v, fp, out);
}

void decode_volumes(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::volume>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::volume vol;
    int sources = 0;
    bool is_map = r.fields(
        item, p,
        [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
          if (key == "name") return r.read(v, fp, vol.name), true;
          model::volume_source source;
          if (!decode_source(r, key, v, fp, source)) return false;
          // The model holds one source: keep the first, refuse the others.
          if (++sources > 1)
            r.add(forbidden(fp, "may not specify more than 1 volume type"));
          else
            vol.source = std::move(source);
          return true;
        },
        {"downwardAPI", "gitRepo", "configMap", "projected", "csi", "ephemeral", "cephfs", "cinder", "flocker", "fc",
         "azureFile", "azureDisk", "vsphereVolume", "quobyte", "photonPersistentDisk", "portworxVolume", "scaleIO",
         "storageos", "flexVolume", "image"});
    if (is_map) out.push_back(std::move(vol));  // no source: emptyDir, the variant's default
  });
}

void decode_volume_mounts(reader& r, const YAML::Node& n, const std::string& path,
                          std::vector<model::volume_mount>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::volume_mount m;
    bool is_map = r.fields(item, p,
                           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
                             if (key == "name") return r.read(v, fp, m.name), true;
                             if (key == "mountPath") return r.read(v, fp, m.mount_path), true;
                             if (key == "readOnly") return r.read(v, fp, m.read_only), true;
                             if (key == "subPath") return r.read(v, fp, m.sub_path), true;
                             return false;
                           },
                           {"mountPropagation", "subPathExpr", "recursiveReadOnly"});
    if (is_map) out.push_back(std::move(m));
  });
}

}  // namespace berth::manifest::detail
