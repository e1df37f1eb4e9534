#pragma once
// A raw Cap'n Proto client of berthd's RPC port for tests that call the
// schema directly (as EzRpcClient would, but over TLS pinning berthd's CA,
// the way the CLI and agents connect).

#include <memory>
#include <string>

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include "actors/rpc/dial.hpp"

namespace berth::testing {

class tls_rpc_client {
 public:
  tls_rpc_client(const std::string& address, const rpc::rpc_security& security)
      : stream_(rpc::dial_rpc(io_->provider->getNetwork(), address, security).wait(io_->waitScope)),
        rpc_(*stream_) {}

  template <class T>
  typename T::Client getMain() {
    return rpc_.bootstrap().castAs<T>();
  }
  kj::WaitScope& getWaitScope() { return io_->waitScope; }

 private:
  std::shared_ptr<kj::AsyncIoContext> io_ = rpc::thread_async_io();  // shared with cli::client on this thread
  kj::Own<kj::AsyncIoStream> stream_;
  capnp::TwoPartyClient rpc_;
};

}  // namespace berth::testing
