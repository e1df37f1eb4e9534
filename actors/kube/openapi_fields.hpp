#pragma once
// The fields of the core/v1 types, for the table in openapi_schema.cpp (one
// array per type; the table names each type and its kind). Kept apart only
// so that neither file is long. Read openapi_schema.hpp for the type grammar.
// Included by openapi_schema.cpp alone.

#include <array>
#include <string_view>

#include "actors/kube/openapi_schema.hpp"

namespace berth::kube::detail {

inline constexpr bool k_required = true;

// ------------------------------------------------------------ shared fields

inline constexpr openapi_field k_api_version{"apiVersion", "string",
                                             "The version of the schema this object follows: \"v1\" here."};
inline constexpr openapi_field k_kind{"kind", "string",
                                      "The object's type, in CamelCase (\"Pod\"). Fixed for each endpoint."};
inline constexpr openapi_field k_metadata{"metadata", "ObjectMeta",
                                          "Name, namespace, labels and the other metadata every object has."};
inline constexpr openapi_field k_list_metadata{"metadata", "ListMeta",
                                               "The list's resourceVersion, to watch from, and its continue token."};

// The values berthd's decoder and validator accept (actors/manifest).
inline constexpr std::array<std::string_view, 3> k_restart_policies = {"Always", "OnFailure", "Never"};
inline constexpr std::array<std::string_view, 3> k_pull_policies = {"Always", "IfNotPresent", "Never"};
inline constexpr std::array<std::string_view, 2> k_protocols = {"TCP", "UDP"};
inline constexpr std::array<std::string_view, 3> k_service_types = {"ClusterIP", "NodePort", "LoadBalancer"};
inline constexpr std::array<std::string_view, 2> k_affinities = {"None", "ClientIP"};
inline constexpr std::array<std::string_view, 5> k_phases = {"Pending", "Running", "Succeeded", "Failed", "Unknown"};
inline constexpr std::array<std::string_view, 3> k_condition_statuses = {"True", "False", "Unknown"};
inline constexpr std::array<std::string_view, 2> k_schemes = {"HTTP", "HTTPS"};
inline constexpr std::array<std::string_view, 2> k_termination_message_policies = {"File", "FallbackToLogsOnError"};

// ------------------------------------------------------------ core/v1: pods

inline constexpr openapi_field k_pod[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "PodSpec", "What the pod should run."},
    {"status", "PodStatus", "What the pod is doing, as its node last reported it. Read-only."},
};

inline constexpr openapi_field k_pod_spec[] = {
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
    {"volumes", "[]Volume", "Storage the pod's containers can mount (docs/workloads.md, Volumes).", false, "name"},
    {"activeDeadlineSeconds", "int64",
     "Seconds the pod may be active on its node, from status.startTime, before its node kills its containers and "
     "fails it (reason DeadlineExceeded). At least 1."},
    {"imagePullSecrets", "[]LocalObjectReference",
     "Secrets for pulling the images. Stored only: berth's nodes pull from no registry."},
};

inline constexpr openapi_field k_container[] = {
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
    {"volumeMounts", "[]VolumeMount", "Volumes of the pod mounted into this container.", false, "mountPath"},
    {"lifecycle", "Lifecycle", "Actions the node agent runs after the container starts and before it stops."},
    {"terminationMessagePath", "string",
     "The file in the container whose contents become the terminated state's message (at most 4096 bytes). "
     "Default /dev/termination-log; an absolute path."},
    {"terminationMessagePolicy",
     "string",
     "File: the message is the file's contents. FallbackToLogsOnError: the end of the log when the file is "
     "empty and the container failed. Default File.",
     false,
     {},
     k_termination_message_policies},
};

inline constexpr openapi_field k_lifecycle[] = {
    {"postStart", "LifecycleHandler",
     "Runs right after the container starts; when it fails the container is killed and restarted per "
     "restartPolicy."},
    {"preStop", "LifecycleHandler",
     "Runs before the stop signal on every stop; its time counts against terminationGracePeriodSeconds."},
};

inline constexpr openapi_field k_lifecycle_handler[] = {
    {"exec", "ExecAction", "Run a command in the container; exit status 0 is success. One action only."},
    {"httpGet", "HTTPGetAction", "GET a URL; a status from 200 to 399 is success. One action only."},
    {"tcpSocket", "TCPSocketAction", "Open a TCP connection; connecting is success. One action only."},
};

