# berthd's RPC interfaces: one for clients (the CLI, tools), one for node agents.
#
# Authentication is by capability: a connection's bootstrap capability is a
# Gateway, and only a valid token turns it into a Cluster (clients) or a
# NodeSession (agents). The capability carries the principal, so every call
# made through it is attributed; roles later mean handing out narrower
# capabilities. A wrong token gets an error and nothing changes.
#
# Ordinals are append-only (clients and agents of other versions talk to us).

@0xdfac155dec8543a8;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("berth::schema");

using Objects = import "objects.capnp";
using Events = import "events.capnp";
using Introspect = import "introspect.capnp";

interface Gateway {
  login @0 (token :Text) -> (cluster :Cluster, principal :Text);
  # `heartbeatIntervalMs` is the agent's --heartbeat-interval override (0: none,
  # use berthd's); berthd refuses one above a third of its grace period and
  # answers with the contract the agent must keep.
  join @1 (token :Text, node :Objects.Node, agent :NodeAgent, heartbeatIntervalMs :UInt64)
      -> (session :NodeSession, heartbeat :HeartbeatContract);
  version @2 () -> (info :VersionInfo);
}

# What berthd expects of one joined agent: a heartbeat every `intervalMs`;
# after `gracePeriodMs` without one the node is NotReady, after a further
# `evictionTimeoutMs` its pods are evicted.
struct HeartbeatContract {
  intervalMs @0 :UInt64;
  gracePeriodMs @1 :UInt64;
  evictionTimeoutMs @2 :UInt64;
}

struct VersionInfo {
  version @0 :Text;      # berth version
  journalSeq @1 :UInt64; # last durable event when asked
}

# ------------------------------------------------------------------ clients

enum Kind {
  pod @0;
  replicationController @1;
  service @2;
  endpoints @3;
  node @4;
  namespace @5;
  secret @6;
  limitRange @7;
  resourceQuota @8;
  persistentVolume @9;
  persistentVolumeClaim @10;
  podTemplate @11;
}

struct AnyObject {
  union {
    pod @0 :Objects.Pod;
    replicationController @1 :Objects.ReplicationController;
    service @2 :Objects.Service;
    endpoints @3 :Objects.Endpoints;
    node @4 :Objects.Node;
    namespace @5 :Objects.Namespace;
    secret @6 :Objects.Secret;
    limitRange @7 :Objects.LimitRange;
    resourceQuota @8 :Objects.ResourceQuota;
    persistentVolume @9 :Objects.PersistentVolume;
    persistentVolumeClaim @10 :Objects.PersistentVolumeClaim;
    podTemplate @11 :Objects.PodTemplate;
  }
}

struct ObjectKey {
  kind @0 :Kind;
  namespace @1 :Text;   # ignored for nodes
  name @2 :Text;
}

struct FieldError {
  field @0 :Text;       # "spec.template.spec.containers[0].image"
  message @1 :Text;     # "Required value"
}

# Ordinary outcomes of a request are values, not exceptions.
struct Outcome {
  union {
    ok @0 :AnyObject;                # the object as stored (or as it would be, for dry runs)
    invalid @1 :List(FieldError);    # validation failed; nothing changed
    notFound @2 :Text;               # message names the object
    alreadyExists @3 :Text;
    conflict @4 :Text;               # e.g. replace of an object being deleted
    forbidden @7 :Text;              # e.g. creating in a Terminating namespace, deleting "default"
  }
  action @5 :Text;                   # "created", "configured", "unchanged", "deleted", "scaled"
  seq @6 :UInt64;                    # the journal sequence number that made it durable (0: nothing written)
}

struct ListResult {
  union {
    items @0 :List(AnyObject);
    badSelector @1 :Text;            # label or field selector did not parse
  }
  resourceVersion @2 :UInt64;        # the state's seq the list was read at
}

enum WatchEventType {
  added @0;
  modified @1;
  deleted @2;
}

interface Watcher {
  # Called in order, flow-controlled (streaming).
  event @0 (type :WatchEventType, object :AnyObject, resourceVersion :UInt64) -> stream;
  # The watch ended (e.g. the requested resourceVersion is older than the
  # journal keeps, or the server is shutting down).
  closed @1 (reason :Text);
}

interface WatchHandle {
  # Dropping the handle (or calling cancel) stops the watch.
  cancel @0 ();
}

struct JournalEvent {
  seq @0 :UInt64;
  timeNs @1 :Int64;
  type @2 :UInt16;
  event @3 :Events.Event;
}

