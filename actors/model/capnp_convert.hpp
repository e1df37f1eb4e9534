#pragma once
// Model values <-> Cap'n Proto structs (schema/objects.capnp, schema/events.capnp).
//
// The heavy header of berth::model: it includes the generated capnp headers,
// so only the codec (codec.cpp) and the RPC code include it. Pure code uses
// the value types of objects.hpp / events.hpp and the byte-level codec.hpp.
//
// Mapping rules, the same in both directions:
// - maps (labels, selectors, resource lists) <-> KeyValue lists sorted by key;
// - quantities <-> canonical text (to_string / parse_quantity);
// - std::optional<probe> empty <-> Probe.handler `none`;
// - container_state monostate <-> ContainerState `none`;
// - enums one to one (static_asserts in capnp_convert.cpp).
//
// Error behaviour: to_capnp never fails. from_capnp reads untrusted bytes and
// throws kj::Exception on anything malformed -- exactly as the capnp readers it
// calls already do for bad pointers -- with a description naming the value
// ("quantity \"12q\" of cpu: quantities must match ...", "unknown Protocol
// enumerant 9"). codec.cpp catches kj::Exception at one place and turns it into
// an error value; callers outside the codec must do the same.

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/model/state.hpp"
#include "schema/events.capnp.h"
#include "schema/objects.capnp.h"

namespace berth::model {

// Every to_capnp fills the builder it is given and never fails; every
// from_capnp throws kj::Exception on malformed input (see above).

// ---- objects (capnp_convert.cpp, capnp_convert_pod.cpp)

/// Object metadata, field for field.
void to_capnp(const object_meta& m, schema::ObjectMeta::Builder b);
/// Object metadata, field for field.
object_meta from_capnp(schema::ObjectMeta::Reader r);

/// An object reference (event headers, endpoint targets).
void to_capnp(const object_reference& o, schema::ObjectReference::Builder b);
/// An object reference (event headers, endpoint targets).
object_reference from_capnp(schema::ObjectReference::Reader r);

/// A pod status (podStatusObserved events, node agent reports).
void to_capnp(const pod_status& s, schema::PodStatus::Builder b);
/// A pod status; throws on bad enumerants or container-state tags.
pod_status from_capnp(schema::PodStatus::Reader r);

/// A whole pod.
void to_capnp(const pod& p, schema::Pod::Builder b);
/// A whole pod; throws also on a resource quantity that does not parse.
pod from_capnp(schema::Pod::Reader r);

/// A whole replication controller (its template included).
void to_capnp(const replication_controller& rc, schema::ReplicationController::Builder b);
/// A whole replication controller.
replication_controller from_capnp(schema::ReplicationController::Reader r);

/// A whole service.
void to_capnp(const service& s, schema::Service::Builder b);
/// A whole service.
service from_capnp(schema::Service::Reader r);

/// Endpoints with their subsets.
void to_capnp(const endpoints& e, schema::Endpoints::Builder b);
/// Endpoints with their subsets.
endpoints from_capnp(schema::Endpoints::Reader r);

/// A whole node (capacity and allocatable as quantity text).
void to_capnp(const node& n, schema::Node::Builder b);
/// A whole node; throws also on a quantity that does not parse.
node from_capnp(schema::Node::Reader r);

/// A whole namespace.
void to_capnp(const namespace_object& n, schema::Namespace::Builder b);
/// A whole namespace; throws on an unknown phase.
namespace_object from_capnp(schema::Namespace::Reader r);

/// A whole secret: `data` (plaintext, API only) and `sealed` as they are.
void to_capnp(const secret& x, schema::Secret::Builder b);
secret from_capnp(schema::Secret::Reader r);

/// Limit ranges and quotas; throw on a quantity that does not parse.
void to_capnp(const limit_range& x, schema::LimitRange::Builder b);
limit_range from_capnp(schema::LimitRange::Reader r);
void to_capnp(const resource_quota& x, schema::ResourceQuota::Builder b);
resource_quota from_capnp(schema::ResourceQuota::Reader r);

/// Persistent volumes and claims with their folded status, and what a node
/// gets to mount a claim (capnp_convert_storage.cpp); throw on an unknown
/// enumerant or volume source.
void to_capnp(const persistent_volume& x, schema::PersistentVolume::Builder b);
persistent_volume from_capnp(schema::PersistentVolume::Reader r);
void to_capnp(const persistent_volume_claim& x, schema::PersistentVolumeClaim::Builder b);
persistent_volume_claim from_capnp(schema::PersistentVolumeClaim::Reader r);
void to_capnp(const bound_claim& x, schema::BoundClaim::Builder b);
void to_capnp(const pod_template& x, schema::PodTemplate::Builder b);
pod_template from_capnp(schema::PodTemplate::Reader r);
bound_claim from_capnp(schema::BoundClaim::Reader r);

// ---- events and snapshots (capnp_convert_events.cpp)

/// The object of a create / replace command.
void to_capnp(const api_object& o, schema::ApiObject::Builder b);
/// The object of a create / replace command; throws on an unknown union tag.
api_object from_capnp(schema::ApiObject::Reader r);

/// Object, principal and cause of an event.
void to_capnp(const event_header& h, schema::EventHeader::Builder b);
/// Object, principal and cause of an event.
event_header from_capnp(schema::EventHeader::Reader r);

/// Header and payload; seq and time live in the record frame, not here.
void to_capnp(const event& e, schema::Event::Builder b);
/// The event with seq = time = 0 (the caller copies them from the frame).
/// Throws kj::Exception also for a union tag this build does not know.
event from_capnp(schema::Event::Reader r);

/// The ClusterSnapshot of `s`: every list sorted by key (map order).
void to_capnp(const cluster_state& s, schema::ClusterSnapshot::Builder b);
/// Throws kj::Exception on malformed input and on two objects with one key.
cluster_state from_capnp(schema::ClusterSnapshot::Reader r);

}  // namespace berth::model
