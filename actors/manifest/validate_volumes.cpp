// Validation of pod volumes and container volume mounts, with Kubernetes v1's
// field paths and wording (volumes_internal.hpp).
#include <set>

#include "actors/manifest/validate_internal.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

bool has_backstep(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

void require(const std::string& value, const std::string& path, field_errors& errors) {
  if (value.empty()) errors.push_back(required(path));
}

/// An absolute path without ".." elements (hostPath.path, nfs.path, mountPath).
void validate_absolute(const std::string& value, const std::string& path, field_errors& errors) {
  if (value.empty()) return errors.push_back(required(path));
  if (value.front() != '/') errors.push_back(invalid(path, value, "must be an absolute path"));
  if (has_backstep(value)) errors.push_back(invalid(path, value, "must not contain '..'"));
}

/// A path inside a volume (subPath, secret items): relative, no "..".
void validate_relative(const std::string& value, const std::string& path, field_errors& errors) {
  if (value.empty()) return;
  if (value.front() == '/') errors.push_back(invalid(path, value, "must be a relative path"));
  if (has_backstep(value)) errors.push_back(invalid(path, value, "must not contain '..'"));
}

void validate_mode(std::int32_t mode, const std::string& path, field_errors& errors) {
  if (mode < 0 || mode > 0777)
    errors.push_back(invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive"));
}

/// One check per source type; `p` is the source's path (spec.volumes[i].nfs).
struct source_validator {
  const std::string& p;
  field_errors& errors;

  std::string at(std::string_view field) const { return child_path(p, field); }

  void operator()(const model::empty_dir_volume& s) const {
    if (!s.medium.empty() && s.medium != "Memory") errors.push_back(unsupported(at("medium"), s.medium, {"", "Memory"}));
  }
  void operator()(const model::host_path_volume& s) const { validate_absolute(s.path, at("path"), errors); }
  void operator()(const model::secret_volume& s) const {
    require(s.secret_name, at("secretName"), errors);
    validate_mode(s.default_mode, at("defaultMode"), errors);
    for (std::size_t i = 0; i < s.items.size(); ++i) {
      std::string item = index_path(at("items"), i);
      require(s.items[i].key, child_path(item, "key"), errors);
      require(s.items[i].path, child_path(item, "path"), errors);
      validate_relative(s.items[i].path, child_path(item, "path"), errors);
      if (s.items[i].mode) validate_mode(*s.items[i].mode, child_path(item, "mode"), errors);
    }
  }
  void operator()(const model::persistent_volume_claim_volume& s) const {
    require(s.claim_name, at("claimName"), errors);
  }
  void operator()(const model::nfs_volume& s) const {
    require(s.server, at("server"), errors);
    validate_absolute(s.path, at("path"), errors);
  }
  void operator()(const model::gce_persistent_disk_volume& s) const {
    require(s.pd_name, at("pdName"), errors);
    if (s.partition < 0 || s.partition > 255)
      errors.push_back(invalid(at("partition"), s.partition, "must be between 0 and 255, inclusive"));
  }
  void operator()(const model::aws_elastic_block_store_volume& s) const {
    require(s.volume_id, at("volumeID"), errors);
    if (s.partition < 0 || s.partition > 255)
      errors.push_back(invalid(at("partition"), s.partition, "must be between 0 and 255, inclusive"));
  }
  void operator()(const model::iscsi_volume& s) const {
    require(s.target_portal, at("targetPortal"), errors);
    require(s.iqn, at("iqn"), errors);
    if (s.lun < 0 || s.lun > 255) errors.push_back(invalid(at("lun"), s.lun, "must be between 0 and 255, inclusive"));
  }
  void operator()(const model::rbd_volume& s) const {
    if (s.monitors.empty()) errors.push_back(required(at("monitors")));
    require(s.image, at("image"), errors);
  }
  void operator()(const model::glusterfs_volume& s) const {
    require(s.endpoints, at("endpoints"), errors);
    require(s.path, at("path"), errors);
  }
};

}  // namespace

void validate_volume_source(const model::volume_source& source, const std::string& path, field_errors& errors) {
  std::visit(source_validator{path, errors}, source);
}

void validate_volumes(const std::vector<model::volume>& volumes, const std::string& path, field_errors& errors) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    const auto& v = volumes[i];
    std::string p = index_path(path, i);
    std::string name_path = child_path(p, "name");
    if (v.name.empty()) {
      errors.push_back(required(name_path));
    } else {
      add_invalid(errors, name_path, v.name, check_dns1123_label(v.name));
      if (!names.insert(v.name).second) errors.push_back(duplicate(name_path, v.name));
    }
    std::visit(source_validator{child_path(p, model::volume_type_name(v.source)), errors}, v.source);
  }
}

void validate_volume_mounts(const std::vector<model::volume_mount>& mounts, const std::vector<model::volume>& volumes,
                            const std::string& path, field_errors& errors) {
  std::set<std::string> mount_paths;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const auto& m = mounts[i];
    std::string p = index_path(path, i);
    if (m.name.empty()) {
      errors.push_back(required(child_path(p, "name")));
    } else if (std::none_of(volumes.begin(), volumes.end(), [&](const auto& v) { return v.name == m.name; })) {
      errors.push_back(not_found(child_path(p, "name"), m.name));
    }
    std::string mount_path = child_path(p, "mountPath");
    validate_absolute(m.mount_path, mount_path, errors);
    if (!m.mount_path.empty() && !mount_paths.insert(m.mount_path).second)
      errors.push_back(invalid(mount_path, m.mount_path, "must be unique"));
    validate_relative(m.sub_path, child_path(p, "subPath"), errors);
  }
}

}  // namespace berth::manifest::detail
