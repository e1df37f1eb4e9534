#pragma once
// meta.k8s.io/v1 Table bodies: what `kubectl get` asks for (Accept
// `application/json;as=Table;v=v1;g=meta.k8s.io,...`) and prints verbatim.
// Without them kubectl falls back to NAME and AGE only.
//
// Columns are Kubernetes' printers' (pkg/printers/internalversion/printers.go):
//
//   pods        Name Ready Status Restarts Age | IP Node "Nominated Node" "Readiness Gates"
//   rc          Name Desired Current Ready Age | Containers Images Selector
//   services    Name Type Cluster-IP External-IP Port(s) Age | Selector
//   endpoints   Name Endpoints Age
//   nodes       Name Status Roles Age Version | Internal-IP External-IP OS-Image
//                                               Kernel-Version Container-Runtime
//   events      "Last Seen" Type Reason Object (Subobject Source) Message
//               ("First Seen" Count Name)
//   namespaces  Name Status Age
//   secrets     Name Type Data Age
//   limitranges Name Age
//   resourcequotas Name Age
//   cs          Name Status Message Error
//
// (after "|", and in parentheses: priority 1, shown by `-o wide`). Every row
// carries every column's cell; kubectl hides the priority 1 ones itself. A
// row's `object` is a PartialObjectMetadata (the apiserver's default
// includeObject=Metadata), which is what `--show-labels` reads. Cell text
// comes from actors/manifest/columns.hpp, shared with `berth get`. Ages are
// relative to the caller's `now`. Pure.

#include <cstdint>
#include <span>
#include <string>

#include "actors/kube/objects_json.hpp"
#include "actors/model/objects.hpp"

namespace berth::kube {

/// True when `accept` prefers a Table (meta.k8s.io v1 or v1beta1) to plain
/// JSON: the first range berthd can produce decides, as kubectl lists them by
/// preference.
bool wants_table(const std::string& accept);

struct table_options {
  model::time_ns now = 0;              // for Age, Last Seen, First Seen
  std::uint64_t resource_version = 0;  // metadata.resourceVersion: what `get -w` watches from
  /// False for every watch event after the first: the apiserver sends the
  /// column definitions once (NoHeaders), and kubectl prints one header.
  bool column_definitions = true;
};

/// The Table of `objects`, one row each, in the order given. One line, no newline.
std::string table_json(std::span<const model::pod> objects, const table_options& options);
std::string table_json(std::span<const model::replication_controller> objects, const table_options& options);
std::string table_json(std::span<const model::service> objects, const table_options& options);
std::string table_json(std::span<const model::endpoints> objects, const table_options& options);
std::string table_json(std::span<const model::node> objects, const table_options& options);
std::string table_json(std::span<const event_object> objects, const table_options& options);
std::string table_json(std::span<const namespace_object> objects, const table_options& options);
std::string table_json(std::span<const model::secret> objects, const table_options& options);
std::string table_json(std::span<const model::limit_range> objects, const table_options& options);
std::string table_json(std::span<const model::resource_quota> objects, const table_options& options);
std::string table_json(std::span<const model::persistent_volume> objects, const table_options& options);
std::string table_json(std::span<const model::persistent_volume_claim> objects, const table_options& options);
std::string table_json(std::span<const model::pod_template> objects, const table_options& options);
std::string table_json(std::span<const component_status> objects, const table_options& options);

}  // namespace berth::kube