inline constexpr openapi_field k_http_header[] = {
    {"name", "string", "The header's name.", k_required},
    {"value", "string", "Its value.", k_required},
};

inline constexpr openapi_field k_env_var[] = {
    {"name", "string", "The variable's name.", k_required},
    {"value", "string", "Its value; default empty."},
};

inline constexpr openapi_field k_container_port[] = {
    {"name", "string", "A name for the port, that services can target."},
    {"containerPort", "integer", "The port number in the container's network namespace (1-65535).", k_required},
    {"hostPort", "integer", "A port on the node forwarded to containerPort; 0 for none."},
    {"hostIP", "string", "The node address hostPort binds to."},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
};

inline constexpr openapi_field k_resource_requirements[] = {
    {"requests", "map[string]Quantity", "The amounts the scheduler reserves on a node (cpu, memory)."},
    {"limits", "map[string]Quantity", "The amounts the container may not exceed (cpu, memory)."},
};

inline constexpr openapi_field k_probe[] = {
    {"exec", "ExecAction", "Run a command in the container; exit status 0 is success. One action only."},
    {"httpGet", "HTTPGetAction", "GET a URL; a status from 200 to 399 is success. One action only."},
    {"tcpSocket", "TCPSocketAction", "Open a TCP connection; connecting is success. One action only."},
    {"initialDelaySeconds", "integer", "Seconds after the container starts before the first check."},
    {"timeoutSeconds", "integer", "Seconds before a check counts as failed. Default 1."},
    {"periodSeconds", "integer", "Seconds between checks. Default 10."},
    {"successThreshold", "integer", "Successes in a row that count as passing after a failure. Default 1."},
    {"failureThreshold", "integer", "Failures in a row that count as failing. Default 3."},
};

inline constexpr openapi_field k_exec_action[] = {
    {"command", "[]string", "The program and its arguments, run in the container, not in a shell."},
};

inline constexpr openapi_field k_http_get_action[] = {
    {"path", "string", "The path to GET."},
    {"port", "IntOrString", "The port number or container port name.", k_required},
    {"host", "string", "The host to connect to; default the pod's IP."},
    {"scheme", "string", "Default HTTP.", false, {}, k_schemes},
    {"httpHeaders", "[]HTTPHeader", "Headers sent with the request."},
};

inline constexpr openapi_field k_tcp_socket_action[] = {
    {"port", "IntOrString", "The port number or container port name.", k_required},
};

inline constexpr openapi_field k_pod_status[] = {
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

inline constexpr openapi_field k_pod_condition[] = {
    {"type", "string", "PodScheduled, Initialized, ContainersReady or Ready.", k_required},
    {"status", "string", "Whether the condition holds.", k_required, {}, k_condition_statuses},
    {"lastProbeTime", "Time", "When it was last checked."},
    {"lastTransitionTime", "Time", "When status last changed."},
    {"reason", "string", "Why status last changed, in one word."},
    {"message", "string", "Why status last changed, for people."},
};

inline constexpr openapi_field k_container_status[] = {
    {"name", "string", "The container's name in the spec.", k_required},
    {"state", "ContainerState", "What the container is doing now."},
    {"lastState", "ContainerState", "How its previous run ended, after a restart."},
    {"ready", "boolean", "Whether its readiness probe passes (true without a probe once it runs).", k_required},
    {"restartCount", "integer", "How many times it has been restarted.", k_required},
    {"image", "string", "The image it runs.", k_required},
    {"imageID", "string", "The image's id in the container runtime.", k_required},
    {"containerID", "string", "The runtime's id of the container, as <runtime>://<id>."},
};

inline constexpr openapi_field k_container_state[] = {
    {"waiting", "ContainerStateWaiting", "Not running yet (being created, pulling, backing off)."},
    {"running", "ContainerStateRunning", "Running."},
    {"terminated", "ContainerStateTerminated", "Exited."},
};

inline constexpr openapi_field k_state_waiting[] = {
    {"reason", "string", "Why it waits: ContainerCreating, ErrImagePull, CrashLoopBackOff, ..."},
    {"message", "string", "More about why, for people."},
};

inline constexpr openapi_field k_state_running[] = {
    {"startedAt", "Time", "When it last started."},
};

inline constexpr openapi_field k_state_terminated[] = {
    {"exitCode", "integer", "The exit status of its last run.", k_required},
    {"signal", "integer", "The signal that ended it, if one did."},
    {"reason", "string", "Why it ended, in one word: Completed, Error, OOMKilled, ..."},
    {"message", "string", "Why it ended, for people."},
    {"startedAt", "Time", "When that run started."},
    {"finishedAt", "Time", "When it ended."},
    {"containerID", "string", "The runtime's id of that run."},
};

inline constexpr openapi_field k_pod_template_spec[] = {
    {"metadata", "ObjectMeta", "The labels (and annotations) each pod is created with."},
    {"spec", "PodSpec", "The spec each pod is created with."},
};

// ------------------------------------------------------------ core/v1: controllers, services

inline constexpr openapi_field k_rc[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "ReplicationControllerSpec", "How many pods of which template to keep running."},
    {"status", "ReplicationControllerStatus", "How many it has, as the controller last counted. Read-only."},
};

