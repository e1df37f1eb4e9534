#include "actors/kube/exec_request.hpp"

#include <fmt/format.h>

#include "actors/kube/request_target.hpp"

namespace berth::kube {
namespace {

/// Go's strconv.ParseBool subset the apiserver's query decoding accepts.
std::optional<bool> parse_bool(std::string_view v) {
  if (v == "true" || v == "True" || v == "TRUE" || v == "1" || v == "t" || v == "T") return true;
  if (v == "false" || v == "False" || v == "FALSE" || v == "0" || v == "f" || v == "F") return false;
  return std::nullopt;
}

}  // namespace

std::optional<exec_request> parse_exec_request(std::string_view query, bool attach, std::string& error) {
  std::string decode_error;
  auto pairs = parse_query_pairs(query, decode_error);
  if (!decode_error.empty()) {
    error = decode_error;
    return std::nullopt;
  }
  exec_request r;
  for (const auto& [key, value] : pairs) {
    bool* flag = key == "stdin"    ? &r.stdin_
                 : key == "stdout" ? &r.stdout_
                 : key == "stderr" ? &r.stderr_
                 : key == "tty"    ? &r.tty
                                   : nullptr;
    if (flag != nullptr) {
      auto b = parse_bool(value);
      if (!b) {
        error = fmt::format("{}: expected true or false, not \"{}\"", key, value);
        return std::nullopt;
      }
      *flag = *b;
    } else if (key == "container") {
      r.container = value;
    } else if (key == "command") {
      if (attach) {
        error = "command: attach takes no command (it joins the container's main process)";
        return std::nullopt;
      }
      r.command.push_back(value);
    }
  }
  if (!attach && r.command.empty()) {
    error = "command: required, the command to run and its arguments (command=ls&command=-l)";
    return std::nullopt;
  }
  if (!r.stdin_ && !r.stdout_ && !r.stderr_) {
    error = "you must specify at least 1 of stdin, stdout, stderr";
    return std::nullopt;
  }
  if (r.tty && r.stderr_) {
    error = "tty and stderr cannot both be true (a terminal merges stderr into stdout)";
    return std::nullopt;
  }
  return r;
}

}  // namespace berth::kube
