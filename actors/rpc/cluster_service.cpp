// The Cluster capability: every client call becomes one control_plane call
// whose callback fulfils the RPC's promise on the KJ thread (kj_bridge.hpp).
// Ordinary failures (invalid, not found, exists) travel as Outcome values; an
// unavailable control plane is an RPC error.
#include <fmt/format.h>
#include <kj/debug.h>

#include <algorithm>

#include "actors/secrets/sealed.hpp"
#include "actors/rpc/api_convert.hpp"
#include "actors/rpc/exec_session.hpp"
#include "actors/rpc/rpc_internal.hpp"

namespace berth::rpc {
namespace {

void check_available(const actors::outcome& o) {
  if (o.result == actors::outcome::code::unavailable) throw KJ_EXCEPTION(FAILED, o.message);
}

/// The watch cache's side of one Cap'n Proto watch: each change becomes one
/// streamed Watcher.event call. Unlike a REST line, a call's message cannot
/// be shared between watchers, so the object is encoded once per watcher;
/// the cache, its window, catch-up and backlog limit are the same as REST's.
class capnp_watch_sink final : public stream_sink {
 public:
  capnp_watch_sink(server_context& ctx, std::uint64_t id) : ctx_(ctx), id_(id) {}
  void deliver(const store::delivery& d) override {
    if (!d.object) return;
    if (const auto* x = std::get_if<model::secret>(&*d.object); x && !x->sealed.empty()) {
      // The cache holds folded (sealed) secrets: the client gets them opened.
      auto opened = *x;
      if (auto error = secrets::open_with_installed(opened); !error.empty()) {
        ctx_.watches.close(id_, error);
        return;
      }
      ctx_.watches.deliver(id_, actors::watch_event{d.type, actors::any_object(std::move(opened)), d.seq});
      return;
    }
    ctx_.watches.deliver(id_, actors::watch_event{d.type, *d.object, d.seq});
  }
  std::size_t backlog_bytes() const override { return ctx_.watches.backlog_bytes(id_); }
  void close(store::close_code, const std::string& why) override { ctx_.watches.close(id_, why); }
  kj::Promise<void> drained() override { return ctx_.watches.drained(id_); }

 private:
  server_context& ctx_;
  std::uint64_t id_;
};

/// Stops its watch when the client calls cancel() or drops the handle.
class watch_handle_impl final : public schema::WatchHandle::Server {
 public:
  watch_handle_impl(server_context& ctx, std::uint64_t id, kj::Promise<void> joining)
      : ctx_(ctx), id_(id), joining_(kj::mv(joining)) {}
  ~watch_handle_impl() { stop(); }

 protected:
  kj::Promise<void> cancel(CancelContext) override {
    stop();
    return kj::READY_NOW;
  }

 private:
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    joining_ = kj::READY_NOW;
    ctx_.hub->leave(id_);
    ctx_.watches.remove(id_);
  }
  server_context& ctx_;
  std::uint64_t id_;
  kj::Promise<void> joining_;  // the watch joining the cache (watch_hub::join)
  bool stopped_ = false;
};

class cluster_impl final : public schema::Cluster::Server {
 public:
  cluster_impl(server_context& ctx, std::string principal) : ctx_(ctx), principal_(std::move(principal)) {}

  // Every call passes here: counted for /metrics (rpc_stats.hpp).
  DispatchCallResult dispatchCall(std::uint64_t interface_id, std::uint16_t method_id,
                                  capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context) override {
    return count_calls(ctx_.rpc_calls, capnp::Schema::from<schema::Cluster>(), interface_id, method_id, context,
                       [&] { return schema::Cluster::Server::dispatchCall(interface_id, method_id, context); });
  }

