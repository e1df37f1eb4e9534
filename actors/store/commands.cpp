#include "actors/store/commands.hpp"
#include "actors/store/commands_detail.hpp"

#include <fmt/format.h>

#include "actors/manifest/validate.hpp"
#include "actors/model/kinds.hpp"
#include "actors/model/limit_ranges.hpp"
#include "actors/model/quota.hpp"
#include "actors/model/namespaces.hpp"
#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/secrets/sealed.hpp"
#include "actors/store/fold_diff.hpp"

namespace berth::store {
namespace {

using actors::any_object;
using actors::kind;
using actors::outcome;
using code = outcome::code;
using namespace detail;

/// The api_object (command payload) form of an object a client sent; nullopt
/// for kinds written through events of their own (endpoints, nodes, ...).
std::optional<model::api_object> as_command_object(const any_object& o) {
  if (const auto* p = std::get_if<model::pod>(&o)) return model::api_object{*p};
  if (const auto* rc = std::get_if<model::replication_controller>(&o)) return model::api_object{*rc};
  if (const auto* s = std::get_if<model::service>(&o)) return model::api_object{*s};
  return std::nullopt;
}

model::object_meta& meta_ref(model::api_object& o) {
  return std::visit([](auto& x) -> model::object_meta& { return x.metadata; }, o);
}

/// Spec and metadata the client controls are equal (apply's "unchanged").
/// True when `want` asks for the spec `have` already has (the server-set
/// parts — a pod's binding, a service's allocated cluster IP — left aside).
bool same_spec(const model::api_object& want, const any_object& have) {
  return std::visit(
      [&](const auto& w) {
        using T = std::decay_t<decltype(w)>;
        const auto* h = std::get_if<T>(&have);
        if (!h) return false;
        auto spec = w.spec;
        if constexpr (std::is_same_v<T, model::pod>) spec.node_name = h->spec.node_name;
        if constexpr (std::is_same_v<T, model::service>)
          if (spec.cluster_ip.empty()) spec.cluster_ip = h->spec.cluster_ip;
        return spec == h->spec;
      },
      want);
}

bool same_user_fields(const model::api_object& want, const any_object& have) {
  const auto& meta = std::visit([](const auto& w) -> const model::object_meta& { return w.metadata; }, want);
  const auto& stored = actors::meta_of(have);
  return same_spec(want, have) && meta.labels == stored.labels && meta.annotations == stored.annotations;
}

}  // namespace

namespace detail {

model::event command_event(const std::string& principal, kind k, const model::object_meta& m,
                           model::event_payload payload) {
  model::event e;
  e.header.object = {model::kind_name(k), m.namespace_, m.name, m.uid};
  e.header.principal = principal;
  e.payload = std::move(payload);
  return e;
}

command_plan answer(outcome o) {
  command_plan p;
  p.answer = std::move(o);
  return p;
}

outcome with_object(std::optional<any_object> object, std::string action) {
  outcome o;
  o.object = std::move(object);
  o.action = std::move(action);
  return o;
}

outcome invalid(const actors::object_key& key, const std::vector<std::pair<std::string, std::string>>& errors) {
  outcome o = failure(code::invalid, fmt::format("{} is invalid", describe(key)));
  for (const auto& [field, message] : errors) o.errors.push_back({field, message});
  return o;
}

/// A created object's server-set metadata: the new uid, the rest zero until
/// the fold sets them (resource version, generation, timestamps).
void make_new(model::object_meta& m, const std::string& uid) {
  m.uid = uid;
  m.resource_version = 0;
  m.generation = 0;
  m.creation_timestamp = 0;
  m.deletion_timestamp = 0;
}

}  // namespace detail

outcome failure(code c, std::string message) {
  outcome o;
  o.result = c;
  o.message = std::move(message);
  return o;
}

std::string describe(const actors::object_key& k) {
  return fmt::format("{} \"{}\"", actors::resource_name(k.kind), k.name);
}

namespace {

/// A node written by a client (kubectl cordon/uncordon patch it): only
/// spec.unschedulable is the user's; everything else is its agent's, so a
/// change there is refused, naming the field.
command_plan plan_node_update(const model::cluster_state& s, const actors::create_cmd& cmd) {
  const auto& want = std::get<model::node>(cmd.object);
  actors::object_key key{kind::node, "", want.metadata.name};
  if (!cmd.is_apply) return answer(failure(code::invalid, "nodes cannot be created by clients: agents register them"));
  auto it = s.nodes.find(want.metadata.name);
  if (it == s.nodes.end()) return answer(failure(code::not_found, describe(key) + " not found"));
  const auto& have = it->second;
  if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != have.metadata.resource_version)
    return answer(failure(code::conflict, k_object_modified));
  if (want.metadata.labels != have.metadata.labels)
    return answer(invalid(key, {{"metadata.labels", "Forbidden: a node's labels come from its agent"}}));
  if (want.metadata.annotations != have.metadata.annotations)
    return answer(invalid(key, {{"metadata.annotations", "Forbidden: a node's annotations come from its agent"}}));
  if (want.spec.unschedulable == have.spec.unschedulable) return answer(with_object(any_object(have), "unchanged"));
  if (cmd.dry_run) {
    auto changed = have;
    changed.spec.unschedulable = want.spec.unschedulable;
    return answer(with_object(any_object(changed), "configured (dry run)"));
  }
  command_plan plan;
  plan.event = command_event(cmd.principal, kind::node, have.metadata,
                             model::node_unschedulable{want.spec.unschedulable});
  plan.key = key;
  plan.action = "configured";
  return plan;
}

/// A namespace written by a client: created (a name is all it takes), or
/// its labels and annotations replaced (apply, PUT, PATCH).
command_plan plan_namespace(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& new_uid) {
  auto want = std::get<model::namespace_object>(cmd.object);
  want.metadata.namespace_.clear();
  actors::object_key key{kind::namespace_, "", want.metadata.name};
  if (auto errors = manifest::validate(want); !errors.empty()) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto& fe : errors) fields.emplace_back(fe.field, fe.message);
    return answer(invalid(key, fields));
  }
  if (want.metadata.name.empty())
    return answer(invalid(key, {{"metadata.name", "Required value: berth does not generate namespace names"}}));
  auto existing = model::find_namespace(s, want.metadata.name);
  if (existing && !cmd.is_apply) return answer(failure(code::already_exists, describe(key) + " already exists"));
  command_plan plan;
  plan.key = key;
  if (existing) {
    if (want.metadata.labels == existing->metadata.labels && want.metadata.annotations == existing->metadata.annotations)
      return answer(with_object(any_object(*existing), "unchanged"));
    auto changed = *existing;
    changed.metadata.labels = want.metadata.labels;
    changed.metadata.annotations = want.metadata.annotations;
    if (cmd.dry_run) return answer(with_object(any_object(changed), "configured (dry run)"));
    plan.event = command_event(cmd.principal, kind::namespace_, existing->metadata, model::namespace_replaced{changed});
    plan.action = "configured";
    return plan;
  }
  make_new(want.metadata, new_uid);
  want.metadata.owner_references.clear();
  want.status = {};
  if (cmd.dry_run) return answer(with_object(any_object(want), "created (dry run)"));
  plan.expect_uid = want.metadata.uid;
  plan.event = command_event(cmd.principal, kind::namespace_, want.metadata, model::namespace_created{want});
  plan.action = "created";
  return plan;
}

