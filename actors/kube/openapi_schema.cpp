#include "actors/kube/openapi_schema.hpp"

#include <array>

#include "actors/kube/openapi_fields.hpp"

namespace berth::kube {
namespace {

using sv = std::string_view;
using f = openapi_field;
using namespace detail;  // the core/v1 fields and their shared pieces

// ------------------------------------------------------------ meta/v1

constexpr f k_object_meta[] = {
    {"name", "string", "The object's name, unique among objects of its kind in its namespace."},
    {"generateName", "string", "A prefix the server completes with random characters when name is empty."},
    {"namespace", "string", "The namespace the object lives in; empty for nodes and namespaces."},
    {"uid", "string", "A unique id the server sets on creation. Read-only."},
    {"resourceVersion", "string",
     "An opaque version the server bumps on every change; send it back to watch "
     "from there or to update only that version. Read-only."},
    {"generation", "int64", "How many times the desired state (spec) has changed. Read-only."},
    {"creationTimestamp", "Time", "When the server created the object. Read-only."},
    {"deletionTimestamp", "Time", "When the object is to be gone: set when deletion starts. Read-only."},
    {"deletionGracePeriodSeconds", "int64", "The seconds allowed for graceful termination. Read-only."},
    {"labels", "map[string]string",
     "Keys and values that selectors match (replication controllers, services, "
     "kubectl get -l)."},
    {"annotations", "map[string]string",
     "Keys and values for tools; not used for selection. kubectl apply keeps "
     "its last-applied-configuration here."},
    {"ownerReferences", "[]OwnerReference",
     "The objects this one belongs to: a pod made by a replication "
     "controller names it here."},
};

constexpr f k_owner_reference[] = {
    {"apiVersion", "string", "API version of the owner.", k_required},
    {"kind", "string", "Kind of the owner.", k_required},
    {"name", "string", "Name of the owner.", k_required},
    {"uid", "string", "UID of the owner.", k_required},
    {"controller", "boolean", "True when the owner is the object's managing controller."},
};

constexpr f k_list_meta[] = {
    {"resourceVersion", "string",
     "The version of the collection this list shows; watch from it to see what "
     "changes next."},
    {"continue", "string", "Set when the list was cut at the limit: send it back to get the next part."},
};

constexpr f k_status[] = {
    k_api_version,
    k_kind,
    k_list_metadata,
    {"status", "string", "\"Success\" or \"Failure\"."},
    {"message", "string", "What happened, for people."},
    {"reason", "string", "What happened, for programs: NotFound, AlreadyExists, Conflict, Invalid, ..."},
    {"details", "StatusDetails", "The object the status is about, and the fields at fault."},
    {"code", "integer", "The HTTP status code."},
};

constexpr f k_status_details[] = {
    {"name", "string", "Name of the object the status is about."},
    {"group", "string", "Its API group; empty for the core group."},
    {"kind", "string", "Its kind, or resource name."},
    {"causes", "[]StatusCause", "Each field at fault, for Invalid."},
};

constexpr f k_status_cause[] = {
    {"reason", "string", "Why: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, ..."},
    {"message", "string", "What is wrong, for people."},
    {"field", "string", "The field at fault, as a path: spec.containers[0].image."},
};

// ------------------------------------------------------------ autoscaling/v1

constexpr f k_scale[] = {
    {"apiVersion", "string", "\"autoscaling/v1\"."},
    k_kind,
    k_metadata,
    {"spec", "ScaleSpec", "The number of replicas wanted."},
    {"status", "ScaleStatus", "The number there are. Read-only."},
};

constexpr f k_scale_spec[] = {
    {"replicas", "integer", "How many replicas to keep."},
};

constexpr f k_scale_status[] = {
    {"replicas", "integer", "How many replicas there are.", k_required},
    {"selector", "string", "The controller's selector as label-selector text (app=web)."},
};

// ------------------------------------------------------------ lists

constexpr std::array<f, 4> list_of(sv item_list_type, sv description) {
  return {{k_api_version, k_kind, k_list_metadata, {"items", item_list_type, description, k_required}}};
}

constexpr auto k_pod_list = list_of("[]Pod", "The pods.");
constexpr auto k_rc_list = list_of("[]ReplicationController", "The replication controllers.");
constexpr auto k_service_list = list_of("[]Service", "The services.");
constexpr auto k_endpoints_list = list_of("[]Endpoints", "The endpoints, one per service.");
constexpr auto k_node_list = list_of("[]Node", "The nodes.");
constexpr auto k_namespace_list = list_of("[]Namespace", "The namespaces.");
constexpr auto k_event_list = list_of("[]Event", "The events.");
constexpr auto k_secret_list = list_of("[]Secret", "The secrets.");

// ------------------------------------------------------------ core/v1: secrets

constexpr f k_secret[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"type", "string",
     "What the data is for: Opaque (the default), kubernetes.io/service-account-token, or any other type."},
    {"data", "map[string]string",
     "The secret's values, each base64-encoded. Keys match [-._a-zA-Z0-9]+; all values together at most 1 MiB. "
     "berthd stores them encrypted."},
    {"stringData", "map[string]string",
     "Write-only values as plain text, merged into data on write (they win over data's). Never read back."},
};
constexpr auto k_component_status_list = list_of("[]ComponentStatus", "The components.");

// ------------------------------------------------ core/v1: limit ranges, quotas

constexpr f k_limit_range[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "LimitRangeSpec", "The bounds and defaults for the namespace's pods."},
};
constexpr f k_limit_range_spec[] = {
    {"limits", "[]LimitRangeItem", "One entry per type of object bounded.", k_required},
};
constexpr f k_limit_range_item[] = {
    {"type", "string", "Container or Pod (a pod: the sum of its containers)."},
    {"max", "map[string]Quantity", "The most of each resource (cpu, memory) a limit may ask."},
    {"min", "map[string]Quantity", "The least of each resource a request may ask."},
    {"default", "map[string]Quantity", "A container's limits when it gives none (Container only)."},
    {"defaultRequest", "map[string]Quantity", "A container's requests when it gives none (Container only)."},
    {"maxLimitRequestRatio", "map[string]Quantity", "The largest limit / request a resource may have."},
};
constexpr auto k_limit_range_list = list_of("[]LimitRange", "The limit ranges.");