# A journal event in words (describe's Events section).
struct EventSummary {
  seq @0 :UInt64;
  timeNs @1 :Int64;
  family @2 :Text;       # command / decision / observation
  type @3 :Text;         # "podBound"
  principal @4 :Text;
  cause @5 :UInt64;
  message @6 :Text;
}

interface ByteSink {
  write @0 (data :Data) -> stream;
  done @1 ();
}

struct LogOptions {
  container @0 :Text;
  follow @1 :Bool;
  tailLines @2 :Int64;    # -1 = everything
  previous @3 :Bool;
  timestamps @4 :Bool;
}

interface Cluster {
  create @0 (object :AnyObject, dryRun :Bool) -> (outcome :Outcome);
  apply @1 (object :AnyObject, dryRun :Bool) -> (outcome :Outcome);
  delete @2 (key :ObjectKey, gracePeriodSeconds :Int64, orphanDependents :Bool) -> (outcome :Outcome);
  scale @3 (key :ObjectKey, replicas :Int32) -> (outcome :Outcome);
  get @4 (key :ObjectKey) -> (outcome :Outcome);
  list @5 (kind :Kind, namespace :Text, labelSelector :Text, fieldSelector :Text) -> (result :ListResult);
  # Streams every change after `fromResourceVersion` (0 = the current state as
  # ADDED events, then changes), in journal order.
  watch @6 (kind :Kind, namespace :Text, labelSelector :Text, fieldSelector :Text,
            fromResourceVersion :UInt64, watcher :Watcher) -> (handle :WatchHandle);
  # The journal events that concerned one object, newest last (describe's Events).
  objectEvents @7 (key :ObjectKey, limit :UInt32) -> (events :List(EventSummary));
  # A pod's container logs, streamed from its node's agent through berthd.
  logs @8 (namespace :Text, pod :Text, options :LogOptions, sink :ByteSink) -> (error :Text);

  # ---- the journal, read-only, for `berth journal|history|why` (docs/journal-debugging.md).
  # berthd serves stored records and snapshots as they are on disk; the CLI
  # checks and folds them with the same code it runs on a journal directory,
  # so online and offline answers are the same by construction.
  # The journal's extent and the seqs of its stored snapshots.
  journalInfo @9 () -> (info :JournalInfo);
  # Stored event values from key `fromSeq` on, in key order, unchecked (at most
  # `limit`, capped by the server); `lastSeq` is the journal's last durable seq.
  journalRead @10 (fromSeq :UInt64, limit :UInt32) -> (frames :List(StoredFrame), lastSeq :UInt64);
  # The snapshot stored at `seq` as the journal's checked read gives it, or
  # why not (`errorCode` "not_found", "corruption", ...; empty on success).
  journalSnapshot @11 (seq :UInt64) -> (hash :Data, state :Data, errorCode :Text, error :Text);
  # The seqs of every event whose header names the object (kind as in
  # ObjectReference: "Pod", "ReplicationController", ...), from berthd's index.
  journalObjectSeqs @12 (kind :Text, namespace :Text, name :Text) -> (seqs :List(UInt64), indexedTo :UInt64);

  # berthd's actors, live (`berth console`, schema/introspect.capnp).
  introspection @13 () -> (introspection :Introspect.Introspection);

  # Runs a command in a pod's running container (`berth exec`), through its
  # node's agent: see ExecOptions. `error` (nothing started) or `input`.
  exec @14 (namespace :Text, pod :Text, options :ExecOptions, output :ExecOutput)
      -> (error :Text, input :ExecInput);
}

# ------------------------------------------------------- exec and attach
#
# One interactive session with a process in a container: a command started
# for it (exec) or the container's main process (attach). The caller passes
# an ExecOutput and gets an ExecInput back once the process is attached:
#
#   caller                                agent / runtime
#     exec(options, output) ----------->  starts the process
#     <------------------------------- (error "" , input)
#     input.stdin(data)* input.resize()*  output.output(stream, data)*
#     input.closeStdin()                  output.exited(exitCode, error)   (once, last)
#
# Dropping the ExecInput ends the session: the runtime closes the process's
# streams (a shell then sees EOF or a hang-up).

struct ExecOptions {
  container @0 :Text;        # the container's name in the pod spec ("" = the pod's only one)
  command @1 :List(Text);    # exec: the command and its arguments; attach: empty
  stdin @2 :Bool;
  stdout @3 :Bool;
  stderr @4 :Bool;
  tty @5 :Bool;              # a terminal: output is one stream (stdout), resize applies
}

