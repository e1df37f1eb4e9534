#pragma once
// `berth get`'s tables: kubectl's columns per kind, as cell lines for
// tabwriter.hpp. Pure: the command layer fetches, these only arrange.
//
//   pods       NAME READY STATUS RESTARTS AGE              (wide: + IP NODE)
//   rc         NAME DESIRED CURRENT READY AGE               (wide: + CONTAINERS IMAGES SELECTOR)
//   services   NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (wide: + SELECTOR)
//   endpoints  NAME ENDPOINTS AGE
//   nodes      NAME STATUS AGE VERSION                      (wide: + INTERNAL-IP EXTERNAL-IP OS-IMAGE
//                                                                   KERNEL-VERSION CONTAINER-RUNTIME)
// With all namespaces, NAMESPACE comes first (not for nodes: cluster-scoped).

#include <cstdint>
#include <optional>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/manifest/columns.hpp"
#include "cli/tabwriter.hpp"

namespace berth::cli {

struct table_options {
  bool wide = false;
  bool with_namespace = false;
  model::time_ns now = 0;    // for AGE
  bool show_labels = false;  // --show-labels: a last LABELS column, as kubectl
};

using manifest::rc_counts;
using manifest::rc_counts_from_pods;
using manifest::rc_counts_from_status;

/// The header line of `k`'s table.
cell_line object_header(actors::kind k, const table_options& options);

/// One object's row. `counts` is used for RCs (default: from status, else 0/0).
cell_line object_row(const actors::any_object& o, const table_options& options,
                     std::optional<rc_counts> counts = std::nullopt);

}  // namespace berth::cli
