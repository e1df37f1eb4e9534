#pragma once
// The API objects as plain C++ value types (Kubernetes v1 shapes).
//
// schema/objects.capnp is the source of the wire and disk format; these structs
// mirror it field for field so that pure code (the fold, validation, the
// decision functions) never sees Cap'n Proto headers. actors/model/codec.hpp
// converts between the two, and a round-trip test keeps them in step: add a
// field in both places or in neither.
//
// Everything here is a value type: copyable, compared with ==, no ownership.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// The kind names (k_kind_*) that object_reference::kind holds.
#include "actors/model/kinds.hpp"
#include "actors/model/quantity.hpp"

namespace berth::model {

/// Nanoseconds since the Unix epoch; 0 means "not set".
using time_ns = std::int64_t;

/// Labels, annotations, selectors: ordered, so iteration (and hashing) is deterministic.
using string_map = std::map<std::string, std::string>;

/// Resource name ("cpu", "memory", "pods") to quantity.
using resource_list = std::map<std::string, quantity>;

/// Kubernetes' IntOrString (targetPort, probe ports): unset, a number, or a port name.
struct int_or_string {
  std::variant<std::monostate, std::int32_t, std::string> value;
  bool operator==(const int_or_string&) const = default;
};

enum class protocol : std::uint8_t { tcp, udp };

struct owner_reference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool operator==(const owner_reference&) const = default;
};

struct object_meta {
  std::string name;
  std::string namespace_;  // trailing underscore: `namespace` is a keyword
  std::string uid;
  std::uint64_t resource_version = 0;  // seq of the last event that changed the object
  std::int64_t generation = 0;         // incremented on every spec change
  time_ns creation_timestamp = 0;
  time_ns deletion_timestamp = 0;  // set: the object is terminating
  string_map labels;
  string_map annotations;
  std::vector<owner_reference> owner_references;
  std::string generate_name;
  std::int64_t deletion_grace_period_seconds = 0;
  bool operator==(const object_meta&) const = default;
};

// --------------------------------------------------------------------- volumes
// Kubernetes v1 volume sources (schema/objects.capnp, "volumes"). The node
// agent runs emptyDir and hostPath; pods with the others are stored and wait.

struct volume_mount {
  std::string name;
  bool read_only = false;
  std::string mount_path;
  std::string sub_path;
  bool operator==(const volume_mount&) const = default;
};

struct empty_dir_volume {
  std::string medium;  // "" (node disk) or "Memory" (tmpfs)
  bool operator==(const empty_dir_volume&) const = default;
};

struct host_path_volume {
  std::string path;
  bool operator==(const host_path_volume&) const = default;
};

struct key_to_path {
  std::string key;
  std::string path;
  std::optional<std::int32_t> mode;
  bool operator==(const key_to_path&) const = default;
};

struct secret_volume {
  std::string secret_name;
  std::int32_t default_mode = 0644;  // Kubernetes' default (420)
  std::vector<key_to_path> items;
  bool operator==(const secret_volume&) const = default;
};

struct persistent_volume_claim_volume {
  std::string claim_name;
  bool read_only = false;
  bool operator==(const persistent_volume_claim_volume&) const = default;
};

struct nfs_volume {
  std::string server;
  std::string path;
  bool read_only = false;
  bool operator==(const nfs_volume&) const = default;
};

struct gce_persistent_disk_volume {
  std::string pd_name;
  std::string fs_type;
  std::int32_t partition = 0;
  bool read_only = false;
  bool operator==(const gce_persistent_disk_volume&) const = default;
};

struct aws_elastic_block_store_volume {
  std::string volume_id;
  std::string fs_type;
  std::int32_t partition = 0;
  bool read_only = false;
  bool operator==(const aws_elastic_block_store_volume&) const = default;
};

struct iscsi_volume {
  std::string target_portal;
  std::string iqn;
  std::int32_t lun = 0;
  std::string fs_type;
  bool read_only = false;
  std::string iscsi_interface;
  bool operator==(const iscsi_volume&) const = default;
};

struct rbd_volume {
  std::vector<std::string> monitors;
  std::string image;
  std::string fs_type;
  std::string pool;
  std::string user;
  std::string keyring;
  std::string secret_ref;  // LocalObjectReference.name; "" = none
  bool read_only = false;
  bool operator==(const rbd_volume&) const = default;
};

struct glusterfs_volume {
  std::string endpoints;
  std::string path;
  bool read_only = false;
  bool operator==(const glusterfs_volume&) const = default;
};

