#include "actors/control_plane.hpp"

namespace berth::actors {

kind kind_of(const any_object& o) { return static_cast<kind>(o.index()); }

const model::object_meta& meta_of(const any_object& o) {
  return std::visit([](const auto& x) -> const model::object_meta& { return x.metadata; }, o);
}

}  // namespace berth::actors
