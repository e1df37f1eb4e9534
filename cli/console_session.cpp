#include "cli/console_session.hpp"

#include <capnp/compat/json.h>
#include <capnp/rpc-twoparty.h>
#include <fmt/format.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include "actors/rpc/dial.hpp"
#include "schema/api.capnp.h"
#include "schema/introspect.capnp.h"
#include "actors/text/kj_describe.hpp"

namespace berth::cli {
namespace {

actor_row from_capnp(schema::ActorInfo::Reader a) {
  actor_row r;
  r.id = a.getId();
  r.name = a.getName();
  r.kind = a.getKind();
  r.object = a.getObject();
  r.parent = a.getParent();
  r.parent_name = a.getParentName();
  r.owner = a.getOwner();
  r.spawned_ns = a.getSpawnedNs();
  r.mailbox = a.getMailbox();
  r.handled = a.getHandled();
  r.rate = a.getRatePerSecond();
  auto h = a.getProcessing();
  for (auto b : h.getBoundsSeconds()) r.processing.bounds.push_back(b);
  for (auto c : h.getCounts()) r.processing.counts.push_back(c);
  r.processing.sum_seconds = h.getSumSeconds();
  r.processing.count = h.getCount();
  r.last_message = a.getLastMessage();
  r.last_message_ns = a.getLastMessageNs();
  r.tracing = a.getTracing();
  return r;
}

trace_row from_capnp(schema::TraceEvent::Reader e) {
  return {e.getSeq(),    e.getTimeNs(), e.getDirection(), e.getPeer(),
          e.getPeerId(), e.getType(),   e.getBytes(),     e.getText()};
}

/// What the trace sink shares with trace(): the sink may outlive the call (the
/// server holds it), so once the call is over it drops events and tells the
/// server the client has gone, which ends the trace there.
struct sink_state {
  std::function<void(const trace_row&, const std::string&)> on_event;
  capnp::JsonCodec* codec = nullptr;
  std::uint32_t events = 0;
  bool active = true;
};

class trace_sink final : public schema::TraceSink::Server {
 public:
  explicit trace_sink(std::shared_ptr<sink_state> s) : s_(std::move(s)) {}

 protected:
  kj::Promise<void> event(EventContext c) override {
    if (!s_->active) return KJ_EXCEPTION(DISCONNECTED, "client gone");
    auto e = c.getParams().getEvent();
    ++s_->events;
    s_->on_event(from_capnp(e), s_->codec->encode(e).cStr());
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<sink_state> s_;
};

kj::Promise<void> until(kj::Timer& timer, const std::function<bool()>& interrupted) {
  return timer.afterDelay(100 * kj::MILLISECONDS).then([&timer, &interrupted]() -> kj::Promise<void> {
    if (interrupted()) return kj::READY_NOW;
    return until(timer, interrupted);
  });
}

}  // namespace

struct console_session::impl {
  std::string peer;
  std::shared_ptr<kj::AsyncIoContext> shared_io = rpc::thread_async_io();  // first: outlives the rest
  kj::AsyncIoContext& io = *shared_io;
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<capnp::TwoPartyClient> rpc;
  schema::Introspection::Client intro = nullptr;
  capnp::JsonCodec codec;

  kj::WaitScope& ws() { return io.waitScope; }

  /// Waits for `promise`, turning KJ failures into client_error.
  template <class T>
  T wait(kj::Promise<T>&& promise) {
    try {
      return promise.wait(ws());
    } catch (const kj::Exception& e) {
      if (e.getType() == kj::Exception::Type::DISCONNECTED)
        throw client_error(fmt::format("cannot reach {}: {}", peer, text::describe(e)));
      throw client_error(fmt::format("{}: {}", peer, text::describe(e)));
    }
  }