/// A secret written by a client: created, or its type, data, labels and
/// annotations replaced. The data is validated in plaintext, then sealed
/// with the installed keyring: the event (and so the journal) holds only
/// ciphertext. Answers carry the plaintext, as the API shows it.
command_plan plan_secret(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& new_uid) {
  auto want = std::get<model::secret>(cmd.object);
  if (want.metadata.namespace_.empty()) want.metadata.namespace_ = "default";
  if (want.type.empty()) want.type = model::k_secret_type_opaque;
  want.sealed = {};
  actors::object_key key{kind::secret, want.metadata.namespace_, want.metadata.name};
  if (auto errors = manifest::validate(want); !errors.empty()) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto& fe : errors) fields.emplace_back(fe.field, fe.message);
    return answer(invalid(key, fields));
  }
  if (want.metadata.name.empty())
    return answer(invalid(key, {{"metadata.name", "Required value: berth does not generate secret names"}}));
  auto ring = secrets::installed_keyring();
  if (!ring) return answer(failure(code::unavailable, "secrets cannot be stored: berthd has no encryption key"));
  auto it = s.secrets.find({want.metadata.namespace_, want.metadata.name});
  if (it != s.secrets.end() && !cmd.is_apply)
    return answer(failure(code::already_exists, describe(key) + " already exists"));
  if (it == s.secrets.end() && cmd.expect_resource_version != 0)
    return answer(failure(code::not_found, describe(key) + " not found"));
  if (it == s.secrets.end()) {
    if (auto refusal = refuse_in_namespace(s, key)) return answer(std::move(*refusal));
    if (auto why = model::quota_refusal(s, key.namespace_, kind::secret); !why.empty())
      return answer(failure(code::forbidden, why));
  }
  command_plan plan;
  plan.key = key;
  if (it != s.secrets.end()) {
    auto have = it->second;
    if (have.metadata.deletion_timestamp != 0)
      return answer(failure(code::conflict, describe(key) + " is being deleted"));
    if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != have.metadata.resource_version)
      return answer(failure(code::conflict, k_object_modified));
    if (auto error = secrets::open_secret(*ring, have); !error.empty())
      return answer(failure(code::unavailable, error));
    if (want.type == have.type && want.data == have.data && want.metadata.labels == have.metadata.labels &&
        want.metadata.annotations == have.metadata.annotations)
      return answer(with_object(any_object(have), "unchanged"));
    auto changed = have;
    changed.type = want.type;
    changed.data = want.data;
    changed.metadata.labels = want.metadata.labels;
    changed.metadata.annotations = want.metadata.annotations;
    if (cmd.dry_run) return answer(with_object(any_object(changed), "configured (dry run)"));
    secrets::seal_secret(*ring, changed);
    plan.event = command_event(cmd.principal, kind::secret, have.metadata, model::secret_replaced{changed});
    plan.action = "configured";
    return plan;
  }
  make_new(want.metadata, new_uid);
  if (cmd.dry_run) return answer(with_object(any_object(want), "created (dry run)"));
  secrets::seal_secret(*ring, want);
  plan.expect_uid = want.metadata.uid;
  plan.event = command_event(cmd.principal, kind::secret, want.metadata, model::secret_created{want});
  plan.action = "created";
  return plan;
}

