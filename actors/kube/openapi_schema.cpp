#include "actors/kube/openapi_schema.hpp"

#include <array>

namespace berth::kube {
namespace {

using sv = std::string_view;
using f = openapi_field;
constexpr bool k_required = true;

// ------------------------------------------------------------ shared fields

constexpr f k_api_version{"apiVersion", "string", "The version of the schema this object follows: \"v1\" here."};
constexpr f k_kind{"kind", "string", "The object's type, in CamelCase (\"Pod\"). Fixed for each endpoint."};
constexpr f k_metadata{"metadata", "ObjectMeta", "Name, namespace, labels and the other metadata every object has."};
constexpr f k_list_metadata{"metadata", "ListMeta",
                            "The list's resourceVersion, to watch from, and its continue token."};

// The values berthd's decoder and validator accept (actors/manifest).
constexpr std::array<sv, 3> k_restart_policies = {"Always", "OnFailure", "Never"};
constexpr std::array<sv, 3> k_pull_policies = {"Always", "IfNotPresent", "Never"};
constexpr std::array<sv, 2> k_protocols = {"TCP", "UDP"};
constexpr std::array<sv, 3> k_service_types = {"ClusterIP", "NodePort", "LoadBalancer"};
constexpr std::array<sv, 2> k_affinities = {"None", "ClientIP"};
constexpr std::array<sv, 5> k_phases = {"Pending", "Running", "Succeeded", "Failed", "Unknown"};
constexpr std::array<sv, 3> k_condition_statuses = {"True", "False", "Unknown"};
constexpr std::array<sv, 2> k_schemes = {"HTTP", "HTTPS"};

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

// ------------------------------------------------------------ core/v1: pods

constexpr f k_pod[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "PodSpec", "What the pod should run."},
    {"status", "PodStatus", "What the pod is doing, as its node last reported it. Read-only."},
};

constexpr f k_pod_spec[] = {
    {"containers", "[]Container", "The containers of the pod, started together on one node. At least one.", k_required,
     "name"},
    {"restartPolicy",
     "string",
     "When a container that exited is started again. Default Always.",
     false,
     {},
     k_restart_policies},
    {"nodeSelector", "map[string]string", "Labels a node must have for the pod to be scheduled onto it."},
    {"nodeName", "string", "The node the pod runs on. Set by the scheduler, or by hand to skip it."},
    {"hostNetwork", "boolean", "Run in the node's network namespace instead of the pod's own."},
    {"terminationGracePeriodSeconds", "int64",
     "Seconds between the stop signal and the kill on deletion. "
     "Default 30."},
};

constexpr f k_container[] = {
    {"name", "string", "The container's name, unique in the pod (a DNS label).", k_required},
    {"image", "string", "The image to run, as the container runtime names it (busybox, nginx:1.25).", k_required},
    {"command", "[]string", "The program and its arguments; replaces the image's entrypoint. Not run in a shell."},
    {"args", "[]string", "Arguments for the command; replace the image's default arguments."},
    {"workingDir", "string", "The directory the command starts in; default the image's."},
    {"env", "[]EnvVar", "Environment variables set in the container.", false, "name"},
    {"ports", "[]ContainerPort", "Ports the container listens on, for information and for hostPort.", false,
     "containerPort"},
    {"resources", "ResourceRequirements", "CPU and memory the container asks for and may not exceed."},
    {"imagePullPolicy",
     "string",
     "When to pull the image. Default Always for :latest or no tag, else "
     "IfNotPresent.",
     false,
     {},
     k_pull_policies},
    {"livenessProbe", "Probe", "A check that restarts the container when it keeps failing."},
    {"readinessProbe", "Probe", "A check that takes the pod out of service endpoints while it fails."},
};

constexpr f k_env_var[] = {
    {"name", "string", "The variable's name.", k_required},
    {"value", "string", "Its value; default empty."},
};

constexpr f k_container_port[] = {
    {"name", "string", "A name for the port, that services can target."},
    {"containerPort", "integer", "The port number in the container's network namespace (1-65535).", k_required},
    {"hostPort", "integer", "A port on the node forwarded to containerPort; 0 for none."},
    {"hostIP", "string", "The node address hostPort binds to."},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
};

constexpr f k_resource_requirements[] = {
    {"requests", "map[string]Quantity", "The amounts the scheduler reserves on a node (cpu, memory)."},
    {"limits", "map[string]Quantity", "The amounts the container may not exceed (cpu, memory)."},
};

constexpr f k_probe[] = {
    {"exec", "ExecAction", "Run a command in the container; exit status 0 is success. One action only."},
    {"httpGet", "HTTPGetAction", "GET a URL; a status from 200 to 399 is success. One action only."},
    {"tcpSocket", "TCPSocketAction", "Open a TCP connection; connecting is success. One action only."},
    {"initialDelaySeconds", "integer", "Seconds after the container starts before the first check."},
    {"timeoutSeconds", "integer", "Seconds before a check counts as failed. Default 1."},
    {"periodSeconds", "integer", "Seconds between checks. Default 10."},
    {"successThreshold", "integer", "Successes in a row that count as passing after a failure. Default 1."},
    {"failureThreshold", "integer", "Failures in a row that count as failing. Default 3."},
};

constexpr f k_exec_action[] = {
    {"command", "[]string", "The program and its arguments, run in the container, not in a shell."},
};

constexpr f k_http_get_action[] = {
    {"path", "string", "The path to GET."},
    {"port", "IntOrString", "The port number or container port name.", k_required},
    {"host", "string", "The host to connect to; default the pod's IP."},
    {"scheme", "string", "Default HTTP.", false, {}, k_schemes},
};

constexpr f k_tcp_socket_action[] = {
    {"port", "IntOrString", "The port number or container port name.", k_required},
};

constexpr f k_pod_status[] = {
    {"phase", "string", "Where the pod is in its life.", false, {}, k_phases},
    {"conditions", "[]PodCondition", "PodScheduled, Initialized, ContainersReady and Ready, each true or not.", false,
     "type"},
    {"message", "string", "Why the pod is in this phase, for people."},
    {"reason", "string", "Why the pod is in this phase, in one word."},
    {"hostIP", "string", "The address of the pod's node."},
    {"podIP", "string", "The pod's own address."},
    {"startTime", "Time", "When the node accepted the pod."},
    {"containerStatuses", "[]ContainerStatus", "One entry per container: its state and restarts."},
};

constexpr f k_pod_condition[] = {
    {"type", "string", "PodScheduled, Initialized, ContainersReady or Ready.", k_required},
    {"status", "string", "Whether the condition holds.", k_required, {}, k_condition_statuses},
    {"lastProbeTime", "Time", "When it was last checked."},
    {"lastTransitionTime", "Time", "When status last changed."},
    {"reason", "string", "Why status last changed, in one word."},
    {"message", "string", "Why status last changed, for people."},
};

constexpr f k_container_status[] = {
    {"name", "string", "The container's name in the spec.", k_required},
    {"state", "ContainerState", "What the container is doing now."},
    {"lastState", "ContainerState", "How its previous run ended, after a restart."},
    {"ready", "boolean", "Whether its readiness probe passes (true without a probe once it runs).", k_required},
    {"restartCount", "integer", "How many times it has been restarted.", k_required},
    {"image", "string", "The image it runs.", k_required},
    {"imageID", "string", "The image's id in the container runtime.", k_required},
    {"containerID", "string", "The runtime's id of the container, as <runtime>://<id>."},
};

constexpr f k_container_state[] = {
    {"waiting", "ContainerStateWaiting", "Not running yet (being created, pulling, backing off)."},
    {"running", "ContainerStateRunning", "Running."},
    {"terminated", "ContainerStateTerminated", "Exited."},
};

constexpr f k_state_waiting[] = {
    {"reason", "string", "Why it waits: ContainerCreating, ErrImagePull, CrashLoopBackOff, ..."},
    {"message", "string", "More about why, for people."},
};

constexpr f k_state_running[] = {
    {"startedAt", "Time", "When it last started."},
};

constexpr f k_state_terminated[] = {
    {"exitCode", "integer", "The exit status of its last run.", k_required},
    {"signal", "integer", "The signal that ended it, if one did."},
    {"reason", "string", "Why it ended, in one word: Completed, Error, OOMKilled, ..."},
    {"message", "string", "Why it ended, for people."},
    {"startedAt", "Time", "When that run started."},
    {"finishedAt", "Time", "When it ended."},
    {"containerID", "string", "The runtime's id of that run."},
};

constexpr f k_pod_template_spec[] = {
    {"metadata", "ObjectMeta", "The labels (and annotations) each pod is created with."},
    {"spec", "PodSpec", "The spec each pod is created with."},
};

// ------------------------------------------------------------ core/v1: controllers, services

constexpr f k_rc[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "ReplicationControllerSpec", "How many pods of which template to keep running."},
    {"status", "ReplicationControllerStatus", "How many it has, as the controller last counted. Read-only."},
};

