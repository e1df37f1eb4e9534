// The node actor: one per node. It owns the pod actors of its node, keyed by
// pod uid, and routes to them what berthd wants (the full set after a join,
// then single changes) and what the runtime reports (a container of a pod
// started, died...). A pod that berthd no longer lists is driven to "deleted"
// by its own actor, which stops its containers with their grace period.
//
// A pod actor that stopped every container of a deleted pod reports it
// terminated and ends. Until berthd confirms (removePod, or a full set
// without the pod) the node actor repeats that report every resync interval:
// a report lost on the way must not leave the pod Terminating forever.
#include <map>
#include <set>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/introspect/instrumented.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/text/json_quote.hpp"
#include "node-agent/agent/agent_actors.hpp"
#include "node-agent/agent/agent_messages.hpp"
#include "node-agent/agent/pod_actor.hpp"

namespace berth::agent {
namespace {

model::time_ns now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct node_actor_state {
  static inline const char* name = "agent-node";
  pod_ops* ops = nullptr;
  pod_actor_settings settings;
  std::map<std::string, caf::actor> pods;       // by uid
  std::map<caf::actor_addr, std::string> uids;  // for down messages
  std::map<std::string, pod_ptr> desired;       // by uid: what the actor was last told
  std::map<std::string, pod_ptr> terminated;    // by uid: reported gone, berthd has not confirmed yet
  std::set<std::string> unlisted;               // uids berthd no longer lists: stopped here, nothing to confirm
};

using node_self = caf::stateful_actor<node_actor_state, introspect::instrumented<>>*;

/// The desired pod as a deletion: what a pod actor gets when berthd no longer lists its pod.
pod_ptr as_deleted(const model::pod& p) {
  auto d = std::make_shared<model::pod>(p);
  if (d->metadata.deletion_timestamp == 0) d->metadata.deletion_timestamp = now_ns();
  return d;
}

void upsert(node_self self, pod_ptr pod) {
  auto& st = self->state;
  const auto& uid = pod->metadata.uid;
  if (auto t = st.terminated.find(uid); t != st.terminated.end()) {
    // Its containers are gone and it was reported; berthd still lists it
    // (e.g. a status update it folded meanwhile): report again, start nothing.
    if (pod->metadata.deletion_timestamp != 0) {
      t->second = pod;
      st.ops->report_terminated(*pod);
      return;
    }
    st.terminated.erase(t);
  }
  st.unlisted.erase(uid);
  st.desired[uid] = pod;
  if (auto it = st.pods.find(uid); it != st.pods.end()) {
    self->send(it->second, update_atom::value, pod);
    return;
  }
  auto a = spawn_pod_actor(self, *st.ops, st.settings, pod);
  st.uids[a.address()] = uid;
  st.pods.emplace(uid, std::move(a));
}

/// berthd dropped the pod (it was removed after its containers stopped, or it
/// moved): stop the actor if its pod was finished, else make it stop the containers first.
void remove(node_self self, const std::string& uid) {
  auto& st = self->state;
  st.terminated.erase(uid);  // berthd confirmed
  auto it = st.pods.find(uid);
  if (it == st.pods.end()) return;
  auto d = st.desired.find(uid);
  if (d != st.desired.end() && d->second->metadata.deletion_timestamp == 0) {
    st.unlisted.insert(uid);
    d->second = as_deleted(*d->second);
    self->send(it->second, update_atom::value, d->second);
    return;
  }
  // Already being deleted and now removed by berthd: its containers are gone.
  self->send_exit(it->second, caf::exit_reason::user_shutdown);
}

void set_pods(node_self self, const std::vector<model::pod>& pods) {
  std::map<std::string, bool> listed;
  for (const auto& p : pods) listed[p.metadata.uid] = true;
  std::erase_if(self->state.terminated, [&](const auto& t) { return !listed.count(t.first); });  // confirmed
  for (const auto& p : pods) upsert(self, std::make_shared<const model::pod>(p));
  std::vector<std::string> gone;
  for (const auto& [uid, _] : self->state.pods)
    if (!listed.count(uid)) gone.push_back(uid);
  for (const auto& uid : gone) {
    auto d = self->state.desired.find(uid);
    if (d == self->state.desired.end()) continue;
    self->state.unlisted.insert(uid);
    d->second = as_deleted(*d->second);
    self->send(self->state.pods[uid], update_atom::value, d->second);
  }
}

caf::behavior node_behavior(node_self self, pod_ops* ops, pod_actor_settings settings, std::string node_name) {
  introspect::enroll(self, "node", node_name, "", [self] {
    std::vector<std::string> pods;
    for (const auto& [uid, p] : self->state.desired)
      pods.push_back(text::json_quote(p->metadata.namespace_ + "/" + p->metadata.name));
    std::vector<std::string> reported;
    for (const auto& [uid, p] : self->state.terminated)
      reported.push_back(text::json_quote(p->metadata.namespace_ + "/" + p->metadata.name));
    return introspect::json_object()
        .list("desiredPods", pods)
        .list("terminatedUnconfirmed", reported)
        .num("podActors", static_cast<std::int64_t>(self->state.pods.size()))
        .done();
  });
  self->state.ops = ops;
  self->state.settings = settings;
  // Pod actors are linked: when the node actor stops, they stop. A pod actor
  // that ends (its pod is gone, or it failed) is forgotten; a later update for
  // its pod starts a new one, which finds the containers by their labels.
  self->set_exit_handler([=](caf::exit_msg& m) {
    auto& st = self->state;
    auto it = st.uids.find(m.source);
    if (it == st.uids.end()) return self->quit(m.reason);  // not one of ours: we were told to stop
    if (m.reason != caf::exit_reason::normal && m.reason != caf::exit_reason::user_shutdown)
      fmt::print(stderr, "berth-agent: the actor of pod {} failed: {}\n", it->second, caf::to_string(m.reason));
    if (auto p = st.pods.find(it->second); p != st.pods.end() && p->second.address() == m.source) {
      st.pods.erase(p);
      auto d = st.desired.find(it->second);
      // An actor that ended by itself after a deletion has reported the pod terminated.
      if (d != st.desired.end() && m.reason == caf::exit_reason::normal &&
          d->second->metadata.deletion_timestamp != 0 && !st.unlisted.count(it->second))
        st.terminated[it->second] = d->second;
      st.unlisted.erase(it->second);
      if (d != st.desired.end()) st.desired.erase(d);
    }
    st.uids.erase(it);
  });
  self->delayed_send(self, settings.resync_interval, resync_atom::value);
  return {
      [=](setpods_atom, const pods_ptr& pods) { set_pods(self, *pods); },
      [=](resync_atom) {
        for (const auto& [_, p] : self->state.terminated) self->state.ops->report_terminated(*p);
        self->delayed_send(self, self->state.settings.resync_interval, resync_atom::value);
      },
      [=](update_atom, const pod_ptr& pod) { upsert(self, pod); },
      [=](remove_atom, const std::string& uid) { remove(self, uid); },
      [=](event_atom, const std::string& uid) {
        if (auto it = self->state.pods.find(uid); it != self->state.pods.end())
          self->send(it->second, wake_atom::value);
      },
      [=](orphans_atom, const pods_ptr& orphans) {
        for (const auto& p : *orphans) {
          if (self->state.pods.count(p.metadata.uid)) continue;
          upsert(self, as_deleted(p));
          self->state.unlisted.insert(p.metadata.uid);
        }
      },
  };
}

}  // namespace

caf::actor spawn_node_actor(caf::actor_system& sys, pod_ops& ops, pod_actor_settings settings, std::string node_name) {
  return sys.spawn(node_behavior, &ops, settings, std::move(node_name));
}

void send_set_pods(const caf::actor& node, std::vector<model::pod> pods) {
  caf::anon_send(node, setpods_atom::value, std::make_shared<const std::vector<model::pod>>(std::move(pods)));
}

void send_upsert_pod(const caf::actor& node, model::pod pod) {
  caf::anon_send(node, update_atom::value, std::make_shared<const model::pod>(std::move(pod)));
}

void send_remove_pod(const caf::actor& node, const std::string& uid) { caf::anon_send(node, remove_atom::value, uid); }

void send_container_event(const caf::actor& node, const std::string& pod_uid) {
  caf::anon_send(node, event_atom::value, pod_uid);
}

void send_orphans(const caf::actor& node, std::vector<model::pod> orphans) {
  caf::anon_send(node, orphans_atom::value, std::make_shared<const std::vector<model::pod>>(std::move(orphans)));
}

}  // namespace berth::agent
