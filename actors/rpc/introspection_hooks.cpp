// berthd's Introspection capability: its own actors from the registry, and
// for `nodes` the actors of every connected agent, asked over the agents'
// NodeAgent links (so the console sees agents without reaching them itself).
#include <kj/debug.h>

#include "actors/introspect/introspection_service.hpp"
#include "actors/rpc/rpc_internal.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

constexpr auto k_agent_timeout = 5 * kj::SECONDS;

struct agent_answer {
  std::string node;
  std::string error;
  kj::Maybe<capnp::Response<schema::NodeAgent::ActorsResults>> response;
};

kj::Promise<agent_answer> ask_agent(kj::Timer& timer, std::string node, schema::NodeAgent::Client agent) {
  auto call = agent.actorsRequest().send().then(
      [node](capnp::Response<schema::NodeAgent::ActorsResults>&& r) {
        return agent_answer{node, "", kj::mv(r)};
      },
      [node](kj::Exception&& e) {
        return agent_answer{node, text::describe(e), nullptr};
      });
  auto timeout = timer.afterDelay(k_agent_timeout).then([node] {
    return agent_answer{node, "the agent did not answer within 5 s", nullptr};
  });
  return call.exclusiveJoin(kj::mv(timeout));
}

kj::Promise<void> agents_actors(
    server_context& ctx,
    capnp::CallContext<schema::Introspection::NodesParams, schema::Introspection::NodesResults> c) {
  auto agents = ctx.agents.all();
  kj::Vector<kj::Promise<agent_answer>> asks;
  for (auto& [node, client] : agents) asks.add(ask_agent(*ctx.timer, node, client));
  return kj::joinPromises(asks.releaseAsArray()).then([c](kj::Array<agent_answer> answers) mutable {
    std::sort(answers.begin(), answers.end(), [](const auto& a, const auto& b) { return a.node < b.node; });
    auto out = c.getResults().initNodes(static_cast<unsigned>(answers.size()));
    for (unsigned i = 0; i < answers.size(); ++i) {
      out[i].setNode(answers[i].node);
      out[i].setError(answers[i].error);
      KJ_IF_MAYBE (r, answers[i].response) {
        out[i].setActors(r->getActors());
      }
    }
  });
}

}  // namespace

schema::Introspection::Client make_berthd_introspection(server_context& ctx) {
  if (ctx.config.registry == nullptr) throw KJ_EXCEPTION(FAILED, "this berthd keeps no actor registry");
  introspect::service_hooks hooks;
  hooks.role = "berthd";
  hooks.version = ctx.config.version;
  hooks.started_ns = ctx.config.started_ns;
  hooks.metrics_text = [&ctx] { return berthd_metrics_text(ctx); };
  hooks.nodes = [&ctx](capnp::CallContext<schema::Introspection::NodesParams, schema::Introspection::NodesResults> c) {
    return agents_actors(ctx, c);
  };
  return introspect::make_introspection(*ctx.config.registry, *ctx.timer, std::move(hooks));
}

}  // namespace berth::rpc
