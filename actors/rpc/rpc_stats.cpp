#include "actors/rpc/rpc_stats.hpp"

#include <capnp/dynamic.h>
#include <kj/debug.h>

#include "schema/api.capnp.h"

namespace berth::rpc {

void rpc_stats::count(std::string_view method, std::string_view outcome) {
  std::lock_guard lock(mutex_);
  auto m = counts_.find(method);
  if (m == counts_.end())
    m = counts_.emplace(std::string(method), std::map<std::string, std::uint64_t, std::less<>>{}).first;
  auto o = m->second.find(outcome);
  if (o == m->second.end()) o = m->second.emplace(std::string(outcome), 0).first;
  o->second += 1;
}

std::vector<introspect::rpc_call_count> rpc_stats::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<introspect::rpc_call_count> out;
  for (const auto& [method, outcomes] : counts_)
    for (const auto& [outcome, calls] : outcomes) out.push_back({method, outcome, calls});
  return out;
}

std::string outcome_of(capnp::InterfaceSchema::Method method, capnp::AnyPointer::Builder results) {
  auto type = method.getResultType();
  KJ_IF_MAYBE (field, type.findFieldByName("outcome")) {
    auto field_type = field->getType();
    if (!field_type.isStruct() || field_type.asStruct() != capnp::Schema::from<schema::Outcome>()) return "ok";
    auto outcome = results.getAs<capnp::DynamicStruct>(type).get(*field).as<schema::Outcome>();
    switch (outcome.which()) {
      case schema::Outcome::OK: return "ok";
      case schema::Outcome::INVALID: return "invalid";
      case schema::Outcome::NOT_FOUND: return "not_found";
      case schema::Outcome::ALREADY_EXISTS: return "already_exists";
      case schema::Outcome::CONFLICT: return "conflict";
      case schema::Outcome::FORBIDDEN: return "forbidden";
    }
    return "unknown";  // a union member newer than this build
  }
  return "ok";
}

capnp::Capability::Server::DispatchCallResult count_calls(
    rpc_stats& stats, capnp::InterfaceSchema iface, std::uint64_t interface_id, std::uint16_t method_id,
    capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context,
    kj::FunctionParam<capnp::Capability::Server::DispatchCallResult()> dispatch) {
  auto methods = iface.getMethods();
  // Not one of iface's own methods: the generated code refuses it.
  if (interface_id != iface.getProto().getId() || method_id >= methods.size()) return dispatch();
  auto method = methods[method_id];
  std::string name = kj::str(iface.getShortDisplayName(), ".", method.getProto().getName()).cStr();
  auto dispatched = [&] {
    try {
      return dispatch();  // methods that refuse at once (login) throw right here
    } catch (...) {
      stats.count(name, "error");
      throw;
    }
  }();
  // The context (and its results) lives until the RPC system has sent the
  // return, which it does after this promise resolves.
  auto counted = dispatched.promise.then(
      [&stats, name, method, context]() mutable { stats.count(name, outcome_of(method, context.getResults())); },
      [&stats, name](kj::Exception&& e) {
        stats.count(name, "error");
        kj::throwFatalException(kj::mv(e));
      });
  return {kj::mv(counted), dispatched.isStreaming};
}

}  // namespace berth::rpc