inline constexpr openapi_field k_rc_spec[] = {
    {"replicas", "integer", "How many pods to keep. Default 1."},
    {"selector", "map[string]string",
     "The labels that make a pod one of this controller's. Default the "
     "template's labels."},
    {"template", "PodTemplateSpec", "The pod each new replica is made from; its labels must match selector."},
};

inline constexpr openapi_field k_rc_status[] = {
    {"replicas", "integer", "How many pods the selector matches.", k_required},
    {"readyReplicas", "integer", "How many of those are ready."},
    {"observedGeneration", "int64", "The metadata.generation the controller last acted on."},
};

inline constexpr openapi_field k_service[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "ServiceSpec", "Which pods the service sends traffic to, and on which ports."},
    {"status", "ServiceStatus",
     "Load balancers in front of the service: berth makes none, so this stays empty. "
     "Read-only."},
};

// Described so that a manifest carrying a status (as `kubectl get -o yaml`
// of another cluster's service does) still applies: berthd ignores status on
// writes, and kubectl 1.32's apply fails over fields the schema lacks.
inline constexpr openapi_field k_service_status[] = {
    {"loadBalancer", "LoadBalancerStatus", "The load balancer's addresses; always empty in berth."},
};

inline constexpr openapi_field k_load_balancer_status[] = {
    {"ingress", "[]LoadBalancerIngress", "Where the load balancer is reached."},
};

inline constexpr openapi_field k_load_balancer_ingress[] = {
    {"ip", "string", "An address of the load balancer."},
    {"hostname", "string", "A DNS name of the load balancer."},
};

inline constexpr openapi_field k_service_spec[] = {
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

inline constexpr openapi_field k_service_port[] = {
    {"name", "string", "A name for the port; required when there are several."},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
    {"port", "integer", "The port the service listens on.", k_required},
    {"targetPort", "IntOrString", "The pods' port, by number or container port name. Default port."},
    {"nodePort", "integer",
     "The port on every node, for NodePort and LoadBalancer; the server picks one when "
     "empty."},
};

inline constexpr openapi_field k_endpoints[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"subsets", "[]EndpointSubset",
     "The addresses of the service's pods and their ports. Kept by the server "
     "from the service of the same name."},
};

inline constexpr openapi_field k_endpoint_subset[] = {
    {"addresses", "[]EndpointAddress", "Ready pods."},
    {"notReadyAddresses", "[]EndpointAddress", "Pods that are not ready yet."},
    // Merged by port as patch.cpp merges every "ports" list without a containerPort
    // (Kubernetes replaces this one whole); subsets itself is replaced whole.
    {"ports", "[]EndpointPort", "The ports on each address.", false, "port"},
};

inline constexpr openapi_field k_endpoint_address[] = {
    {"ip", "string", "The pod's address.", k_required},
    {"nodeName", "string", "The node the pod runs on."},
    {"targetRef", "ObjectReference", "The pod."},
};

inline constexpr openapi_field k_endpoint_port[] = {
    {"name", "string", "The service port's name."},
    {"port", "integer", "The port number.", k_required},
    {"protocol", "string", "Default TCP.", false, {}, k_protocols},
};

