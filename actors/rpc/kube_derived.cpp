// Resources berth derives instead of storing:
//
// - events: the journal's events about objects (actors/kube/events_json.hpp);
//   `involvedObject.name/namespace/kind/uid` in the field selector pick one
//   object, as `kubectl describe` asks; without them, every pod's,
//   controller's, service's and node's recent events;
// - componentstatuses: the journal, and each node's agent by its Ready condition.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/events_json.hpp"
#include "actors/kube/objects_json.hpp"
#include "actors/kube/tables.hpp"
#include "actors/rpc/kube_internal.hpp"

namespace berth::rpc {
namespace {

kj::Promise<actors::list_result> ask_list(server_context& ctx, actors::kind k, std::string ns) {
  auto [promise, done] = reply_to<actors::list_result>();
  ctx.cp.ask(actors::list_query{k, std::move(ns), "", ""}, done);
  return kj::mv(promise);
}

kj::Promise<std::vector<actors::event_summary>> ask_events(server_context& ctx, actors::object_key key,
                                                           std::uint32_t limit) {
  auto [promise, done] = reply_to<std::vector<actors::event_summary>>();
  ctx.cp.ask(actors::events_query{std::move(key), limit}, done);
  return kj::mv(promise);
}

/// A list or Table of derived objects, as the client asked.
template <class T>
kube_answer derived_list(const kube_call& call, std::string_view list_kind, const std::vector<T>& objects) {
  const auto rv = call.ctx.cp.journal_seq();
  if (kube::wants_table(call.accept))
    return {200, kube::table_json(std::span<const T>(objects), {now_ns(), rv, true})};
  std::vector<std::string> items;
  for (const auto& o : objects) items.push_back(kube::object_json(o));
  return {200, kube::list_json(list_kind, rv, items)};
}

template <class T>
kube_answer derived_object(const kube_call& call, const T& object) {
  if (kube::wants_table(call.accept))
    return {200, kube::table_json(std::span<const T>(&object, 1), {now_ns(), call.ctx.cp.journal_seq(), true})};
  return {200, kube::object_json(object)};
}

// ---------------------------------------------------------------- events

}  // namespace

bool parse_event_filter(const std::string& selector, store::event_filter& f, std::string& error) {
  std::size_t start = 0;
  while (start <= selector.size() && !selector.empty()) {
    auto comma = selector.find(',', start);
    auto term = selector.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto eq = term.find('=');
    if (eq == std::string::npos) {
      error = fmt::format("invalid field selector term \"{}\": expected FIELD=VALUE", term);
      return false;
    }
    auto field = term.substr(0, eq);
    auto value = term.substr(eq + 1);
    if (!value.empty() && value[0] == '=') value.erase(0, 1);  // "=="
    if (field == "involvedObject.kind") f.kind = value;
    else if (field == "involvedObject.namespace" || field == "metadata.namespace") f.namespace_ = value;
    else if (field == "involvedObject.name") f.name = value;
    else if (field == "involvedObject.uid") f.uid = value;
    else {
      error = fmt::format("field label not supported for events: \"{}\" (supported: involvedObject.kind, "
                          "involvedObject.namespace, involvedObject.name, involvedObject.uid, metadata.namespace)",
                          field);
      return false;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

kube::journal_event_row event_row_of(const actors::event_summary& e, actors::kind k, const model::object_meta& meta) {
  return {e.seq, e.time_ns, e.type, e.message, e.principal, model::kind_name(k), meta.namespace_, meta.name,
          meta.uid};
}

namespace {

/// The events of every object of `kinds` in `ns` whose metadata `keep` accepts.
kj::Promise<kube_answer> events_of(const kube_call& call, std::vector<actors::kind> kinds, std::string ns,
                                   std::function<bool(const model::object_meta&)> keep, std::uint32_t per_object) {
  auto rows = kj::heap<std::vector<kube::journal_event_row>>();
  auto& out = *rows;
  kj::Promise<void> all = kj::READY_NOW;
  for (auto k : kinds) {
    all = all.then([&call, &out, k, ns, keep, per_object] {
      return ask_list(call.ctx, k, model::is_cluster_scoped(k) ? "" : ns)
          .then([&call, &out, k, keep, per_object](actors::list_result r) {
            kj::Promise<void> each = kj::READY_NOW;
            for (const auto& o : r.items) {
              const auto meta = actors::meta_of(o);
              if (!keep(meta)) continue;
              each = each.then([&call, &out, k, meta, per_object] {
                return ask_events(call.ctx, {k, meta.namespace_, meta.name}, per_object)
                    .then([&out, k, meta](std::vector<actors::event_summary> events) {
                      for (const auto& e : events)
                        if (e.type != "nodeHeartbeat") out.push_back(event_row_of(e, k, meta));
                    });
              });
            }
            return each;
          });
    });
  }
  return all.then([&call, rows = kj::mv(rows)]() mutable -> kube_answer {
    std::sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    std::vector<kube::event_object> events;
    for (const auto& row : *rows) events.push_back(kube::event_of(row));
    return derived_list(call, "EventList", events);
  });
}

kj::Promise<kube_answer> events(const kube_call& call) {
  if (call.method != kj::HttpMethod::GET)
    return answer_of(kube::method_not_allowed("events", "this method (berth's events are the journal's)"));
  store::event_filter f;
  std::string error;
  if (!parse_event_filter(call.param("fieldSelector"), f, error)) return answer_of(kube::bad_request(error));
  std::string ns = !f.namespace_.empty() ? f.namespace_ : call.target.namespace_;
  std::vector<actors::kind> kinds;
  if (!f.kind.empty()) {
    auto k = model::kind_from_name(f.kind);
    if (!k) return derived_list(call, "EventList", std::vector<kube::event_object>{});
    kinds.push_back(*k);
  } else {
    kinds = {actors::kind::pod, actors::kind::replication_controller, actors::kind::service, actors::kind::node,
             actors::kind::namespace_};
  }
  auto keep = [name = f.name, uid = f.uid](const model::object_meta& m) {
    return (name.empty() || m.name == name) && (uid.empty() || m.uid == uid);
  };
  return events_of(call, std::move(kinds), std::move(ns), keep, f.name.empty() ? 20 : 100);
}

// ---------------------------------------------------------------- componentstatuses

kj::Promise<kube_answer> component_statuses(const kube_call& call) {
  if (call.method != kj::HttpMethod::GET) return answer_of(kube::method_not_allowed("componentstatuses", "this method"));
  return ask_list(call.ctx, actors::kind::node, "").then([&call](actors::list_result r) -> kube_answer {
    std::vector<kube::component_status> items;
    items.push_back({"journal", true, fmt::format("ok: last seq {}", call.ctx.cp.journal_seq()), ""});
    items.push_back({"api", true, "ok", ""});
    for (const auto& o : r.items) {
      const auto& n = std::get<model::node>(o);
      bool ready = false;
      std::string message = "no Ready condition reported yet";
      for (const auto& c : n.status.conditions)
        if (c.type == "Ready") {
          ready = c.status == model::condition_status::is_true;
          message = c.message.empty() ? c.reason : c.message;
        }
      items.push_back({"node-agent/" + n.metadata.name, ready, ready ? message : "", ready ? "" : message});
    }
    if (call.target.name.empty()) return derived_list(call, "ComponentStatusList", items);
    for (const auto& c : items)
      if (c.name == call.target.name) return derived_object(call, c);
    return answer_of(kube::not_found("componentstatuses", call.target.name));
  });
}

}  // namespace

kj::Promise<kube_answer> serve_derived(const kube_call& call) {
  const auto& r = call.target.resource;
  if (r == "events") return events(call);
  if (r == "componentstatuses") return component_statuses(call);
  return answer_of(kube::path_not_found());
}

}  // namespace berth::rpc