constexpr f k_rc_spec[] = {
    {"replicas", "integer", "How many pods to keep. Default 1."},
    {"selector", "map[string]string",
     "The labels that make a pod one of this controller's. Default the "
     "template's labels."},
    {"template", "PodTemplateSpec", "The pod each new replica is made from; its labels must match selector."},
};

constexpr f k_rc_status[] = {
    {"replicas", "integer", "How many pods the selector matches.", k_required},
    {"readyReplicas", "integer", "How many of those are ready."},
    {"observedGeneration", "int64", "The metadata.generation the controller last acted on."},
};

constexpr f k_service[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "ServiceSpec", "Which pods the service sends traffic to, and on which ports."},
};

constexpr f k_service_spec[] = {
    {"ports", "[]ServicePort", "The ports the service exposes.", false, "port"},
    {"selector", "map[string]string",
     "Pods with these labels receive the traffic; their addresses are the "
     "service's endpoints."},
    {"clusterIP", "string", "The service's virtual address; the server picks one when empty."},
    {"type", "string", "How the service is reached. Default ClusterIP.", false, {}, k_service_types},
    {"sessionAffinity",
     "string",
     "ClientIP sends a client's connections to the same pod. Default None.",
     false,
     {},
     k_affinities},
};

constexpr f k_service_port[] = {
    {"name", "string", "A name for the port; required when there are several."},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
    {"port", "integer", "The port the service listens on.", k_required},
    {"targetPort", "IntOrString", "The pods' port, by number or container port name. Default port."},
    {"nodePort", "integer",
     "The port on every node, for NodePort and LoadBalancer; the server picks one when "
     "empty."},
};