constexpr f k_resource_quota[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "ResourceQuotaSpec", "The namespace's hard limits."},
    {"status", "ResourceQuotaStatus", "The hard limits and what is used of them, counted when read. Read-only."},
};
constexpr f k_resource_quota_spec[] = {
    {"hard", "map[string]Quantity",
     "The most the namespace may hold: pods, cpu, memory (summed limits), services, replicationcontrollers, "
     "secrets, resourcequotas, persistentvolumeclaims."},
};
constexpr f k_resource_quota_status[] = {
    {"hard", "map[string]Quantity", "The hard limits enforced."},
    {"used", "map[string]Quantity", "What the namespace uses of each."},
};
constexpr auto k_resource_quota_list = list_of("[]ResourceQuota", "The resource quotas.");

// ------------------------------------------- core/v1: persistent volumes, claims

inline constexpr std::array<std::string_view, 3> k_reclaim_policies = {"Delete", "Recycle", "Retain"};

constexpr f k_persistent_volume[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "PersistentVolumeSpec", "The storage and how it may be claimed."},
    {"status", "PersistentVolumeStatus", "The volume's phase, set by berthd. Read-only."},
};
constexpr f k_persistent_volume_spec[] = {
    {"capacity", "map[string]Quantity", "storage: how much the volume holds.", k_required},
    {"accessModes", "[]string", "ReadWriteOnce, ReadOnlyMany, ReadWriteMany: how the volume may be mounted.",
     k_required},
    {"persistentVolumeReclaimPolicy", "string",
     "What happens when its claim is deleted: Retain (the default; Released, kept), Recycle (contents removed, "
     "Available again), Delete (contents and volume removed).",
     false, {}, k_reclaim_policies},
    {"claimRef", "ObjectReference", "The claim it is bound to; set by the volume controller, or to reserve it."},
    {"hostPath", "HostPathVolumeSource", "A directory of the node."},
    {"nfs", "NFSVolumeSource", "An NFS export, on nodes that have mount.nfs."},
    {"gcePersistentDisk", "GCEPersistentDiskVolumeSource", "A GCE disk: stored, no node provides it."},
    {"awsElasticBlockStore", "AWSElasticBlockStoreVolumeSource", "An EBS volume: stored, no node provides it."},
    {"iscsi", "ISCSIVolumeSource", "An iSCSI disk: stored, no node provides it."},
    {"rbd", "RBDVolumeSource", "A Ceph RBD image: stored, no node provides it."},
    {"glusterfs", "GlusterfsVolumeSource", "A Glusterfs volume: stored, no node provides it."},
};
constexpr f k_persistent_volume_status[] = {
    {"phase", "string", "Available, Bound, Released or Failed."},
    {"message", "string", "Why it is in its phase (a failed reclaim)."},
    {"reason", "string", "A one-word reason."},
};
constexpr auto k_persistent_volume_list = list_of("[]PersistentVolume", "The persistent volumes.");

