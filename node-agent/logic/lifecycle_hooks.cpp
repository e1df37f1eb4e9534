#include "node-agent/logic/lifecycle_hooks.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace berth::agent {
namespace {

constexpr std::size_t k_block = 512;

/// An octal tar header field (NUL or space terminated); nullopt if malformed.
std::optional<std::uint64_t> octal(std::string_view field) {
  std::uint64_t v = 0;
  bool any = false;
  for (char ch : field) {
    if (ch == '\0' || ch == ' ') {
      if (any) break;
      continue;
    }
    if (ch < '0' || ch > '7') return std::nullopt;
    v = v * 8 + static_cast<std::uint64_t>(ch - '0');
    any = true;
  }
  return v;
}

}  // namespace

std::optional<std::string> tar_first_file(std::string_view tar, std::size_t max_bytes) {
  std::size_t at = 0;
  while (at + k_block <= tar.size()) {
    std::string_view header = tar.substr(at, k_block);
    if (std::all_of(header.begin(), header.end(), [](char ch) { return ch == '\0'; })) return std::nullopt;  // end
    auto size = octal(header.substr(124, 12));
    if (!size) return std::nullopt;
    char type = header[156];
    std::size_t data = at + k_block;
    if (type == '0' || type == '\0') {
      if (data > tar.size()) return std::nullopt;
      std::size_t n = std::min<std::uint64_t>({*size, max_bytes, tar.size() - data});
      return std::string(tar.substr(data, n));
    }
    // PAX and GNU long-name records, directories, links: skip their data.
    at = data + (*size + k_block - 1) / k_block * k_block;
  }
  return std::nullopt;
}

std::string log_tail(std::string_view log, std::size_t lines, std::size_t bytes) {
  // A trailing newline ends the last line; it does not start another one.
  std::size_t end = log.size();
  std::size_t start = end;
  std::size_t seen = 0;
  std::size_t scan = end > 0 && log[end - 1] == '\n' ? end - 1 : end;
  while (scan > 0) {
    if (log[scan - 1] == '\n') {
      if (++seen == lines) break;
    }
    --scan;
  }
  start = scan;
  if (end - start > bytes) start = end - bytes;
  return std::string(log.substr(start));
}

bool wants_log_fallback(model::termination_message_policy policy, std::string_view file_message,
                        std::int32_t exit_code) {
  return policy == model::termination_message_policy::fallback_to_logs_on_error && file_message.empty() &&
         exit_code != 0;
}

std::int64_t grace_after_pre_stop(std::int64_t grace_seconds, model::time_ns elapsed) {
  std::int64_t used = elapsed <= 0 ? 0 : (elapsed + 999'999'999) / 1'000'000'000;  // a started second counts
  return std::max(grace_seconds - used, k_min_grace_after_pre_stop);
}

const model::container* spec_container(const model::pod& pod, std::string_view name) {
  for (const auto& c : pod.spec.containers)
    if (c.name == name) return &c;
  return nullptr;
}

const model::lifecycle_handler* post_start_hook(const model::container& c) {
  return c.lifecycle_ && c.lifecycle_->post_start ? &*c.lifecycle_->post_start : nullptr;
}

const model::lifecycle_handler* pre_stop_hook(const model::container& c) {
  return c.lifecycle_ && c.lifecycle_->pre_stop ? &*c.lifecycle_->pre_stop : nullptr;
}

hook_port resolve_hook_port(const model::lifecycle_handler& h, const model::container& c, const std::string& field) {
  const model::int_or_string* port = nullptr;
  if (const auto* http = std::get_if<model::http_get_action>(&h)) port = &http->port;
  if (const auto* tcp = std::get_if<model::tcp_socket_action>(&h)) port = &tcp->port;
  if (port == nullptr) return {};
  if (const auto* n = std::get_if<std::int32_t>(&port->value)) {
    if (*n < 1 || *n > 65535) return {0, fmt::format("{}: invalid port number: {}", field, *n)};
    return {*n, ""};
  }
  if (const auto* name = std::get_if<std::string>(&port->value)) {
    for (const auto& p : c.ports)
      if (p.name == *name) return {p.container_port, ""};
    return {0, fmt::format("{}: couldn't find port \"{}\" in container \"{}\"", field, *name, c.name)};
  }
  return {0, fmt::format("{}: no port given", field)};
}

std::string hook_failure_message(std::string_view hook, const model::lifecycle_handler& h, std::string_view error) {
  if (const auto* e = std::get_if<model::exec_action>(&h))
    return fmt::format("{} hook (exec {}) failed: {}", hook, fmt::join(e->command, " "), error);
  if (const auto* http = std::get_if<model::http_get_action>(&h))
    return fmt::format("{} hook (httpGet {}) failed: {}", hook, http->path, error);
  return fmt::format("{} hook (tcpSocket) failed: {}", hook, error);
}

}  // namespace berth::agent
