# API objects, following Kubernetes v1 field names so that the JSON codec gives
# Kubernetes-shaped JSON.
#
# These structs are written to disk inside journal events and snapshots:
# field ordinals and enumerant ordinals are APPEND-ONLY. Never renumber, never
# reuse an ordinal, never change a field's type. Retire a field by renaming it
# `obsoleteX` and leaving it in place.
#
# Conventions:
# - Timestamps are Int64 nanoseconds since the Unix epoch; 0 means "not set".
# - Maps (labels, selectors, resource lists) are structs wrapping a list sorted
#   by key, so that the JSON codec can render them as JSON objects.
# - Quantities are stored as canonical text ("100m", "128Mi"); parse with
#   berth::model::parse_quantity.

@0xeeab9072de417ad9;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("berth::schema");

using Json = import "/capnp/compat/json.capnp";

struct KeyValue {
  key @0 :Text;
  value @1 :Text;
}

struct StringMap {
  entries @0 :List(KeyValue);  # sorted by key, keys unique
}

struct ResourceList {
  entries @0 :List(KeyValue);  # resource name -> canonical quantity text
}

struct IntOrString {
  union {
    unset @0 :Void;
    number @1 :Int32;
    name @2 :Text;
  }
}

enum Protocol {
  tcp @0 $Json.name("TCP");
  udp @1 $Json.name("UDP");
}

struct OwnerReference {
  apiVersion @0 :Text;
  kind @1 :Text;
  name @2 :Text;
  uid @3 :Text;
  controller @4 :Bool;
}

struct ObjectMeta {
  name @0 :Text;
  namespace @1 :Text;
  uid @2 :Text;
  resourceVersion @3 :UInt64;    # sequence number of the last event that changed the object
  generation @4 :Int64;          # incremented on every spec change
  creationTimestamp @5 :Int64;
  deletionTimestamp @6 :Int64;
  labels @7 :StringMap;
  annotations @8 :StringMap;
  ownerReferences @9 :List(OwnerReference);
  generateName @10 :Text;
  deletionGracePeriodSeconds @11 :Int64;
}

# ---------------------------------------------------------------- containers

struct EnvVar {
  name @0 :Text;
  value @1 :Text;
  valueFrom @2 :EnvVarSource;   # unset (null) for a plain value
}

# ---- container fields of Kubernetes 1.0: downward API, security context

# Exactly one member is set (validation).
struct EnvVarSource {
  fieldRef @0 :ObjectFieldSelector;
  secretKeyRef @1 :SecretKeySelector;
}

struct ObjectFieldSelector {
  apiVersion @0 :Text;      # "v1"
  fieldPath @1 :Text;       # metadata.name, status.podIP, ...
}

struct SecretKeySelector {
  name @0 :Text;
  key @1 :Text;
}

struct Capabilities {
  add @0 :List(Text);       # Kubernetes names, without CAP_ ("NET_ADMIN")
  drop @1 :List(Text);
}

struct SELinuxOptions {
  user @0 :Text;
  role @1 :Text;
  type @2 :Text;
  level @3 :Text;
}

# Optional scalars are Int64/Bool with a has* flag: Kubernetes tells "unset"
# from "0"/"false" (runAsUser 0 is root, not the image's user).
struct SecurityContext {
  capabilities @0 :Capabilities;
  privileged @1 :Bool;
  seLinuxOptions @2 :SELinuxOptions;
  runAsUser @3 :Int64;
  hasRunAsUser @4 :Bool;
  runAsNonRoot @5 :Bool;
  readOnlyRootFilesystem @6 :Bool;
}

struct ContainerPort {
  name @0 :Text;
  containerPort @1 :Int32;
  hostPort @2 :Int32;       # 0 = none
  protocol @3 :Protocol;
  hostIP @4 :Text;
}

struct ResourceRequirements {
  requests @0 :ResourceList;
  limits @1 :ResourceList;
}

struct ExecAction {
  command @0 :List(Text);
}

struct HttpGetAction {
  path @0 :Text;
  port @1 :IntOrString;
  host @2 :Text;
  scheme @3 :Text;          # "HTTP" or "HTTPS"
  httpHeaders @4 :List(HttpHeader);
}

struct HttpHeader {
  name @0 :Text;
  value @1 :Text;
}

struct TcpSocketAction {
  port @0 :IntOrString;
}