/// A limit range, quota or user's endpoints written by a client: created, or
/// its spec, labels and annotations replaced. `same_spec_of` says whether a
/// replace changes anything but labels and annotations.
template <class T, class Event, class Replaced, class SameSpec>
command_plan plan_policy(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& new_uid,
                         const std::map<model::object_key, T>& stored, SameSpec same_spec_of) {
  auto want = std::get<T>(cmd.object);
  const auto k = actors::kind_of(cmd.object);
  if (want.metadata.namespace_.empty()) want.metadata.namespace_ = "default";
  actors::object_key key{k, want.metadata.namespace_, want.metadata.name};
  if (auto errors = manifest::validate(want); !errors.empty()) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto& fe : errors) fields.emplace_back(fe.field, fe.message);
    return answer(invalid(key, fields));
  }
  if (want.metadata.name.empty())
    return answer(invalid(key, {{"metadata.name", "Required value: name or generateName is required"}}));
  auto it = stored.find({want.metadata.namespace_, want.metadata.name});
  if (it != stored.end() && !cmd.is_apply) return answer(failure(code::already_exists, describe(key) + " already exists"));
  if (it == stored.end() && cmd.expect_resource_version != 0)
    return answer(failure(code::not_found, describe(key) + " not found"));
  command_plan plan;
  plan.key = key;
  if (it != stored.end()) {
    const auto& have = it->second;
    if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != have.metadata.resource_version)
      return answer(failure(code::conflict, k_object_modified));
    if (same_spec_of(want, have) && want.metadata.labels == have.metadata.labels &&
        want.metadata.annotations == have.metadata.annotations)
      return answer(with_object(any_object(have), "unchanged"));
    auto changed = want;
    changed.metadata = have.metadata;
    changed.metadata.labels = want.metadata.labels;
    changed.metadata.annotations = want.metadata.annotations;
    if (cmd.dry_run) return answer(with_object(any_object(changed), "configured (dry run)"));
    plan.event = command_event(cmd.principal, k, have.metadata, Replaced{changed});
    plan.action = "configured";
    return plan;
  }
  if (auto refusal = refuse_in_namespace(s, key)) return answer(std::move(*refusal));
  if (auto why = model::quota_refusal(s, key.namespace_, k); !why.empty())
    return answer(failure(code::forbidden, why));
  make_new(want.metadata, new_uid);
  if (cmd.dry_run) return answer(with_object(any_object(want), "created (dry run)"));
  plan.expect_uid = want.metadata.uid;
  plan.event = command_event(cmd.principal, k, want.metadata, Event{want});
  plan.action = "created";
  return plan;
}

