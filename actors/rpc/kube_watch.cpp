// Watches over HTTP: `GET ...?watch=true&resourceVersion=RV` answers 200 with
// a chunked body of WatchEvent lines (`{"type":"ADDED","object":{...}}`),
// one per change the watch cache (watch_hub.hpp) hands this watch, until the
// client goes away, `timeoutSeconds` passes, or the cache closes the watch.
// `allowWatchBookmarks=true` adds a BOOKMARK line every
// BERTH_WATCH_BOOKMARK_INTERVAL_MS carrying the resourceVersion the watch has
// seen everything up to. Watches of `events` stream the journal's new events
// as core/v1 Events (kube_derived.cpp lists the old ones).
//
// Everything here runs on the KJ thread. A line is rendered once per change
// and format and shared by every watch that is handed it (store::render_memo);
// lines queue while a write is in flight and go out together in the next one.
#include <charconv>
#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/events_json.hpp"
#include "actors/kube/objects_json.hpp"
#include "actors/kube/resources.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/rpc/watch_hub.hpp"

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

// The render_memo slots this front fills.
constexpr std::size_t k_json_slot = 0;
constexpr std::size_t k_table_slot = 1;  // a Table without column definitions

/// The object of one watch line: the object (or the Event of a journal
/// event), plain or as a one-row Table.
std::string render_delivery(const store::delivery& d, bool table, bool column_definitions) {
  if (d.event) {
    auto ev = kube::event_of(event_row_of(d.event->summary, d.event->k, d.event->meta));
    if (!table) return kube::object_json(ev);
    return kube::table_json(std::span<const kube::event_object>(&ev, 1), {now_ns(), d.seq, column_definitions});
  }
  // A DELETED object carries the deletion's resourceVersion, as the
  // apiserver sends it: clients that watch again from the last one they saw
  // must not go back in time.
  if (d.type == actors::watch_event_type::deleted) {
    auto gone = *d.object;
    std::visit([&](auto& o) { o.metadata.resource_version = d.seq; }, gone);
    if (!table) return render_object(gone);
    return render_table(actors::kind_of(gone), {gone}, {now_ns(), d.seq, column_definitions});
  }
  if (!table) return render_object(*d.object);
  return render_table(actors::kind_of(*d.object), {*d.object}, {now_ns(), d.seq, column_definitions});
}

/// One open watch on the KJ thread.
struct watch_stream {
  kj::Own<kj::AsyncOutputStream> out;
  kj::Own<kj::PromiseFulfiller<void>> finished;
  std::string kind;  // for BOOKMARK objects ("Pod")
  bool table = false;
  bool first = true;  // a Table's column definitions go with the first event only
  bool closing = false;
  bool ended = false;

  // Lines handed over and not written yet: `pending` waits for the write in
  // flight (`sending`) to finish, then goes out in one write.
  std::vector<std::shared_ptr<const std::string>> pending, sending;
  std::size_t backlog = 0;
  bool busy = false;
  kj::Promise<void> writes = kj::READY_NOW;
  std::vector<kj::Own<kj::PromiseFulfiller<void>>> drain_waiters;

  void deliver(const store::delivery& d) {
    if (ended || closing) return;
    std::shared_ptr<const std::string> line;
    if (table && first) {
      line = std::make_shared<const std::string>(kube::watch_event_json(type_of(d.type), render_delivery(d, true, true)));
    } else {
      const auto slot = table ? k_table_slot : k_json_slot;
      if (d.memo && d.memo->by_format[slot]) {
        line = d.memo->by_format[slot];
      } else {
        line = std::make_shared<const std::string>(
            kube::watch_event_json(type_of(d.type), render_delivery(d, table, false)));
        if (d.memo) d.memo->by_format[slot] = line;
      }
    }
    first = false;
    push(std::move(line));
  }

  void bookmark(std::uint64_t resource_version) {
    if (ended || closing) return;
    push(std::make_shared<const std::string>(
        kube::watch_event_json(kube::watch_event_type::bookmark, kube::bookmark_object_json(kind, resource_version))));
  }

  void push(std::shared_ptr<const std::string> line) {
    backlog += line->size();
    pending.push_back(std::move(line));
    if (busy) return;
    busy = true;
    writes = write_pending().eagerlyEvaluate([this](kj::Exception&&) { end(); });
  }