struct Probe {
  handler :union {
    none @0 :Void;          # no probe configured
    exec @1 :ExecAction;
    httpGet @2 :HttpGetAction;
    tcpSocket @3 :TcpSocketAction;
  }
  initialDelaySeconds @4 :Int32;
  timeoutSeconds @5 :Int32;
  periodSeconds @6 :Int32;
  successThreshold @7 :Int32;
  failureThreshold @8 :Int32;
}

enum PullPolicy {
  ifNotPresent @0 $Json.name("IfNotPresent");
  always @1 $Json.name("Always");
  never @2 $Json.name("Never");
}

struct Container {
  name @0 :Text;
  image @1 :Text;
  command @2 :List(Text);
  args @3 :List(Text);
  workingDir @4 :Text;
  env @5 :List(EnvVar);
  ports @6 :List(ContainerPort);
  resources @7 :ResourceRequirements;
  imagePullPolicy @8 :PullPolicy;
  livenessProbe @9 :Probe;
  readinessProbe @10 :Probe;
  volumeMounts @11 :List(VolumeMount);
  securityContext @12 :SecurityContext;   # unset (null) when not given
  stdin @13 :Bool;
  stdinOnce @14 :Bool;
  tty @15 :Bool;
  lifecycle @16 :Lifecycle;               # unset (null) when not given
  terminationMessagePath @17 :Text;       # "" = the default, /dev/termination-log
  terminationMessagePolicy @18 :TerminationMessagePolicy;
}

# A container lifecycle hook (Kubernetes v1 Handler): exactly one action.
struct LifecycleHandler {
  union {
    none @0 :Void;          # no hook
    exec @1 :ExecAction;
    httpGet @2 :HttpGetAction;
    tcpSocket @3 :TcpSocketAction;
  }
}

struct Lifecycle {
  postStart @0 :LifecycleHandler;
  preStop @1 :LifecycleHandler;
}

enum TerminationMessagePolicy {
  file @0 $Json.name("File");
  fallbackToLogsOnError @1 $Json.name("FallbackToLogsOnError");
}

# ------------------------------------------------------------------- volumes
#
# Kubernetes v1 volume sources with their v1 field names. The node agent runs
# emptyDir and hostPath; the others are stored as given and their pods wait
# (docs/workloads.md, "Volumes").

struct VolumeMount {
  name @0 :Text;
  readOnly @1 :Bool;
  mountPath @2 :Text;
  subPath @3 :Text;
}

struct EmptyDirVolumeSource {
  medium @0 :Text;          # "" (node disk) or "Memory" (tmpfs)
}

struct HostPathVolumeSource {
  path @0 :Text;
}

struct KeyToPath {
  key @0 :Text;
  path @1 :Text;
  mode @2 :Int32;           # -1 = not set
}

struct SecretVolumeSource {
  secretName @0 :Text;
  defaultMode @1 :Int32;
  items @2 :List(KeyToPath);
}

struct PersistentVolumeClaimVolumeSource {
  claimName @0 :Text;
  readOnly @1 :Bool;
}

struct NfsVolumeSource {
  server @0 :Text;
  path @1 :Text;
  readOnly @2 :Bool;
}

struct GcePersistentDiskVolumeSource {
  pdName @0 :Text;
  fsType @1 :Text;
  partition @2 :Int32;
  readOnly @3 :Bool;
}

struct AwsElasticBlockStoreVolumeSource {
  volumeID @0 :Text $Json.name("volumeID");
  fsType @1 :Text;
  partition @2 :Int32;
  readOnly @3 :Bool;
}

struct IscsiVolumeSource {
  targetPortal @0 :Text;
  iqn @1 :Text;
  lun @2 :Int32;
  fsType @3 :Text;
  readOnly @4 :Bool;
  iscsiInterface @5 :Text;
}

struct RbdVolumeSource {
  monitors @0 :List(Text);
  image @1 :Text;
  fsType @2 :Text;
  pool @3 :Text;
  user @4 :Text;
  keyring @5 :Text;
  secretRef @6 :Text;       # LocalObjectReference.name; "" = none
  readOnly @7 :Bool;
}

struct GlusterfsVolumeSource {
  endpoints @0 :Text;
  path @1 :Text;
  readOnly @2 :Bool;
}

