#pragma once
// `-o yaml|json|name` for any kind. One object is rendered by
// actors/manifest/render.hpp; several become a `kind: List` composed here from
// the items' own text, because render.hpp lists only pods, RCs and services
// and `get nodes -o yaml` needs the same shape (the unit tests check that the
// composition equals render.hpp's own list where both exist).

#include <string>
#include <vector>

#include "actors/control_plane.hpp"

namespace berth::cli {

/// One object, as render.hpp writes it (ends in '\n').
std::string object_yaml(const actors::any_object& o);
std::string object_json(const actors::any_object& o);

/// `apiVersion: v1`, `items: [...]`, `kind: List`, like kubectl.
std::string list_yaml(const std::vector<actors::any_object>& objects);
std::string list_json(const std::vector<actors::any_object>& objects);

/// `-o name`: one "kind/name" line per object.
std::string names_text(const std::vector<actors::any_object>& objects);

}  // namespace berth::cli