 protected:
  kj::Promise<void> create(CreateContext c) override {
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(actors::create_cmd{principal_, from_capnp(c.getParams().getObject()), c.getParams().getDryRun(), false},
                done);
    return answer(kj::mv(promise), c);
  }
  kj::Promise<void> apply(ApplyContext c) override {
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(actors::create_cmd{principal_, from_capnp(c.getParams().getObject()), c.getParams().getDryRun(), true},
                done);
    return answer(kj::mv(promise), c);
  }
  kj::Promise<void> delete_(DeleteContext c) override {
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(
        actors::delete_cmd{principal_, from_capnp(c.getParams().getKey()), c.getParams().getGracePeriodSeconds(),
                          c.getParams().getOrphanDependents()},
        done);
    return answer(kj::mv(promise), c);
  }
  kj::Promise<void> scale(ScaleContext c) override {
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(actors::scale_cmd{principal_, from_capnp(c.getParams().getKey()), c.getParams().getReplicas()}, done);
    return answer(kj::mv(promise), c);
  }
  kj::Promise<void> get(GetContext c) override {
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(actors::get_query{from_capnp(c.getParams().getKey())}, done);
    return answer(kj::mv(promise), c);
  }
  kj::Promise<void> list(ListContext c) override {
    auto p = c.getParams();
    auto [promise, done] = reply_to<actors::list_result>();
    ctx_.cp.ask(
        actors::list_query{from_capnp(p.getKind()), p.getNamespace(), p.getLabelSelector(), p.getFieldSelector()},
        done);
    return promise.then([c](actors::list_result r) mutable { to_capnp(r, c.getResults().initResult()); });
  }
  kj::Promise<void> watch(WatchContext c) override {
    auto p = c.getParams();
    auto id = ctx_.cp.next_watch_id();
    ctx_.watches.add(id, p.getWatcher());
    std::string error;
    auto w = store::make_watcher(from_capnp(p.getKind()), p.getNamespace(), p.getLabelSelector(),
                                 p.getFieldSelector(), error);
    kj::Promise<void> joining = kj::READY_NOW;
    if (!w)
      ctx_.watches.close(id, error);
    else
      joining = ctx_.hub->join(id, std::move(*w), p.getFromResourceVersion(), std::make_shared<capnp_watch_sink>(ctx_, id))
                    .eagerlyEvaluate([&ctx = ctx_, id](kj::Exception&& e) { ctx.watches.close(id, e.getDescription().cStr()); });
    c.getResults().setHandle(kj::heap<watch_handle_impl>(ctx_, id, kj::mv(joining)));
    return kj::READY_NOW;
  }
  kj::Promise<void> objectEvents(ObjectEventsContext c) override {
    auto p = c.getParams();
    auto [promise, done] = reply_to<std::vector<actors::event_summary>>();
    ctx_.cp.ask(actors::events_query{from_capnp(p.getKey()), p.getLimit() == 0 ? 20 : p.getLimit()}, done);
    return promise.then([c](std::vector<actors::event_summary> events) mutable {
      auto list = c.getResults().initEvents(static_cast<unsigned>(events.size()));
      for (unsigned i = 0; i < events.size(); ++i) to_capnp(events[i], list[i]);
    });
  }
  kj::Promise<void> logs(LogsContext c) override {
    // The pod's node, then its agent streams straight into the client's sink.
    auto p = c.getParams();
    auto [promise, done] = reply_to<actors::outcome>();
    ctx_.cp.ask(actors::get_query{{actors::kind::pod, p.getNamespace(), p.getPod()}}, done);
    return promise.then([this, c](actors::outcome o) mutable -> kj::Promise<void> {
      auto p = c.getParams();
      if (o.result != actors::outcome::code::ok || !o.object) {
        c.getResults().setError(o.message.empty() ? "pod not found" : o.message);
        return kj::READY_NOW;
      }
      const auto& pod = std::get<model::pod>(*o.object);
      if (pod.spec.node_name.empty()) {
        c.getResults().setError(fmt::format("pod {} is not scheduled to a node yet", pod.metadata.name));
        return kj::READY_NOW;
      }
      KJ_IF_MAYBE (agent, ctx_.agents.find(pod.spec.node_name)) {
        auto req = agent->logsRequest();
        auto ref = req.initPod();
        ref.setNamespace(pod.metadata.namespace_);
        ref.setName(pod.metadata.name);
        ref.setUid(pod.metadata.uid);
        req.setOptions(p.getOptions());
        req.setSink(p.getSink());
        return req.send().then([c](auto r) mutable { c.getResults().setError(r.getError()); });
      }
      c.getResults().setError(fmt::format("node {} of pod {} is not connected", pod.spec.node_name, pod.metadata.name));
      return kj::READY_NOW;
    });
  }

