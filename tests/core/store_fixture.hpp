#pragma once
// A real store actor, with its object actors and scheduler, on CAF's
// deterministic scheduler (test_coordinator_fixture) and a real journal in a
// temporary directory, written by a journal::writer in inline_commit mode:
// every append is durable and acknowledged on the test thread, so drain()
// drives the whole command → journal → fold → actors → decisions loop to
// quiescence with no threads and no sleeps. Timers fire only when a test
// advances the clock (the fixture's run() would fire them forever: the node
// actors' liveness tick re-arms itself).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#define CAF_SUITE core
#include <caf/test/dsl.hpp>
#include <doctest/doctest.h>

#include "actors/core/protocol.hpp"
#include "actors/core/store.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/watch_cache.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace berth::actors::test {

/// What an agent would have been told through its link.
class recording_link final : public node_agent_link {
 public:
  void set_pods(std::vector<model::pod> pods) override {
    desired.clear();
    for (auto& p : pods) desired[p.metadata.name] = std::move(p);
  }
  void upsert_pod(model::pod p) override { desired[p.metadata.name] = std::move(p); }
  void remove_pod(std::string, std::string name, std::string) override { desired.erase(name); }
  void set_services(std::shared_ptr<const std::vector<model::service>> s,
                    std::shared_ptr<const std::vector<model::endpoints>>) override {
    services = s ? s->size() : 0;
  }
  void set_secrets(std::vector<model::secret> s) override {
    secrets = std::move(s);
    ++secret_pushes;
  }
  void set_claims(std::vector<model::bound_claim> c) override { claims = std::move(c); }
  bool connected() const override { return true; }

  std::map<std::string, model::pod> desired;
  std::vector<model::bound_claim> claims;  // the last set pushed
  std::size_t services = 0;
  std::vector<model::secret> secrets;  // the last set pushed
  std::size_t secret_pushes = 0;
};

/// The store's fold feed, into a watch cache as berthd's RPC server keeps
/// one (without the KJ thread in between); counts the batches.
class recording_feed final : public fold_feed {
 public:
  void on_start(std::uint64_t seq) override {
    started_at = seq;
    cache.start(seq);
  }
  void on_fold(std::shared_ptr<const store::fold_batch> batch) override {
    ++batches;
    cache.fold(std::move(batch));
  }
  std::optional<std::uint64_t> started_at;
  std::size_t batches = 0;
  store::watch_cache cache;
};

/// The events a watch in the cache was handed, by type and name.
class recording_sink final : public store::cache_sink {
 public:
  void deliver(const store::delivery& d) override { events.emplace_back(d.type, meta_of(*d.object).name); }
  std::size_t backlog_bytes() const override { return 0; }
  void close(store::close_code, const std::string& why) override { closed = why; }
  std::vector<std::pair<watch_event_type, std::string>> events;
  std::optional<std::string> closed;
};

struct store_fixture : test_coordinator_fixture<> {
  /// `config.clock`, when set, also stamps the journal's event times.
  explicit store_fixture(std::unique_ptr<journal::journal> custom = nullptr, store_config config = {}) {
    if (custom) {
      j = std::move(custom);
    } else {
      auto opened = journal::journal::open(dir.path, {});
      REQUIRE(opened.ok());
      j = std::move(opened).value();
    }
    journal::writer_options o;
    o.inline_commit = true;
    o.clock = config.clock;
    w = std::make_unique<journal::writer>(*j, o);
    auto handle = spawn_store(sys, {}, *j, *w, config);
    store = caf::actor_cast<store_actor>(handle);
    tail = connect_tail(*w, handle);
    drain();
  }
  ~store_fixture() override {
    w->unsubscribe(tail);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    drain();
  }

  /// Handles every queued message, without firing timers.
  void drain() { consume_messages(); }

  /// Sends a request to the store, runs everything to quiescence, returns the reply.
  template <class Verb>
  typename Verb::reply ask(Verb v) {
    self->send(store, std::move(v));
    drain();
    std::optional<typename Verb::reply> out;
    self->receive([&](typename Verb::reply& r) { out = std::move(r); }, caf::after(std::chrono::seconds(0)) >> [] {});
    REQUIRE_MESSAGE(out.has_value(), "the store did not answer");
    return std::move(*out);
  }
  template <class Msg>
  void tell(Msg m) {
    self->send(store, std::move(m));
    drain();
  }
  std::vector<model::pod> pods(const std::string& field_selector = "") {
    auto r = ask(list_query{kind::pod, "", "", field_selector});
    REQUIRE(r.error.empty());
    std::vector<model::pod> out;
    for (auto& o : r.items) out.push_back(std::get<model::pod>(o));
    return out;
  }

  berth::journal::test::temp_dir dir;
  std::unique_ptr<journal::journal> j;
  std::unique_ptr<journal::writer> w;
  store_actor store;
  std::uint64_t tail = 0;
};

}  // namespace berth::actors::test