inline constexpr openapi_field k_object_reference[] = {
    {"apiVersion", "string", "API version of the object."},
    {"kind", "string", "Kind of the object."},
    {"namespace", "string", "Namespace of the object."},
    {"name", "string", "Name of the object."},
    {"uid", "string", "UID of the object."},
    {"fieldPath", "string", "The part of the object meant, such as spec.containers{main}."},
};

// ------------------------------------------------------------ core/v1: cluster objects

inline constexpr openapi_field k_node[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "NodeSpec", "Whether new pods may be placed on the node."},
    {"status", "NodeStatus", "The node as its agent last reported it. Read-only."},
};

inline constexpr openapi_field k_node_spec[] = {
    {"podCIDR", "string", "The address range of the node's pods."},
    {"unschedulable", "boolean", "True keeps new pods off the node (kubectl cordon)."},
};

inline constexpr openapi_field k_node_status[] = {
    {"capacity", "map[string]Quantity", "The node's total cpu, memory and pods."},
    {"allocatable", "map[string]Quantity", "What of it pods may use."},
    {"conditions", "[]NodeCondition", "Ready and the pressure conditions.", false, "type"},
    {"addresses", "[]NodeAddress", "How the node is reached."},
    {"nodeInfo", "NodeSystemInfo", "The node's system, as its agent reports it."},
};

inline constexpr openapi_field k_node_condition[] = {
    {"type", "string", "Ready, MemoryPressure, DiskPressure, PIDPressure, ...", k_required},
    {"status", "string", "Whether the condition holds.", k_required, {}, k_condition_statuses},
    {"lastHeartbeatTime", "Time", "When the agent last reported it."},
    {"lastTransitionTime", "Time", "When status last changed."},
    {"reason", "string", "Why status last changed, in one word."},
    {"message", "string", "Why status last changed, for people."},
};

inline constexpr openapi_field k_node_address[] = {
    {"type", "string", "InternalIP, ExternalIP or Hostname.", k_required},
    {"address", "string", "The address.", k_required},
};

inline constexpr openapi_field k_node_system_info[] = {
    {"machineID", "string", "The machine id of the host."},
    {"kernelVersion", "string", "The kernel (uname -r)."},
    {"osImage", "string", "The operating system's name and version."},
    {"containerRuntimeVersion", "string", "The container runtime and its version."},
    {"kubeletVersion", "string", "The node agent's version."},
    {"operatingSystem", "string", "linux."},
    {"architecture", "string", "amd64, arm64, ..."},
};

inline constexpr openapi_field k_namespace[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"spec", "NamespaceSpec", "What must happen before the namespace is gone."},
    {"status", "NamespaceStatus", "Whether the namespace is in use or being deleted. Read-only."},
};

inline constexpr openapi_field k_namespace_spec[] = {
    {"finalizers", "[]string", "What must be cleaned up before the namespace is removed."},
};

inline constexpr std::array<std::string_view, 2> k_namespace_phases = {"Active", "Terminating"};
inline constexpr openapi_field k_namespace_status[] = {
    {"phase", "string", "Active, or Terminating once deletion has started.", false, {}, k_namespace_phases},
};

