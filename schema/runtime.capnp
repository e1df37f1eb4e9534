# The container runtime interface: what a node agent's pod actors ask of a
# container runtime (the role Kubernetes' CRI plays). The Docker runtime serves
# it in-process or on a unix socket (`berth-agent --runtime unix:PATH` talks to
# `berth-agent runtime serve unix:PATH`); the hollow runtime serves it from
# memory for scale tests.
#
# A pod is a sandbox (an infra container holding the network and IPC
# namespaces) plus app containers joined to it. Every container carries labels
# (see `Labels` below) so that a restarted agent finds and adopts what runs.
#
# Ordinary failures (a missing image, a container that is gone) are values in
# the results, not exceptions, so the agent can report them as waiting reasons.
# Exceptions mean the runtime itself is unreachable or broken.
#
# Ordinals are append-only.
@0xb7c5e2f0a4d13c91;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("berth::schema");

using Objects = import "objects.capnp";
using Api = import "api.capnp";

# Label keys every container carries (values are Text).
const labelNode :Text = "io.berth.node";                 # node name (several agents may share a daemon)
const labelPodUid :Text = "io.berth.pod.uid";
const labelPodNamespace :Text = "io.berth.pod.namespace";
const labelPodName :Text = "io.berth.pod.name";
const labelContainerName :Text = "io.berth.container.name";   # "POD" for the sandbox
const labelAttempt :Text = "io.berth.container.attempt";      # restart attempt, decimal
const labelSpecHash :Text = "io.berth.container.hash";        # hash of the container spec it was made from
const labelGracePeriod :Text = "io.berth.pod.grace-period";   # terminationGracePeriodSeconds, decimal
# The CrashLoopBackOff delay (ns, decimal) waited before this container was
# started; absent when none. It lets a restarted agent continue the doubling
# where the previous one stopped instead of starting again at the base delay.
const labelBackoffDelay :Text = "io.berth.container.backoff-delay-ns";
const sandboxContainerName :Text = "POD";

enum ContainerStateKind {
  created @0;     # made, never started
  running @1;
  exited @2;
  unknown @3;     # the runtime could not tell (e.g. dead, removing)
}

struct ContainerInfo {
  id @0 :Text;
  labels @1 :List(Objects.KeyValue);
  image @2 :Text;            # as asked for
  imageId @3 :Text;          # what it resolved to ("sha256:...")
  state @4 :ContainerStateKind;
  exitCode @5 :Int32;
  oomKilled @6 :Bool;
  createdAt @7 :Int64;       # ns since the epoch; 0 = unknown
  startedAt @8 :Int64;
  finishedAt @9 :Int64;
  ip @10 :Text;              # sandboxes: the pod IP ("" with host networking)
  error @11 :Text;           # the runtime's own message about a failed start, if any
  pid @12 :Int32;            # 0 when not running
}

struct PortMapping {
  containerPort @0 :Int32;
  hostPort @1 :Int32;
  protocol @2 :Text;         # "TCP" / "UDP"
  hostIp @3 :Text;           # "" = all addresses
}

struct SandboxConfig {
  node @0 :Text;
  podUid @1 :Text;
  namespace @2 :Text;
  podName @3 :Text;
  hostNetwork @4 :Bool;
  hostname @5 :Text;
  ports @6 :List(PortMapping);      # hostPort mappings, published on the sandbox
  dnsServers @7 :List(Text);        # resolver configuration for every container of the pod
  dnsSearch @8 :List(Text);
  gracePeriodSeconds @9 :Int64;
}

struct ContainerConfig {
  node @0 :Text;
  podUid @1 :Text;
  namespace @2 :Text;
  podName @3 :Text;
  name @4 :Text;                    # the container's name in the pod spec
  attempt @5 :UInt32;
  specHash @6 :Text;
  image @7 :Text;
  command @8 :List(Text);           # entrypoint override (empty: the image's)
  args @9 :List(Text);
  workingDir @10 :Text;
  env @11 :List(Objects.KeyValue);
  memoryLimitBytes @12 :Int64;      # 0 = unlimited
  nanoCpus @13 :Int64;              # 0 = unlimited (1e9 = one cpu)
  gracePeriodSeconds @14 :Int64;
  backoffDelayNs @15 :Int64;        # becomes labelBackoffDelay when > 0
  mounts @16 :List(Mount);          # the pod's volumes as the agent prepared them
  security @17 :ContainerSecurity;  # unset: the runtime's defaults
  stdin @18 :Bool;                  # keep stdin open (attach -i)
  stdinOnce @19 :Bool;              # close stdin after the first attach ends
  tty @20 :Bool;
}