/// The alternatives in schema order (Volume.source); emptyDir first, as
/// Kubernetes defaults a volume without a source to emptyDir.
using volume_source =
    std::variant<empty_dir_volume, host_path_volume, secret_volume, persistent_volume_claim_volume, nfs_volume,
                 gce_persistent_disk_volume, aws_elastic_block_store_volume, iscsi_volume, rbd_volume,
                 glusterfs_volume>;

struct volume {
  std::string name;
  volume_source source;
  bool operator==(const volume&) const = default;
};

/// The v1 field name of a volume's source ("emptyDir", "gcePersistentDisk", ...).
const char* volume_type_name(const volume_source& source);

// ------------------------------------------------------------------ containers

// ---- container fields of Kubernetes 1.0 (downward API, security context)

/// The downward API: a field of the pod (fieldPath "metadata.name", ...).
struct object_field_selector {
  std::string api_version = "v1";
  std::string field_path;
  bool operator==(const object_field_selector&) const = default;
};

/// A key of a Secret (env[].valueFrom.secretKeyRef; resolved by the node agent).
struct secret_key_selector {
  std::string name;
  std::string key;
  bool operator==(const secret_key_selector&) const = default;
};

/// Exactly one member set (validation checks).
struct env_var_source {
  std::optional<object_field_selector> field_ref;
  std::optional<secret_key_selector> secret_key_ref;
  bool operator==(const env_var_source&) const = default;
};

struct capabilities {
  std::vector<std::string> add;  // Kubernetes names, without "CAP_"
  std::vector<std::string> drop;
  bool operator==(const capabilities&) const = default;
};

struct se_linux_options {
  std::string user;
  std::string role;
  std::string type;
  std::string level;
  bool operator==(const se_linux_options&) const = default;
};

/// A container's securityContext; unset optionals are Kubernetes' nil.
struct security_context {
  std::optional<capabilities> capabilities_;  // trailing underscore: the type has this name
  bool privileged = false;
  std::optional<se_linux_options> se_linux_options_;
  std::optional<std::int64_t> run_as_user;
  bool run_as_non_root = false;
  bool read_only_root_filesystem = false;
  bool operator==(const security_context&) const = default;
};

struct env_var {
  std::string name;
  std::string value;
  std::optional<env_var_source> value_from = std::nullopt;  // set: `value` is empty
  bool operator==(const env_var&) const = default;
};

struct container_port {
  std::string name;
  std::int32_t container_port = 0;
  std::int32_t host_port = 0;  // 0 = not published on the host
  protocol protocol_ = protocol::tcp;
  std::string host_ip;
  // `struct`: inside this class the bare name is the member above.
  bool operator==(const struct container_port&) const = default;
};

struct resource_requirements {
  resource_list requests;
  resource_list limits;
  bool operator==(const resource_requirements&) const = default;
};

struct exec_action {
  std::vector<std::string> command;
  bool operator==(const exec_action&) const = default;
};

struct http_header {
  std::string name;
  std::string value;
  bool operator==(const http_header&) const = default;
};

struct http_get_action {
  std::string path;
  int_or_string port;
  std::string host;
  std::string scheme;  // "HTTP" or "HTTPS"
  std::vector<http_header> http_headers;
  bool operator==(const http_get_action&) const = default;
};

struct tcp_socket_action {
  int_or_string port;
  bool operator==(const tcp_socket_action&) const = default;
};

/// Defaults are Kubernetes' (applied by manifest decoding as well).
struct probe {
  std::variant<exec_action, http_get_action, tcp_socket_action> handler;
  std::int32_t initial_delay_seconds = 0;
  std::int32_t timeout_seconds = 1;
  std::int32_t period_seconds = 10;
  std::int32_t success_threshold = 1;
  std::int32_t failure_threshold = 3;
  bool operator==(const probe&) const = default;
};

enum class pull_policy : std::uint8_t { if_not_present, always, never };

/// A lifecycle hook: Kubernetes v1's Handler, exactly one action.
using lifecycle_handler = std::variant<exec_action, http_get_action, tcp_socket_action>;

struct lifecycle {
  std::optional<lifecycle_handler> post_start;
  std::optional<lifecycle_handler> pre_stop;
  bool operator==(const lifecycle&) const = default;
};

enum class termination_message_policy : std::uint8_t { file, fallback_to_logs_on_error };

inline constexpr const char* k_default_termination_message_path = "/dev/termination-log";

