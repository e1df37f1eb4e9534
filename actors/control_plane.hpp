#pragma once
// The control plane as the RPC layer sees it: a plain C++ interface with
// callbacks, so that the Cap'n Proto / KJ side (actors/rpc/) never sees CAF and
// the actors never see Cap'n Proto. berthd's store actor implements it
// (actors/core/facade.cpp); every method is thread-safe, returns at once, and calls
// its callback exactly once, later, on some CAF worker thread — the RPC layer
// hops back to its KJ thread with a cross-thread fulfiller.
//
// Callbacks must be cheap and must not block.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/model/kinds.hpp"
#include "actors/model/objects.hpp"

namespace berth::actors {

/// The kinds and their names are the model's vocabulary (actors/model/kinds.hpp);
/// the API speaks of them as actors::kind.
using model::kind;
using model::resource_name;

using any_object = std::variant<model::pod, model::replication_controller, model::service,
                                model::endpoints, model::node>;

kind kind_of(const any_object& o);
const model::object_meta& meta_of(const any_object& o);

struct object_key {
  actors::kind kind = kind::pod;
  std::string namespace_;  // ignored for nodes
  std::string name;
};

struct api_field_error {
  std::string field;
  std::string message;
};

/// The outcome of a command or a get: ordinary failures are values.
struct outcome {
  enum class code : std::uint8_t { ok, invalid, not_found, already_exists, conflict, unavailable };
  code result = code::ok;
  std::optional<any_object> object;     // ok: as stored (or as it would be, for dry runs)
  std::vector<api_field_error> errors;  // invalid
  std::string message;                  // not_found / already_exists / conflict / unavailable
  std::string action;                   // "created", "configured", "unchanged", "deleted", "scaled"
  std::uint64_t seq = 0;                // journal seq that made it durable; 0 = nothing written
};

struct list_result {
  std::vector<any_object> items;
  std::string error;  // non-empty: a selector did not parse; items empty
  std::uint64_t resource_version = 0;
};

enum class watch_event_type : std::uint8_t { added, modified, deleted };

struct watch_event {
  watch_event_type type = watch_event_type::added;
  any_object object;
  std::uint64_t resource_version = 0;
};

/// A journal event rendered for people (describe's Events section).
struct event_summary {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::string family;     // command / decision / observation
  std::string type;       // "podBound"
  std::string principal;
  std::uint64_t cause = 0;
  std::string message;    // short human summary
};

/// What berthd needs from a connected node agent. Implemented by the RPC layer;
/// called from actors (any thread): implementations hop to their KJ thread.
class node_agent_link {
 public:
  virtual ~node_agent_link() = default;
  virtual void set_pods(std::vector<model::pod> pods) = 0;
  virtual void upsert_pod(model::pod p) = 0;
  virtual void remove_pod(std::string namespace_, std::string name, std::string uid) = 0;
  /// Every service and its endpoints (shared: the same lists go to every agent).
  virtual void set_services(std::shared_ptr<const std::vector<model::service>> services,
                            std::shared_ptr<const std::vector<model::endpoints>> endpoints) = 0;
  /// False once the connection is gone.
  virtual bool connected() const = 0;
};

class control_plane {
 public:
  virtual ~control_plane() = default;

  template <class T>
  using callback = std::function<void(T)>;

  // ---- clients. `principal` is what the token mapped to ("user:admin").
  virtual void create(std::string principal, any_object object, bool dry_run, callback<outcome> done) = 0;
  virtual void apply(std::string principal, any_object object, bool dry_run, callback<outcome> done) = 0;
  virtual void remove(std::string principal, object_key key, std::int64_t grace_period_seconds,
                      callback<outcome> done) = 0;
  virtual void scale(std::string principal, object_key key, std::int32_t replicas, callback<outcome> done) = 0;
  virtual void get(object_key key, callback<outcome> done) = 0;
  virtual void list(kind k, std::string namespace_, std::string label_selector, std::string field_selector,
                    callback<list_result> done) = 0;
  /// Streams changes after `from_resource_version` (0: the current objects as
  /// `added`, then changes). `on_event` runs in order; `on_closed` ends it.
  /// Returns an id for cancel_watch(), or 0 with on_closed called (bad selector).
  virtual std::uint64_t watch(kind k, std::string namespace_, std::string label_selector,
                              std::string field_selector, std::uint64_t from_resource_version,
                              callback<watch_event> on_event, callback<std::string> on_closed) = 0;
  virtual void cancel_watch(std::uint64_t id) = 0;
  virtual void object_events(object_key key, std::uint32_t limit, callback<std::vector<event_summary>> done) = 0;
  /// The last durable journal seq.
  virtual std::uint64_t journal_seq() const = 0;

  // ---- node agents. `node` carries what the agent reported (name, capacity, addresses, info).
  virtual void join(model::node node, std::shared_ptr<node_agent_link> link, callback<outcome> done) = 0;
  virtual void heartbeat(std::string node_name) = 0;
  virtual void report_pod_status(std::string node_name, std::string namespace_, std::string name,
                                 std::string uid, model::pod_status status) = 0;
  virtual void report_pod_terminated(std::string node_name, std::string namespace_, std::string name,
                                     std::string uid) = 0;
  /// The link of `node_name` closed (the agent disconnected).
  virtual void disconnected(std::string node_name, std::shared_ptr<node_agent_link> link) = 0;
};

}  // namespace berth::actors
