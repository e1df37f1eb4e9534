// The control_plane facade over the store's typed interface. A one-way verb is
// one message; a request is asked by a short-lived actor that delivers the
// reply (or the reason there is none) to the caller's callback and exits —
// the network fronts have no actor of their own, and a callback must never
// travel inside a message. Thread-safe: spawn and anon_send are.
#include <atomic>

#include <caf/all.hpp>

#include "actors/core/protocol.hpp"
#include "actors/core/store.hpp"
#include "actors/store/commands.hpp"

namespace berth::actors {
namespace {

/// The reply a request gets when the store cannot answer it.
template <class Reply>
Reply unanswered(const caf::error& e) {
  auto why = "the store did not answer: " + caf::to_string(e);
  if constexpr (std::is_same_v<Reply, outcome>) {
    return store::failure(outcome::code::unavailable, why);
  } else if constexpr (std::is_same_v<Reply, list_result>) {
    list_result r;
    r.error = why;
    return r;
  } else {
    return Reply{};
  }
}

class store_facade final : public control_plane {
 public:
  store_facade(caf::actor store, const journal::journal& j)
      : store_(caf::actor_cast<store_actor>(std::move(store))), journal_(j) {}

#define BERTH_ASK(V) \
  void ask(V v, callback<V::reply> done) override { request(std::move(v), std::move(done)); }
  BERTH_STORE_REQUESTS(BERTH_ASK)
#undef BERTH_ASK
#define BERTH_TELL(V) \
  void tell(V v) override { caf::anon_send(store_, std::move(v)); }
  BERTH_STORE_TELLS(BERTH_TELL)
#undef BERTH_TELL

  std::uint64_t next_watch_id() override { return next_watch_++; }
  std::uint64_t journal_seq() const override { return journal_.last_seq(); }

 private:
  template <class Verb>
  void request(Verb v, callback<typename Verb::reply> done) {
    using reply = typename Verb::reply;
    store_.home_system().spawn(
        [store = store_, v = std::move(v), done = std::move(done)](caf::event_based_actor* self) mutable {
          self->request(store, caf::infinite, std::move(v))
              .then([done](reply& r) { done(std::move(r)); }, [done](caf::error& e) { done(unanswered<reply>(e)); });
        });
  }

  store_actor store_;
  const journal::journal& journal_;
  std::atomic<std::uint64_t> next_watch_{1};
};

}  // namespace

std::unique_ptr<control_plane> make_control_plane(caf::actor store, const journal::journal& j) {
  return std::make_unique<store_facade>(std::move(store), j);
}

}  // namespace berth::actors
