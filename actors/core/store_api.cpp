// The store's side of the control_plane facade: commands are validated against
// the folded state, appended as command events, and answered once folded (so a
// client that reads after a reply sees its own write); reads come straight
// from the state.
#include <random>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/event_text.hpp"
#include "actors/core/store_state.hpp"
#include "actors/manifest/validate.hpp"
#include "actors/model/codec.hpp"
#include "actors/reconcile/name_generator.hpp"

namespace berth::actors {
namespace {

using code = outcome::code;

outcome failure(code c, std::string message) {
  outcome o;
  o.result = c;
  o.message = std::move(message);
  return o;
}

std::string describe(const object_key& k) { return fmt::format("{} \"{}\"", resource_name(k.kind), k.name); }

model::object_key state_key(const object_key& k) {
  return {k.kind == kind::node ? "" : k.namespace_, k.name};
}

std::string random_uid() {
  static thread_local reconcile::name_generator gen{std::random_device{}() ^
                                                    (std::uint64_t(std::random_device{}()) << 32)};
  return gen.next_uid();
}

/// The api_object (command payload) form of an object the client sent; nullopt for kinds
/// that clients cannot create (endpoints, nodes).
std::optional<model::api_object> as_command_object(const any_object& o) {
  if (const auto* p = std::get_if<model::pod>(&o)) return model::api_object{*p};
  if (const auto* rc = std::get_if<model::replication_controller>(&o)) return model::api_object{*rc};
  if (const auto* s = std::get_if<model::service>(&o)) return model::api_object{*s};
  return std::nullopt;
}

model::object_meta& meta_ref(model::api_object& o) {
  return std::visit([](auto& x) -> model::object_meta& { return x.metadata; }, o);
}

model::event command_event(const std::string& principal, kind k, const model::object_meta& m,
                           model::event_payload payload) {
  model::event e;
  e.header.object = {k == kind::pod                      ? model::k_kind_pod
                     : k == kind::replication_controller ? model::k_kind_rc
                     : k == kind::service                ? model::k_kind_service
                     : k == kind::node                   ? model::k_kind_node
                                                         : model::k_kind_endpoints,
                     m.namespace_, m.name, m.uid};
  e.header.principal = principal;
  e.payload = std::move(payload);
  return e;
}

/// Spec and metadata the client controls are equal (apply's "unchanged").
bool same_user_fields(const model::api_object& want, const any_object& have) {
  return std::visit(
      [&](const auto& w) {
        using T = std::decay_t<decltype(w)>;
        const auto* h = std::get_if<T>(&have);
        if (!h) return false;
        auto spec = w.spec;
        if constexpr (std::is_same_v<T, model::pod>) spec.node_name = h->spec.node_name;
        if constexpr (std::is_same_v<T, model::service>)
          if (spec.cluster_ip.empty()) spec.cluster_ip = h->spec.cluster_ip;
        return spec == h->spec && w.metadata.labels == h->metadata.labels &&
               w.metadata.annotations == h->metadata.annotations;
      },
      want);
}

/// Appends `e` and answers `done` once folded, with the object as stored.
void commit(store_actor self, model::event e, object_key key, std::string action, std::string expect_uid,
            control_plane::callback<outcome> done, std::optional<any_object> fallback = std::nullopt) {
  self->state.em->emit(self, {std::move(e)}, [self, key, action, expect_uid, done, fallback](bool ok, std::uint64_t seq) {
    if (!ok) return done(failure(code::unavailable, "the journal did not accept the write (see berthd's log)"));
    auto now = find_object(self->state.state, key.kind, state_key(key));
    if (!expect_uid.empty() && (!now || meta_of(*now).uid != expect_uid))
      return done(failure(code::already_exists, describe(key) + " already exists"));
    outcome o;
    o.object = now ? now : fallback;
    o.action = action;
    o.seq = seq;
    done(std::move(o));
  });
}

/// Cluster IP and node ports for a service being created or replaced; an
/// outcome when they are refused.
std::optional<outcome> assign_addresses(store_actor self, model::service& s, const std::optional<any_object>& existing,
                                        const object_key& key) {
  auto& st = self->state;
  std::vector<const model::service*> all;
  for (const auto& [_, other] : st.state.services) all.push_back(&other);
  auto in_use = reconcile::collect_in_use(all, key.namespace_, key.name);
  in_use.cluster_ips.insert(st.pending_addresses.cluster_ips.begin(), st.pending_addresses.cluster_ips.end());
  in_use.node_ports.insert(st.pending_addresses.node_ports.begin(), st.pending_addresses.node_ports.end());
  const auto* stored = existing ? std::get_if<model::service>(&*existing) : nullptr;
  auto errors = reconcile::assign_service_addresses(s, stored, in_use, st.config.addresses);
  if (errors.empty()) return std::nullopt;
  outcome o = failure(code::invalid, fmt::format("{} is invalid", describe(key)));
  for (auto& e : errors) o.errors.push_back({e.field, e.message});
  return o;
}

/// Keeps a service's new addresses reserved until its command is folded (or
/// refused), so that concurrent creates never get the same one.
control_plane::callback<outcome> hold_addresses(store_actor self, const model::service& s,
                                                control_plane::callback<outcome> done) {
  auto ip = reconcile::parse_ipv4(s.spec.cluster_ip);
  std::vector<std::int32_t> ports;
  for (const auto& p : s.spec.ports)
    if (p.node_port) ports.push_back(p.node_port);
  auto& pending = self->state.pending_addresses;
  if (ip) pending.cluster_ips.insert(*ip);
  pending.node_ports.insert(ports.begin(), ports.end());
  return [self, ip, ports, done = std::move(done)](outcome o) {
    auto& pending = self->state.pending_addresses;
    if (ip) pending.cluster_ips.erase(*ip);
    for (auto p : ports) pending.node_ports.erase(p);
    done(std::move(o));
  };
}

void handle_create(store_actor self, create_request& req) {
  auto& st = self->state;
  auto obj = as_command_object(req.object);
  auto k = kind_of(req.object);
  if (!obj) return req.done(failure(code::invalid, fmt::format("{} cannot be created by clients", resource_name(k))));
  auto& m = meta_ref(*obj);
  if (m.namespace_.empty()) m.namespace_ = "default";
  object_key key{k, m.namespace_, m.name};
  manifest::node_port_range ports{st.config.addresses.node_port_min, st.config.addresses.node_port_max};
  if (auto errors = manifest::validate(*obj, ports); !errors.empty()) {
    outcome o = failure(code::invalid, fmt::format("{} is invalid", describe(key)));
    for (auto& fe : errors) o.errors.push_back({fe.field, fe.message});
    return req.done(std::move(o));
  }
  auto existing = find_object(st.state, k, state_key(key));
  if (existing && !req.is_apply) return req.done(failure(code::already_exists, describe(key) + " already exists"));
  if (auto* s = std::get_if<model::service>(&*obj)) {
    if (auto refused = assign_addresses(self, *s, existing, key)) return req.done(std::move(*refused));
    req.done = hold_addresses(self, *s, std::move(req.done));
  }
  if (existing) {
    if (meta_of(*existing).deletion_timestamp != 0)
      return req.done(failure(code::conflict, describe(key) + " is being deleted"));
    if (same_user_fields(*obj, *existing)) {
      outcome o;
      o.object = existing;
      o.action = "unchanged";
      return req.done(std::move(o));
    }
    if (k == kind::pod)
      return req.done(failure(code::invalid, describe(key) + " is invalid: spec: Forbidden: pod updates may not "
                                                             "change fields other than labels and annotations"));
    m.uid = meta_of(*existing).uid;
    if (req.dry_run) {
      outcome o;
      o.object = req.object;
      o.action = "configured (dry run)";
      return req.done(std::move(o));
    }
    auto e = command_event(req.principal, k, m, model::object_replaced{*obj});
    return commit(self, std::move(e), key, "configured", "", std::move(req.done));
  }
  m.uid = random_uid();
  m.resource_version = 0;
  m.generation = 0;
  m.creation_timestamp = 0;
  m.deletion_timestamp = 0;
  if (auto* p = std::get_if<model::pod>(&*obj)) p->status = {};
  if (req.dry_run) {
    outcome o;
    o.object = std::visit([](auto& x) { return any_object(x); }, *obj);
    o.action = "created (dry run)";
    return req.done(std::move(o));
  }
  auto uid = m.uid;
  auto e = command_event(req.principal, k, m, model::object_created{*obj});
  commit(self, std::move(e), key, "created", uid, std::move(req.done));
}

void handle_delete(store_actor self, delete_request& req) {
  auto existing = find_object(self->state.state, req.key.kind, state_key(req.key));
  if (!existing) return req.done(failure(code::not_found, describe(req.key) + " not found"));
  if (req.key.kind == kind::endpoints)
    return req.done(failure(code::invalid, "endpoints are managed by their service: delete the service"));
  auto e = command_event(req.principal, req.key.kind, meta_of(*existing), model::object_deleted{req.grace_period_seconds});
  commit(self, std::move(e), req.key, "deleted", "", std::move(req.done), existing);
}

void handle_scale(store_actor self, scale_request& req) {
  if (req.key.kind != kind::replication_controller)
    return req.done(failure(code::invalid, fmt::format("{} cannot be scaled", resource_name(req.key.kind))));
  auto existing = find_object(self->state.state, req.key.kind, state_key(req.key));
  if (!existing) return req.done(failure(code::not_found, describe(req.key) + " not found"));
  if (req.replicas < 0) {
    outcome o = failure(code::invalid, describe(req.key) + " is invalid");
    o.errors.push_back({"spec.replicas", fmt::format("Invalid value: {}: must be greater than or equal to 0", req.replicas)});
    return req.done(std::move(o));
  }
  auto e = command_event(req.principal, req.key.kind, meta_of(*existing), model::rc_scaled{req.replicas});
  commit(self, std::move(e), req.key, "scaled", "", std::move(req.done));
}

template <class Map>
void collect(const Map& map, const std::string& ns, const reconcile::label_selector& labels,
             const std::optional<reconcile::field_selector>& fields, std::vector<any_object>& out) {
  for (const auto& [key, o] : map) {
    if (!ns.empty() && !o.metadata.namespace_.empty() && o.metadata.namespace_ != ns) continue;
    if (!reconcile::matches(labels, o.metadata.labels)) continue;
    if constexpr (std::is_same_v<std::decay_t<decltype(o)>, model::pod>) {
      if (fields && !reconcile::matches(*fields, o)) continue;
    }
    out.emplace_back(o);
  }
}

void handle_list(store_actor self, list_request& req) {
  const auto& s = self->state.state;
  list_result r;
  r.resource_version = s.seq;
  auto labels = reconcile::parse_label_selector(req.label_selector);
  if (!labels.ok()) {
    r.error = "invalid label selector: " + labels.error();
    return req.done(std::move(r));
  }
  std::optional<reconcile::field_selector> fields;
  if (!req.field_selector.empty()) {
    if (req.k != kind::pod) {
      r.error = "field selectors are supported for pods only";
      return req.done(std::move(r));
    }
    auto f = reconcile::parse_field_selector(req.field_selector);
    if (!f.ok()) {
      r.error = "invalid field selector: " + f.error();
      return req.done(std::move(r));
    }
    fields = f.value();
  }
  switch (req.k) {
    case kind::pod: collect(s.pods, req.namespace_, labels.value(), fields, r.items); break;
    case kind::replication_controller: collect(s.rcs, req.namespace_, labels.value(), fields, r.items); break;
    case kind::service: collect(s.services, req.namespace_, labels.value(), fields, r.items); break;
    case kind::endpoints: collect(s.endpoints_, req.namespace_, labels.value(), fields, r.items); break;
    case kind::node: collect(s.nodes, "", labels.value(), fields, r.items); break;
  }
  req.done(std::move(r));
}

void handle_object_events(store_actor self, object_events_request& req) {
  auto& st = self->state;
  std::vector<event_summary> out;
  auto it = st.recent_events.find(event_key(req.key.kind, state_key(req.key)));
  if (it != st.recent_events.end()) {
    auto& seqs = it->second;
    std::size_t first = seqs.size() > req.limit ? seqs.size() - req.limit : 0;
    for (std::size_t i = first; i < seqs.size(); ++i) {
      auto r = st.journal->read(seqs[i]);
      if (!r.ok()) continue;
      auto e = model::decode_event(r.value().seq, r.value().time_ns, r.value().type, r.value().payload);
      if (e) out.push_back(summarize(*e));
    }
  }
  req.done(std::move(out));
}

}  // namespace

std::optional<any_object> find_object(const model::cluster_state& s, kind k, const model::object_key& key) {
  auto look = [&](const auto& map) -> std::optional<any_object> {
    auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return any_object(it->second);
  };
  switch (k) {
    case kind::pod: return look(s.pods);
    case kind::replication_controller: return look(s.rcs);
    case kind::service: return look(s.services);
    case kind::endpoints: return look(s.endpoints_);
    case kind::node: {
      auto it = s.nodes.find(key.name);
      if (it == s.nodes.end()) return std::nullopt;
      return any_object(it->second);
    }
  }
  return std::nullopt;
}

void handle_api(store_actor self, api_request& req) {
  std::visit(
      [&](auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, create_request>) handle_create(self, r);
        else if constexpr (std::is_same_v<T, delete_request>) handle_delete(self, r);
        else if constexpr (std::is_same_v<T, scale_request>) handle_scale(self, r);
        else if constexpr (std::is_same_v<T, get_request>) {
          auto o = find_object(self->state.state, r.key.kind, state_key(r.key));
          if (!o) return r.done(failure(code::not_found, describe(r.key) + " not found"));
          outcome out;
          out.object = std::move(o);
          r.done(std::move(out));
        } else if constexpr (std::is_same_v<T, list_request>) handle_list(self, r);
        else if constexpr (std::is_same_v<T, watch_request>) start_watch(self, r);
        else if constexpr (std::is_same_v<T, cancel_watch_request>) self->state.watchers.erase(r.id);
        else if constexpr (std::is_same_v<T, object_events_request>) handle_object_events(self, r);
        else if constexpr (std::is_same_v<T, join_request>) handle_join(self, r);
        else if constexpr (std::is_same_v<T, heartbeat_request>) {
          if (auto it = self->state.node_actors.find(r.node_name); it != self->state.node_actors.end())
            self->send(it->second, hbeat_atom::value);
        } else if constexpr (std::is_same_v<T, pod_status_request>) handle_pod_status(self, r);
        else if constexpr (std::is_same_v<T, pod_terminated_request>) handle_pod_terminated(self, r);
        else if constexpr (std::is_same_v<T, disconnect_request>) handle_disconnect(self, r);
      },
      req.body);
}

}  // namespace berth::actors
