# Journal events: every change to the cluster is one of these, appended to the
# journal (see journal/record_format.hpp for the frame around the payload).
#
# APPEND-ONLY: the record frame's `type` field is the discriminant of the
# `Event` union below (Event.which()), so union members, like every field
# ordinal, are written to disk. Add new members at the end; never renumber,
# never reuse; retire a member by renaming it `obsoleteX`.
#
# The sequence number and the wall-clock time of an event are stamped by the
# journal writer into the record frame, not into this payload: producers
# serialize the payload before they know either.
#
# Three families (docs/journal-debugging.md): commands (what a user asked), decisions (what the
# control plane decided) and observations (what nodes reported).

@0xecf2b68e31b8c962;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("berth::schema");

using Objects = import "objects.capnp";

struct EventHeader {
  object @0 :Objects.ObjectReference;  # kind, namespace, name, uid of the object concerned
  principal @1 :Text;   # who emitted it: "user:admin", "controller:rc", "node:n1", ...
  cause @2 :UInt64;     # sequence number of the event that led to this one; 0 = a root cause
}

struct ApiObject {
  union {
    pod @0 :Objects.Pod;
    replicationController @1 :Objects.ReplicationController;
    service @2 :Objects.Service;
  }
}

struct DeleteRequest {
  gracePeriodSeconds @0 :Int64;   # -1 = the object's own default
  orphanDependents @1 :Bool;      # an RC deleted with propagationPolicy Orphan: its pods stay, unowned
}

struct PodBinding {
  nodeName @0 :Text;
}

struct Reason {
  reason @0 :Text;      # CamelCase machine-readable reason, e.g. "NodeLost"
  message @1 :Text;     # human-readable detail
}

# Something a node saw happen to one of its pods that is not a status change:
# what kubelet records as a pod's Events (a probe failed; a container is killed
# because its liveness probe failed). Reason and message in Kubernetes' words;
# the reason decides the Event type (model::pod_event_type).
struct PodEventReport {
  reason @0 :Text;      # "Unhealthy", "Killing"
  message @1 :Text;     # "Liveness probe failed: cat: can't open '/tmp/health': ..."
  container @2 :Text;   # the container it concerns ("" = the pod): fieldPath spec.containers{NAME}
}

# The volume the volume controller chose for a claim.
struct VolumeBinding {
  volumeName @0 :Text;
}

struct NodeReadiness {
  ready @0 :Bool;
  reason @1 :Text;
  message @2 :Text;
  lastHeartbeatTime @3 :Int64;
}

struct Event {
  header @0 :EventHeader;

  union {
    # ---- commands: what a user asked (principal = user:...)
    objectCreated @1 :ApiObject;        # a new object, uid assigned
    objectReplaced @2 :ApiObject;       # apply/replace of an existing object
    objectDeleted @3 :DeleteRequest;    # header.object names it
    rcScaled @4 :Int32;                 # new spec.replicas of header.object

    # ---- decisions: what the control plane decided (principal = controller:...)
    podCreated @5 :Objects.Pod;         # a pod created by a controller (RC)
    podBound @6 :PodBinding;            # scheduler placed header.object on a node
    podUnschedulable @7 :Reason;        # scheduler found no node, with why
    podEvicted @8 :Reason;              # node controller evicted the pod (graceful delete)
    podRemoved @9 :Reason;              # the pod is gone from the cluster for good
    endpointsUpdated @10 :Objects.Endpoints;
    nodeReadinessDecided @11 :NodeReadiness;   # node controller: e.g. NotReady after missed heartbeats

    # ---- observations: what nodes reported (principal = node:...)
    nodeRegistered @12 :Objects.Node;
    nodeReadinessObserved @13 :NodeReadiness;  # agent reported Ready (again)
    podStatusObserved @14 :Objects.PodStatus;  # a pod's status changed on its node