struct Volume {
  name @0 :Text;
  source :union {
    emptyDir @1 :EmptyDirVolumeSource;   # also Kubernetes' default when no source is given
    hostPath @2 :HostPathVolumeSource;
    secret @3 :SecretVolumeSource;
    persistentVolumeClaim @4 :PersistentVolumeClaimVolumeSource;
    nfs @5 :NfsVolumeSource;
    gcePersistentDisk @6 :GcePersistentDiskVolumeSource;
    awsElasticBlockStore @7 :AwsElasticBlockStoreVolumeSource;
    iscsi @8 :IscsiVolumeSource;
    rbd @9 :RbdVolumeSource;
    glusterfs @10 :GlusterfsVolumeSource;
  }
}

# ---------------------------------------------------------------------- pods

enum RestartPolicy {
  always @0 $Json.name("Always");
  onFailure @1 $Json.name("OnFailure");
  never @2 $Json.name("Never");
}

struct PodSpec {
  containers @0 :List(Container);
  restartPolicy @1 :RestartPolicy;
  nodeSelector @2 :StringMap;
  nodeName @3 :Text;
  hostNetwork @4 :Bool;
  terminationGracePeriodSeconds @5 :Int64;
  volumes @6 :List(Volume);
  # Seconds a pod may be active on its node (since status.startTime) before
  # the agent fails it: phase Failed, reason DeadlineExceeded. 0 = unset
  # (Kubernetes' nil), so old journals read as before and hash the same.
  activeDeadlineSeconds @7 :Int64;
  # Stored and shown only: berth's nodes pull from no registry. Unset when
  # empty (hash compatibility, as above).
  imagePullSecrets @8 :List(LocalObjectReference);
}

# A reference by name to an object in the same namespace (Kubernetes'
# LocalObjectReference): a pod's imagePullSecrets.
struct LocalObjectReference {
  name @0 :Text;
}

enum PodPhase {
  pending @0 $Json.name("Pending");
  running @1 $Json.name("Running");
  succeeded @2 $Json.name("Succeeded");
  failed @3 $Json.name("Failed");
  unknown @4 $Json.name("Unknown");
}

enum ConditionStatus {
  statusTrue @0 $Json.name("True");
  statusFalse @1 $Json.name("False");
  statusUnknown @2 $Json.name("Unknown");
}

struct Condition {
  type @0 :Text;            # PodScheduled, Ready, ... / Ready (nodes)
  status @1 :ConditionStatus;
  reason @2 :Text;
  message @3 :Text;
  lastTransitionTime @4 :Int64;
  lastHeartbeatTime @5 :Int64;   # nodes only
  lastProbeTime @6 :Int64;
}

struct ContainerState {
  union {
    waiting :group {
      reason @0 :Text;
      message @1 :Text;
    }
    running :group {
      startedAt @2 :Int64;
    }
    terminated :group {
      exitCode @3 :Int32;
      signal @4 :Int32;
      reason @5 :Text;
      message @6 :Text;
      startedAt @7 :Int64;
      finishedAt @8 :Int64;
      containerID @9 :Text;
    }
    none @10 :Void;
  }
}

struct ContainerStatus {
  name @0 :Text;
  state @1 :ContainerState;
  lastState @2 :ContainerState;
  ready @3 :Bool;
  restartCount @4 :Int32;
  image @5 :Text;
  imageID @6 :Text;
  containerID @7 :Text;
}

struct PodStatus {
  phase @0 :PodPhase;
  conditions @1 :List(Condition);
  message @2 :Text;
  reason @3 :Text;
  hostIP @4 :Text;
  podIP @5 :Text;
  startTime @6 :Int64;
  containerStatuses @7 :List(ContainerStatus);
}

struct Pod {
  metadata @0 :ObjectMeta;
  spec @1 :PodSpec;
  status @2 :PodStatus;
}

struct PodTemplateSpec {
  metadata @0 :ObjectMeta;
  spec @1 :PodSpec;
}

# ---------------------------------------------------- replication controllers

struct ReplicationControllerSpec {
  replicas @0 :Int32;
  selector @1 :StringMap;
  template @2 :PodTemplateSpec;
}

struct ReplicationControllerStatus {
  replicas @0 :Int32;
  readyReplicas @1 :Int32;
  observedGeneration @2 :Int64;
}

struct ReplicationController {
  metadata @0 :ObjectMeta;
  spec @1 :ReplicationControllerSpec;
  status @2 :ReplicationControllerStatus;
}

# ------------------------------------------------------------------ services

struct ServicePort {
  name @0 :Text;
  protocol @1 :Protocol;
  port @2 :Int32;
  targetPort @3 :IntOrString;
  nodePort @4 :Int32;
}