inline constexpr openapi_field k_event[] = {
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

inline constexpr openapi_field k_event_source[] = {
    {"component", "string", "The component that reported it: scheduler, berth-agent, ..."},
    {"host", "string", "The node it was reported on."},
};

inline constexpr openapi_field k_component_status[] = {
    k_api_version,
    k_kind,
    k_metadata,
    {"conditions", "[]ComponentCondition", "The component's health.", false, "type"},
};

inline constexpr openapi_field k_component_condition[] = {
    {"type", "string", "Healthy.", k_required},
    {"status", "string", "Whether the component is healthy.", k_required, {}, k_condition_statuses},
    {"message", "string", "What the component said."},
    {"error", "string", "Why the check failed."},
};

// ------------------------------------------------------------ core/v1: volumes
// What actors/manifest/decode_volumes.cpp accepts; docs/workloads.md says
// which of them a node can provide.

inline constexpr std::array<std::string_view, 2> k_empty_dir_media = {"", "Memory"};

inline constexpr openapi_field k_volume[] = {
    {"name", "string", "The volume's name, unique in the pod (a DNS label); mounts refer to it.", k_required},
    {"emptyDir", "EmptyDirVolumeSource", "A directory made for the pod, removed with it. The default source."},
    {"hostPath", "HostPathVolumeSource", "A file or directory of the node."},
    {"secret", "SecretVolumeSource", "A Secret's keys as files, updated when the Secret changes."},
    {"persistentVolumeClaim", "PersistentVolumeClaimVolumeSource",
     "The persistent volume bound to a claim (the pod waits until the claim is bound)."},
    {"nfs", "NFSVolumeSource", "An NFS export, on nodes that have mount.nfs."},
    {"gcePersistentDisk", "GCEPersistentDiskVolumeSource", "A GCE disk: stored, no node provides it."},
    {"awsElasticBlockStore", "AWSElasticBlockStoreVolumeSource", "An EBS volume: stored, no node provides it."},
    {"iscsi", "ISCSIVolumeSource", "An iSCSI disk: stored, no node provides it."},
    {"rbd", "RBDVolumeSource", "A Ceph RBD image: stored, no node provides it."},
    {"glusterfs", "GlusterfsVolumeSource", "A Glusterfs volume: stored, no node provides it."},
};

inline constexpr openapi_field k_volume_mount[] = {
    {"name", "string", "The pod volume to mount.", k_required},
    {"mountPath", "string", "Where in the container: an absolute path, unique in the container.", k_required},
    {"readOnly", "boolean", "Mount read-only."},
    {"subPath", "string", "A path inside the volume to mount instead of its root (made when missing)."},
};

inline constexpr openapi_field k_empty_dir[] = {
    {"medium", "string", "\"\" for the node's disk, Memory for a tmpfs.", false, {}, k_empty_dir_media},
};

inline constexpr openapi_field k_host_path[] = {
    {"path", "string", "An absolute path on the node.", k_required},
};

inline constexpr openapi_field k_secret_volume[] = {
    {"secretName", "string", "The Secret in the pod's namespace.", k_required},
    {"defaultMode", "integer", "Mode of the files, 0 to 0777. Default 0644."},
    {"items", "[]KeyToPath", "Which keys, and the file each becomes; default all."},
};

inline constexpr openapi_field k_key_to_path[] = {
    {"key", "string", "The key.", k_required},
    {"path", "string", "The relative file path.", k_required},
    {"mode", "integer", "Mode of this file."},
};

inline constexpr openapi_field k_pvc_volume[] = {
    {"claimName", "string", "The PersistentVolumeClaim in the pod's namespace.", k_required},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_nfs_volume[] = {
    {"server", "string", "The NFS server.", k_required},
    {"path", "string", "The exported path (absolute).", k_required},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_gce_pd_volume[] = {
    {"pdName", "string", "The disk's name.", k_required},
    {"fsType", "string", "The file system on it."},
    {"partition", "integer", "The partition; 0 = the whole disk."},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_aws_ebs_volume[] = {
    {"volumeID", "string", "The volume's id.", k_required},
    {"fsType", "string", "The file system on it."},
    {"partition", "integer", "The partition; 0 = the whole volume."},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_iscsi_volume[] = {
    {"targetPortal", "string", "host:port of the target.", k_required},
    {"iqn", "string", "The target's iSCSI Qualified Name.", k_required},
    {"lun", "integer", "The LUN, 0 to 255.", k_required},
    {"iscsiInterface", "string", "The interface to use."},
    {"fsType", "string", "The file system on it."},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_rbd_volume[] = {
    {"monitors", "[]string", "Ceph monitors.", k_required},
    {"image", "string", "The RBD image.", k_required},
    {"fsType", "string", "The file system on it."},
    {"pool", "string", "The pool; default rbd."},
    {"user", "string", "The RADOS user; default admin."},
    {"keyring", "string", "The keyring path; default /etc/ceph/keyring."},
    {"secretRef", "LocalObjectReference", "A Secret holding the user's key."},
    {"readOnly", "boolean", "Mount read-only."},
};

inline constexpr openapi_field k_local_object_reference[] = {
    {"name", "string", "The object's name, in the same namespace."},
};

inline constexpr openapi_field k_glusterfs_volume[] = {
    {"endpoints", "string", "The Endpoints object naming the Glusterfs servers.", k_required},
    {"path", "string", "The Glusterfs volume.", k_required},
    {"readOnly", "boolean", "Mount read-only."},
};

}  // namespace berth::kube::detail