  /// Connects (TLS or plain TCP as `security` says); the bootstrap capability.
  capnp::Capability::Client open(const std::string& address, unsigned default_port,
                                 const rpc::rpc_security& security) {
    stream = wait(rpc::dial_rpc(io.provider->getNetwork(), address, security, default_port));
    rpc = kj::heap<capnp::TwoPartyClient>(*stream);
    return rpc->bootstrap();
  }
};

console_session::console_session(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
console_session::~console_session() = default;

std::unique_ptr<console_session> console_session::connect_berthd(const std::string& server, const std::string& token,
                                                                 const rpc::rpc_security& security) {
  auto i = std::make_unique<impl>();
  i->peer = "berthd at " + server;
  auto login = i->open(server, 7420, security).castAs<schema::Gateway>().loginRequest();
  login.setToken(token);
  auto cluster = i->wait(login.send()).getCluster();
  i->intro = i->wait(cluster.introspectionRequest().send()).getIntrospection();
  return std::unique_ptr<console_session>(new console_session(std::move(i)));
}

std::unique_ptr<console_session> console_session::connect_agent(const std::string& address, const std::string& token) {
  auto i = std::make_unique<impl>();
  i->peer = "the agent at " + address;
  rpc::rpc_security plain;
  plain.insecure = true;  // an agent's introspection port is plain TCP (loopback by default)
  auto login = i->open(address, 0, plain).castAs<schema::AgentGateway>().loginRequest();
  login.setToken(token);
  i->intro = i->wait(login.send()).getIntrospection();
  // Pipelined capabilities fail late: ask once now so a refused token is
  // reported at connect time, like berthd's.
  i->wait(i->intro.processRequest().send());
  return std::unique_ptr<console_session>(new console_session(std::move(i)));
}

const std::string& console_session::peer() const { return impl_->peer; }

process_row console_session::process(std::string* json) {
  auto r = impl_->wait(impl_->intro.processRequest().send());
  auto p = r.getInfo();
  process_row out{p.getRole(), p.getVersion(), p.getStartedNs(), p.getActors(), {}};
  for (auto n : p.getNodes()) out.nodes.emplace_back(n);
  if (json) *json = impl_->codec.encode(p).cStr();
  return out;
}

std::vector<actor_row> console_session::actors(std::vector<std::string>* json) {
  auto r = impl_->wait(impl_->intro.actorsRequest().send());
  std::vector<actor_row> out;
  for (auto a : r.getActors()) {
    out.push_back(from_capnp(a));
    if (json) json->emplace_back(impl_->codec.encode(a).cStr());
  }
  return out;
}

console_session::inspect_reply console_session::inspect(const std::string& actor) {
  auto req = impl_->intro.inspectRequest();
  req.setActor(actor);
  auto r = impl_->wait(req.send());
  inspect_reply out;
  out.error = r.getError();
  if (r.hasInfo()) {
    out.info = from_capnp(r.getInfo());
    out.info_json = impl_->codec.encode(r.getInfo()).cStr();
  }
  out.state_json = r.getStateJson();
  return out;
}

console_session::trace_reply console_session::trace(
    const std::string& actor, std::uint32_t for_ms, std::uint32_t max,
    const std::function<void(const trace_row&, const std::string&)>& on_event,
    const std::function<bool()>& interrupted) {
  auto state = std::make_shared<sink_state>(sink_state{on_event, &impl_->codec, 0, true});
  auto req = impl_->intro.traceRequest();
  req.setActor(actor);
  req.setForMs(for_ms);
  req.setMax(max);
  req.setSink(kj::heap<trace_sink>(state));
  auto call = req.send().then([](capnp::Response<schema::Introspection::TraceResults>&& r) {
    return trace_reply{r.getStopped(), r.getEvents(), r.getError()};
  });
  auto stop = until(impl_->io.provider->getTimer(), interrupted).then([] {
    return trace_reply{"interrupted", 0, ""};
  });
  trace_reply reply;
  try {
    reply = impl_->wait(call.exclusiveJoin(kj::mv(stop)));
    // Events already received are dispatched through the event queue: let
    // them print before the caller prints why the trace stopped.
    kj::evalLast([] {}).wait(impl_->ws());
  } catch (...) {
    state->active = false;
    throw;
  }
  state->active = false;
  if (reply.stopped == "interrupted") reply.events = state->events;
  return reply;
}

std::vector<node_row> console_session::nodes(std::string* json) {
  auto r = impl_->wait(impl_->intro.nodesRequest().send());
  std::vector<node_row> out;
  for (auto n : r.getNodes()) {
    node_row row{n.getNode(), n.getError(), {}};
    for (auto a : n.getActors()) row.actors.push_back(from_capnp(a));
    out.push_back(std::move(row));
  }
  if (json) *json = impl_->codec.encode(schema::Introspection::NodesResults::Reader(r)).cStr();
  return out;
}

}  // namespace berth::cli
