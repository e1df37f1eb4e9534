// The verbs on resource paths: list, get, create, update, patch, delete and
// deletecollection for the kinds the store holds, plus the rc/scale
// subresource. Each REST write becomes the same control_plane command an RPC
// write is (validate, journal, fold, answer): there is no second store.
//
// resourceVersion is the journal sequence number of an object's last change;
// a list's is the journal's last folded seq.
#include <algorithm>
#include <charconv>
#include <functional>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <kj/debug.h>
#include <yaml-cpp/yaml.h>

#include "actors/kube/continue_token.hpp"
#include "actors/kube/objects_json.hpp"
#include "actors/kube/patch.hpp"
#include "actors/kube/protobuf.hpp"
#include "actors/kube/protobuf_json.hpp"
#include "actors/kube/resources.hpp"
#include "actors/manifest/columns.hpp"
#include "actors/manifest/decode.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/rpc/kube_internal.hpp"

namespace berth::rpc {
namespace {

using actors::outcome;
using code = actors::outcome::code;

/// A whole number from text ("" or malformed: nullopt).
std::optional<std::int64_t> number_of(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

kj::Promise<outcome> ask_outcome(server_context& ctx, auto request) {
  auto [promise, done] = reply_to<outcome>();
  ctx.cp.ask(std::move(request), done);
  return kj::mv(promise);
}

kj::Promise<actors::list_result> ask_list(server_context& ctx, actors::list_query q) {
  auto [promise, done] = reply_to<actors::list_result>();
  ctx.cp.ask(std::move(q), done);
  return kj::mv(promise);
}

/// The object's JSON, or a Table of it when the client asked for one.
kube_answer object_answer(const kube_call& call, int code, const actors::any_object& o) {
  if (kube::wants_table(call.accept))
    return {code, render_table(actors::kind_of(o), {o}, {now_ns(), actors::meta_of(o).resource_version, true})};
  return {code, render_object(o)};
}

manifest::field_errors field_errors_of(const std::vector<actors::api_field_error>& errors) {
  manifest::field_errors out;
  for (const auto& e : errors) out.push_back({e.field, e.message});
  return out;
}

/// What the apiserver lists as acceptable bodies for writes.
constexpr const char* k_body_types = "application/json, application/yaml";

/// An outcome that is not `ok`, as the Status Kubernetes answers with.
kube_answer failure_answer(const kube_call& call, const outcome& o, const std::string& kind_name,
                           const std::string& name) {
  const auto& resource = call.target.resource;
  switch (o.result) {
    case code::not_found:
      if (o.missing)  // not the object asked for: the namespace it would live in
        return answer_of(kube::not_found(actors::resource_name(o.missing->kind), o.missing->name));
      return answer_of(kube::not_found(resource, name));
    case code::forbidden: return answer_of(kube::forbidden(resource, name, o.message));
    case code::already_exists: return answer_of(kube::already_exists(resource, name));
    case code::conflict: return answer_of(kube::conflict(resource, name, o.message));
    case code::invalid: {
      auto errors = field_errors_of(o.errors);
      if (errors.empty()) errors.push_back({"", o.message});
      return answer_of(kube::invalid(kind_name, name, errors));
    }
    case code::unavailable: return answer_of(kube::service_unavailable(o.message));
    case code::ok: break;
  }
  return answer_of(kube::internal_error("unexpected outcome"));
}

// ---------------------------------------------------------------- reads

/// berth keeps an RC's replica counts in its actor, not in the journal: the
/// API shows them in status (replicas, readyReplicas), counted from the
/// RC's pods as `berth get rc` counts them.
kj::Promise<std::vector<actors::any_object>> with_rc_status(server_context& ctx,
                                                            std::vector<actors::any_object> objects) {
  std::set<std::string> namespaces;
  for (const auto& o : objects)
    if (const auto* rc = std::get_if<model::replication_controller>(&o);
        rc && !manifest::rc_counts_from_status(*rc))
      namespaces.insert(rc->metadata.namespace_);
  if (namespaces.empty()) return kj::mv(objects);
  auto pods = kj::heap<std::vector<model::pod>>();
  auto& all = *pods;
  kj::Promise<void> listed = kj::READY_NOW;
  for (const auto& ns : namespaces)
    listed = listed.then([&ctx, &all, ns] {
      return ask_list(ctx, actors::list_query{actors::kind::pod, ns, "", ""}).then([&all](actors::list_result r) {
        for (auto& o : r.items) all.push_back(std::get<model::pod>(std::move(o)));
      });
    });
  return listed.then([objects = std::move(objects), pods = kj::mv(pods)]() mutable {
    for (auto& o : objects) {
      auto* rc = std::get_if<model::replication_controller>(&o);
      if (!rc || manifest::rc_counts_from_status(*rc)) continue;
      std::vector<model::pod> selected;
      for (const auto& p : *pods) {
        if (p.metadata.namespace_ != rc->metadata.namespace_ || rc->spec.selector.empty()) continue;
        if (reconcile::matches(reconcile::from_map(rc->spec.selector), p.metadata.labels)) selected.push_back(p);
      }
      auto counts = manifest::rc_counts_from_pods(*rc, selected);
      rc->status.replicas = counts.current;
      rc->status.ready_replicas = counts.ready;
      rc->status.observed_generation = rc->metadata.generation;
    }
    return std::move(objects);
  });
}

kj::Promise<kube_answer> list(const kube_call& call, actors::kind k) {
  actors::list_query q{k, call.target.namespace_, call.param("labelSelector"), call.param("fieldSelector")};
  return ask_list(call.ctx, std::move(q))
      .then([&call = call](actors::list_result r) {
        auto items = std::move(r.items);
        return with_rc_status(call.ctx, std::move(items)).then([r = std::move(r)](auto items) mutable {
          r.items = std::move(items);
          return std::move(r);
        });
      })
      .then([&call = call, k](actors::list_result r) -> kube_answer {
    if (!r.error.empty()) return answer_of(kube::bad_request(r.error));
    // limit/continue: the token names the last item of the page (lists are
    // ordered by namespace and name) and the first page's resourceVersion,
    // which every page reports (see actors/kube/continue_token.hpp).
    auto key_of = [](const actors::any_object& o) {
      const auto& meta = actors::meta_of(o);
      return std::pair{meta.namespace_, meta.name};
    };
    if (const auto& token = call.param("continue"); !token.empty()) {
      auto point = kube::decode_continue(token);
      if (!point)
        return answer_of(kube::bad_request(fmt::format(
            "continue: invalid token \"{}\": send back the metadata.continue of the previous page", token)));
      const std::pair after{point->after_namespace, point->after_name};
      auto first = std::find_if(r.items.begin(), r.items.end(), [&](const auto& o) { return key_of(o) > after; });
      r.items.erase(r.items.begin(), first);
      r.resource_version = point->resource_version;
    }
    std::string next;
    if (const auto& limit = call.param("limit"); !limit.empty()) {
      auto n = number_of(limit);
      if (!n || *n < 0) return answer_of(kube::bad_request(fmt::format("limit: not a whole number: \"{}\"", limit)));
      if (*n > 0 && static_cast<std::size_t>(*n) < r.items.size()) {
        r.items.erase(r.items.begin() + static_cast<std::ptrdiff_t>(*n), r.items.end());
        auto [ns, name] = key_of(r.items.back());
        next = kube::encode_continue({r.resource_version, ns, name});
      }
    }
    if (kube::wants_table(call.accept))
      return {200, render_table(k, r.items, {now_ns(), r.resource_version, true})};
    return {200, render_list(k, r.resource_version, r.items, next)};
  });
}

kj::Promise<kube_answer> get(const kube_call& call, actors::kind k) {
  actors::get_query q{{k, call.target.namespace_, call.target.name}};
  return ask_outcome(call.ctx, std::move(q))
      .then([&call = call](outcome o) -> kj::Promise<outcome> {
        if (o.result != code::ok || !o.object) return kj::mv(o);
        auto object = std::move(*o.object);
        return with_rc_status(call.ctx, {std::move(object)}).then([o = std::move(o)](auto objects) mutable {
          o.object = std::move(objects[0]);
          return std::move(o);
        });
      })
      .then([&call = call](outcome o) -> kube_answer {
    if (o.result != code::ok || !o.object) return failure_answer(call, o, "", call.target.name);
    if (call.target.subresource == "scale") {
      const auto* rc = std::get_if<model::replication_controller>(&*o.object);
      if (!rc) return answer_of(kube::not_found(call.target.resource + "/scale", call.target.name));
      return {200, kube::scale_json(*rc)};
    }
    return object_answer(call, 200, *o.object);
  });
}

// ---------------------------------------------------------------- writes

/// The one object a create/update body holds, decoded, defaulted and
/// validated by the manifest pipeline; or the answer refusing it.
struct decoded_body {
  std::optional<actors::any_object> object;
  std::optional<kube_answer> refusal;
};

/// metadata.name of a body that did not decode (for the Invalid message), or "".
std::string name_in(std::string_view body) {
  try {
    auto doc = YAML::Load(std::string(body));
    if (doc.IsMap() && doc["metadata"] && doc["metadata"]["name"] && doc["metadata"]["name"].IsScalar())
      return doc["metadata"]["name"].as<std::string>();
  } catch (const YAML::Exception&) {
  }
  return "";
}

decoded_body decode_text_body(const kube_call& call, actors::kind k, std::string_view body);

/// A protobuf body (kubectl 1.32's typed `create` subcommands): namespaces
/// and secrets read directly, services, quotas, limit ranges and endpoints
/// as the JSON they stand for (protobuf_json.hpp); any other kind is a 415.
decoded_body decode_protobuf_body(const kube_call& call, actors::kind k) {
  decoded_body out;
  std::string error;
  auto unknown = kube::decode_protobuf_envelope(call.body, error);
  if (!unknown) {
    out.refusal = answer_of(kube::bad_request(error));
    return out;
  }
  const bool is_namespace = k == actors::kind::namespace_ && unknown->kind == model::k_kind_namespace;
  const bool is_secret = k == actors::kind::secret && unknown->kind == model::k_kind_secret;
  const bool as_json = kube::protobuf_json_kind(unknown->kind) && unknown->kind == model::kind_name(k);
  if (!is_namespace && !is_secret && !as_json) {
    out.refusal = answer_of(kube::unsupported_media_type(k_body_types));
    return out;
  }
  if (unknown->api_version != "v1") {
    out.refusal = answer_of(kube::bad_request(
        fmt::format("protobuf body: apiVersion \"{}\" is not served (v1 is)", unknown->api_version)));
    return out;
  }
  if (as_json) {
    auto json = kube::protobuf_object_json(*unknown, error);
    if (!json) {
      out.refusal = answer_of(kube::bad_request(error));
      return out;
    }
    return decode_text_body(call, k, *json);
  }
  if (is_secret) {
    auto x = kube::decode_protobuf_secret(unknown->raw, error);
    if (!x) {
      out.refusal = answer_of(kube::bad_request(error));
      return out;
    }
    if (x->metadata.namespace_.empty())
      x->metadata.namespace_ = call.target.namespace_.empty() ? "default" : call.target.namespace_;
    out.object = actors::any_object(std::move(*x));
    return out;
  }
  auto ns = kube::decode_protobuf_namespace(unknown->raw, error);
  if (!ns) {
    out.refusal = answer_of(kube::bad_request(error));
    return out;
  }
  ns->metadata.namespace_.clear();  // cluster-scoped
  out.object = actors::any_object(std::move(*ns));
  return out;
}

decoded_body decode_body(const kube_call& call, actors::kind k) {
  const auto& type = call.content_type;
  if (type.rfind(kube::k_protobuf_type, 0) == 0) return decode_protobuf_body(call, k);
  if (!type.empty() && type.rfind("application/json", 0) != 0 && type.rfind("application/yaml", 0) != 0 &&
      type.rfind("*/*", 0) != 0) {
    decoded_body out;
    out.refusal = answer_of(kube::unsupported_media_type(k_body_types));
    return out;
  }
  return decode_text_body(call, k, call.body);
}

/// A JSON or YAML body (or the JSON a protobuf one stands for) as the object
/// of resource `k`, or the Status that refuses it.
decoded_body decode_text_body(const kube_call& call, actors::kind k, std::string_view body) {
  decoded_body out;
  auto decoded = manifest::decode_manifests(body, "request body");
  const char* kind_name = model::kind_name(k);
  if (!decoded.ok()) {
    manifest::field_errors causes;
    for (const auto& e : decoded.errors) causes.push_back(e.error);
    // A body that is not an object at all is a 400, as the apiserver's decoder gives.
    if (causes.size() == 1 && causes[0].field.empty()) {
      out.refusal = answer_of(kube::bad_request(decoded.errors[0].to_string()));
      return out;
    }
    out.refusal = answer_of(kube::invalid(kind_name, name_in(body), causes));
    return out;
  }
  if (decoded.objects.size() != 1) {
    out.refusal = answer_of(kube::bad_request(fmt::format("request body: expected one object, found {}",
                                                          decoded.objects.size())));
    return out;
  }
  auto object = std::visit([](auto&& o) { return actors::any_object(std::move(o)); },
                           std::move(decoded.objects[0].object));
  if (actors::kind_of(object) != k) {
    out.refusal = answer_of(kube::bad_request(
        fmt::format("the object's kind {} does not match the resource {} of the request path",
                    model::kind_name(actors::kind_of(object)), call.target.resource)));
    return out;
  }
  auto& meta = std::visit([](auto& o) -> model::object_meta& { return o.metadata; }, object);
  if (k == actors::kind::namespace_ || k == actors::kind::persistent_volume) {
    meta.namespace_.clear();  // cluster-scoped: the apiserver clears it too
    out.object = std::move(object);
    return out;
  }
  if (meta.namespace_.empty()) meta.namespace_ = call.target.namespace_.empty() ? "default" : call.target.namespace_;
  if (!call.target.namespace_.empty() && meta.namespace_ != call.target.namespace_) {
    out.refusal = answer_of(kube::bad_request(
        "the namespace of the provided object does not match the namespace sent on the request"));
    return out;
  }
  out.object = std::move(object);
  return out;
}

bool dry_run(const kube_call& call) { return call.param("dryRun") == "All"; }

kj::Promise<kube_answer> create(const kube_call& call, actors::kind k) {
  auto body = decode_body(call, k);
  if (body.refusal) return kj::mv(*body.refusal);
  const auto name = actors::meta_of(*body.object).name;
  actors::create_cmd cmd{call.principal, std::move(*body.object), dry_run(call), false};
  return ask_outcome(call.ctx, std::move(cmd)).then([&call = call, k, name](outcome o) -> kube_answer {
    if (o.result != code::ok || !o.object) return failure_answer(call, o, model::kind_name(k), name);
    return object_answer(call, 201, *o.object);
  });
}

/// What a write that lost a resourceVersion race does instead of answering
/// 409: a patch the client did not pin to a version is read and applied
/// again, as Kubernetes' GuaranteedUpdate does. Empty: answer the Conflict.
using on_conflict_fn = std::function<kj::Promise<kube_answer>()>;

/// Stores `object` in place of the stored one. The resourceVersion it carries
/// (the one the client read) is the precondition, checked by the store in
/// the same step as the write, so two writers of one version cannot both win.
kj::Promise<kube_answer> replace(const kube_call& call, actors::kind k, actors::any_object object,
                                 on_conflict_fn on_conflict = {}) {
  const auto name = actors::meta_of(object).name;
  actors::create_cmd cmd{call.principal, std::move(object), dry_run(call), true};
  cmd.expect_resource_version = actors::meta_of(cmd.object).resource_version;
  return ask_outcome(call.ctx, std::move(cmd))
      .then([&call = call, k, name, on_conflict = std::move(on_conflict)](outcome o) -> kj::Promise<kube_answer> {
        if (o.result == code::conflict && on_conflict) return on_conflict();
        if (o.result != code::ok || !o.object) return failure_answer(call, o, model::kind_name(k), name);
        return object_answer(call, 200, *o.object);
      });
}

kj::Promise<kube_answer> write_node(const kube_call& call, const model::node& stored, const std::string& written,
                                    on_conflict_fn on_conflict = {});

kj::Promise<kube_answer> update(const kube_call& call, actors::kind k) {
  if (k == actors::kind::node) {
    actors::get_query q{{k, "", call.target.name}};
    return ask_outcome(call.ctx, std::move(q)).then([&call = call](outcome o) -> kj::Promise<kube_answer> {
      if (o.result != code::ok || !o.object) return failure_answer(call, o, "Node", call.target.name);
      return write_node(call, std::get<model::node>(*o.object), call.body);
    });
  }
  auto body = decode_body(call, k);
  if (body.refusal) return kj::mv(*body.refusal);
  if (actors::meta_of(*body.object).name != call.target.name)
    return answer_of(kube::bad_request(fmt::format("the name of the object ({}) does not match the name on the URL ({})",
                                                   actors::meta_of(*body.object).name, call.target.name)));
  actors::get_query q{{k, call.target.namespace_, call.target.name}};
  return ask_outcome(call.ctx, std::move(q))
      .then([&call = call, k, object = std::move(*body.object)](outcome o) mutable -> kj::Promise<kube_answer> {
        if (o.result != code::ok || !o.object) return failure_answer(call, o, model::kind_name(k), call.target.name);
        return replace(call, k, std::move(object));
      });
}

/// replicas from an autoscaling/v1 Scale (PUT body, or a patched one).
std::optional<std::int32_t> replicas_of_scale(const std::string& json, std::string& error) {
  try {
    auto doc = YAML::Load(json);
    auto r = doc["spec"]["replicas"];
    if (!r) {
      error = "spec.replicas: Required value";
      return std::nullopt;
    }
    return r.as<std::int32_t>();
  } catch (const YAML::Exception& e) {
    error = fmt::format("spec.replicas: Invalid value: {}", e.what());
    return std::nullopt;
  }
}

kj::Promise<kube_answer> scale_to(const kube_call& call, std::int32_t replicas) {
  actors::scale_cmd cmd{call.principal, {actors::kind::replication_controller, call.target.namespace_, call.target.name},
                        replicas};
  return ask_outcome(call.ctx, std::move(cmd)).then([&call = call](outcome o) -> kube_answer {
    if (o.result != code::ok || !o.object) return failure_answer(call, o, "Scale", call.target.name);
    return {200, kube::scale_json(std::get<model::replication_controller>(*o.object))};
  });
}

/// string -> string map of a YAML node ("" / absent: empty); false when it is not one.
bool string_map_of(const YAML::Node& n, model::string_map& out) {
  if (!n || n.IsNull()) return true;
  if (!n.IsMap()) return false;
  for (const auto& kv : n) {
    if (!kv.second.IsScalar()) return false;
    out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return true;
}

/// A node as a client wrote it (PUT body, or the stored node patched): the
/// store takes spec.unschedulable (kubectl cordon/uncordon) and refuses
/// changes to what the node's agent owns.
/// A node written by a client: only spec.unschedulable, labels and
/// annotations are taken from `written`. `on_conflict` (a patch's retry) is
/// used only when the version checked is the one berthd read, not the client's.
kj::Promise<kube_answer> write_node(const kube_call& call, const model::node& stored, const std::string& written,
                                    on_conflict_fn on_conflict) {
  model::node node = stored;
  std::uint64_t expected = 0;  // the resourceVersion the client read, if it sent one
  try {
    auto doc = YAML::Load(written);
    auto unschedulable = doc["spec"] ? doc["spec"]["unschedulable"] : YAML::Node();
    node.spec.unschedulable = unschedulable && !unschedulable.IsNull() && unschedulable.as<bool>();
    node.metadata.labels.clear();
    node.metadata.annotations.clear();
    const auto meta = doc["metadata"];
    if (meta && !string_map_of(meta["labels"], node.metadata.labels))
      return answer_of(kube::invalid("Node", stored.metadata.name, {{"metadata.labels", "Invalid value: not a map of strings"}}));
    if (meta && !string_map_of(meta["annotations"], node.metadata.annotations))
      return answer_of(
          kube::invalid("Node", stored.metadata.name, {{"metadata.annotations", "Invalid value: not a map of strings"}}));
    if (meta && meta["resourceVersion"] && meta["resourceVersion"].IsScalar()) {
      auto rv = number_of(meta["resourceVersion"].as<std::string>());
      if (rv && *rv > 0) expected = static_cast<std::uint64_t>(*rv);  // checked by the store, with the write
    }
  } catch (const YAML::Exception& e) {
    return answer_of(kube::bad_request(fmt::format("request body: not a Node: {}", e.what())));
  }
  actors::create_cmd cmd{call.principal, std::move(node), dry_run(call), true};
  cmd.expect_resource_version = expected;
  if (expected != stored.metadata.resource_version) on_conflict = {};
  return ask_outcome(call.ctx, std::move(cmd))
      .then([&call = call, on_conflict = std::move(on_conflict)](outcome o) -> kj::Promise<kube_answer> {
    if (o.result == code::conflict && on_conflict) return on_conflict();
    if (o.result != code::ok || !o.object) return failure_answer(call, o, "Node", call.target.name);
    return object_answer(call, 200, *o.object);
  });
}

kj::Promise<kube_answer> patch(const kube_call& call, actors::kind k, int attempts = 5) {
  kube::patch_type type;
  if (!kube::patch_type_of(call.content_type, type))
    return answer_of(kube::unsupported_media_type(
        "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"));
  actors::get_query q{{k, call.target.namespace_, call.target.name}};
  return ask_outcome(call.ctx, std::move(q)).then([&call = call, k, type, attempts](outcome o) -> kj::Promise<kube_answer> {
    if (o.result != code::ok || !o.object) return failure_answer(call, o, model::kind_name(k), call.target.name);
    const bool scale = call.target.subresource == "scale";
    if (scale && k != actors::kind::replication_controller)
      return answer_of(kube::not_found(call.target.resource + "/scale", call.target.name));
    const auto before =
        scale ? kube::scale_json(std::get<model::replication_controller>(*o.object)) : render_object(*o.object);
    std::string error;
    auto patched = kube::apply_patch(before, call.body, type, error);
    if (!error.empty()) return answer_of(kube::bad_request(error));
    if (scale) {
      auto replicas = replicas_of_scale(patched, error);
      if (!replicas) return answer_of(kube::invalid("Scale", call.target.name, {{"spec.replicas", error}}));
      return scale_to(call, *replicas);
    }
    if (k == actors::kind::node) {
      on_conflict_fn again;
      if (attempts > 1) again = [&call, k, attempts] { return patch(call, k, attempts - 1); };
      return write_node(call, std::get<model::node>(*o.object), patched, std::move(again));
    }
    kube_call decoded_call{call.ctx, call.method, call.target, call.query, call.accept, "application/yaml", patched,
                           call.principal, call.query_text};
    auto body = decode_body(decoded_call, k);
    if (body.refusal) return kj::mv(*body.refusal);
    // A patch is applied to what was just read, so it carries that version.
    // If another write lands first, read and patch again — unless the patch
    // itself set a resourceVersion: then that is the client's precondition.
    const bool pinned = actors::meta_of(*body.object).resource_version != actors::meta_of(*o.object).resource_version;
    on_conflict_fn again;
    if (!pinned && attempts > 1) again = [&call, k, attempts] { return patch(call, k, attempts - 1); };
    return replace(call, k, std::move(*body.object), std::move(again));
  });
}

/// DeleteOptions from the body (kubectl sends them) or the query.
struct delete_options {
  std::int64_t grace_period_seconds = -1;
  std::string propagation_policy;
  /// Orphan: an RC's pods stay, with its owner reference removed (the fold
  /// does that with the delete). Background and Foreground both let the
  /// garbage collector delete them.
  bool orphan() const { return propagation_policy == "Orphan"; }
};

std::optional<delete_options> delete_options_of(const kube_call& call, std::string& error) {
  delete_options d;
  if (!call.body.empty()) {
    try {
      auto doc = YAML::Load(call.body);
      if (doc["gracePeriodSeconds"]) d.grace_period_seconds = doc["gracePeriodSeconds"].as<std::int64_t>();
      if (doc["propagationPolicy"]) d.propagation_policy = doc["propagationPolicy"].as<std::string>();
      if (doc["orphanDependents"] && doc["orphanDependents"].as<bool>()) d.propagation_policy = "Orphan";
    } catch (const YAML::Exception& e) {
      error = fmt::format("request body: not DeleteOptions: {}", e.what());
      return std::nullopt;
    }
  }
  if (const auto& g = call.param("gracePeriodSeconds"); !g.empty()) {
    auto n = number_of(g);
    if (!n) {
      error = fmt::format("gracePeriodSeconds: not a whole number: \"{}\"", g);
      return std::nullopt;
    }
    d.grace_period_seconds = *n;
  }
  if (const auto& p = call.param("propagationPolicy"); !p.empty()) d.propagation_policy = p;
  if (call.param("orphanDependents") == "true") d.propagation_policy = "Orphan";
  if (!d.propagation_policy.empty() && d.propagation_policy != "Orphan" && d.propagation_policy != "Background" &&
      d.propagation_policy != "Foreground") {
    error = fmt::format("propagationPolicy: Unsupported value: \"{}\": supported values: \"Orphan\", "
                        "\"Background\", \"Foreground\"",
                        d.propagation_policy);
    return std::nullopt;
  }
  return d;
}

kj::Promise<kube_answer> remove(const kube_call& call, actors::kind k) {
  std::string error;
  auto options = delete_options_of(call, error);
  if (!options) return answer_of(kube::bad_request(error));
  actors::delete_cmd cmd{call.principal, {k, call.target.namespace_, call.target.name}, options->grace_period_seconds,
                         options->orphan()};
  return ask_outcome(call.ctx, std::move(cmd)).then([&call = call, k](outcome o) -> kube_answer {
    if (o.result != code::ok) return failure_answer(call, o, model::kind_name(k), call.target.name);
    const auto* r = kube::find_resource(call.target.resource);
    if (o.object && r && r->delete_returns_object) return {200, render_object(*o.object)};
    return answer_of(kube::success_status(call.target.resource, call.target.name,
                                          o.object ? actors::meta_of(*o.object).uid : ""));
  });
}

/// DELETE on a collection: every object the selectors pick, one by one.
kj::Promise<kube_answer> remove_collection(const kube_call& call, actors::kind k) {
  std::string error;
  auto options = delete_options_of(call, error);
  if (!options) return answer_of(kube::bad_request(error));
  actors::list_query q{k, call.target.namespace_, call.param("labelSelector"), call.param("fieldSelector")};
  return ask_list(call.ctx, std::move(q))
      .then([&call = call, k, grace = options->grace_period_seconds, orphan = options->orphan()](actors::list_result r) -> kj::Promise<kube_answer> {
        if (!r.error.empty()) return answer_of(kube::bad_request(r.error));
        kj::Promise<void> chain = kj::READY_NOW;
        auto deleted = kj::heap<std::vector<actors::any_object>>();
        auto& out = *deleted;
        for (const auto& item : r.items) {
          const auto& meta = actors::meta_of(item);
          chain = chain.then([&call, k, grace, orphan, &out, ns = meta.namespace_, name = meta.name] {
            return ask_outcome(call.ctx, actors::delete_cmd{call.principal, {k, ns, name}, grace, orphan})
                .then([&out](outcome o) {
                  if (o.result == code::ok && o.object) out.push_back(*o.object);
                });
          });
        }
        return chain.then([&call, k, deleted = kj::mv(deleted)]() -> kube_answer {
          return {200, render_list(k, call.ctx.cp.journal_seq(), *deleted, "")};
        });
      });
}

}  // namespace

bool is_watch(const kube_call& call) {
  if (call.method != kj::HttpMethod::GET || !call.target.name.empty()) return false;
  const auto& w = call.param("watch");
  return w == "true" || w == "1";
}

kj::Promise<kube_answer> serve_resource(kube_call call_value) {
  // The call lives until the answer is sent: the verbs keep references to it.
  auto owned = kj::heap<kube_call>(kj::mv(call_value));
  const auto& call = *owned;
  const auto* resource = kube::find_resource(call.target.resource);
  if (!resource) return answer_of(kube::path_not_found());
  auto k = model::parse_resource(std::string(resource->plural));
  if (!k) return serve_derived(call).attach(kj::mv(owned));
  const auto& sub = call.target.subresource;
  const bool collection = call.target.name.empty();
  if (!sub.empty() && sub != "scale" && sub != "status")
    return serve_subresource(call, *k).attach(kj::mv(owned));
  kj::Promise<kube_answer> answer = nullptr;
  switch (call.method) {
    case kj::HttpMethod::GET: answer = collection ? list(call, *k) : get(call, *k); break;
    case kj::HttpMethod::POST:
      answer = collection && sub.empty() ? create(call, *k)
                                         : kj::Promise<kube_answer>(answer_of(kube::method_not_allowed(call.target.resource, "create")));
      break;
    case kj::HttpMethod::PUT:
      if (collection) {
        answer = answer_of(kube::method_not_allowed(call.target.resource, "update"));
      } else if (sub == "scale") {
        std::string error;
        auto replicas = replicas_of_scale(call.body, error);
        answer = replicas ? scale_to(call, *replicas)
                          : kj::Promise<kube_answer>(
                                answer_of(kube::invalid("Scale", call.target.name, {{"spec.replicas", error}})));
      } else {
        answer = update(call, *k);
      }
      break;
    case kj::HttpMethod::PATCH:
      answer = collection ? kj::Promise<kube_answer>(answer_of(kube::method_not_allowed(call.target.resource, "patch")))
                          : patch(call, *k);
      break;
    case kj::HttpMethod::DELETE: answer = collection ? remove_collection(call, *k) : remove(call, *k); break;
    default: answer = answer_of(kube::method_not_allowed(call.target.resource, "this method")); break;
  }
  return answer.attach(kj::mv(owned));
}

}  // namespace berth::rpc
