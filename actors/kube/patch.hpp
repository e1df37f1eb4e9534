#pragma once
// PATCH bodies applied to an object's JSON, as the apiserver does before it
// validates and stores the result:
//
// - merge patch (RFC 7386, `application/merge-patch+json`: kubectl label,
//   annotate, scale): maps merge recursively, `null` deletes a key, anything
//   else (lists included) replaces;
// - strategic merge patch (`application/strategic-merge-patch+json`: kubectl
//   apply, kubectl patch): the same, except that the lists Kubernetes marks
//   with a merge key merge element by element (containers, volumes, env by
//   `name`; container ports by `containerPort`; service ports by `port`;
//   volumeMounts by `mountPath`; conditions by `type`), with the directives
//   `$patch: replace|delete|merge`, `$deleteFromPrimitiveList/<list>`; the
//   ordering and retain hints (`$setElementOrder/<list>`, `$retainKeys`) are
//   accepted and ignored (k8s.io/apimachinery pkg/util/strategicpatch);
// - JSON patch (RFC 6902, `application/json-patch+json`): add, remove,
//   replace, move, copy, test.
//
// Input and output are JSON or YAML text (the manifest decoder reads both).
// Pure.

#include <string>
#include <string_view>

namespace berth::kube {

enum class patch_type { merge, strategic, json };

/// `content_type` → patch type; false for anything else (415).
bool patch_type_of(std::string_view content_type, patch_type& out);

/// `target` patched by `patch`, as YAML text; empty and `error` set ("patch:
/// not a JSON object", "patch op 2 (test) failed at /spec/replicas") when the
/// patch is malformed or does not apply.
std::string apply_patch(std::string_view target, std::string_view patch, patch_type type, std::string& error);

}  // namespace berth::kube
