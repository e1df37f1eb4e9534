#include "node-agent/agent/dns_feeder.hpp"

#include <fmt/format.h>

namespace berth::agent {

dns_feeder::dns_feeder(dns::dns_config config) : config_(std::move(config)), worker_([this] { run(); }) {}

dns_feeder::~dns_feeder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void dns_feeder::update(std::vector<model::service> services, std::vector<model::endpoints> endpoints) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ = snapshot{std::move(services), std::move(endpoints)};
  }
  wake_.notify_all();
}

void dns_feeder::run() {
  dns::cluster_dns server(config_);
  auto started = server.start();
  if (!started.empty())
    fmt::print(stderr, "berth-agent: cluster DNS unavailable on this node: {}\n", started);
  else
    fmt::print(stderr, "berth-agent: cluster DNS on {}:53 (dnsmasq)\n", config_.listen_ip);
  for (;;) {
    snapshot next;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || pending_.has_value(); });
      if (stopping_) return;
      next = std::move(*pending_);
      pending_.reset();
    }
    if (!started.empty()) continue;  // no dnsmasq here: nothing to feed
    if (auto why = server.update(next.services, next.endpoints); !why.empty())
      fmt::print(stderr, "berth-agent: cluster DNS update failed: {}\n", why);
  }
}

}  // namespace berth::agent
