// Persistent volumes and claims written by clients (commands_detail.hpp):
// validated, created, or on apply/PUT their user fields replaced. A volume's
// claimRef and status and a claim's status are the fold's; a claim's spec is
// immutable once created (Kubernetes 1.0), so a bound claim applied again
// from its manifest is "unchanged".
#include <fmt/format.h>

#include "actors/manifest/validate.hpp"
#include "actors/model/quota.hpp"
#include "actors/store/commands_detail.hpp"

namespace berth::store::detail {
namespace {

using actors::any_object;
using actors::kind;
using actors::outcome;
using code = outcome::code;

template <class T>
std::optional<outcome> refuse_invalid(const T& want, const actors::object_key& key) {
  auto errors = manifest::validate(want);
  if (errors.empty()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> fields;
  for (auto& fe : errors) fields.emplace_back(fe.field, fe.message);
  return invalid(key, fields);
}

bool same_volume_spec(const model::persistent_volume& a, const model::persistent_volume& b) {
  return a.spec.capacity == b.spec.capacity && a.spec.access_modes == b.spec.access_modes &&
         a.spec.policy == b.spec.policy && a.spec.source == b.spec.source;
}

/// The claim's spec as the user wrote it equals the stored one (a volumeName
/// the binder filled in counts as what an empty one asked for).
bool same_claim_spec(const model::persistent_volume_claim& want, const model::persistent_volume_claim& have) {
  auto spec = want.spec;
  if (spec.volume_name.empty()) spec.volume_name = have.spec.volume_name;
  return spec == have.spec;
}

}  // namespace

command_plan plan_persistent_volume(const model::cluster_state& s, const actors::create_cmd& cmd,
                                    const std::string& new_uid) {
  auto want = std::get<model::persistent_volume>(cmd.object);
  actors::object_key key{kind::persistent_volume, "", want.metadata.name};
  if (auto refusal = refuse_invalid(want, key)) return answer(std::move(*refusal));
  auto it = s.volumes.find(want.metadata.name);
  if (it != s.volumes.end() && !cmd.is_apply) return answer(failure(code::already_exists, describe(key) + " already exists"));
  if (it == s.volumes.end() && cmd.expect_resource_version != 0)
    return answer(failure(code::not_found, describe(key) + " not found"));
  command_plan plan;
  plan.key = key;
  if (it != s.volumes.end()) {
    const auto& have = it->second;
    if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != have.metadata.resource_version)
      return answer(failure(code::conflict, k_object_modified));
    if (same_volume_spec(want, have) && want.metadata.labels == have.metadata.labels &&
        want.metadata.annotations == have.metadata.annotations)
      return answer(with_object(any_object(have), "unchanged"));
    auto changed = have;
    changed.spec.capacity = want.spec.capacity;
    changed.spec.access_modes = want.spec.access_modes;
    changed.spec.policy = want.spec.policy;
    changed.spec.source = want.spec.source;
    changed.metadata.labels = want.metadata.labels;
    changed.metadata.annotations = want.metadata.annotations;
    if (cmd.dry_run) return answer(with_object(any_object(changed), "configured (dry run)"));
    plan.event = command_event(cmd.principal, kind::persistent_volume, have.metadata,
                               model::persistent_volume_replaced{changed});
    plan.action = "configured";
    return plan;
  }
  make_new(want.metadata, new_uid);
  want.status = {};
  if (cmd.dry_run) return answer(with_object(any_object(want), "created (dry run)"));
  plan.expect_uid = want.metadata.uid;
  plan.event = command_event(cmd.principal, kind::persistent_volume, want.metadata,
                             model::persistent_volume_created{want});
  plan.action = "created";
  return plan;
}

command_plan plan_persistent_volume_claim(const model::cluster_state& s, const actors::create_cmd& cmd,
                                          const std::string& new_uid) {
  auto want = std::get<model::persistent_volume_claim>(cmd.object);
  if (want.metadata.namespace_.empty()) want.metadata.namespace_ = "default";
  actors::object_key key{kind::persistent_volume_claim, want.metadata.namespace_, want.metadata.name};
  if (auto refusal = refuse_invalid(want, key)) return answer(std::move(*refusal));
  auto it = s.claims.find({want.metadata.namespace_, want.metadata.name});
  if (it != s.claims.end() && !cmd.is_apply) return answer(failure(code::already_exists, describe(key) + " already exists"));
  if (it == s.claims.end() && cmd.expect_resource_version != 0)
    return answer(failure(code::not_found, describe(key) + " not found"));
  command_plan plan;
  plan.key = key;
  if (it != s.claims.end()) {
    const auto& have = it->second;
    if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != have.metadata.resource_version)
      return answer(failure(code::conflict, k_object_modified));
    if (!same_claim_spec(want, have))
      return answer(invalid(key, {{"spec", "Forbidden: field is immutable after creation"}}));
    if (want.metadata.labels == have.metadata.labels && want.metadata.annotations == have.metadata.annotations)
      return answer(with_object(any_object(have), "unchanged"));
    auto changed = have;
    changed.metadata.labels = want.metadata.labels;
    changed.metadata.annotations = want.metadata.annotations;
    if (cmd.dry_run) return answer(with_object(any_object(changed), "configured (dry run)"));
    plan.event = command_event(cmd.principal, kind::persistent_volume_claim, have.metadata,
                               model::persistent_volume_claim_replaced{changed});
    plan.action = "configured";
    return plan;
  }
  if (auto refusal = refuse_in_namespace(s, key)) return answer(std::move(*refusal));
  if (auto why = model::quota_refusal(s, key.namespace_, kind::persistent_volume_claim); !why.empty())
    return answer(failure(code::forbidden, why));
  make_new(want.metadata, new_uid);
  want.status = {};
  if (cmd.dry_run) return answer(with_object(any_object(want), "created (dry run)"));
  plan.expect_uid = want.metadata.uid;
  plan.event = command_event(cmd.principal, kind::persistent_volume_claim, want.metadata,
                             model::persistent_volume_claim_created{want});
  plan.action = "created";
  return plan;
}

}  // namespace berth::store::detail
