# Live introspection of a running process's actors (berthd or berth-agent):
# what `berth console` and the web console read (docs/introspection.md).
#
# Reached through a token like everything else: berthd hands it out from
# Cluster.introspection() (an admin login), an agent from its own
# AgentGateway (bootstrap of its --introspect-listen address, node token).
# Ordinals are append-only.

@0x90bf1398fd31eae6;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("berth::schema");

# Processing time of an actor's messages. counts[i] counts messages that took
# at most boundsSeconds[i] (and more than the bound before it); the last count
# is the overflow bucket (+Inf), so counts has one entry more than bounds.
struct Histogram {
  boundsSeconds @0 :List(Float64);
  counts @1 :List(UInt64);
  sumSeconds @2 :Float64;
  count @3 :UInt64;
}

struct ActorInfo {
  id @0 :UInt64;             # CAF's actor id, unique within the process
  name @1 :Text;             # kind/object ("pod/default/web-x7k2q", "rc/default/web", "store")
  kind @2 :Text;             # store, scheduler, pod, rc, service, node (berthd); node, pod (agent)
  object @3 :Text;           # the object it owns ("default/web-x7k2q", node name, "" for singletons)
  parent @4 :UInt64;         # the id of the actor that spawned it (0: spawned from outside any actor)
  parentName @5 :Text;
  owner @6 :Text;            # name of the actor of the object that owns this one's object
                             # (a pod's RC, "" when none): `tree` groups by it
  spawnedNs @7 :Int64;       # Unix time in ns
  mailbox @8 :UInt64;        # messages enqueued and not yet handled
  handled @9 :UInt64;        # messages handled since spawn
  ratePerSecond @10 :Float64; # messages handled per second over the last 10 s
  processing @11 :Histogram;
  lastMessage @12 :Text;     # the type of the last message handled ("update", "tick", ...)
  lastMessageNs @13 :Int64;  # when it was handled (Unix ns; 0: never)
  tracing @14 :Bool;         # a trace is running on it
}

# One message seen by a trace.
struct TraceEvent {
  seq @0 :UInt64;            # 1, 2, ... within the trace
  timeNs @1 :Int64;          # Unix ns
  direction @2 :Text;        # "in" (received) or "out" (sent)
  peer @3 :Text;             # the sender (in) or receiver (out) by name, or "#ID" / "(anonymous)"
  peerId @4 :UInt64;
  type @5 :Text;             # the message's type (its leading atom, or its first element's type)
  bytes @6 :UInt32;          # approximate in-memory size of the message's elements
  text @7 :Text;             # a short rendering (at most 200 characters)
}

struct ProcessInfo {
  role @0 :Text;             # "berthd" or "berth-agent"
  version @1 :Text;
  startedNs @2 :Int64;
  actors @3 :UInt32;
  nodes @4 :List(Text);      # berth-agent: the nodes it runs (several with --hollow)
}

# The actors of one node agent, as berthd asked them over its NodeAgent link.
struct NodeActors {
  node @0 :Text;
  error @1 :Text;            # non-empty: the agent could not be asked (and why)
  actors @2 :List(ActorInfo);
}

interface TraceSink {
  event @0 (event :TraceEvent) -> stream;
}

interface Introspection {
  process @0 () -> (info :ProcessInfo);
  # Every live actor, sorted by id.
  actors @1 () -> (actors :List(ActorInfo));
  # One actor (by id or name) and its state as the actor renders it (JSON),
  # asked of the actor itself. `error` non-empty: no such actor, or it did not answer.
  inspect @2 (actor :Text) -> (info :ActorInfo, stateJson :Text, error :Text);
  # Streams the messages `actor` receives and sends to `sink` until `forMs`
  # (capped at 300,000) has passed or `max` (capped at 10,000) events were
  # seen, then returns why it stopped ("limit", "time", "actor exited",
  # "client gone"). `error` non-empty: no such actor (nothing streamed).
  trace @3 (actor :Text, forMs :UInt32, max :UInt32, sink :TraceSink)
        -> (stopped :Text, events :UInt32, error :Text);
  # The process's metrics in the Prometheus text exposition format (what /metrics serves).
  metrics @4 () -> (text :Text);
  # berthd: the actors of every connected agent; berth-agent: its own, per node.
  nodes @5 () -> (nodes :List(NodeActors));
}

# The bootstrap capability of a node agent's introspection listener.
interface AgentGateway {
  login @0 (token :Text) -> (introspection :Introspection);
}
