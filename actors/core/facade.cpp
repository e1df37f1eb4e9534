// The control_plane facade: each call becomes one api_request message to the
// store actor. Thread-safe (anon_send is); callbacks run on the store's thread.
#include <atomic>

#include <caf/all.hpp>

#include "actors/core/api_request.hpp"
#include "actors/core/store.hpp"

namespace berth::actors {
namespace {

class store_facade final : public control_plane {
 public:
  store_facade(caf::actor store, const journal::journal& j) : store_(std::move(store)), journal_(j) {}

  void create(std::string principal, any_object object, bool dry_run, callback<outcome> done) override {
    send(create_request{std::move(principal), std::move(object), dry_run, false, std::move(done)});
  }
  void apply(std::string principal, any_object object, bool dry_run, callback<outcome> done) override {
    send(create_request{std::move(principal), std::move(object), dry_run, true, std::move(done)});
  }
  void remove(std::string principal, object_key key, std::int64_t grace, callback<outcome> done) override {
    send(delete_request{std::move(principal), std::move(key), grace, std::move(done)});
  }
  void scale(std::string principal, object_key key, std::int32_t replicas, callback<outcome> done) override {
    send(scale_request{std::move(principal), std::move(key), replicas, std::move(done)});
  }
  void get(object_key key, callback<outcome> done) override { send(get_request{std::move(key), std::move(done)}); }
  void list(kind k, std::string ns, std::string labels, std::string fields, callback<list_result> done) override {
    send(list_request{k, std::move(ns), std::move(labels), std::move(fields), std::move(done)});
  }
  std::uint64_t watch(kind k, std::string ns, std::string labels, std::string fields, std::uint64_t from,
                      callback<watch_event> on_event, callback<std::string> on_closed) override {
    auto id = next_watch_++;
    send(watch_request{id, k, std::move(ns), std::move(labels), std::move(fields), from, std::move(on_event),
                       std::move(on_closed)});
    return id;
  }
  void cancel_watch(std::uint64_t id) override { send(cancel_watch_request{id}); }
  void object_events(object_key key, std::uint32_t limit, callback<std::vector<event_summary>> done) override {
    send(object_events_request{std::move(key), limit, std::move(done)});
  }
  std::uint64_t journal_seq() const override { return journal_.last_seq(); }

  void join(model::node node, std::shared_ptr<node_agent_link> link, callback<outcome> done) override {
    send(join_request{std::move(node), std::move(link), std::move(done)});
  }
  void heartbeat(std::string node) override { send(heartbeat_request{std::move(node)}); }
  void report_pod_status(std::string node, std::string ns, std::string name, std::string uid,
                         model::pod_status status) override {
    send(pod_status_request{std::move(node), std::move(ns), std::move(name), std::move(uid), std::move(status)});
  }
  void report_pod_terminated(std::string node, std::string ns, std::string name, std::string uid) override {
    send(pod_terminated_request{std::move(node), std::move(ns), std::move(name), std::move(uid)});
  }
  void disconnected(std::string node, std::shared_ptr<node_agent_link> link) override {
    send(disconnect_request{std::move(node), std::move(link)});
  }

 private:
  template <class Request>
  void send(Request r) {
    auto req = std::make_shared<api_request>();
    req->body = std::move(r);
    caf::anon_send(store_, api_request_ptr{std::move(req)});
  }

  caf::actor store_;
  const journal::journal& journal_;
  std::atomic<std::uint64_t> next_watch_{1};
};

}  // namespace

std::unique_ptr<control_plane> make_control_plane(caf::actor store, const journal::journal& j) {
  return std::make_unique<store_facade>(std::move(store), j);
}

}  // namespace berth::actors