enum ServiceType {
  clusterIP @0 $Json.name("ClusterIP");
  nodePort @1 $Json.name("NodePort");
  loadBalancer @2 $Json.name("LoadBalancer");
}

enum SessionAffinity {
  none @0 $Json.name("None");
  clientIP @1 $Json.name("ClientIP");
}

struct ServiceSpec {
  ports @0 :List(ServicePort);
  selector @1 :StringMap;
  clusterIP @2 :Text $Json.name("clusterIP");
  type @3 :ServiceType;
  sessionAffinity @4 :SessionAffinity;
}

struct Service {
  metadata @0 :ObjectMeta;
  spec @1 :ServiceSpec;
}

struct ObjectReference {
  kind @0 :Text;
  namespace @1 :Text;
  name @2 :Text;
  uid @3 :Text;
}

struct EndpointAddress {
  ip @0 :Text;
  nodeName @1 :Text;
  targetRef @2 :ObjectReference;
}

struct EndpointPort {
  name @0 :Text;
  port @1 :Int32;
  protocol @2 :Protocol;
}

struct EndpointSubset {
  addresses @0 :List(EndpointAddress);
  notReadyAddresses @1 :List(EndpointAddress);
  ports @2 :List(EndpointPort);
}

struct Endpoints {
  metadata @0 :ObjectMeta;
  subsets @1 :List(EndpointSubset);
}

# --------------------------------------------------------------------- nodes

struct NodeAddress {
  type @0 :Text;            # InternalIP, Hostname, ...
  address @1 :Text;
}

struct NodeSystemInfo {
  machineID @0 :Text;
  kernelVersion @1 :Text;
  osImage @2 :Text;
  containerRuntimeVersion @3 :Text;
  kubeletVersion @4 :Text;  # the berth-agent version
  operatingSystem @5 :Text;
  architecture @6 :Text;
}

struct NodeSpec {
  unschedulable @0 :Bool;
  podCIDR @1 :Text $Json.name("podCIDR");
}

struct NodeStatus {
  capacity @0 :ResourceList;
  allocatable @1 :ResourceList;
  conditions @2 :List(Condition);
  addresses @3 :List(NodeAddress);
  nodeInfo @4 :NodeSystemInfo;
}

struct Node {
  metadata @0 :ObjectMeta;
  spec @1 :NodeSpec;
  status @2 :NodeStatus;
}

# ------------------------------------------------------------------ namespaces

enum NamespacePhase {
  active @0 $Json.name("Active");
  terminating @1 $Json.name("Terminating");   # deleted: its objects are being removed
}

struct NamespaceStatus {
  phase @0 :NamespacePhase;
}

# Cluster-scoped: metadata.namespace stays empty.
struct Namespace {
  metadata @0 :ObjectMeta;
  status @1 :NamespaceStatus;
}

# --------------------------------------------------------------------- secrets

struct SecretEntry {
  key @0 :Text;
  value @1 :Data;
}

# A secret's data as the journal holds it: AES-256-GCM of the entries
# (actors/secrets/sealed.hpp gives the plaintext's layout), never plaintext.
struct SealedData {
  keyId @0 :Text;        # which key sealed it ("k1": the key file's), so keys can rotate
  nonce @1 :Data;        # 12 random bytes, new for every write
  ciphertext @2 :Data;   # the encrypted entries with the 16-byte GCM tag appended
}

# A Secret (namespaced). In journal events and snapshots `data` is empty and
# `sealed` holds it encrypted; on the API (RPC answers) `data` is plaintext
# and `sealed` unset. stringData is merged into data on write, never stored.
struct Secret {
  metadata @0 :ObjectMeta;
  type @1 :Text;                 # "Opaque" unless given
  data @2 :List(SecretEntry);    # sorted by key; plaintext, API only
  sealed @3 :SealedData;         # journal and snapshots only
}

# ------------------------------------------------------- limit ranges, quotas

# One entry of a LimitRange: bounds for one type of object ("Container" or
# "Pod") per resource (cpu, memory), as Kubernetes 1.0 wrote them.
struct LimitRangeItem {
  type @0 :Text;                    # "Container" or "Pod"
  max @1 :ResourceList;
  min @2 :ResourceList;
  default @3 :ResourceList;         # a container's limits when it gives none
  defaultRequest @4 :ResourceList;  # a container's requests when it gives none
  maxLimitRequestRatio @5 :ResourceList;
}

