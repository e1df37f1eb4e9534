// Watches over HTTP: `GET ...?watch=true&resourceVersion=RV` answers 200 with
// a chunked body of WatchEvent lines (`{"type":"ADDED","object":{...}}`),
// one per change the store's watch registry reports, until the client goes
// away, `timeoutSeconds` passes, or the store closes the watch.
//
// Threads: the store calls the sink on its own thread; the sink posts each
// event to the KJ thread (kj_inbox), where the stream state lives. The state
// is owned by the request's promise; the sink holds it weakly, so events for
// a watch whose client left are dropped, and dropping the promise (client
// gone, berthd stopping) cancels the store's side too.
#include <charconv>
#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/objects_json.hpp"
#include "actors/kube/resources.hpp"
#include "actors/rpc/kube_internal.hpp"

namespace berth::rpc {
namespace {

kube::watch_event_type type_of(actors::watch_event_type t) {
  switch (t) {
    case actors::watch_event_type::added: return kube::watch_event_type::added;
    case actors::watch_event_type::modified: return kube::watch_event_type::modified;
    case actors::watch_event_type::deleted: return kube::watch_event_type::deleted;
  }
  return kube::watch_event_type::error;
}

constexpr const char* k_table_content_type = "application/json;as=Table;v=v1;g=meta.k8s.io";

/// One open watch on the KJ thread.
struct watch_stream {
  kj::Own<kj::AsyncOutputStream> out;
  kj::Promise<void> writes = kj::READY_NOW;  // lines go out one after another
  kj::Own<kj::PromiseFulfiller<void>> finished;
  std::string resource;
  bool table = false;
  bool first = true;  // a Table's column definitions go with the first event only
  bool ended = false;

  void write_line(std::string line) {
    if (ended) return;
    auto data = kj::heapString(line.data(), line.size());
    writes = writes.then([this, data = kj::mv(data)]() mutable {
      auto& d = data;
      return out->write(d.begin(), d.size()).attach(kj::mv(data));
    });
    writes = writes.eagerlyEvaluate([this](kj::Exception&&) { end(); });
  }

  void deliver(const actors::watch_event& ev) {
    auto object = table ? render_table(actors::kind_of(ev.object), {ev.object}, {now_ns(), ev.resource_version, first})
                        : render_object(ev.object);
    first = false;
    write_line(kube::watch_event_json(type_of(ev.type), object));
  }

  /// The store ended the watch. With a reason the client learns it as an
  /// ERROR event, as the apiserver sends one: 410 Expired for a
  /// resourceVersion the journal cannot serve (clients list again), 400 for
  /// anything else (a selector the store refused).
  void close(const std::string& reason) {
    if (!reason.empty()) {
      const bool version = reason.find("resourceVersion") != std::string::npos;
      auto status = version ? kube::expired(reason) : kube::bad_request(reason);
      write_line(kube::watch_event_json(kube::watch_event_type::error, status.body));
    }
    // The last lines go out, then the body ends.
    // Eagerly: nothing else waits on this chain, and a lazy one never runs.
    writes = writes.then([this] { end(); }).eagerlyEvaluate([this](kj::Exception&&) { end(); });
  }

  void end() {
    if (ended) return;
    ended = true;
    finished->fulfill();
  }
};

class http_watch_sink final : public actors::watch_sink {
 public:
  http_watch_sink(std::shared_ptr<kj_inbox> inbox, std::weak_ptr<watch_stream> stream)
      : inbox_(std::move(inbox)), stream_(std::move(stream)) {}
  void on_event(actors::watch_event e) override {
    inbox_->post([stream = stream_, e = std::move(e)] {
      if (auto s = stream.lock()) s->deliver(e);
    });
  }
  void on_closed(std::string why) override {
    inbox_->post([stream = stream_, why = std::move(why)] {
      if (auto s = stream.lock()) s->close(why);
    });
  }

 private:
  std::shared_ptr<kj_inbox> inbox_;
  std::weak_ptr<watch_stream> stream_;
};

/// Cancels the store's watch when the request ends, however it ends. Not
/// copyable: a temporary copy's destructor would cancel the watch at once.
struct watch_guard {
  watch_guard(server_context& c, std::uint64_t i, std::shared_ptr<watch_stream> s)
      : ctx(c), id(i), stream(std::move(s)) {}
  watch_guard(const watch_guard&) = delete;
  watch_guard& operator=(const watch_guard&) = delete;
  server_context& ctx;
  std::uint64_t id;
  std::shared_ptr<watch_stream> stream;
  ~watch_guard() {
    stream->ended = true;
    ctx.cp.tell(actors::cancel_watch_cmd{id});
  }
};

}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

kj::Promise<void> serve_watch(kube_call call, kj::HttpService::Response& response, kj::HttpHeaderTable& table) {
  auto send_answer = [&](kube_answer a) { return send_kube_answer(response, table, kj::mv(a)); };
  const auto* resource = kube::find_resource(call.target.resource);
  auto k = resource ? model::parse_resource(std::string(resource->plural)) : std::nullopt;
  if (!resource) return send_answer(answer_of(kube::path_not_found()));
  if (!k) return send_answer(answer_of(kube::method_not_allowed(call.target.resource, "watch")));
  std::uint64_t from = 0;
  if (const auto& rv = call.param("resourceVersion"); !rv.empty()) {
    auto [end, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), from);
    if (ec != std::errc() || end != rv.data() + rv.size())
      return send_answer(answer_of(kube::bad_request(fmt::format("resourceVersion: not a number: \"{}\"", rv))));
  }

  auto state = std::make_shared<watch_stream>();
  state->resource = call.target.resource;
  state->table = kube::wants_table(call.accept);
  kj::HttpHeaders headers(table);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, state->table ? k_table_content_type : "application/json");
  state->out = response.send(200, "OK", headers);  // no length: chunked
  auto paf = kj::newPromiseAndFulfiller<void>();
  state->finished = kj::mv(paf.fulfiller);

  auto& ctx = call.ctx;
  const auto id = ctx.cp.next_watch_id();
  ctx.cp.tell(actors::watch_cmd{id, *k, call.target.namespace_, call.param("labelSelector"),
                                call.param("fieldSelector"), from,
                                std::make_shared<http_watch_sink>(ctx.inbox, state)});
  auto guard = kj::heap<watch_guard>(ctx, id, state);
  kj::Promise<void> ends = kj::mv(paf.promise);
  // The client going away ends it too (a watch can be idle for hours).
  ends = ends.exclusiveJoin(state->out->whenWriteDisconnected());
  if (const auto& t = call.param("timeoutSeconds"); !t.empty() && ctx.timer) {
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
    if (ec == std::errc() && end == t.data() + t.size() && seconds > 0)
      ends = ends.exclusiveJoin(ctx.timer->afterDelay(seconds * kj::SECONDS));
  }
  // Lines already queued go out before the body ends.
  return ends
      .then([state] {
        state->ended = true;
        return kj::mv(state->writes);
      })
      .attach(kj::mv(guard));  // the guard holds the stream state
}

}  // namespace berth::rpc