/// Endpoints written by a client (endpointsReplaced both creates and
/// replaces): no service is needed (the glusterfs example writes them first).
/// Those of a service with a selector are accepted too, and the endpoints
/// controller then overwrites them with what the selector finds, as
/// Kubernetes does (docs/services.md).
command_plan plan_endpoints(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& uid) {
  return plan_policy<model::endpoints, model::endpoints_replaced, model::endpoints_replaced>(
      s, cmd, uid, s.endpoints_, [](const model::endpoints& a, const model::endpoints& b) { return a.subsets == b.subsets; });
}

command_plan plan_limit_range(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& uid) {
  return plan_policy<model::limit_range, model::limit_range_created, model::limit_range_replaced>(
      s, cmd, uid, s.limit_ranges,
      [](const model::limit_range& a, const model::limit_range& b) { return a.limits == b.limits; });
}

command_plan plan_pod_template(const model::cluster_state& s, const actors::create_cmd& cmd, const std::string& uid) {
  return plan_policy<model::pod_template, model::pod_template_created, model::pod_template_replaced>(
      s, cmd, uid, s.pod_templates,
      [](const model::pod_template& a, const model::pod_template& b) { return a.template_ == b.template_; });
}

command_plan plan_resource_quota(const model::cluster_state& s, const actors::create_cmd& cmd,
                                 const std::string& uid) {
  auto c = cmd;
  std::get<model::resource_quota>(c.object).status = {};  // the server's, counted when asked
  return plan_policy<model::resource_quota, model::resource_quota_created, model::resource_quota_replaced>(
      s, c, uid, s.resource_quotas,
      [](const model::resource_quota& a, const model::resource_quota& b) { return a.hard == b.hard; });
}

/// Admission of a new object (after validation, before the event): a pod
/// gets its namespace's limit-range defaults and is checked against them;
/// then every kind a quota counts is checked against the namespace's quotas.
/// The refusal is a 403 whose message is the reason alone: the front ends
/// put Kubernetes' `pods "x" is forbidden: ` before it.
std::optional<outcome> admit(const model::cluster_state& s, model::api_object& obj, const actors::object_key& key) {
  if (auto* p = std::get_if<model::pod>(&obj)) {
    auto why = model::admit_limits(model::limit_ranges_in(s, key.namespace_), *p);
    if (why.empty()) why = model::quota_refusal(s, key.namespace_, kind::pod, p);
    if (!why.empty()) return failure(code::forbidden, why);
    return std::nullopt;
  }
  if (auto why = model::quota_refusal(s, key.namespace_, key.kind); !why.empty())
    return failure(code::forbidden, why);
  return std::nullopt;
}

}  // namespace

void fill_for_api(const model::cluster_state& s, any_object& o) {
  if (auto* q = std::get_if<model::resource_quota>(&o)) *q = model::with_status(s, std::move(*q));
}

std::string open_for_api(any_object& o) {
  if (auto* x = std::get_if<model::secret>(&o)) return secrets::open_with_installed(*x);
  return "";
}