    # ---- appended later (still in family order above; see model::family_of)
    podDeleted @15 :Reason;             # decision: a controller deletes a pod (scale down, owner gone)
    nodeHeartbeat @16 :Int64;           # observation: node header.object's agent heartbeated at this
                                        # time (ns); journaled at most every grace period / 4, like a
                                        # node lease, so that liveness survives a berthd restart
    nodeUnschedulable @17 :Bool;        # command: spec.unschedulable of node header.object
                                        # (kubectl cordon: true, uncordon: false)
    namespaceCreated @18 :Objects.Namespace;   # command: a user created a namespace (uid assigned);
                                               # deleting it is objectDeleted with kind "Namespace"
    namespaceReplaced @19 :Objects.Namespace;  # command: a namespace's labels and annotations
    namespaceRemoved @20 :Reason;       # decision: the namespace controller removes a Terminating
                                        # namespace header.object once nothing is left in it
    secretCreated @21 :Objects.Secret;   # command: a user created a secret (data sealed, uid assigned)
    secretReplaced @22 :Objects.Secret;  # command: a secret's type, data, labels, annotations (sealed)
    secretRemoved @23 :Reason;           # command: secret header.object is deleted (by a user, or by
                                         # the namespace controller emptying a Terminating namespace)
    endpointsReplaced @24 :Objects.Endpoints;  # command: a user wrote endpoints (created them, uid
                                               # assigned, or replaced their subsets, labels and
                                               # annotations): those of a selector-less service, or
                                               # of a name no service has (yet)
    endpointsRemoved @25 :Reason;        # command: endpoints header.object are deleted (by a user, or
                                         # by the namespace controller emptying a Terminating namespace)
    reserved26 @26 :Void;   # unused (held so that the ordinals after it are not a hole); never written
    limitRangeCreated @27 :Objects.LimitRange;      # command: a user created a limit range (uid assigned)
    limitRangeReplaced @28 :Objects.LimitRange;     # command: a limit range's spec, labels, annotations
    limitRangeRemoved @29 :Reason;                  # command: limit range header.object is deleted (by a
                                                    # user, or the namespace controller)
    resourceQuotaCreated @30 :Objects.ResourceQuota;   # command: a user created a quota (spec only)
    resourceQuotaReplaced @31 :Objects.ResourceQuota;  # command: a quota's spec, labels, annotations
    resourceQuotaRemoved @32 :Reason;                  # command: quota header.object is deleted
    podCreateRefused @33 :Reason;   # decision: replication controller header.object could not create a
                                    # pod: admission (limit ranges, quota) refused it; reason
                                    # "FailedCreate", message Kubernetes' refusal
    podEventObserved @34 :PodEventReport;   # observation: on its node, pod header.object had something
                                            # happen that kubelet records as an Event (probe failures). Liveness
                                            # failures are each reported (bounded by the failure threshold
                                            # per restart); a readiness streak only by its first failure
    persistentVolumeCreated @35 :Objects.PersistentVolume;   # command: an operator made a volume
                                                             # available (uid assigned; status not stored)
    persistentVolumeReplaced @36 :Objects.PersistentVolume;  # command: a volume's spec, labels, annotations
    persistentVolumeRemoved @37 :Reason;                     # command: volume header.object is deleted (by a
                                                             # user, or the volume controller's Delete policy)
    persistentVolumeClaimCreated @38 :Objects.PersistentVolumeClaim;   # command: a user claimed storage
    persistentVolumeClaimReplaced @39 :Objects.PersistentVolumeClaim;  # command: labels, annotations
    persistentVolumeClaimRemoved @40 :Reason;   # command: claim header.object is deleted; the volume
                                                # bound to it becomes Released (the fold's rule)
    volumeClaimBound @41 :VolumeBinding;   # decision: the volume controller bound claim header.object to
                                           # a volume (reconcile::plan_volumes chose it)
    volumeRecycled @42 :Reason;            # decision: volume header.object was scrubbed by its recycler
                                           # pod and is Available again (claimRef cleared)
    volumeReclaimFailed @43 :Reason;       # decision: reclaiming volume header.object failed: phase Failed
    podTemplateCreated @44 :Objects.PodTemplate;    # command: a user created a pod template (uid assigned)
    podTemplateReplaced @45 :Objects.PodTemplate;   # command: a pod template's template, labels, annotations
    podTemplateRemoved @46 :Reason;                 # command: pod template header.object is deleted
  }
}

# A snapshot of the folded cluster state at a sequence number (journal
# snapshot column family). The hash recorded beside it is XXH3-128 over the
# canonical encoding of this struct with `hash` left empty.
struct ClusterSnapshot {
  seq @0 :UInt64;             # last event folded into this state
  pods @1 :List(Objects.Pod);                      # sorted by (namespace, name)
  replicationControllers @2 :List(Objects.ReplicationController);
  services @3 :List(Objects.Service);
  endpoints @4 :List(Objects.Endpoints);
  nodes @5 :List(Objects.Node);
  ignoredEvents @6 :UInt64;   # events that named a missing object (kept for the hash)
  # Namespaces created by namespaceCreated, sorted by name. Left unset (not an
  # empty list) when there are none, so that a state without namespace objects
  # -- every state folded from a journal written before namespaces were
  # objects -- hashes exactly as it did then. "default", "kube-system" and any
  # namespace an object lives in exist without an entry here.
  namespaces @7 :List(Objects.Namespace);
  # Secrets, sorted by (namespace, name), their data sealed. Unset when there
  # are none, for the same reason as namespaces.
  secrets @8 :List(Objects.Secret);
  reserved9 @9 :Void;   # the endpoints branch's, should it need one
  # Limit ranges and resource quotas (spec only: a quota's status is counted
  # when asked), sorted by (namespace, name). Unset when there are none, for
  # the same reason as namespaces.
  limitRanges @10 :List(Objects.LimitRange);
  resourceQuotas @11 :List(Objects.ResourceQuota);
  # Persistent volumes (sorted by name) and claims (by namespace, name), their
  # status as folded. Unset when there are none, for the same reason as namespaces.
  persistentVolumes @12 :List(Objects.PersistentVolume);
  persistentVolumeClaims @13 :List(Objects.PersistentVolumeClaim);
  # Pod templates, by (namespace, name). Unset when there are none.
  podTemplates @14 :List(Objects.PodTemplate);
}
