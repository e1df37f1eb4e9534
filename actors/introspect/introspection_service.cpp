#include "actors/introspect/introspection_service.hpp"

#include <algorithm>
#include <memory>

#include <kj/debug.h>

namespace berth::introspect {

void to_capnp(const actor_info& i, schema::ActorInfo::Builder out) {
  out.setId(i.id);
  out.setName(i.name);
  out.setKind(i.kind);
  out.setObject(i.object);
  out.setParent(i.parent);
  out.setParentName(i.parent_name);
  out.setOwner(i.owner);
  out.setSpawnedNs(i.spawned_ns);
  out.setMailbox(i.mailbox);
  out.setHandled(i.handled);
  out.setRatePerSecond(i.rate_per_second);
  auto h = out.initProcessing();
  auto bounds = h.initBoundsSeconds(static_cast<unsigned>(k_bucket_bounds.size()));
  for (unsigned b = 0; b < k_bucket_bounds.size(); ++b) bounds.set(b, k_bucket_bounds[b]);
  auto counts = h.initCounts(static_cast<unsigned>(i.processing.counts.size()));
  for (unsigned b = 0; b < i.processing.counts.size(); ++b) counts.set(b, i.processing.counts[b]);
  h.setSumSeconds(i.processing.sum_seconds);
  h.setCount(i.processing.count);
  out.setLastMessage(i.last_message);
  out.setLastMessageNs(i.last_message_ns);
  out.setTracing(i.tracing);
}

void to_capnp(const std::vector<actor_info>& actors, capnp::List<schema::ActorInfo>::Builder out) {
  for (unsigned i = 0; i < actors.size() && i < out.size(); ++i) to_capnp(actors[i], out[i]);
}

void to_capnp(const trace_event& e, schema::TraceEvent::Builder out) {
  out.setSeq(e.seq);
  out.setTimeNs(e.time_ns);
  out.setDirection(e.outgoing ? "out" : "in");
  out.setPeer(e.peer);
  out.setPeerId(e.peer_id);
  out.setType(e.type);
  out.setBytes(e.bytes);
  out.setText(e.text);
}

namespace {

constexpr auto k_inspect_timeout = 5 * kj::SECONDS;
constexpr auto k_trace_poll = 50 * kj::MILLISECONDS;

struct state_answer {
  std::optional<std::string> state;
  std::string error;
};

class introspection_impl final : public schema::Introspection::Server {
 public:
  introspection_impl(registry& reg, kj::Timer& timer, service_hooks hooks)
      : reg_(reg), timer_(timer), hooks_(std::move(hooks)) {}

 protected:
  kj::Promise<void> process(ProcessContext c) override {
    auto info = c.getResults().initInfo();
    info.setRole(hooks_.role);
    info.setVersion(hooks_.version);
    info.setStartedNs(hooks_.started_ns);
    info.setActors(static_cast<std::uint32_t>(reg_.size()));
    auto names = hooks_.node_names ? hooks_.node_names() : std::vector<std::string>{};
    auto list = info.initNodes(static_cast<unsigned>(names.size()));
    for (unsigned i = 0; i < names.size(); ++i) list.set(i, names[i]);
    return kj::READY_NOW;
  }

  kj::Promise<void> actors(ActorsContext c) override {
    auto all = reg_.list();
    to_capnp(all, c.getResults().initActors(static_cast<unsigned>(all.size())));
    return kj::READY_NOW;
  }

  kj::Promise<void> inspect(InspectContext c) override {
    std::string key = c.getParams().getActor();
    auto info = reg_.find(key);
    if (!info) {
      c.getResults().setError("no actor named " + key);
      return kj::READY_NOW;
    }
    to_capnp(*info, c.getResults().initInfo());
    auto paf = kj::newPromiseAndCrossThreadFulfiller<state_answer>();
    auto fulfiller = std::make_shared<kj::Own<kj::CrossThreadPromiseFulfiller<state_answer>>>(kj::mv(paf.fulfiller));
    reg_.inspect(key, [fulfiller](std::optional<std::string> state, std::string error) {
      (*fulfiller)->fulfill(state_answer{std::move(state), std::move(error)});
    });
    auto timeout = timer_.afterDelay(k_inspect_timeout).then([] {
      return state_answer{std::nullopt, "the actor did not answer within 5 s (its mailbox is backed up?)"};
    });
    return paf.promise.exclusiveJoin(kj::mv(timeout)).then([c](state_answer a) mutable {
      if (a.state)
        c.getResults().setStateJson(*a.state);
      else
        c.getResults().setError(a.error);
    });
  }

  kj::Promise<void> trace(TraceContext c) override {
    auto p = c.getParams();
    std::string key = p.getActor();
    trace_limits limits;
    if (p.getForMs() > 0) limits.duration = std::chrono::milliseconds(p.getForMs());
    if (p.getMax() > 0) limits.max_events = p.getMax();
    auto session = reg_.trace(key, limits);
    if (!session) {
      c.getResults().setError("no actor named " + key);
      return kj::READY_NOW;
    }
    // A client that cancels the call (Ctrl-C) or goes away ends the trace at
    // once: the promise is dropped, and with it this guard.
    c.allowCancellation();
    auto guard = kj::defer([session] { session->stop("client gone"); });
    auto sink = p.getSink();
    return pump(session, kj::mv(sink), 0)
        .then(
            [c, session](std::uint64_t sent) mutable {
              c.getResults().setStopped(session->stopped_reason());
              c.getResults().setEvents(static_cast<std::uint32_t>(sent));
            },
            [session](kj::Exception&& e) {
              session->stop("client gone");
              kj::throwFatalException(kj::mv(e));
            })
        .attach(kj::mv(guard));
  }

  kj::Promise<void> metrics(MetricsContext c) override {
    c.getResults().setText(hooks_.metrics_text ? hooks_.metrics_text() : std::string());
    return kj::READY_NOW;
  }

  kj::Promise<void> nodes(NodesContext c) override {
    if (!hooks_.nodes) {
      c.getResults().initNodes(0);
      return kj::READY_NOW;
    }
    return hooks_.nodes(c);
  }

 private:
  /// Sends what the trace has seen since `sent`, one streaming call per
  /// event, until it has stopped and everything was sent.
  kj::Promise<std::uint64_t> pump(std::shared_ptr<trace_session> session, schema::TraceSink::Client sink,
                                  std::uint64_t sent) {
    auto stopped = !session->stopped_reason().empty();  // read before take(): nothing can follow
    auto batch = session->take(sent, 200);
    if (batch.empty()) {
      if (stopped) return sent;
      return timer_.afterDelay(k_trace_poll).then([this, session, sink = kj::mv(sink), sent]() mutable {
        return pump(session, kj::mv(sink), sent);
      });
    }
    kj::Promise<void> chain = kj::READY_NOW;
    for (auto& e : batch) {
      auto req = sink.eventRequest();
      to_capnp(e, req.initEvent());
      chain = chain.then([req = kj::mv(req)]() mutable { return req.send(); });
    }
    sent += batch.size();
    return chain.then(
        [this, session, sink = kj::mv(sink), sent]() mutable { return pump(session, kj::mv(sink), sent); });
  }

  registry& reg_;
  kj::Timer& timer_;
  service_hooks hooks_;
};

}  // namespace

schema::Introspection::Client make_introspection(registry& reg, kj::Timer& timer, service_hooks hooks) {
  return kj::heap<introspection_impl>(reg, timer, std::move(hooks));
}

}  // namespace berth::introspect