std::optional<outcome> refuse_in_namespace(const model::cluster_state& s, const actors::object_key& key) {
  if (!model::find_namespace(s, key.namespace_)) {
    actors::object_key ns{kind::namespace_, "", key.namespace_};
    outcome o = failure(code::not_found, describe(ns) + " not found");
    o.missing = ns;
    return o;
  }
  if (model::is_terminating(s, key.namespace_))
    return failure(code::forbidden, fmt::format("unable to create new content in namespace {} because it is being "
                                                "terminated",
                                                key.namespace_));
  return std::nullopt;
}

command_plan plan_create(const model::cluster_state& s, actors::create_cmd cmd, address_book& addresses,
                         const std::string& new_uid) {
  if (actors::kind_of(cmd.object) == kind::node) return plan_node_update(s, cmd);
  if (actors::kind_of(cmd.object) == kind::namespace_) return plan_namespace(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::secret) return plan_secret(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::limit_range) return plan_limit_range(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::resource_quota) return plan_resource_quota(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::endpoints) return plan_endpoints(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::persistent_volume) return plan_persistent_volume(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::pod_template) return plan_pod_template(s, cmd, new_uid);
  if (actors::kind_of(cmd.object) == kind::persistent_volume_claim)
    return plan_persistent_volume_claim(s, cmd, new_uid);
  auto obj = as_command_object(cmd.object);
  auto k = actors::kind_of(cmd.object);
  if (!obj)
    return answer(failure(code::invalid, fmt::format("{} cannot be created by clients", actors::resource_name(k))));
  auto& m = meta_ref(*obj);
  if (m.namespace_.empty()) m.namespace_ = "default";
  actors::object_key key{k, m.namespace_, m.name};
  const auto& cfg = addresses.config();
  if (auto errors = manifest::validate(*obj, {cfg.node_port_min, cfg.node_port_max}); !errors.empty()) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto& fe : errors) fields.emplace_back(fe.field, fe.message);
    return answer(invalid(key, fields));
  }
  auto existing = find_object(s, k, state_key(key));
  if (existing && !cmd.is_apply) return answer(failure(code::already_exists, describe(key) + " already exists"));
  if (!existing && cmd.expect_resource_version != 0)  // an update of what was read, and it is gone
    return answer(failure(code::not_found, describe(key) + " not found"));
  // Kubernetes' NamespaceLifecycle: nothing new in a namespace that does not
  // exist or is being deleted (what exists there may still change).
  if (!existing) {
    if (auto refusal = refuse_in_namespace(s, key)) return answer(std::move(*refusal));
    if (auto refusal = admit(s, *obj, key)) return answer(std::move(*refusal));
  }
  command_plan plan;
  if (auto* svc = std::get_if<model::service>(&*obj)) {
    const auto* stored = existing ? std::get_if<model::service>(&*existing) : nullptr;
    if (auto errors = addresses.assign(s, *svc, stored, plan.held); !errors.empty()) {
      std::vector<std::pair<std::string, std::string>> fields;
      for (auto& e : errors) fields.emplace_back(e.field, e.message);
      return answer(invalid(key, fields));
    }
  }
  // From here on an immediate answer must still release what was held.
  auto answer_now = [&](outcome o) {
    plan.answer = std::move(o);
    return std::move(plan);
  };
  if (existing) {
    if (actors::meta_of(*existing).deletion_timestamp != 0)
      return answer_now(failure(code::conflict, describe(key) + " is being deleted"));
    if (cmd.expect_resource_version != 0 && cmd.expect_resource_version != actors::meta_of(*existing).resource_version)
      return answer_now(failure(code::conflict, k_object_modified));
    if (same_user_fields(*obj, *existing)) return answer_now(with_object(existing, "unchanged"));
    // As Kubernetes 1.0: a pod's labels and annotations change in place; its
    // spec does not (a new pod is the way to a new spec).
    if (k == kind::pod && !same_spec(*obj, *existing))
      return answer_now(invalid(
          key, {{"spec", "Forbidden: pod updates may not change fields other than labels and annotations"}}));
    m.uid = actors::meta_of(*existing).uid;
    if (cmd.dry_run) return answer_now(with_object(cmd.object, "configured (dry run)"));
    plan.event = command_event(cmd.principal, k, m, model::object_replaced{*obj});
    plan.key = key;
    plan.action = "configured";
    return plan;
  }
  m.uid = new_uid;
  m.resource_version = 0;
  m.generation = 0;
  m.creation_timestamp = 0;
  m.deletion_timestamp = 0;
  if (auto* p = std::get_if<model::pod>(&*obj)) p->status = {};
  if (cmd.dry_run)
    return answer_now(with_object(std::visit([](auto& x) { return any_object(x); }, *obj), "created (dry run)"));
  plan.expect_uid = m.uid;
  plan.event = command_event(cmd.principal, k, m, model::object_created{*obj});
  plan.key = key;
  plan.action = "created";
  return plan;
}

