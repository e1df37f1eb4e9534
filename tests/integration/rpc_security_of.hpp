#pragma once
// What a test's RPC client pins to reach a berthd_process: its cluster CA
// (DATA/ca.crt), as the CLI and agents do.

#include <stdexcept>

#include "actors/rpc/rpc_security.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::testing {

inline rpc::rpc_security security_of(const berthd_process& b) {
  rpc::rpc_security s;
  if (auto why = rpc::load_ca_file(b.ca_file(), s); !why.empty()) throw std::runtime_error(why);
  return s;
}

}  // namespace berth::testing