  /// Writes what is pending, then what came meanwhile, until nothing is left.
  kj::Promise<void> write_pending() {
    if (pending.empty() || ended) {
      busy = false;
      for (auto& w : drain_waiters) w->fulfill();
      drain_waiters.clear();
      if (closing) end();
      return kj::READY_NOW;
    }
    sending.swap(pending);
    pending.clear();
    auto pieces = kj::heapArray<kj::ArrayPtr<const kj::byte>>(sending.size());
    for (std::size_t i = 0; i < sending.size(); ++i)
      pieces[i] = kj::arrayPtr(reinterpret_cast<const kj::byte*>(sending[i]->data()), sending[i]->size());
    auto promise = out->write(pieces);
    return promise.attach(kj::mv(pieces)).then([this] {
      for (const auto& s : sending) backlog -= s->size();
      sending.clear();
      return write_pending();
    });
  }

  kj::Promise<void> drained() {
    if (!busy || ended) return kj::READY_NOW;
    auto paf = kj::newPromiseAndFulfiller<void>();
    drain_waiters.push_back(kj::mv(paf.fulfiller));
    return kj::mv(paf.promise);
  }

  /// The watch ended on the server's side. The client learns why as an
  /// ERROR event, as the apiserver sends one: 410 Expired for a
  /// resourceVersion that cannot be served (clients list again), 400 for a
  /// selector or resourceVersion refused, 500 when serving failed. A watch
  /// dropped for reading too slowly just ends, as the apiserver ends it.
  void close(store::close_code code, const std::string& why) {
    if (ended || closing) return;
    std::optional<kube::reply> status;
    switch (code) {
      case store::close_code::too_slow: fmt::print(stderr, "berthd: closing a watch of {}: {}\n", kind, why); break;
      case store::close_code::expired: status = kube::expired(why); break;
      case store::close_code::bad_request: status = kube::bad_request(why); break;
      case store::close_code::failed: status = kube::internal_error(why); break;
    }
    if (status)
      push(std::make_shared<const std::string>(kube::watch_event_json(kube::watch_event_type::error, status->body)));
    closing = true;
    if (!busy) end();
  }

  void end() {
    if (ended) return;
    ended = true;
    for (auto& w : drain_waiters) w->fulfill();
    drain_waiters.clear();
    finished->fulfill();
  }
};

/// The cache's handle on a stream: weak, so that a watch whose client left
/// takes nothing more.
class http_watch_sink final : public stream_sink {
 public:
  explicit http_watch_sink(std::weak_ptr<watch_stream> stream) : stream_(std::move(stream)) {}
  void deliver(const store::delivery& d) override {
    if (auto s = stream_.lock()) s->deliver(d);
  }
  std::size_t backlog_bytes() const override {
    auto s = stream_.lock();
    return s ? s->backlog : 0;
  }
  void close(store::close_code code, const std::string& why) override {
    if (auto s = stream_.lock()) s->close(code, why);
  }
  kj::Promise<void> drained() override {
    auto s = stream_.lock();
    return s ? s->drained() : kj::Promise<void>(kj::READY_NOW);
  }

 private:
  std::weak_ptr<watch_stream> stream_;
};

/// Takes the watch out of the cache when the request ends, however it ends.
/// Not copyable: a temporary copy's destructor would end the watch at once.
struct watch_guard {
  watch_guard(watch_hub& h, std::uint64_t i, std::shared_ptr<watch_stream> s) : hub(h), id(i), stream(std::move(s)) {}
  watch_guard(const watch_guard&) = delete;
  watch_guard& operator=(const watch_guard&) = delete;
  watch_hub& hub;
  std::uint64_t id;
  std::shared_ptr<watch_stream> stream;
  ~watch_guard() {
    stream->ended = true;
    hub.leave(id);
  }
};

/// What `call` watches, or the reason it cannot be watched (an answer sent
/// before the stream starts) or is refused (an ERROR event in the stream).
struct watch_target {
  std::optional<store::watch_spec> spec;
  std::optional<kube_answer> answer;  // no stream
  std::string refused;                // 400 in the stream
  std::string kind;                   // "Pod", for bookmarks
};