command_plan plan_delete(const model::cluster_state& s, const actors::delete_cmd& cmd) {
  auto existing = find_object(s, cmd.key.kind, state_key(cmd.key));
  if (!existing) return answer(failure(code::not_found, describe(cmd.key) + " not found"));
  if (cmd.key.kind == kind::namespace_ && model::is_builtin_namespace(cmd.key.name))
    return answer(failure(code::forbidden, "this namespace may not be deleted"));
  if (cmd.key.kind == kind::namespace_ && actors::meta_of(*existing).deletion_timestamp != 0)
    return answer(with_object(existing, "deleted"));  // already Terminating: nothing more to ask
  command_plan plan;
  if (cmd.key.kind == kind::secret || cmd.key.kind == kind::limit_range || cmd.key.kind == kind::resource_quota ||
      cmd.key.kind == kind::endpoints || cmd.key.kind == kind::persistent_volume ||
      cmd.key.kind == kind::persistent_volume_claim || cmd.key.kind == kind::pod_template) {
    model::reason why{"Deleted", "deleted by " + cmd.principal};
    model::event_payload removed = model::secret_removed{why};
    if (cmd.key.kind == kind::limit_range) removed = model::limit_range_removed{why};
    if (cmd.key.kind == kind::resource_quota) removed = model::resource_quota_removed{why};
    if (cmd.key.kind == kind::endpoints) removed = model::endpoints_removed{why};
    if (cmd.key.kind == kind::persistent_volume) removed = model::persistent_volume_removed{why};
    if (cmd.key.kind == kind::persistent_volume_claim) removed = model::persistent_volume_claim_removed{why};
    if (cmd.key.kind == kind::pod_template) removed = model::pod_template_removed{why};
    plan.event = command_event(cmd.principal, cmd.key.kind, actors::meta_of(*existing), std::move(removed));
    plan.key = cmd.key;
    plan.action = "deleted";
    plan.fallback = std::move(existing);
    return plan;
  }
  plan.event = command_event(cmd.principal, cmd.key.kind, actors::meta_of(*existing),
                             model::object_deleted{cmd.grace_period_seconds,
                                                   cmd.orphan_dependents && cmd.key.kind == kind::replication_controller});
  plan.key = cmd.key;
  plan.action = "deleted";
  plan.fallback = std::move(existing);
  return plan;
}

command_plan plan_scale(const model::cluster_state& s, const actors::scale_cmd& cmd) {
  if (cmd.key.kind != kind::replication_controller)
    return answer(failure(code::invalid, fmt::format("{} cannot be scaled", actors::resource_name(cmd.key.kind))));
  auto existing = find_object(s, cmd.key.kind, state_key(cmd.key));
  if (!existing) return answer(failure(code::not_found, describe(cmd.key) + " not found"));
  if (cmd.replicas < 0)
    return answer(invalid(cmd.key, {{"spec.replicas", fmt::format("Invalid value: {}: must be greater than or "
                                                                  "equal to 0",
                                                                  cmd.replicas)}}));
  command_plan plan;
  plan.event = command_event(cmd.principal, cmd.key.kind, actors::meta_of(*existing), model::rc_scaled{cmd.replicas});
  plan.key = cmd.key;
  plan.action = "scaled";
  return plan;
}