struct container {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  std::vector<env_var> env;
  std::vector<container_port> ports;
  resource_requirements resources;
  pull_policy image_pull_policy = pull_policy::if_not_present;
  std::optional<probe> liveness_probe;
  std::optional<probe> readiness_probe;
  std::vector<volume_mount> volume_mounts;
  // Kubernetes 1.0 container fields (docs/workloads.md, "Container fields").
  std::optional<security_context> security_context_;
  bool stdin = false;
  bool stdin_once = false;
  bool tty = false;
  std::optional<lifecycle> lifecycle_;  // trailing underscore: the type has this name
  std::string termination_message_path = k_default_termination_message_path;
  termination_message_policy termination_message_policy_ = termination_message_policy::file;
  bool operator==(const container&) const = default;
};

// ------------------------------------------------------------------------ pods

enum class restart_policy : std::uint8_t { always, on_failure, never };

/// Kubernetes' LocalObjectReference: an object of the same namespace, by name.
struct local_object_reference {
  std::string name;
  bool operator==(const local_object_reference&) const = default;
};

struct pod_spec {
  std::vector<container> containers;
  restart_policy restart_policy_ = restart_policy::always;
  string_map node_selector;
  std::string node_name;  // empty: not scheduled yet
  bool host_network = false;
  std::int64_t termination_grace_period_seconds = 30;
  std::vector<volume> volumes;
  std::int64_t active_deadline_seconds = 0;  // 0: unset; else >= 1 (the agent fails the pod after it)
  std::vector<local_object_reference> image_pull_secrets;  // stored and shown only: no registry here
  bool operator==(const pod_spec&) const = default;
};

enum class pod_phase : std::uint8_t { pending, running, succeeded, failed, unknown };

enum class condition_status : std::uint8_t { is_true, is_false, unknown };

/// A pod condition (PodScheduled, Ready, ...) or a node condition (Ready).
struct condition {
  std::string type;
  condition_status status = condition_status::unknown;
  std::string reason;
  std::string message;
  time_ns last_transition_time = 0;
  time_ns last_heartbeat_time = 0;  // nodes only
  time_ns last_probe_time = 0;
  bool operator==(const condition&) const = default;
};

struct container_state_waiting {
  std::string reason;
  std::string message;
  bool operator==(const container_state_waiting&) const = default;
};

struct container_state_running {
  time_ns started_at = 0;
  bool operator==(const container_state_running&) const = default;
};

struct container_state_terminated {
  std::int32_t exit_code = 0;
  std::int32_t signal = 0;
  std::string reason;
  std::string message;
  time_ns started_at = 0;
  time_ns finished_at = 0;
  std::string container_id;
  bool operator==(const container_state_terminated&) const = default;
};

/// monostate: no state known (e.g. no previous termination for lastState).
using container_state =
    std::variant<std::monostate, container_state_waiting, container_state_running, container_state_terminated>;

struct container_status {
  std::string name;
  container_state state;
  container_state last_state;
  bool ready = false;
  std::int32_t restart_count = 0;
  std::string image;
  std::string image_id;
  std::string container_id;
  bool operator==(const container_status&) const = default;
};

struct pod_status {
  pod_phase phase = pod_phase::pending;
  std::vector<condition> conditions;
  std::string message;
  std::string reason;
  std::string host_ip;
  std::string pod_ip;
  time_ns start_time = 0;
  std::vector<container_status> container_statuses;
  bool operator==(const pod_status&) const = default;
};

struct pod {
  object_meta metadata;
  pod_spec spec;
  pod_status status;
  bool operator==(const pod&) const = default;
};

/// The names of the Secrets a pod spec references, from its secret volumes
/// and its containers' env[].valueFrom.secretKeyRef, sorted, each once. The
/// one rule of "which secrets a pod needs": berthd sends a node exactly these
/// for its pods (Kubernetes' node authorizer), and the node agent waits for them.
std::vector<std::string> referenced_secrets(const pod_spec& spec);

struct pod_template_spec {
  object_meta metadata;
  pod_spec spec;
  bool operator==(const pod_template_spec&) const = default;
};

// ------------------------------------------------------ replication controllers

struct replication_controller_spec {
  std::int32_t replicas = 1;
  string_map selector;
  pod_template_spec template_;  // trailing underscore: `template` is a keyword
  bool operator==(const replication_controller_spec&) const = default;
};

struct replication_controller_status {
  std::int32_t replicas = 0;
  std::int32_t ready_replicas = 0;
  std::int64_t observed_generation = 0;
  bool operator==(const replication_controller_status&) const = default;
};

struct replication_controller {
  object_meta metadata;
  replication_controller_spec spec;
  replication_controller_status status;
  bool operator==(const replication_controller&) const = default;
};

