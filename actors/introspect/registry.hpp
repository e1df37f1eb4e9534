#pragma once
// The introspection registry: every live actor of a process (berthd or
// berth-agent) with its counters, so that the console and /metrics can list
// them, and traces of single actors. Plain C++: no CAF here — the CAF side
// (actors/introspect/instrumented.hpp) feeds it from each actor's enqueue and
// consume, and the RPC/HTTP side reads it from its own thread.
//
// Cost when nobody looks: per message two clock reads and a few relaxed
// atomic increments on the actor's own counters; no lock on the message path
// unless a trace is running somewhere in the process.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace berth::introspect {

/// Processing-time buckets (upper bounds in seconds); one more bucket (+Inf)
/// counts the rest. Fixed so that Prometheus series line up across actors.
inline constexpr std::array<double, 12> k_bucket_bounds{0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005,
                                                        0.01,    0.05,    0.1,    0.5,    1.0,   5.0};

/// A histogram's values at one moment (counts per bucket, not cumulative).
struct histogram_snapshot {
  std::array<std::uint64_t, k_bucket_bounds.size() + 1> counts{};
  double sum_seconds = 0;
  std::uint64_t count = 0;
};

/// Updated by one thread at a time (the actor's), read by any.
class histogram {
 public:
  /// From the one writer thread only.
  void observe(std::chrono::nanoseconds d);
  histogram_snapshot snapshot() const;

