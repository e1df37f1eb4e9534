#pragma once
// The control_plane facade's values <-> the RPC schema (schema/api.capnp).
// Shared by berthd's RPC server and the CLI. Throws kj::Exception on malformed
// input, as model::from_capnp does.

#include "actors/control_plane.hpp"
#include "schema/api.capnp.h"

namespace berth::rpc {

schema::Kind to_capnp(actors::kind k);
actors::kind from_capnp(schema::Kind k);

void to_capnp(const actors::any_object& o, schema::AnyObject::Builder b);
actors::any_object from_capnp(schema::AnyObject::Reader r);

void to_capnp(const actors::object_key& k, schema::ObjectKey::Builder b);
actors::object_key from_capnp(schema::ObjectKey::Reader r);

void to_capnp(const actors::outcome& o, schema::Outcome::Builder b);
actors::outcome from_capnp(schema::Outcome::Reader r);

void to_capnp(const actors::list_result& l, schema::ListResult::Builder b);
actors::list_result from_capnp(schema::ListResult::Reader r);

void to_capnp(const actors::event_summary& e, schema::EventSummary::Builder b);
actors::event_summary from_capnp(schema::EventSummary::Reader r);

schema::WatchEventType to_capnp(actors::watch_event_type t);
actors::watch_event_type from_capnp(schema::WatchEventType t);

}  // namespace berth::rpc