constexpr f k_claim[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "PersistentVolumeClaimSpec", "The storage asked for. Immutable once created."},
    {"status", "PersistentVolumeClaimStatus", "The claim's phase and bound volume, set by berthd. Read-only."},
};
constexpr f k_claim_spec[] = {
    {"accessModes", "[]string", "The modes the volume must offer.", k_required},
    {"resources", "ResourceRequirements", "requests.storage: the least storage the volume must have.",
     k_required},
    {"volumeName", "string", "The volume to bind (set by the volume controller when empty)."},
};
constexpr f k_claim_status[] = {
    {"phase", "string", "Pending, Bound or Lost."},
    {"accessModes", "[]string", "The bound volume's access modes."},
    {"capacity", "map[string]Quantity", "The bound volume's capacity."},
};
constexpr auto k_claim_list = list_of("[]PersistentVolumeClaim", "The persistent volume claims.");

// ------------------------------------------------------ core/v1: pod templates

constexpr f k_pod_template[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"template", "PodTemplateSpec", "The pods' metadata and spec. Nothing runs it: tools make pods from it."},
};
constexpr auto k_pod_template_list = list_of("[]PodTemplate", "The pod templates.");

// ------------------------------------------------------------ the table

constexpr group_version_kind core(sv kind) { return {"", "v1", kind}; }

