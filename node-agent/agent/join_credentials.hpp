#pragma once
// What the agent presents to berthd and how it knows berthd: the node token,
// and the CA it pins. From, in order:
//
//   --join-token K10<hash>::<token>  (or such a token in --token-file): the
//       CA is found on berthd's TLS port by its key hash (pki/join.hpp), so a
//       machine that has only the token joins safely;
//   --ca-file F: that CA (checked against a join token's hash when both);
//   else ca.crt beside --token-file (berthd writes them side by side);
//   --insecure-rpc: no CA, plain TCP (tests only).

#include <string>

#include "actors/rpc/rpc_security.hpp"
#include "node-agent/agent/agent_options.hpp"

namespace berth::agent {

struct join_credentials {
  std::string token;  // the node token join() presents
  rpc::rpc_security security;
};

/// Reads the token, parses a join token, finds and loads the CA (dialling
/// berthd for a join token without --ca-file). "" = done, else why not.
std::string resolve_join_credentials(const agent_options& o, join_credentials& out);

}  // namespace berth::agent