outcome answer_after_fold(const model::cluster_state& s, const command_plan& plan, std::uint64_t seq) {
  auto now = find_object(s, plan.key.kind, state_key(plan.key));
  if (!plan.expect_uid.empty() && (!now || actors::meta_of(*now).uid != plan.expect_uid))
    return failure(code::already_exists, describe(plan.key) + " already exists");
  outcome o = with_object(now ? now : plan.fallback, plan.action);
  o.seq = seq;
  if (o.object) fill_for_api(s, *o.object);
  if (o.object)
    if (auto error = open_for_api(*o.object); !error.empty()) {
      outcome f = failure(code::unavailable, error);
      f.seq = seq;
      return f;
    }
  return o;
}

outcome get_object(const model::cluster_state& s, const actors::get_query& q) {
  auto o = find_object(s, q.key.kind, state_key(q.key));
  if (!o) return failure(code::not_found, describe(q.key) + " not found");
  if (auto error = open_for_api(*o); !error.empty()) return failure(code::unavailable, error);
  fill_for_api(s, *o);
  return with_object(std::move(o), "");
}

namespace {

template <class Map>
void collect(const Map& map, const std::string& ns, const reconcile::label_selector& labels,
             const std::optional<reconcile::field_selector>& fields, std::vector<any_object>& out) {
  for (const auto& [key, o] : map) {
    if (!ns.empty() && !o.metadata.namespace_.empty() && o.metadata.namespace_ != ns) continue;
    if (!reconcile::matches(labels, o.metadata.labels)) continue;
    if constexpr (std::is_same_v<std::decay_t<decltype(o)>, model::pod>) {
      if (fields && !reconcile::matches(*fields, o)) continue;
    } else {
      if (fields && !reconcile::matches(*fields, o.metadata)) continue;
    }
    out.emplace_back(o);
  }
}

}  // namespace

actors::list_result list_objects(const model::cluster_state& s, const actors::list_query& q) {
  actors::list_result r;
  r.resource_version = s.seq;
  auto labels = reconcile::parse_label_selector(q.label_selector);
  if (!labels.ok()) {
    r.error = "invalid label selector: " + labels.error();
    return r;
  }
  std::optional<reconcile::field_selector> fields;
  if (!q.field_selector.empty()) {
    auto f = reconcile::parse_field_selector(q.field_selector);
    if (!f.ok()) {
      r.error = "invalid field selector: " + f.error();
      return r;
    }
    if (q.k != kind::pod && !reconcile::metadata_only(f.value())) {
      r.error = fmt::format("invalid field selector: {} select pods only (for {}: metadata.name, metadata.namespace)",
                            "spec.nodeName and status.phase", actors::resource_name(q.k));
      return r;
    }
    fields = f.value();
  }
  switch (q.k) {
    case kind::pod: collect(s.pods, q.namespace_, labels.value(), fields, r.items); break;
    case kind::replication_controller: collect(s.rcs, q.namespace_, labels.value(), fields, r.items); break;
    case kind::service: collect(s.services, q.namespace_, labels.value(), fields, r.items); break;
    case kind::endpoints: collect(s.endpoints_, q.namespace_, labels.value(), fields, r.items); break;
    case kind::node: collect(s.nodes, "", labels.value(), fields, r.items); break;
    case kind::namespace_: {
      std::map<std::string, model::namespace_object> all;
      for (auto& n : model::all_namespaces(s)) all.emplace(n.metadata.name, std::move(n));
      collect(all, "", labels.value(), fields, r.items);
      break;
    }
    case kind::secret: {
      collect(s.secrets, q.namespace_, labels.value(), fields, r.items);
      for (auto& o : r.items)
        if (auto error = open_for_api(o); !error.empty()) {
          r.items.clear();
          r.error = error;
          break;
        }
      break;
    }
    case kind::limit_range: collect(s.limit_ranges, q.namespace_, labels.value(), fields, r.items); break;
    case kind::resource_quota: {
      collect(s.resource_quotas, q.namespace_, labels.value(), fields, r.items);
      for (auto& o : r.items) fill_for_api(s, o);
      break;
    }
    case kind::persistent_volume: collect(s.volumes, "", labels.value(), fields, r.items); break;
    case kind::persistent_volume_claim: collect(s.claims, q.namespace_, labels.value(), fields, r.items); break;
    case kind::pod_template: collect(s.pod_templates, q.namespace_, labels.value(), fields, r.items); break;
  }
  return r;
}

}  // namespace berth::store