const openapi_type k_types[] = {
    {"io.k8s.api.core.v1.Pod", "A group of containers that run together on one node.", k_pod, core("Pod")},
    {"io.k8s.api.core.v1.PodList", "A list of pods.", k_pod_list, core("PodList")},
    {"io.k8s.api.core.v1.ReplicationController", "Keeps a number of pods made from one template running.", k_rc,
     core("ReplicationController")},
    {"io.k8s.api.core.v1.ReplicationControllerList", "A list of replication controllers.", k_rc_list,
     core("ReplicationControllerList")},
    {"io.k8s.api.core.v1.Service", "A stable address in front of the pods a selector picks.", k_service,
     core("Service")},
    {"io.k8s.api.core.v1.ServiceList", "A list of services.", k_service_list, core("ServiceList")},
    {"io.k8s.api.core.v1.Endpoints",
     "The addresses behind a service: kept by the endpoints controller, or written by users for a service "
     "without a selector.",
     k_endpoints, core("Endpoints")},
    {"io.k8s.api.core.v1.EndpointsList", "A list of endpoints.", k_endpoints_list, core("EndpointsList")},
    {"io.k8s.api.core.v1.Node", "A machine that runs pods, registered by its berth agent.", k_node, core("Node")},
    {"io.k8s.api.core.v1.NodeList", "A list of nodes.", k_node_list, core("NodeList")},
    {"io.k8s.api.core.v1.Namespace", "A scope for names: objects in different namespaces may share a name.",
     k_namespace, core("Namespace")},
    {"io.k8s.api.core.v1.NamespaceList", "A list of namespaces.", k_namespace_list, core("NamespaceList")},
    {"io.k8s.api.core.v1.Secret", "Small pieces of sensitive data, stored encrypted.", k_secret, core("Secret")},
    {"io.k8s.api.core.v1.SecretList", "A list of secrets.", k_secret_list, core("SecretList")},
    {"io.k8s.api.core.v1.LimitRange", "Bounds and defaults applied to pods when they are created.", k_limit_range,
     core("LimitRange")},
    {"io.k8s.api.core.v1.LimitRangeList", "A list of limit ranges.", k_limit_range_list, core("LimitRangeList")},
    {"io.k8s.api.core.v1.ResourceQuota", "The most a namespace may hold, enforced when objects are created.",
     k_resource_quota, core("ResourceQuota")},
    {"io.k8s.api.core.v1.ResourceQuotaList", "A list of resource quotas.", k_resource_quota_list,
     core("ResourceQuotaList")},
    {"io.k8s.api.core.v1.LimitRangeSpec", "The entries of a limit range.", k_limit_range_spec},
    {"io.k8s.api.core.v1.LimitRangeItem", "Bounds for one type of object.", k_limit_range_item},
    {"io.k8s.api.core.v1.ResourceQuotaSpec", "A quota's hard limits.", k_resource_quota_spec},
    {"io.k8s.api.core.v1.ResourceQuotaStatus", "A quota's hard limits and usage.", k_resource_quota_status},
    {"io.k8s.api.core.v1.PersistentVolume", "Storage an operator made available to claims.", k_persistent_volume,
     core("PersistentVolume")},
    {"io.k8s.api.core.v1.PersistentVolumeList", "A list of persistent volumes.", k_persistent_volume_list,
     core("PersistentVolumeList")},
    {"io.k8s.api.core.v1.PersistentVolumeSpec", "A volume's storage and source.", k_persistent_volume_spec},
    {"io.k8s.api.core.v1.PersistentVolumeStatus", "A volume's phase.", k_persistent_volume_status},
    {"io.k8s.api.core.v1.PersistentVolumeClaim", "A request for storage, bound to a persistent volume.", k_claim,
     core("PersistentVolumeClaim")},
    {"io.k8s.api.core.v1.PersistentVolumeClaimList", "A list of persistent volume claims.", k_claim_list,
     core("PersistentVolumeClaimList")},
    {"io.k8s.api.core.v1.PersistentVolumeClaimSpec", "A claim's request.", k_claim_spec},
    {"io.k8s.api.core.v1.PersistentVolumeClaimStatus", "A claim's phase and volume.", k_claim_status},
    {"io.k8s.api.core.v1.PodTemplate", "A pod template stored on its own.", k_pod_template, core("PodTemplate")},
    {"io.k8s.api.core.v1.PodTemplateList", "A list of pod templates.", k_pod_template_list, core("PodTemplateList")},
    {"io.k8s.api.core.v1.Event", "A report of something that happened to an object.", k_event, core("Event")},
    {"io.k8s.api.core.v1.EventList", "A list of events.", k_event_list, core("EventList")},
    {"io.k8s.api.core.v1.ComponentStatus", "The health of a control plane component.", k_component_status,
     core("ComponentStatus")},
    {"io.k8s.api.core.v1.ComponentStatusList", "A list of component statuses.", k_component_status_list,
     core("ComponentStatusList")},
    {"io.k8s.api.autoscaling.v1.Scale",
     "The replica count of a replication controller, read and set through its "
     "scale subresource.",
     k_scale,
     {"autoscaling", "v1", "Scale"}},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.Status",
     "The result of a call that returns no object: an error, or a "
     "deletion.",
     k_status, core("Status")},

    {"io.k8s.api.core.v1.PodSpec", "What a pod runs and how.", k_pod_spec},
    {"io.k8s.api.core.v1.Container", "One container of a pod.", k_container},
    {"io.k8s.api.core.v1.EnvVar", "An environment variable.", k_env_var},
    {"io.k8s.api.core.v1.ContainerPort", "A port a container listens on.", k_container_port},
    {"io.k8s.api.core.v1.ResourceRequirements", "Compute resources of a container.", k_resource_requirements},
    {"io.k8s.api.core.v1.Probe", "A periodic check of a container: exactly one of exec, httpGet, tcpSocket.", k_probe},
    {"io.k8s.api.core.v1.ExecAction", "A command run in the container.", k_exec_action},
    {"io.k8s.api.core.v1.HTTPGetAction", "An HTTP GET against the pod.", k_http_get_action},
    {"io.k8s.api.core.v1.TCPSocketAction", "A TCP connection to the pod.", k_tcp_socket_action},
    {"io.k8s.api.core.v1.HTTPHeader", "A header of an HTTP GET.", k_http_header},
    {"io.k8s.api.core.v1.Lifecycle", "A container's lifecycle hooks.", k_lifecycle},
    {"io.k8s.api.core.v1.LifecycleHandler", "A lifecycle hook: exactly one of exec, httpGet, tcpSocket.",
     k_lifecycle_handler},
    {"io.k8s.api.core.v1.Volume", "Storage a pod's containers can mount: a name and one source.", k_volume},
    {"io.k8s.api.core.v1.VolumeMount", "A volume mounted into a container.", k_volume_mount},
    {"io.k8s.api.core.v1.EmptyDirVolumeSource", "A directory made for the pod.", k_empty_dir},
    {"io.k8s.api.core.v1.HostPathVolumeSource", "A path on the node.", k_host_path},
    {"io.k8s.api.core.v1.SecretVolumeSource", "A Secret as files.", k_secret_volume},
    {"io.k8s.api.core.v1.KeyToPath", "One key of a Secret as a file.", k_key_to_path},
    {"io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource", "A claimed persistent volume.", k_pvc_volume},
    {"io.k8s.api.core.v1.NFSVolumeSource", "An NFS export.", k_nfs_volume},
    {"io.k8s.api.core.v1.GCEPersistentDiskVolumeSource", "A GCE persistent disk.", k_gce_pd_volume},
    {"io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource", "An AWS EBS volume.", k_aws_ebs_volume},
    {"io.k8s.api.core.v1.ISCSIVolumeSource", "An iSCSI disk.", k_iscsi_volume},
    {"io.k8s.api.core.v1.RBDVolumeSource", "A Ceph RBD image.", k_rbd_volume},
    {"io.k8s.api.core.v1.LocalObjectReference", "A reference to an object in the same namespace.",
     k_local_object_reference},
    {"io.k8s.api.core.v1.GlusterfsVolumeSource", "A Glusterfs volume.", k_glusterfs_volume},
    {"io.k8s.api.core.v1.PodStatus", "What a pod is doing.", k_pod_status},
    {"io.k8s.api.core.v1.PodCondition", "One condition of a pod.", k_pod_condition},
    {"io.k8s.api.core.v1.ContainerStatus", "The state of one container of a pod.", k_container_status},
    {"io.k8s.api.core.v1.ContainerState", "One of waiting, running or terminated.", k_container_state},
    {"io.k8s.api.core.v1.ContainerStateWaiting", "A container that is not running yet.", k_state_waiting},
    {"io.k8s.api.core.v1.ContainerStateRunning", "A running container.", k_state_running},
    {"io.k8s.api.core.v1.ContainerStateTerminated", "A container that exited.", k_state_terminated},
    {"io.k8s.api.core.v1.PodTemplateSpec", "The pod a controller makes.", k_pod_template_spec},
    {"io.k8s.api.core.v1.ReplicationControllerSpec", "What a replication controller keeps running.", k_rc_spec},
    {"io.k8s.api.core.v1.ReplicationControllerStatus", "What a replication controller has.", k_rc_status},
    {"io.k8s.api.core.v1.ServiceSpec", "What a service selects and exposes.", k_service_spec},
    {"io.k8s.api.core.v1.ServicePort", "A port of a service.", k_service_port},
    {"io.k8s.api.core.v1.ServiceStatus", "What is in front of a service.", k_service_status},
    {"io.k8s.api.core.v1.LoadBalancerStatus", "A load balancer of a service.", k_load_balancer_status},
    {"io.k8s.api.core.v1.LoadBalancerIngress", "One address of a load balancer.", k_load_balancer_ingress},
    {"io.k8s.api.core.v1.EndpointSubset", "Addresses that share a set of ports.", k_endpoint_subset},
    {"io.k8s.api.core.v1.EndpointAddress", "The address of one pod behind a service.", k_endpoint_address},
    {"io.k8s.api.core.v1.EndpointPort", "A port on the addresses of a subset.", k_endpoint_port},
    {"io.k8s.api.core.v1.ObjectReference", "A reference to another object.", k_object_reference},
    {"io.k8s.api.core.v1.NodeSpec", "What may run on a node.", k_node_spec},
    {"io.k8s.api.core.v1.NodeStatus", "A node as its agent reports it.", k_node_status},
    {"io.k8s.api.core.v1.NodeCondition", "One condition of a node.", k_node_condition},
    {"io.k8s.api.core.v1.NodeAddress", "One address of a node.", k_node_address},
    {"io.k8s.api.core.v1.NodeSystemInfo", "The system a node runs.", k_node_system_info},
    {"io.k8s.api.core.v1.NamespaceSpec", "What a namespace waits for on deletion.", k_namespace_spec},
    {"io.k8s.api.core.v1.NamespaceStatus", "Where a namespace is in its life.", k_namespace_status},
    {"io.k8s.api.core.v1.EventSource", "Who reported an event.", k_event_source},
    {"io.k8s.api.core.v1.ComponentCondition", "One health condition of a component.", k_component_condition},
    {"io.k8s.api.autoscaling.v1.ScaleSpec", "The replicas wanted.", k_scale_spec},
    {"io.k8s.api.autoscaling.v1.ScaleStatus", "The replicas there are.", k_scale_status},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "The metadata every object has.", k_object_meta},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference", "The object another one belongs to.", k_owner_reference},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", "The metadata of a list.", k_list_meta},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails", "What a Status is about.", k_status_details},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause", "One field at fault.", k_status_cause},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.Time",
     "A time, as RFC 3339 text in UTC (2024-01-01T00:00:00Z).",
     {},
     {},
     openapi_shape::date_time},
    {"io.k8s.apimachinery.pkg.api.resource.Quantity",
     "An amount: a number with an optional suffix (500m cpu, "
     "128Mi memory).",
     {},
     {},
     openapi_shape::quantity},
    {"io.k8s.apimachinery.pkg.util.intstr.IntOrString",
     "A number or a name: a port number, or the name of a "
     "container port.",
     {},
     {},
     openapi_shape::int_or_string},
};

}  // namespace

std::span<const openapi_type> openapi_types() { return k_types; }

const openapi_type* find_openapi_type(std::string_view name) {
  for (const auto& t : k_types) {
    if (t.name == name) return &t;
    if (t.name.size() > name.size() && t.name.ends_with(name) && t.name[t.name.size() - name.size() - 1] == '.')
      return &t;
  }
  return nullptr;
}

}  // namespace berth::kube