 private:
  std::array<std::atomic<std::uint64_t>, k_bucket_bounds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

/// What a trace saw: one message in or out of the traced actor.
struct trace_event {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;  // Unix
  bool outgoing = false;
  std::uint64_t peer_id = 0;
  std::string peer;  // name, "#ID" or "(anonymous)"
  std::string type;
  std::uint32_t bytes = 0;
  std::string text;
};

/// Limits of one trace; the registry caps both (k_max_trace_*).
struct trace_limits {
  std::chrono::milliseconds duration{10'000};
  std::uint32_t max_events = 1000;
};
inline constexpr std::chrono::milliseconds k_max_trace_duration{300'000};
inline constexpr std::uint32_t k_max_trace_events = 10'000;

/// One running trace. The traced actor's thread appends; a reader takes.
class trace_session {
 public:
  /// `running` counts the process's running traces and `traces` the
  /// actor's: both are decremented once, when this one ends.
  trace_session(std::uint64_t actor, trace_limits limits, std::shared_ptr<std::atomic<int>> running,
                std::shared_ptr<std::atomic<int>> traces);
  ~trace_session();

  /// Events after `after_seq` (at most `max`). Thread-safe.
  std::vector<trace_event> take(std::uint64_t after_seq, std::size_t max = 1000) const;

  /// Empty while running; then why it stopped: "limit", "time", "actor exited",
  /// "client gone" (stop()). A trace whose time is up is stopped by this call.
  std::string stopped_reason();

  /// Ends the trace early ("client gone" unless another reason came first).
  void stop(const std::string& reason = "client gone");

  std::uint64_t actor() const { return actor_; }
  std::uint64_t events() const;

  /// Called from the actor's thread; false once the trace has ended.
  bool record(trace_event e);

 private:
  void finish_locked(const std::string& reason);

  std::uint64_t actor_;
  trace_limits limits_;
  std::shared_ptr<std::atomic<int>> running_;
  std::shared_ptr<std::atomic<int>> traces_;
  std::chrono::steady_clock::time_point deadline_;
  mutable std::mutex mutex_;
  std::vector<trace_event> events_;
  std::string stopped_;
};

/// One actor's live counters. Written by the actor's own thread (handled,
/// processing, last message) and by senders (enqueued); read by anyone.
/// `enqueued` has a cache line of its own: senders on other cores would
/// otherwise bounce the line the actor writes on every message. The actor's
/// own counters have one writer, so they are bumped with a plain load and
/// store, not a locked read-modify-write.
struct actor_stats {
  std::uint64_t id = 0;
  std::uint64_t parent = 0;
  std::int64_t spawned_ns = 0;

  alignas(64) std::atomic<std::uint64_t> enqueued{0};
  alignas(64) std::atomic<std::uint64_t> handled{0};
  histogram processing;
  std::atomic<std::int64_t> last_ns{0};
  std::atomic<const char*> last_type{nullptr};  // static or interned strings only

  /// handled per one-second slot, for the 10 s rate (slot = second % 11; the
  /// current second's slot is excluded from the rate so it is never partial).
  std::array<std::atomic<std::uint64_t>, 11> per_second{};
  std::array<std::atomic<std::int64_t>, 11> slot_second{};

  /// Traces running on this actor (the only thing consume() checks).
  std::shared_ptr<std::atomic<int>> traces = std::make_shared<std::atomic<int>>(0);
  bool traced() const { return traces->load(std::memory_order_relaxed) > 0; }

  /// Counts one handled message, started and finished at these steady-clock
  /// times (the actor's thread; no further clock reads).
  void on_handled(const char* type, std::chrono::steady_clock::time_point started,
                  std::chrono::steady_clock::time_point finished);
  /// Messages handled per second over the 10 whole seconds before now.
  double rate_10s(std::int64_t now_second) const;
};

/// A registry entry as the console shows it.
struct actor_info {
  std::uint64_t id = 0;
  std::string name, kind, object;
  std::uint64_t parent = 0;
  std::string parent_name;
  std::string owner;
  std::int64_t spawned_ns = 0;
  std::uint64_t mailbox = 0, handled = 0;
  double rate_per_second = 0;
  histogram_snapshot processing;
  std::string last_message;
  std::int64_t last_message_ns = 0;
  bool tracing = false;
};

/// What the actors of one kind that exited had handled (Prometheus counters
/// and histograms must not go down when actors exit).
struct exited_kind {
  std::uint64_t handled = 0;
  histogram_snapshot processing;
};

/// The live actors and the exited totals, read together under one lock.
struct registry_snapshot {
  std::vector<actor_info> actors;
  std::map<std::string, exited_kind> exited;  // by kind
};

/// Asks an actor for its rendered state (JSON) and calls back once, on any
/// thread: the state, or an error message. Set by the CAF side per actor.
using state_callback = std::function<void(std::optional<std::string> state, std::string error)>;
using state_asker = std::function<void(state_callback)>;

/// Every live actor of one process. Thread-safe.
class registry {
 public:
  /// Makes the stats of a new actor (called from its constructor); it is
  /// listed once named with enroll().
  std::shared_ptr<actor_stats> add(std::uint64_t id, std::uint64_t parent);

  /// Names the actor: kind ("pod"), object ("default/web-1"), owner (the
  /// name of the owning object's actor, or ""). Its name becomes
  /// kind + "/" + object (just kind when object is empty).
  void enroll(std::uint64_t id, std::string kind, std::string object, std::string owner, state_asker ask);

  /// Forgets the actor (it exited) and ends its traces ("actor exited").
  void remove(std::uint64_t id);

  /// Every enrolled actor, by id.
  std::vector<actor_info> list() const;
  /// One actor by id ("42", "#42") or name; nullopt when none.
  std::optional<actor_info> find(const std::string& id_or_name) const;
  std::size_t size() const;

  /// Asks the actor for its state; `done` runs once, on some thread.
  /// Error "no actor named X" when there is none.
  void inspect(const std::string& id_or_name, state_callback done) const;

  /// Starts tracing an actor; nullptr when there is no such actor.
  std::shared_ptr<trace_session> trace(const std::string& id_or_name, trace_limits limits);

  // -- called from the message path (instrumented.hpp)

  /// True while any trace runs in this process (the only check a send pays).
  bool tracing_anything() const { return traces_running_->load(std::memory_order_relaxed) > 0; }
  /// Records a message into the running traces of `actor` (no-op when none).
  void record(std::uint64_t actor, const std::function<trace_event()>& make);
  /// The name of an actor for traces ("#ID" when it is not enrolled).
  std::string name_of(std::uint64_t id) const;

  /// Total messages handled by actors that exited (keeps counters monotonic
  /// per kind for Prometheus).
  std::map<std::string, std::uint64_t> handled_by_exited() const;

  /// list() and the exited totals at one moment.
  registry_snapshot snapshot() const;

 private:
  struct entry {
    std::shared_ptr<actor_stats> stats;
    std::string kind, object, owner, name;
    state_asker ask;
    std::vector<std::shared_ptr<trace_session>> traces;
  };
  const entry* find_locked(const std::string& id_or_name) const;
  actor_info info_locked(const entry& e, std::int64_t now_second) const;
  void end_traces_locked(entry& e, const std::string& reason);

  mutable std::mutex mutex_;
  std::map<std::uint64_t, entry> entries_;
  std::map<std::string, std::uint64_t> by_name_;
  std::map<std::string, exited_kind> exited_;
  std::shared_ptr<std::atomic<int>> traces_running_ = std::make_shared<std::atomic<int>>(0);
};

/// Unix time now, in ns.
std::int64_t unix_now_ns();

}  // namespace berth::introspect