interface ExecOutput {
  # The process's output in order; `stream` 1 is stdout, 2 stderr.
  output @0 (stream :UInt8, data :Data) -> stream;
  # The end of the session, after every output: the command's exit code
  # (attach: the container's, or 0 when unknown), or `error` when the
  # session failed (the runtime's words).
  exited @1 (exitCode :Int32, error :Text);
}

interface ExecInput {
  stdin @0 (data :Data) -> stream;
  # The process's stdin reaches EOF (`echo hi | kubectl exec -i POD -- cat` ends).
  closeStdin @1 ();
  # The terminal's size (tty sessions; ignored otherwise).
  resize @2 (width :UInt16, height :UInt16);
}

# -------------------------------------------------------------- node agents

struct PodRef {
  namespace @0 :Text;
  name @1 :Text;
  uid @2 :Text;
}

# Implemented by berthd for one joined agent.
interface NodeSession {
  heartbeat @0 () -> ();
  # A pod's status on this node changed (only transitions are journaled).
  reportPodStatus @1 (pod :PodRef, status :Objects.PodStatus) -> ();
  # The pod's containers are all gone after a deletion: berthd may remove it.
  reportPodTerminated @2 (pod :PodRef) -> ();
  # Something happened to a pod that kubelet records as an Event (a probe
  # failed): journaled as a podEventObserved observation. Best effort: dropped
  # while disconnected, as Kubernetes' events are.
  reportPodEvent @3 (pod :PodRef, report :Events.PodEventReport) -> ();
}

# Implemented by the agent; berthd calls it.
interface NodeAgent {
  # The full desired set (on join and after a resync), then changes.
  setPods @0 (pods :List(Objects.Pod)) -> ();
  upsertPod @1 (pod :Objects.Pod) -> ();
  removePod @2 (pod :PodRef) -> ();
  logs @3 (pod :PodRef, options :LogOptions, sink :ByteSink) -> (error :Text);
  # Every service and its endpoints (the full set: on join, then after each
  # change, coalesced), for the agent's service proxy, DNS and environment.
  setServices @4 (services :List(Objects.Service), endpoints :List(Objects.Endpoints)) -> ();
  # The agent's actors for this node (the console's `nodes`).
  actors @5 () -> (actors :List(Introspect.ActorInfo));
  # A command in one of the pod's running containers (ExecOptions.command
  # must not be empty), or the container's main process (attach, command
  # ignored). `error`: nothing started (container not running, runtime
  # refused) — else `input`, and the session goes on as described at ExecOutput.
  exec @6 (pod :PodRef, options :ExecOptions, output :ExecOutput) -> (error :Text, input :ExecInput);
  attach @7 (pod :PodRef, options :ExecOptions, output :ExecOutput) -> (error :Text, input :ExecInput);
  # One forwarded TCP connection (`kubectl port-forward`): the agent dials the
  # pod's IP and `port` from the host. Bytes from the pod go to `downstream`
  # (done() when the pod ends its side); bytes for the pod go to the returned
  # `upstream` (done(): the pod's read side ends, a half-close). Both are
  # streamed, so each side waits for the slower one. Dropping `upstream`
  # closes the connection. `error`: nothing was connected (the pod does not
  # run here, the connection was refused) and `upstream` is null.
  portForward @8 (pod :PodRef, port :UInt16, downstream :ByteSink) -> (error :Text, upstream :ByteSink);
  # The secrets the pods bound to this node reference (secret volumes,
  # env[].valueFrom.secretKeyRef), and only those: a node sees no other
  # secret (Kubernetes' node authorizer rule). The full set with plaintext
  # `data`, on join and again whenever it changes (a referenced secret
  # created, replaced or removed, or the set of references changed),
  # coalesced. Only ever sent over the TLS-protected RPC link.
  setSecrets @9 (secrets :List(Objects.Secret)) -> ();
  # The claims the pods bound to this node name in persistentVolumeClaim
  # volumes, each with the source of the volume bound to it (a claim not
  # bound yet is left out: its pods wait). The full set, on join and again
  # whenever it changes, coalesced, like setSecrets.
  setClaims @10 (claims :List(Objects.BoundClaim)) -> ();
}

# ------------------------------------------------------ journal (read side)

# One stored value of the journal's events column family, as on disk.
struct StoredFrame {
  key @0 :Data;     # normally the 8-byte big-endian seq
  value @1 :Data;   # the event frame (journal/record_format.hpp), unchecked
}

struct JournalInfo {
  firstSeq @0 :UInt64;
  lastSeq @1 :UInt64;
  snapshotSeqs @2 :List(UInt64);
}
