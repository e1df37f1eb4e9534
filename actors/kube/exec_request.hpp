#pragma once
// What `pods/{name}/exec` and `pods/{name}/attach` ask for, from their query
// string (k8s.io/api core/v1 PodExecOptions / PodAttachOptions):
//
//   exec:   command=ARG (repeated, in order; at least one) container=NAME
//           stdin= stdout= stderr= tty=     (booleans: true|false|1|0)
//   attach: the same without command
//
// and the apiserver's checks: at least one of stdin, stdout, stderr; tty and
// stderr not both (a terminal merges the two). Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::kube {

struct exec_request {
  std::string container;             // "" = the pod's only container
  std::vector<std::string> command;  // exec only
  bool stdin_ = false;
  bool stdout_ = false;
  bool stderr_ = false;
  bool tty = false;

  bool operator==(const exec_request&) const = default;
};

/// Parses the query (still percent-encoded) of an exec (`attach` false) or
/// attach request. On bad input sets `error` to a message naming the
/// parameter ("stdin: expected true or false, not \"yes\"") and returns nullopt.
/// Unknown parameters are ignored, as the apiserver does.
std::optional<exec_request> parse_exec_request(std::string_view query, bool attach, std::string& error);

}  // namespace berth::kube
