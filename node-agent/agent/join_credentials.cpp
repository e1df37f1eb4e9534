#include "node-agent/agent/join_credentials.hpp"

#include <fmt/format.h>

#include "actors/pki/join.hpp"
#include "actors/tokens.hpp"

namespace berth::agent {

std::string resolve_join_credentials(const agent_options& o, join_credentials& out) {
  std::string text = o.join_token;
  if (text.empty()) {
    std::string error;
    text = actors::read_token_file(o.token_file, error);
    if (!error.empty()) return error;
  }
  auto parsed = pki::parse_join_token(text);
  if (!parsed.ok()) return parsed.error();
  out.token = parsed.value().secret;
  out.security = {};
  if (o.insecure_rpc) {
    out.security.insecure = true;
    return "";
  }
  const auto& pinned = parsed.value().ca_fingerprint;
  if (o.ca_file.empty() && !pinned.empty()) {
    auto [host, port] = rpc::split_address(o.server);
    auto ca = pki::discover_ca(host, port, pinned);
    if (!ca.ok()) return ca.error();
    out.security.ca_pem = ca.value();
    out.security.ca_origin = fmt::format("the CA berthd at {} sent, pinned by the join token ({})", o.server, pinned);
    return "";
  }
  auto file = ca_file_of(o);
  if (auto why = rpc::load_ca_file(file, out.security); !why.empty())
    return fmt::format("{} (the cluster CA: --ca-file, a join token, or ca.crt beside --token-file)", why);
  if (!pinned.empty()) {
    auto fp = pki::ca_fingerprint(out.security.ca_pem);
    if (!fp.ok()) return fmt::format("{}: {}", file, fp.error());
    if (fp.value() != pinned)
      return fmt::format("{} is not the CA the join token pins: its key hash is {}, the token's {}", file, fp.value(),
                         pinned);
  }
  return "";
}

}  // namespace berth::agent
