#include "cli/tables.hpp"

#include <fmt/format.h>

#include "cli/format.hpp"

namespace berth::cli {
namespace {

cell_line header_of(actors::kind k, bool wide) {
  switch (k) {
    case actors::kind::pod:
      if (wide) return {"NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"};
      return {"NAME", "READY", "STATUS", "RESTARTS", "AGE"};
    case actors::kind::replication_controller:
      if (wide) return {"NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"};
      return {"NAME", "DESIRED", "CURRENT", "READY", "AGE"};
    case actors::kind::service:
      if (wide) return {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"};
      return {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"};
    case actors::kind::endpoints: return {"NAME", "ENDPOINTS", "AGE"};
    case actors::kind::node:
      if (wide)
        return {"NAME",           "STATUS",           "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
                "KERNEL-VERSION", "CONTAINER-RUNTIME"};
      return {"NAME", "STATUS", "AGE", "VERSION"};
    case actors::kind::namespace_: return {"NAME", "STATUS", "AGE"};
    case actors::kind::secret: return {"NAME", "TYPE", "DATA", "AGE"};
    case actors::kind::limit_range:
    case actors::kind::resource_quota: return {"NAME", "AGE"};
    case actors::kind::persistent_volume:
      return {"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "REASON", "AGE"};
    case actors::kind::persistent_volume_claim:
      return {"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"};
    case actors::kind::pod_template: return {"NAME", "CONTAINERS", "IMAGES", "POD LABELS"};
  }
  return {"NAME"};
}

std::string or_none(const std::string& s) { return s.empty() ? "<none>" : s; }

cell_line pod_row(const model::pod& p, const table_options& o) {
  auto s = pod_summary(p);
  cell_line row{p.metadata.name, s.ready, s.status, std::to_string(s.restarts),
                format_age(p.metadata.creation_timestamp, o.now)};
  if (o.wide) {
    row.push_back(or_none(p.status.pod_ip));
    row.push_back(or_none(p.spec.node_name));
  }
  return row;
}

cell_line rc_row(const model::replication_controller& rc, const table_options& o, rc_counts counts) {
  cell_line row{rc.metadata.name, std::to_string(rc.spec.replicas), std::to_string(counts.current),
                std::to_string(counts.ready), format_age(rc.metadata.creation_timestamp, o.now)};
  if (o.wide) {
    std::vector<std::string> names, images;
    for (const auto& c : rc.spec.template_.spec.containers) {
      names.push_back(c.name);
      images.push_back(c.image);
    }
    row.push_back(or_none(fmt::format("{}", fmt::join(names, ","))));
    row.push_back(or_none(fmt::format("{}", fmt::join(images, ","))));
    row.push_back(labels_text(rc.spec.selector));
  }
  return row;
}

cell_line service_row(const model::service& s, const table_options& o) {
  cell_line row{s.metadata.name,       service_type_name(s.spec.type),
                service_cluster_ip(s), service_external_ip(s),
                service_ports(s),      format_age(s.metadata.creation_timestamp, o.now)};
  if (o.wide) row.push_back(labels_text(s.spec.selector));
  return row;
}

std::string address_of(const model::node& n, const char* type) {
  for (const auto& a : n.status.addresses) {
    if (a.type == type) return a.address;
  }
  return "<none>";
}

cell_line node_row(const model::node& n, const table_options& o) {
  const auto& info = n.status.node_info;
  cell_line row{n.metadata.name, node_status(n), format_age(n.metadata.creation_timestamp, o.now),
                or_none(info.kubelet_version)};
  if (o.wide) {
    for (auto v : {address_of(n, "InternalIP"), address_of(n, "ExternalIP"), or_none(info.os_image),
                   or_none(info.kernel_version), or_none(info.container_runtime_version)}) {
      row.push_back(v);
    }
  }
  return row;
}

}  // namespace

cell_line object_header(actors::kind k, const table_options& options) {
  cell_line header = header_of(k, options.wide);
  const bool cluster_scoped = model::is_cluster_scoped(k);
  if (options.with_namespace && !cluster_scoped) header.insert(header.begin(), "NAMESPACE");
  if (options.show_labels) header.push_back("LABELS");
  return header;
}

namespace {

cell_line row_of(const actors::any_object& o, const table_options& options, std::optional<rc_counts> counts) {
  cell_line row;
  if (const auto* p = std::get_if<model::pod>(&o)) row = pod_row(*p, options);
  if (const auto* rc = std::get_if<model::replication_controller>(&o)) {
    if (!counts) counts = rc_counts_from_status(*rc);
    row = rc_row(*rc, options, counts.value_or(rc_counts{}));
  }
  if (const auto* s = std::get_if<model::service>(&o)) row = service_row(*s, options);
  if (const auto* e = std::get_if<model::endpoints>(&o)) {
    row = {e->metadata.name, endpoints_text(*e), format_age(e->metadata.creation_timestamp, options.now)};
  }
  if (const auto* n = std::get_if<model::node>(&o)) return node_row(*n, options);
  if (const auto* ns = std::get_if<model::namespace_object>(&o))
    return {ns->metadata.name, model::phase_name(ns->status.phase),
            format_age(ns->metadata.creation_timestamp, options.now)};
  if (const auto* x = std::get_if<model::secret>(&o))
    row = {x->metadata.name, x->type, x->sealed.empty() ? std::to_string(x->data.size()) : "<encrypted>",
           format_age(x->metadata.creation_timestamp, options.now)};
  if (const auto* v = std::get_if<model::persistent_volume>(&o)) return manifest::volume_cells(*v, options.now);
  if (const auto* c = std::get_if<model::persistent_volume_claim>(&o)) row = manifest::claim_cells(*c, options.now);
  if (const auto* t = std::get_if<model::pod_template>(&o)) row = manifest::pod_template_cells(*t);
  if (std::holds_alternative<model::limit_range>(o) || std::holds_alternative<model::resource_quota>(o))
    row = {actors::meta_of(o).name, format_age(actors::meta_of(o).creation_timestamp, options.now)};
  if (options.with_namespace) row.insert(row.begin(), actors::meta_of(o).namespace_);
  return row;
}

}  // namespace

cell_line object_row(const actors::any_object& o, const table_options& options, std::optional<rc_counts> counts) {
  cell_line row = row_of(o, options, counts);
  if (options.show_labels) row.push_back(labels_text(actors::meta_of(o).labels));
  return row;
}

}  // namespace berth::cli
