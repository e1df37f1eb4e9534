#pragma once
// Pieces shared by describe.cpp and describe_pod.cpp (internal to the CLI).

#include <string>

#include "actors/model/objects.hpp"
#include "cli/tabwriter.hpp"

namespace berth::cli::detail {

/// Collects describe's lines; tab_layout(min 0, padding 2) aligns them.
class describe_lines {
 public:
  /// "<indent>Key:\tvalue" ("<none>" for an empty value).
  void field(int indent, const std::string& key, const std::string& value);
  /// "<indent>text" on a line of its own (a section title such as "Containers:").
  void text(int indent, const std::string& text);
  /// A section title followed by "k=v" lines (kubectl's Labels:, Annotations:).
  void map(int indent, const std::string& key, const model::string_map& m);
  /// A row of a sub-table (cells already split); the first cell gets the indent.
  void row(int indent, cell_line cells);
  /// Key/value lines of a resource list ("cpu:\t100m").
  void resources(int indent, const std::string& title, const model::resource_list& r);

  std::string str() const;

 private:
  cell_lines lines_;
};

/// Describes a pod's containers (with their statuses when `status` is given).
void describe_containers(describe_lines& out, int indent, const model::pod_spec& spec, const model::pod_status* status);

/// The pod's own lines (everything but Events).
void describe_pod(describe_lines& out, const model::pod& p);

}  // namespace berth::cli::detail