constexpr f k_endpoints[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"subsets", "[]EndpointSubset",
     "The addresses of the service's pods and their ports. Kept by the server "
     "from the service of the same name."},
};

constexpr f k_endpoint_subset[] = {
    {"addresses", "[]EndpointAddress", "Ready pods."},
    {"notReadyAddresses", "[]EndpointAddress", "Pods that are not ready yet."},
    // Merged by port as patch.cpp merges every "ports" list without a containerPort
    // (Kubernetes replaces this one whole); subsets itself is replaced whole.
    {"ports", "[]EndpointPort", "The ports on each address.", false, "port"},
};

constexpr f k_endpoint_address[] = {
    {"ip", "string", "The pod's address.", k_required},
    {"nodeName", "string", "The node the pod runs on."},
    {"targetRef", "ObjectReference", "The pod."},
};

constexpr f k_endpoint_port[] = {
    {"name", "string", "The service port's name."},
    {"port", "integer", "The port number.", k_required},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
};

constexpr f k_object_reference[] = {
    {"apiVersion", "string", "API version of the object."},
    {"kind", "string", "Kind of the object."},
    {"namespace", "string", "Namespace of the object."},
    {"name", "string", "Name of the object."},
    {"uid", "string", "UID of the object."},
    {"fieldPath", "string", "The part of the object meant, such as spec.containers{main}."},
};

// ------------------------------------------------------------ core/v1: cluster objects

constexpr f k_node[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "NodeSpec", "Whether new pods may be placed on the node."},
    {"status", "NodeStatus", "The node as its agent last reported it. Read-only."},
};

constexpr f k_node_spec[] = {
    {"podCIDR", "string", "The address range of the node's pods."},
    {"unschedulable", "boolean", "True keeps new pods off the node (kubectl cordon)."},
};

