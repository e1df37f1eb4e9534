// Decoding of PersistentVolume and PersistentVolumeClaim manifests
// (decode_internal.hpp). Status is the server's: accepted and ignored, so
// that `get -o yaml` output decodes again.
#include "actors/manifest/decode_internal.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

void decode_claim_ref(reader& r, const YAML::Node& n, const std::string& path, model::object_reference& out) {
  decode_object_reference(r, n, path, out);
  if (out.kind.empty()) out.kind = model::k_kind_persistent_volume_claim;
}

}  // namespace

model::persistent_volume decode_persistent_volume(reader& r, const YAML::Node& n, const std::string& path) {
  model::persistent_volume obj;
  r.fields(
      n, path,
      [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
        if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
        if (key == "metadata") return decode_metadata(r, v, fp, obj.metadata), true;
        if (key != "spec") return false;
        int sources = 0;
        r.fields(
            v, fp,
            [&](std::string_view k, const YAML::Node& s, const std::string& sp) {
              if (k == "capacity") return r.read(s, sp, obj.spec.capacity), true;
              if (k == "accessModes") return r.read(s, sp, obj.spec.access_modes), true;
              if (k == "persistentVolumeReclaimPolicy")
                return r.read_enum(s, sp, obj.spec.policy,
                                   {{"Retain", model::reclaim_policy::retain},
                                    {"Recycle", model::reclaim_policy::recycle},
                                    {"Delete", model::reclaim_policy::delete_}}),
                       true;
              if (k == "claimRef") return decode_claim_ref(r, s, sp, obj.spec.claim_ref), true;
              // A pod's own kinds of volume are no persistent volume source.
              if (k == "emptyDir" || k == "secret" || k == "persistentVolumeClaim") return false;
              model::volume_source source;
              if (!decode_volume_source(r, k, s, sp, source)) return false;
              if (++sources > 1)
                r.add(forbidden(sp, "may not specify more than 1 volume type"));
              else
                obj.spec.source = std::move(source);
              return true;
            },
            {"mountOptions", "nodeAffinity", "storageClassName", "volumeMode", "local", "csi", "cephfs", "fc",
             "flexVolume", "flocker", "cinder", "azureFile", "azureDisk", "vsphereVolume", "quobyte",
             "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos"});
        return true;
      },
      {}, {"status"});
  return obj;
}

model::persistent_volume_claim decode_persistent_volume_claim(reader& r, const YAML::Node& n,
                                                              const std::string& path) {
  model::persistent_volume_claim obj;
  r.fields(
      n, path,
      [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
        if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
        if (key == "metadata") return decode_metadata(r, v, fp, obj.metadata), true;
        if (key != "spec") return false;
        r.fields(
            v, fp,
            [&](std::string_view k, const YAML::Node& s, const std::string& sp) {
              if (k == "accessModes") return r.read(s, sp, obj.spec.access_modes), true;
              if (k == "volumeName") return r.read(s, sp, obj.spec.volume_name), true;
              if (k != "resources") return false;
              r.fields(s, sp, [&](std::string_view rk, const YAML::Node& x, const std::string& rp) {
                if (rk == "requests") return r.read(x, rp, obj.spec.resources.requests), true;
                if (rk == "limits") return r.read(x, rp, obj.spec.resources.limits), true;
                return false;
              });
              return true;
            },
            {"selector", "storageClassName", "volumeMode", "dataSource", "dataSourceRef"});
        return true;
      },
      {}, {"status"});
  return obj;
}

}  // namespace berth::manifest::detail
