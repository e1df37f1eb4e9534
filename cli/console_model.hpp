#pragma once
// What `berth console` shows, as plain values: the Introspection API's
// results (schema/introspect.capnp) copied out of Cap'n Proto so that the
// filtering, sorting and rendering (console_filter, console_render,
// console_tree) are pure functions of them. console_session fills them.

#include <cstdint>
#include <string>
#include <vector>

namespace berth::cli {

/// An actor's processing-time histogram: counts[i] counts messages that took
/// at most bounds[i] seconds (and more than bounds[i-1]); counts has one more
/// entry than bounds, the overflow (+Inf) bucket.
struct histogram_row {
  std::vector<double> bounds;
  std::vector<std::uint64_t> counts;
  double sum_seconds = 0;
  std::uint64_t count = 0;
  bool operator==(const histogram_row&) const = default;
};

/// schema::ActorInfo.
struct actor_row {
  std::uint64_t id = 0;
  std::string name, kind, object;
  std::uint64_t parent = 0;
  std::string parent_name;
  std::string owner;  // the owning object's actor ("" when none)
  std::int64_t spawned_ns = 0;
  std::uint64_t mailbox = 0;
  std::uint64_t handled = 0;
  double rate = 0;  // messages per second over the last 10 s
  histogram_row processing;
  std::string last_message;
  std::int64_t last_message_ns = 0;  // 0: never
  bool tracing = false;
  bool operator==(const actor_row&) const = default;
};

/// schema::ProcessInfo.
struct process_row {
  std::string role, version;
  std::int64_t started_ns = 0;
  std::uint32_t actors = 0;
  std::vector<std::string> nodes;
};

/// schema::TraceEvent.
struct trace_row {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::string direction;  // "in" or "out"
  std::string peer;
  std::uint64_t peer_id = 0;
  std::string type;
  std::uint32_t bytes = 0;
  std::string text;
};

/// schema::NodeActors: one agent node's actors, or why they are missing.
struct node_row {
  std::string node;
  std::string error;
  std::vector<actor_row> actors;
};

}  // namespace berth::cli
