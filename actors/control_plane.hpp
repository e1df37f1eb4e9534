#pragma once
// The control plane as the network fronts see it (actors/rpc/, later the
// Kubernetes REST API): the store's verbs as plain values, and a CAF-free
// interface to send them. The Cap'n Proto / KJ side never sees CAF and the
// actors never see Cap'n Proto. actors/core/facade.cpp implements it over the
// store's typed interface (actors/core/protocol.hpp); every call is
// thread-safe, returns at once, and a request's callback runs exactly once,
// later, on some CAF worker thread — the RPC layer hops back to its KJ thread
// with a cross-thread fulfiller. Callbacks must be cheap and must not block.
//
// Adding a verb: a struct below (with `using reply = ...` for a request),
// its name in BERTH_STORE_REQUESTS or BERTH_STORE_TELLS, and one handler in
// the store (actors/core/store.cpp). The facade, the typed interface and the
// message registration all follow from the lists.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/model/kinds.hpp"
#include "actors/model/objects.hpp"

namespace berth::store {
struct fold_batch;  // actors/store/fold_diff.hpp
}  // namespace berth::store

namespace berth::actors {

/// The kinds and their names are the model's vocabulary (actors/model/kinds.hpp);
/// the API speaks of them as actors::kind.
using model::kind;
using model::resource_name;

using any_object = std::variant<model::pod, model::replication_controller, model::service, model::endpoints,
                                model::node, model::namespace_object, model::secret, model::limit_range,
                                model::resource_quota, model::persistent_volume, model::persistent_volume_claim,
                                model::pod_template>;

kind kind_of(const any_object& o);
const model::object_meta& meta_of(const any_object& o);

struct object_key {
  actors::kind kind = kind::pod;
  std::string namespace_;  // ignored for nodes and namespaces
  std::string name;
};

struct api_field_error {
  std::string field;
  std::string message;
};

/// The outcome of a command or a get: ordinary failures are values.
struct outcome {
  enum class code : std::uint8_t { ok, invalid, not_found, already_exists, conflict, unavailable, forbidden };
  code result = code::ok;
  std::optional<any_object> object;     // ok: as stored (or as it would be, for dry runs)
  std::vector<api_field_error> errors;  // invalid
  std::string message;                  // not_found / already_exists / conflict / unavailable / forbidden
  std::string action;                   // "created", "configured", "unchanged", "deleted", "scaled"
  std::uint64_t seq = 0;                // journal seq that made it durable; 0 = nothing written
  /// not_found: the missing object when it is not the one asked for (the
  /// namespace of a create); the REST API names it in its Status.
  std::optional<object_key> missing;
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
  std::string family;  // command / decision / observation
  std::string type;    // "podBound"
  std::string principal;
  std::uint64_t cause = 0;
  std::string message;  // short human summary
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
  /// The secrets the node's pods reference, with plaintext data (the full
  /// set: store::secrets_for_nodes). Goes over the TLS-protected link only.
  virtual void set_secrets(std::vector<model::secret> secrets) = 0;
  /// The claims the node's pods mount, each with its bound volume's source
  /// (the full set: store::claims_for_nodes).
  virtual void set_claims(std::vector<model::bound_claim> claims) = 0;
  /// False once the connection is gone.
  virtual bool connected() const = 0;
};

/// The store's folds, one batch per journal record, for the watch cache
/// (actors/store/watch_cache.hpp) that serves every watch. Called on the
/// store's thread, in journal order: on_start once, then on_fold for every
/// record folded after that seq. Implementations only hand the batch on
/// (the RPC server posts it to its KJ thread): the store's per-fold cost does
/// not depend on how many watches there are.
class fold_feed {
 public:
  virtual ~fold_feed() = default;
  virtual void on_start(std::uint64_t folded_seq) = 0;
  virtual void on_fold(std::shared_ptr<const ::berth::store::fold_batch> batch) = 0;
};

// ---- requests (answered with `reply`)

/// create, or apply (create, or replace when it exists).
struct create_cmd {
  using reply = outcome;
  std::string principal;  // what the token mapped to ("user:admin")
  any_object object;
  bool dry_run = false;
  bool is_apply = false;
  /// Set (non-zero): replace only if the stored object's resourceVersion is
  /// this one, else Conflict (a PUT or patch carrying the version it read).
  std::uint64_t expect_resource_version = 0;
};
struct delete_cmd {
  using reply = outcome;
  std::string principal;
  object_key key;
  std::int64_t grace_period_seconds = -1;  // -1: the pod's own
  bool orphan_dependents = false;          // an RC's pods stay (propagationPolicy Orphan)
};
struct scale_cmd {
  using reply = outcome;
  std::string principal;
  object_key key;
  std::int32_t replicas = 0;
};
struct get_query {
  using reply = outcome;
  object_key key;
};
struct list_query {
  using reply = list_result;
  actors::kind k = kind::pod;
  std::string namespace_;  // empty: every namespace
  std::string label_selector;
  std::string field_selector;
};
/// The most recent journal events of one object (describe's Events).
struct events_query {
  using reply = std::vector<event_summary>;
  object_key key;
  std::uint32_t limit = 20;
};
/// A node agent joins; `node` carries what it reported (name, capacity,
/// addresses, info). The registered node in the reply carries the heartbeat
/// contract in its annotations (reconcile::contract_of).
struct join_cmd {
  using reply = outcome;
  model::node node;
  std::shared_ptr<node_agent_link> link;
  std::chrono::nanoseconds heartbeat_interval{0};  // the agent's override; 0: berthd's own
};

// ---- one-way messages

/// Subscribes `feed` to the store's folds (see fold_feed).
struct feed_cmd {
  std::shared_ptr<fold_feed> feed;
};
struct heartbeat_msg {
  std::string node_name;
};
struct pod_status_report {
  std::string node_name;
  std::string namespace_;
  std::string name;
  std::string uid;
  model::pod_status status;
};
/// Every container of a pod is gone on its node.
struct pod_terminated_report {
  std::string node_name;
  std::string namespace_;
  std::string name;
  std::string uid;
};
/// Something happened to a pod on its node that kubelet records as an Event
/// (a probe failed).
struct pod_event_report {
  std::string node_name;
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string reason;
  std::string message;
  std::string container;
};
/// The link of `node_name` closed (the agent disconnected).
struct disconnect_msg {
  std::string node_name;
  std::shared_ptr<node_agent_link> link;
};

// The verb lists: X(name) for each. Append only where order matters to nobody.
#define BERTH_STORE_REQUESTS(X) \
  X(create_cmd) X(delete_cmd) X(scale_cmd) X(get_query) X(list_query) X(events_query) X(join_cmd)
#define BERTH_STORE_TELLS(X) \
  X(feed_cmd) X(heartbeat_msg) X(pod_status_report) X(pod_terminated_report) X(disconnect_msg) \
      X(pod_event_report)

class control_plane {
 public:
  virtual ~control_plane() = default;

  template <class T>
  using callback = std::function<void(T)>;

#define BERTH_DECLARE_ASK(V) virtual void ask(V v, callback<V::reply> done) = 0;
  BERTH_STORE_REQUESTS(BERTH_DECLARE_ASK)
#undef BERTH_DECLARE_ASK
#define BERTH_DECLARE_TELL(V) virtual void tell(V v) = 0;
  BERTH_STORE_TELLS(BERTH_DECLARE_TELL)
#undef BERTH_DECLARE_TELL

  /// A fresh id for a watch (unique per control plane).
  virtual std::uint64_t next_watch_id() = 0;
  /// The last durable journal seq.
  virtual std::uint64_t journal_seq() const = 0;
};

}  // namespace berth::actors