struct LimitRangeSpec {
  limits @0 :List(LimitRangeItem);
}

# A LimitRange (namespaced): applied to pods when they are created (defaults,
# then min/max), never to pods that exist already.
struct LimitRange {
  metadata @0 :ObjectMeta;
  spec @1 :LimitRangeSpec;
}

struct ResourceQuotaSpec {
  hard @0 :ResourceList;   # pods, cpu, memory, services, replicationcontrollers, ...
}

# Hard and used as the API shows them. Never stored: the fold keeps the spec
# only, and `used` is counted from the folded state when asked
# (actors/model/quota.hpp), so it is never stale.
struct ResourceQuotaStatus {
  hard @0 :ResourceList;
  used @1 :ResourceList;
}

# A ResourceQuota (namespaced): creating an object that would take a
# namespace's usage above `hard` is refused.
struct ResourceQuota {
  metadata @0 :ObjectMeta;
  spec @1 :ResourceQuotaSpec;
  status @2 :ResourceQuotaStatus;
}

# -------------------------------------------------------- persistent volumes

enum PersistentVolumeReclaimPolicy {
  retain @0 $Json.name("Retain");    # Released, kept for the operator (the default)
  recycle @1 $Json.name("Recycle");  # scrubbed (rm -rf of its contents), Available again
  delete @2 $Json.name("Delete");    # its contents and the volume object go
}

enum PersistentVolumePhase {
  available @0 $Json.name("Available");  # no claim
  bound @1 $Json.name("Bound");          # claimRef names an existing claim
  released @2 $Json.name("Released");    # its claim was deleted; not reclaimed yet
  failed @3 $Json.name("Failed");        # reclaiming failed (status.message says why)
  pending @4 $Json.name("Pending");      # unused by berth; Kubernetes' name for "not yet available"
}

struct PersistentVolumeSpec {
  capacity @0 :ResourceList;             # "storage"
  accessModes @1 :List(Text);            # ReadWriteOnce, ReadOnlyMany, ReadWriteMany
  reclaimPolicy @2 :PersistentVolumeReclaimPolicy $Json.name("persistentVolumeReclaimPolicy");
  claimRef @3 :ObjectReference;          # the claim it is bound to (binder's decision, or pre-bound)
  source @4 :Volume;                     # hostPath, nfs, ...; `name` unused
}

struct PersistentVolumeStatus {
  phase @0 :PersistentVolumePhase;
  message @1 :Text;
  reason @2 :Text;
}

# A PersistentVolume (cluster-scoped): storage an operator made available,
# bound to at most one claim at a time.
struct PersistentVolume {
  metadata @0 :ObjectMeta;
  spec @1 :PersistentVolumeSpec;
  status @2 :PersistentVolumeStatus;
}

enum PersistentVolumeClaimPhase {
  pending @0 $Json.name("Pending");  # no volume yet
  bound @1 $Json.name("Bound");      # spec.volumeName holds it
  lost @2 $Json.name("Lost");        # its volume was deleted
}

struct PersistentVolumeClaimSpec {
  accessModes @0 :List(Text);
  resources @1 :ResourceRequirements;    # requests.storage
  volumeName @2 :Text;                   # the volume it is bound to (binder's decision, or asked for)
}

struct PersistentVolumeClaimStatus {
  phase @0 :PersistentVolumeClaimPhase;
  accessModes @1 :List(Text);            # the bound volume's
  capacity @2 :ResourceList;             # the bound volume's
}

# A PersistentVolumeClaim (namespaced): a pod's request for storage; pods
# name it in a persistentVolumeClaim volume.
struct PersistentVolumeClaim {
  metadata @0 :ObjectMeta;
  spec @1 :PersistentVolumeClaimSpec;
  status @2 :PersistentVolumeClaimStatus;
}

# ------------------------------------------------------------ pod templates

# A PodTemplate (namespaced): a pod template stored on its own, for tools
# that make pods from it (Kubernetes 1.0's walkthrough); nothing runs it.
struct PodTemplate {
  metadata @0 :ObjectMeta;
  template @1 :PodTemplateSpec;
}

# What the agent of a node needs to mount a pod's claim: the claim's key and
# the source of the volume bound to it (NodeAgent.setClaims).
struct BoundClaim {
  namespace @0 :Text;
  claimName @1 :Text;
  volumeName @2 :Text;
  source @3 :Volume;
  readOnly @4 :Bool;    # the volume offers only ReadOnlyMany
}
