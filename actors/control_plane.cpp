#include "actors/control_plane.hpp"

namespace berth::actors {

const char* resource_name(kind k) {
  switch (k) {
    case kind::pod: return "pods";
    case kind::replication_controller: return "replicationcontrollers";
    case kind::service: return "services";
    case kind::endpoints: return "endpoints";
    case kind::node: return "nodes";
  }
  return "objects";
}

kind kind_of(const any_object& o) { return static_cast<kind>(o.index()); }

const model::object_meta& meta_of(const any_object& o) {
  return std::visit([](const auto& x) -> const model::object_meta& { return x.metadata; }, o);
}

}  // namespace berth::actors