watch_target target_of(const kube_call& call) {
  watch_target t;
  const auto* resource = kube::find_resource(call.target.resource);
  if (!resource) {
    t.answer = answer_of(kube::path_not_found());
    return t;
  }
  t.kind = std::string(resource->kind);
  if (call.target.resource == "events") {
    store::event_filter f;
    if (!parse_event_filter(call.param("fieldSelector"), f, t.refused)) return t;
    if (f.namespace_.empty()) f.namespace_ = call.target.namespace_;
    t.spec = std::move(f);
    return t;
  }
  auto k = model::parse_resource(std::string(resource->plural));
  if (!k) {
    t.answer = answer_of(kube::method_not_allowed(call.target.resource, "watch"));
    return t;
  }
  if (auto w = store::make_watcher(*k, call.target.namespace_, call.param("labelSelector"),
                                   call.param("fieldSelector"), t.refused))
    t.spec = std::move(*w);
  return t;
}

/// BOOKMARK lines every `interval` while the watch is in the cache.
kj::Promise<void> bookmarks(kj::Timer& timer, kj::Duration interval, watch_hub& hub, std::uint64_t id,
                            std::shared_ptr<watch_stream> stream) {
  return timer.afterDelay(interval).then([&timer, interval, &hub, id, stream]() -> kj::Promise<void> {
    if (auto rv = hub.cache().bookmark(id)) stream->bookmark(*rv);
    return bookmarks(timer, interval, hub, id, stream);
  });
}

}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

kj::Promise<void> serve_watch(kube_call call, kj::HttpService::Response& response, kj::HttpHeaderTable& table) {
  auto send_answer = [&](kube_answer a) { return send_kube_answer(response, table, kj::mv(a)); };
  auto target = target_of(call);
  if (target.answer) return send_answer(kj::mv(*target.answer));
  std::uint64_t from = 0;
  if (const auto& rv = call.param("resourceVersion"); !rv.empty()) {
    auto [end, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), from);
    if (ec != std::errc() || end != rv.data() + rv.size())
      return send_answer(answer_of(kube::bad_request(fmt::format("resourceVersion: not a number: \"{}\"", rv))));
  }

  auto state = std::make_shared<watch_stream>();
  state->kind = target.kind;
  state->table = kube::wants_table(call.accept);
  kj::HttpHeaders headers(table);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, state->table ? k_table_content_type : "application/json");
  state->out = response.send(200, "OK", headers);  // no length: chunked
  auto paf = kj::newPromiseAndFulfiller<void>();
  state->finished = kj::mv(paf.fulfiller);

  auto& ctx = call.ctx;
  auto& hub = *ctx.hub;
  const auto id = ctx.cp.next_watch_id();
  auto guard = kj::heap<watch_guard>(hub, id, state);
  kj::Promise<void> ends = kj::mv(paf.promise);
  if (!target.spec) {
    state->close(store::close_code::bad_request, target.refused);
  } else {
    auto sink = std::make_shared<http_watch_sink>(state);
    // Joining ends nothing: the stream goes on until one of the ends below.
    ends = ends.exclusiveJoin(
        hub.join(id, std::move(*target.spec), from, sink).then([]() -> kj::Promise<void> { return kj::NEVER_DONE; }));
  }
  // The client going away ends it too (a watch can be idle for hours).
  ends = ends.exclusiveJoin(state->out->whenWriteDisconnected());
  if (const auto& t = call.param("timeoutSeconds"); !t.empty() && ctx.timer) {
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
    if (ec == std::errc() && end == t.data() + t.size() && seconds > 0)
      ends = ends.exclusiveJoin(ctx.timer->afterDelay(seconds * kj::SECONDS));
  }
  if (const auto& b = call.param("allowWatchBookmarks"); (b == "true" || b == "1") && ctx.timer)
    ends = ends.exclusiveJoin(
        bookmarks(*ctx.timer, hub.settings().bookmark_interval_ms * kj::MILLISECONDS, hub, id, state));
  // Lines already queued go out before the body ends.
  return ends
      .then([state] {
        state->closing = true;
        return state->drained();
      })
      .attach(kj::mv(guard));  // the guard holds the stream state
}

}  // namespace berth::rpc