  // ---- the journal, read-only (docs/journal-debugging.md): the work runs on
  // the journal service's thread; results are built here, on the KJ thread.
  kj::Promise<void> journalInfo(JournalInfoContext c) override {
    auto [promise, done] = reply_to<journal_extent>();
    reads().post([done = std::move(done)](debug::local_source& s) {
      const auto& j = s.journal();
      done({j.first_seq(), j.last_seq(), j.snapshot_seqs()});
    });
    return promise.then([c](journal_extent e) mutable {
      auto info = c.getResults().initInfo();
      info.setFirstSeq(e.first);
      info.setLastSeq(e.last);
      auto seqs = info.initSnapshotSeqs(static_cast<unsigned>(e.snapshots.size()));
      for (unsigned i = 0; i < e.snapshots.size(); ++i) seqs.set(i, e.snapshots[i]);
    });
  }
  kj::Promise<void> journalRead(JournalReadContext c) override {
    constexpr std::uint32_t k_max_frames = 4096;  // keeps one reply well under capnp's message limits
    const std::uint64_t from = c.getParams().getFromSeq();
    const std::uint32_t limit = std::min(c.getParams().getLimit(), k_max_frames);
    auto [promise, done] = reply_to<stored_batch>();
    reads().post([done = std::move(done), from, limit](debug::local_source& s) {
      done({s.read_stored(from, limit), s.journal().last_seq()});
    });
    return promise.then([c](stored_batch b) mutable {
      if (!b.values.ok()) throw KJ_EXCEPTION(FAILED, b.values.err().message);
      const auto& values = b.values.value();
      auto frames = c.getResults().initFrames(static_cast<unsigned>(values.size()));
      for (unsigned i = 0; i < values.size(); ++i) {
        frames[i].setKey(bytes_of(values[i].key));
        frames[i].setValue(bytes_of(values[i].value));
      }
      c.getResults().setLastSeq(b.last_seq);
    });
  }
  kj::Promise<void> journalSnapshot(JournalSnapshotContext c) override {
    const std::uint64_t seq = c.getParams().getSeq();
    auto [promise, done] = reply_to<journal::result<journal::snapshot>>();
    reads().post([done = std::move(done), seq](debug::local_source& s) { done(s.journal().read_snapshot(seq)); });
    return promise.then([c](journal::result<journal::snapshot> r) mutable {
      auto results = c.getResults();
      if (!r.ok()) {
        results.setErrorCode(journal::to_string(r.err().code));
        results.setError(r.err().message);
        return;
      }
      results.setHash(bytes_of(r.value().hash));
      results.setState(bytes_of(r.value().state));
    });
  }
  kj::Promise<void> journalObjectSeqs(JournalObjectSeqsContext c) override {
    auto p = c.getParams();
    debug::object_id id{p.getKind(), p.getNamespace(), p.getName()};
    auto [promise, done] = reply_to<object_seqs>();
    reads().post([done = std::move(done), id = std::move(id)](debug::local_source& s) {
      auto seqs = s.object_seqs(id);
      done({std::move(seqs), s.journal().last_seq()});
    });
    return promise.then([c](object_seqs r) mutable {
      if (!r.seqs.ok()) throw KJ_EXCEPTION(FAILED, r.seqs.err().message);
      const auto& seqs = r.seqs.value();
      auto list = c.getResults().initSeqs(static_cast<unsigned>(seqs.size()));
      for (unsigned i = 0; i < seqs.size(); ++i) list.set(i, seqs[i]);
      c.getResults().setIndexedTo(r.indexed_to);
    });
  }
  kj::Promise<void> introspection(IntrospectionContext c) override {
    c.getResults().setIntrospection(make_berthd_introspection(ctx_));
    return kj::READY_NOW;
  }

  kj::Promise<void> exec(ExecContext c) override {
    // Checked as the Kubernetes API checks it; then the client's output and
    // the agent's input are handed through (berthd copies no bytes itself).
    auto p = c.getParams();
    auto o = p.getOptions();
    kube::exec_request request{o.getContainer(), {}, o.getStdin(), o.getStdout(), o.getStderr(), o.getTty()};
    for (auto arg : o.getCommand()) request.command.emplace_back(arg.cStr(), arg.size());
    if (request.command.empty()) {
      c.getResults().setError("exec needs a command to run");
      return kj::READY_NOW;
    }
    return find_exec_target(ctx_, p.getNamespace(), p.getPod(), std::move(request), false)
        .then([this, c](kj::OneOf<exec_target, exec_refusal> found) mutable -> kj::Promise<void> {
          if (found.is<exec_refusal>()) {
            c.getResults().setError(found.get<exec_refusal>().message);
            return kj::READY_NOW;
          }
          const auto& t = found.get<exec_target>();
          KJ_IF_MAYBE (agent, ctx_.agents.find(t.pod.spec.node_name)) {
            auto req = agent->execRequest();
            auto ref = req.initPod();
            ref.setNamespace(t.pod.metadata.namespace_);
            ref.setName(t.pod.metadata.name);
            ref.setUid(t.pod.metadata.uid);
            req.setOptions(c.getParams().getOptions());
            req.getOptions().setContainer(t.request.container);
            req.setOutput(c.getParams().getOutput());
            return req.send().then([c](auto r) mutable {
              c.getResults().setError(r.getError());
              if (r.hasInput()) c.getResults().setInput(r.getInput());
            });
          }
          c.getResults().setError(fmt::format("node {} is not connected", t.pod.spec.node_name));
          return kj::READY_NOW;
        });
  }

 private:
  struct journal_extent {
    std::uint64_t first = 0, last = 0;
    std::vector<std::uint64_t> snapshots;
  };
  struct stored_batch {
    journal::result<std::vector<journal::stored_value>> values;
    std::uint64_t last_seq = 0;
  };
  struct object_seqs {
    journal::result<std::vector<std::uint64_t>> seqs;
    std::uint64_t indexed_to = 0;
  };

  static capnp::Data::Reader bytes_of(const std::string& s) {
    return {reinterpret_cast<const kj::byte*>(s.data()), s.size()};
  }

  debug::journal_service& reads() {
    if (ctx_.journal_reads == nullptr) throw KJ_EXCEPTION(FAILED, "this berthd serves no journal reads");
    return *ctx_.journal_reads;
  }

  template <class Context>
  kj::Promise<void> answer(kj::Promise<actors::outcome> promise, Context c) {
    return promise.then([c](actors::outcome o) mutable {
      check_available(o);
      to_capnp(o, c.getResults().initOutcome());
    });
  }

  server_context& ctx_;
  std::string principal_;
};

}  // namespace

kj::Own<schema::Cluster::Server> make_cluster(server_context& ctx, std::string principal) {
  return kj::heap<cluster_impl>(ctx, std::move(principal));
}

}  // namespace berth::rpc