# A container's securityContext as the runtime applies it.
struct ContainerSecurity {
  privileged @0 :Bool;
  capAdd @1 :List(Text);            # without "CAP_"
  capDrop @2 :List(Text);
  user @3 :Text;                    # numeric uid; "" = the image's user
  readonlyRootfs @4 :Bool;
  seLinuxLabels @5 :List(Text);     # "user:...", "role:...", ... (applied only where SELinux is on)
  runAsNonRoot @6 :Bool;            # refuse to start as uid 0
}

# A bind mount of a host path the agent has prepared (an emptyDir directory, a
# hostPath, a subPath inside either) into a container. The runtime only binds:
# making, mounting and removing volume directories is the agent's job.
struct Mount {
  hostPath @0 :Text;
  containerPath @1 :Text;
  readOnly @2 :Bool;
}

struct LabelFilter {
  # Every pair must match (AND). An empty list matches every berth container.
  labels @0 :List(Objects.KeyValue);
  includeExited @1 :Bool;
}

interface Runtime {
  version @0 () -> (runtimeName :Text, runtimeVersion :Text, apiVersion :Text);

  # The image is present locally (no registry is ever contacted unless one is
  # configured). `error` says why not, in words fit for a waiting reason.
  imageStatus @1 (image :Text) -> (present :Bool, imageId :Text, error :Text);

  # Creates and starts the infra container; `error` non-empty = not started.
  runSandbox @2 (config :SandboxConfig) -> (id :Text, ip :Text, error :Text);

  # Creates an app container joined to the sandbox's namespaces.
  createContainer @3 (sandboxId :Text, config :ContainerConfig) -> (id :Text, error :Text);
  startContainer @4 (id :Text) -> (error :Text);

  # SIGTERM, up to `timeoutSeconds`, then SIGKILL. Stopping a stopped or
  # missing container is not an error.
  stopContainer @5 (id :Text, timeoutSeconds :Int64) -> (error :Text);
  # Removing a missing container is not an error.
  removeContainer @6 (id :Text) -> (error :Text);

  listContainers @7 (filter :LabelFilter) -> (containers :List(ContainerInfo));
  inspectContainer @8 (id :Text) -> (found :Bool, info :ContainerInfo);

  # Streams a container's output (stdout and stderr merged, in order) to sink.
  logs @9 (id :Text, options :Api.LogOptions, sink :Api.ByteSink) -> (error :Text);

  # Runs a command in a running container (exec probes). `timedOut` when it
  # did not finish within timeoutSeconds.
  execSync @10 (id :Text, command :List(Text), timeoutSeconds :Int32)
      -> (exitCode :Int32, output :Data, timedOut :Bool, error :Text);

  # Container lifecycle events as they happen (die, start, oom...), so the
  # agent reacts at once instead of waiting for its next poll.
  watchEvents @11 (sink :RuntimeEventSink) -> (handle :Api.WatchHandle);

  # The contents of one regular file of a container, running or exited (a
  # terminationMessagePath), at most maxBytes of it. `found` false: no such
  # file. A runtime that cannot (hollow) leaves this unimplemented: the agent
  # then reports no message.
  readFile @12 (id :Text, path :Text, maxBytes :UInt32) -> (found :Bool, content :Data, error :Text);

  # The end of a container's log (stdout and stderr merged): the last `lines`
  # lines, for terminationMessagePolicy FallbackToLogsOnError.
  tailLog @13 (id :Text, lines :UInt32) -> (content :Data, error :Text);
}

interface RuntimeEventSink {
  # `action` is the runtime's word ("start", "die", "oom", "destroy").
  event @0 (containerId :Text, action :Text, labels :List(Objects.KeyValue)) -> stream;
}

# A runtime that can also stream interactive sessions (kubectl exec and
# attach). A separate interface rather than more Runtime methods because not
# every runtime can (the hollow runtime cannot): the agent casts its Runtime
# to this and reports "not supported" when a call is unimplemented. The
# session goes on as described at Api.ExecOutput.
interface StreamingRuntime extends(Runtime) {
  # `command` in a running container. `error` non-empty: nothing started.
  exec @0 (id :Text, options :Api.ExecOptions, output :Api.ExecOutput) -> (error :Text, input :Api.ExecInput);
  # The container's main process (options.command ignored).
  attach @1 (id :Text, options :Api.ExecOptions, output :Api.ExecOutput) -> (error :Text, input :Api.ExecInput);
}
