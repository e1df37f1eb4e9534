#pragma once
// The CAF side of introspection: an actor base that reports to the process's
// registry (registry.hpp) from the two places every message passes —
// enqueue (a sender put it in the mailbox) and consume (the actor handled it).
// Debian's CAF 0.17 is built without CAF's actor profiler, so we hook those
// two virtual functions instead.
//
// An actor opts in by deriving its self type from instrumented<> and calling
// enroll() in its behavior function:
//
//   using pod_self = caf::stateful_actor<pod_state, introspect::instrumented<>>*;
//   caf::behavior pod_behavior(pod_self self, ...) {
//     introspect::enroll(self, "pod", key, owner, [self] { return render(self->state); });
//
// Its state is then rendered on the actor's own thread when the console asks
// (the request is answered inside consume: behaviors need no handler), and
// the process's actor system must be made from a system_config to be seen at
// all (otherwise nothing is counted). Include only in actor translation units.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor_config.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/mailbox_element.hpp>

#include "actors/introspect/registry.hpp"

namespace berth::introspect {

/// An actor_system_config that carries the process's registry; actors made
/// in a system without one are not instrumented.
class system_config : public caf::actor_system_config {
 public:
  std::shared_ptr<introspect::registry> registry = std::make_shared<introspect::registry>();
};

/// The actor system config of berthd and berth-agent: a system_config when
/// `actor_stats` (its registry in `*registry`), else a plain one
/// (--no-actor-stats: `*registry` = nullptr); `max_threads` CAF workers.
std::unique_ptr<caf::actor_system_config> make_system_config(bool actor_stats, int max_threads, registry** registry);

/// The registry of `sys`, or nullptr when it was not made from a system_config.
registry* registry_of(const caf::actor_system& sys);

/// A request for an actor's rendered state, answered inside consume(). The
/// callback runs exactly once: with the state, or with "actor exited" when
/// the message is dropped unanswered.
class state_request {
 public:
  explicit state_request(state_callback done) : done_(std::move(done)) {}
  ~state_request();
  void answer(std::string state);

 private:
  state_callback done_;
};
using state_request_ptr = std::shared_ptr<state_request>;

namespace detail {

/// The actor whose message (or initialisation) this thread is running, so
/// that an actor spawned from it records who spawned it.
std::uint64_t current_actor();
void set_current_actor(std::uint64_t id);

/// The message's type for counters: its leading atom ("update") or its first
/// element's type; an interned string that lives as long as the process.
const char* message_type(const caf::mailbox_element& x);

/// The trace event of `x` as seen by actor `self` (in: from its sender; out: to `to`).
trace_event make_trace_event(const registry& r, const caf::mailbox_element& x, bool outgoing, std::uint64_t peer);

/// If `x` is a state request, answers it with `render` and returns true.
bool answer_state_request(caf::mailbox_element& x, const std::function<std::string()>& render);

/// Traces `x` on its way from its sender (when that one is traced).
void note_send(registry& r, std::uint64_t receiver, const caf::mailbox_element& x);

/// Sends a state request to the actor behind `weak` (no-op + "actor exited" when gone).
state_asker asker_for(caf::weak_actor_ptr weak);

}  // namespace detail

template <class Base = caf::event_based_actor>
class instrumented : public Base {
 public:
  explicit instrumented(caf::actor_config& cfg) : Base(cfg) {
    registry_ = registry_of(this->home_system());
    if (!registry_) return;
    auto parent = cfg.parent ? cfg.parent->id() : detail::current_actor();
    stats_ = registry_->add(this->id(), parent);
    this->attach_functor([r = registry_, id = this->id()] { r->remove(id); });
  }

  using Base::enqueue;
  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override {
    if (stats_) {
      stats_->enqueued.fetch_add(1, std::memory_order_relaxed);
      if (registry_->tracing_anything()) detail::note_send(*registry_, this->id(), *ptr);
    }
    Base::enqueue(std::move(ptr), eu);
  }

  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    if (!stats_) return Base::consume(x);
    auto started = std::chrono::steady_clock::now();
    auto* type = detail::message_type(x);
    if (stats_->traced()) {
      auto sender = x.sender ? x.sender->id() : 0;
      registry_->record(this->id(), [&] { return detail::make_trace_event(*registry_, x, false, sender); });
    }
    auto outer = detail::current_actor();
    detail::set_current_actor(this->id());
    caf::invoke_message_result r = caf::invoke_message_result::consumed;
    if (!detail::answer_state_request(x, render_)) r = Base::consume(x);
    detail::set_current_actor(outer);
    if (r != caf::invoke_message_result::skipped) stats_->on_handled(type, started, std::chrono::steady_clock::now());
    return r;
  }

  void initialize() override {
    auto outer = detail::current_actor();
    detail::set_current_actor(this->id());
    Base::initialize();
    detail::set_current_actor(outer);
  }

  /// See enroll().
  void set_state_renderer(std::function<std::string()> render) { render_ = std::move(render); }
  registry* introspection_registry() const { return registry_; }

 private:
  registry* registry_ = nullptr;
  std::shared_ptr<actor_stats> stats_;
  std::function<std::string()> render_;
};

/// Lists `self` in its registry as kind/object, owned by the actor named
/// `owner` ("" when none); `render` gives its state as JSON, on its thread.
template <class Self>
void enroll(Self* self, std::string kind, std::string object, std::string owner, std::function<std::string()> render) {
  auto* r = self->introspection_registry();
  if (!r) return;
  self->set_state_renderer(std::move(render));
  r->enroll(self->id(), std::move(kind), std::move(object), std::move(owner),
            detail::asker_for(caf::weak_actor_ptr(self->ctrl())));
}

}  // namespace berth::introspect

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::introspect::state_request_ptr)