constexpr f k_node_status[] = {
    {"capacity", "map[string]Quantity", "The node's total cpu, memory and pods."},
    {"allocatable", "map[string]Quantity", "What of it pods may use."},
    {"conditions", "[]NodeCondition", "Ready and the pressure conditions.", false, "type"},
    {"addresses", "[]NodeAddress", "How the node is reached."},
    {"nodeInfo", "NodeSystemInfo", "The node's system, as its agent reports it."},
};

constexpr f k_node_condition[] = {
    {"type", "string", "Ready, MemoryPressure, DiskPressure, PIDPressure, ...", k_required},
    {"status", "string", "Whether the condition holds.", k_required, {}, k_condition_statuses},
    {"lastHeartbeatTime", "Time", "When the agent last reported it."},
    {"lastTransitionTime", "Time", "When status last changed."},
    {"reason", "string", "Why status last changed, in one word."},
    {"message", "string", "Why status last changed, for people."},
};

constexpr f k_node_address[] = {
    {"type", "string", "InternalIP, ExternalIP or Hostname.", k_required},
    {"address", "string", "The address.", k_required},
};

constexpr f k_node_system_info[] = {
    {"machineID", "string", "The machine id of the host."},
    {"kernelVersion", "string", "The kernel (uname -r)."},
    {"osImage", "string", "The operating system's name and version."},
    {"containerRuntimeVersion", "string", "The container runtime and its version."},
    {"kubeletVersion", "string", "The node agent's version."},
    {"operatingSystem", "string", "linux."},
    {"architecture", "string", "amd64, arm64, ..."},
};

constexpr f k_namespace[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "NamespaceSpec", "What must happen before the namespace is gone."},
    {"status", "NamespaceStatus", "Whether the namespace is in use or being deleted. Read-only."},
};

constexpr f k_namespace_spec[] = {
    {"finalizers", "[]string", "What must be cleaned up before the namespace is removed."},
};

constexpr std::array<sv, 2> k_namespace_phases = {"Active", "Terminating"};
constexpr f k_namespace_status[] = {
    {"phase", "string", "Active, or Terminating once deletion has started.", false, {}, k_namespace_phases},
};

constexpr f k_event[] = {
    k_api_version,
    k_kind,
    {"metadata", "ObjectMeta", "Name, namespace and the other metadata every object has.", k_required},
    {"involvedObject", "ObjectReference", "The object the event is about.", k_required},
    {"reason", "string", "What happened, in one word: Scheduled, Pulled, Started, Killing, ..."},
    {"message", "string", "What happened, for people."},
    {"source", "EventSource", "Who reported it."},
    {"firstTimestamp", "Time", "When it first happened."},
    {"lastTimestamp", "Time", "When it last happened."},
    {"count", "integer", "How many times it happened."},
    {"type", "string", "Normal or Warning."},
    {"reportingComponent", "string", "The controller that reported it."},
    {"reportingInstance", "string", "Which instance of that controller."},
};

constexpr f k_event_source[] = {
    {"component", "string", "The component that reported it: scheduler, berth-agent, ..."},
    {"host", "string", "The node it was reported on."},
};

constexpr f k_component_status[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"conditions", "[]ComponentCondition", "The component's health.", false, "type"},
};

constexpr f k_component_condition[] = {
    {"type", "string", "Healthy.", k_required},
    {"status", "string", "Whether the component is healthy.", k_required, {}, k_condition_statuses},
    {"message", "string", "What the component said."},
    {"error", "string", "Why the check failed."},
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
constexpr auto k_component_status_list = list_of("[]ComponentStatus", "The components.");

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
    {"io.k8s.api.core.v1.Endpoints", "The addresses behind a service, kept by the server.", k_endpoints,
     core("Endpoints")},
    {"io.k8s.api.core.v1.EndpointsList", "A list of endpoints.", k_endpoints_list, core("EndpointsList")},
    {"io.k8s.api.core.v1.Node", "A machine that runs pods, registered by its berth agent.", k_node, core("Node")},
    {"io.k8s.api.core.v1.NodeList", "A list of nodes.", k_node_list, core("NodeList")},
    {"io.k8s.api.core.v1.Namespace", "A scope for names: objects in different namespaces may share a name.",
     k_namespace, core("Namespace")},
    {"io.k8s.api.core.v1.NamespaceList", "A list of namespaces.", k_namespace_list, core("NamespaceList")},
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
