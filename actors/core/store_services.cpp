// Services and endpoints for the node agents (their service proxy, cluster DNS
// and container environment). Every agent gets the full set on join and after
// each change; changes within 50 ms are pushed once, so an RC scale-up that
// rewrites endpoints many times costs a few pushes, not one per pod.
#include <chrono>

#include <caf/all.hpp>

#include "actors/core/store_state.hpp"

namespace berth::actors {
namespace {

constexpr std::chrono::milliseconds k_coalesce{50};

struct service_lists {
  std::shared_ptr<const std::vector<model::service>> services;
  std::shared_ptr<const std::vector<model::endpoints>> endpoints;
};

service_lists current_lists(store_actor self) {
  const auto& s = self->state.state;
  auto services = std::make_shared<std::vector<model::service>>();
  auto endpoints = std::make_shared<std::vector<model::endpoints>>();
  for (const auto& [_, svc] : s.services) services->push_back(svc);
  for (const auto& [_, ep] : s.endpoints_) endpoints->push_back(ep);
  return {std::move(services), std::move(endpoints)};
}

}  // namespace

void services_changed(store_actor self) {
  auto& st = self->state;
  if (st.services_push_pending || st.links.empty()) return;
  st.services_push_pending = true;
  self->delayed_send(self, k_coalesce, svcpush_atom::value);
}

void push_services(store_actor self) {
  auto& st = self->state;
  st.services_push_pending = false;
  auto lists = current_lists(self);
  for (const auto& [_, link] : st.links)
    if (link && link->connected()) link->set_services(lists.services, lists.endpoints);
}

void push_services_to(store_actor self, const link_ptr& link) {
  if (!link) return;
  auto lists = current_lists(self);
  link->set_services(lists.services, lists.endpoints);
}

}  // namespace berth::actors