// -------------------------------------------------------------------- services

struct service_port {
  std::string name;
  protocol protocol_ = protocol::tcp;
  std::int32_t port = 0;
  int_or_string target_port;
  std::int32_t node_port = 0;
  bool operator==(const service_port&) const = default;
};

enum class service_type : std::uint8_t { cluster_ip, node_port, load_balancer };

enum class session_affinity : std::uint8_t { none, client_ip };

struct service_spec {
  std::vector<service_port> ports;
  string_map selector;
  std::string cluster_ip;
  service_type type = service_type::cluster_ip;
  session_affinity session_affinity_ = session_affinity::none;
  bool operator==(const service_spec&) const = default;
};

struct service {
  object_meta metadata;
  service_spec spec;
  bool operator==(const service&) const = default;
};

struct object_reference {
  std::string kind;  // "Pod", "ReplicationController", "Service", "Endpoints", "Node"
  std::string namespace_;
  std::string name;
  std::string uid;
  bool operator==(const object_reference&) const = default;
};

struct endpoint_address {
  std::string ip;
  std::string node_name;
  object_reference target_ref;
  bool operator==(const endpoint_address&) const = default;
};

struct endpoint_port {
  std::string name;
  std::int32_t port = 0;
  protocol protocol_ = protocol::tcp;
  bool operator==(const endpoint_port&) const = default;
};

struct endpoint_subset {
  std::vector<endpoint_address> addresses;
  std::vector<endpoint_address> not_ready_addresses;
  std::vector<endpoint_port> ports;
  bool operator==(const endpoint_subset&) const = default;
};

struct endpoints {
  object_meta metadata;
  std::vector<endpoint_subset> subsets;
  bool operator==(const endpoints&) const = default;
};

// ----------------------------------------------------------------------- nodes

struct node_address {
  std::string type;  // "InternalIP", "Hostname", ...
  std::string address;
  bool operator==(const node_address&) const = default;
};

struct node_system_info {
  std::string machine_id;
  std::string kernel_version;
  std::string os_image;
  std::string container_runtime_version;
  std::string kubelet_version;  // the berth-agent version
  std::string operating_system;
  std::string architecture;
  bool operator==(const node_system_info&) const = default;
};

struct node_spec {
  bool unschedulable = false;
  std::string pod_cidr;
  bool operator==(const node_spec&) const = default;
};

struct node_status {
  resource_list capacity;
  resource_list allocatable;
  std::vector<condition> conditions;
  std::vector<node_address> addresses;
  node_system_info node_info;
  bool operator==(const node_status&) const = default;
};

struct node {
  object_meta metadata;  // cluster-scoped: namespace_ stays empty
  node_spec spec;
  node_status status;
  bool operator==(const node&) const = default;
};

// ------------------------------------------------------------------ namespaces

enum class namespace_phase : std::uint8_t { active, terminating };

struct namespace_status {
  namespace_phase phase = namespace_phase::active;
  bool operator==(const namespace_status&) const = default;
};

/// A Namespace (cluster-scoped: metadata.namespace_ stays empty). Named
/// namespace_object because `namespace` is a keyword.
struct namespace_object {
  object_meta metadata;
  namespace_status status;
  bool operator==(const namespace_object&) const = default;
};

// --------------------------------------------------------------------- secrets

/// A secret's data encrypted (AES-256-GCM, actors/secrets/sealed.hpp): what
/// journal events and snapshots hold instead of the plaintext.
struct sealed_data {
  std::string key_id;      // the key that sealed it
  std::string nonce;       // 12 random bytes
  std::string ciphertext;  // encrypted entries + 16-byte tag
  bool empty() const { return key_id.empty() && nonce.empty() && ciphertext.empty(); }
  bool operator==(const sealed_data&) const = default;
};

inline constexpr const char* k_secret_type_opaque = "Opaque";

/// A Secret. Folded states (and so the journal) hold `sealed` with `data`
/// empty; what the API hands out holds `data` (plaintext) with `sealed` empty.
struct secret {
  object_meta metadata;
  std::string type = k_secret_type_opaque;
  std::map<std::string, std::string> data;  // key -> bytes
  sealed_data sealed;
  bool operator==(const secret&) const = default;
};

// ------------------------------------------------------- limit ranges, quotas

inline constexpr const char* k_limit_type_container = "Container";
inline constexpr const char* k_limit_type_pod = "Pod";

/// One entry of a LimitRange's spec.limits: bounds for containers or for a
/// whole pod (the sum of its containers), per resource.
struct limit_range_item {
  std::string type;  // k_limit_type_container or k_limit_type_pod
  resource_list max;
  resource_list min;
  resource_list default_;  // `default`: a container's limits when it gives none
  resource_list default_request;
  resource_list max_limit_request_ratio;
  bool operator==(const limit_range_item&) const = default;
};

struct limit_range {
  object_meta metadata;
  std::vector<limit_range_item> limits;  // spec.limits
  bool operator==(const limit_range&) const = default;
};

/// A ResourceQuota. The fold keeps `hard` (the spec); `status` is filled only
/// in what the API hands out, counted from the state (actors/model/quota.hpp).
struct resource_quota {
  object_meta metadata;
  resource_list hard;  // spec.hard
  struct status_t {
    resource_list hard;
    resource_list used;
    bool operator==(const status_t&) const = default;
  } status;
  bool operator==(const resource_quota&) const = default;
};

// ---------------------------------------------------------- persistent volumes

inline constexpr const char* k_access_read_write_once = "ReadWriteOnce";
inline constexpr const char* k_access_read_only_many = "ReadOnlyMany";
inline constexpr const char* k_access_read_write_many = "ReadWriteMany";
inline constexpr const char* k_resource_storage = "storage";

enum class reclaim_policy : std::uint8_t { retain, recycle, delete_ };
enum class volume_phase : std::uint8_t { available, bound, released, failed, pending };
enum class claim_phase : std::uint8_t { pending, bound, lost };

/// A PersistentVolume (cluster-scoped). The fold keeps the spec and sets
/// `status` by its rules (volume_phase: Available until a claim is bound,
/// Released once that claim is deleted, ...): it is state, not an input.
struct persistent_volume {
  object_meta metadata;
  struct spec_t {
    resource_list capacity;                 // "storage"
    std::vector<std::string> access_modes;  // k_access_*
    reclaim_policy policy = reclaim_policy::retain;
    object_reference claim_ref;             // empty name: not bound
    volume_source source;                   // hostPath, nfs, ...
    bool operator==(const spec_t&) const = default;
  } spec;
  struct status_t {
    volume_phase phase = volume_phase::available;
    std::string message;
    std::string reason;
    bool operator==(const status_t&) const = default;
  } status;
  bool operator==(const persistent_volume&) const = default;
};

/// A PersistentVolumeClaim. `status` is the fold's, as for volumes.
struct persistent_volume_claim {
  object_meta metadata;
  struct spec_t {
    std::vector<std::string> access_modes;
    resource_requirements resources;  // requests.storage
    std::string volume_name;          // bound (or asked-for) volume
    bool operator==(const spec_t&) const = default;
  } spec;
  struct status_t {
    claim_phase phase = claim_phase::pending;
    std::vector<std::string> access_modes;  // the bound volume's
    resource_list capacity;                 // the bound volume's
    bool operator==(const status_t&) const = default;
  } status;
  bool operator==(const persistent_volume_claim&) const = default;
};

/// A PodTemplate: a template stored for tools that make pods from it.
struct pod_template {
  object_meta metadata;
  pod_template_spec template_;  // `template`
  bool operator==(const pod_template&) const = default;
};

/// What a node needs to mount a pod's claim (NodeAgent.setClaims): the source
/// of the volume bound to the claim.
struct bound_claim {
  std::string namespace_;
  std::string claim_name;
  std::string volume_name;
  volume_source source;
  bool read_only = false;  // the volume offers only ReadOnlyMany
  bool operator==(const bound_claim&) const = default;
};

// --------------------------------------------------------------------- helpers

/// "Active" or "Terminating", as Kubernetes spells a namespace's phase.
const char* phase_name(namespace_phase phase);

/// "Available", "Bound", "Released", "Failed", "Pending".
const char* phase_name(volume_phase phase);

/// "Pending", "Bound", "Lost".
const char* phase_name(claim_phase phase);

/// "Retain", "Recycle", "Delete".
const char* reclaim_policy_name(reclaim_policy policy);

/// "Pending", "Running", "Succeeded", "Failed", "Unknown": a phase as
/// Kubernetes spells it (manifests, tables, field selectors, events).
const char* phase_name(pod_phase phase);

/// The condition of `type` in `conditions`, or nullptr.
const condition* find_condition(const std::vector<condition>& conditions, std::string_view type);

/// True when the pod has condition Ready=True.
bool is_pod_ready(const pod& p);

/// True when the node has condition Ready=True.
bool is_node_ready(const node& n);

}  // namespace berth::model
