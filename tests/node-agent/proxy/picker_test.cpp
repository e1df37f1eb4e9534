// backend_picker: round robin, ClientIP affinity, the next backend after a
// failed connect. Table tests, then randomized invariants.
#include "node-agent/proxy/routing.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace berth::agent::proxy {
namespace {

using model::session_affinity;
using clock_point = backend_picker::time_point;

const backend a{"172.17.0.2", 80};
const backend b{"172.17.0.3", 80};
const backend c{"172.17.0.4", 80};

const clock_point t0{};

backend pick(backend_picker& p, const std::string& client = "172.17.0.100", clock_point now = t0) {
  auto got = p.next(client, now, {});
  REQUIRE(got.has_value());
  return *got;
}

TEST_CASE("round robin cycles through the backends in sorted order") {
  backend_picker p({c, a, b}, session_affinity::none);
  std::vector<backend> seen;
  for (int i = 0; i < 6; ++i) seen.push_back(pick(p));
  CHECK(seen == std::vector<backend>{a, b, c, a, b, c});
}

TEST_CASE("no backends: nothing to pick") {
  backend_picker p({}, session_affinity::none);
  CHECK_FALSE(p.next("1.2.3.4", t0, {}).has_value());
  backend_picker sticky({}, session_affinity::client_ip);
  CHECK_FALSE(sticky.next("1.2.3.4", t0, {}).has_value());
}

TEST_CASE("next after a failure skips the backends already tried, then gives up") {
  backend_picker p({a, b, c}, session_affinity::none);
  CHECK(p.next("x", t0, {a}) == b);
  CHECK(p.next("x", t0, {a, c}) == b);
  CHECK_FALSE(p.next("x", t0, {a, b, c}).has_value());
}

TEST_CASE("an update keeps the rotation on the same backend") {
  backend_picker p({a, b, c}, session_affinity::none);
  CHECK(pick(p) == a);  // b is next
  p.set_backends({b, c, backend{"172.17.0.1", 80}}, session_affinity::none);
  CHECK(pick(p) == b);
  CHECK(pick(p) == c);
}

TEST_CASE("client IP affinity returns the same backend to the same client") {
  backend_picker p({a, b, c}, session_affinity::client_ip);
  CHECK(pick(p, "10.0.0.1") == a);
  CHECK(pick(p, "10.0.0.2") == b);
  for (int i = 0; i < 5; ++i) {
    CHECK(pick(p, "10.0.0.1") == a);
    CHECK(pick(p, "10.0.0.2") == b);
  }
  CHECK(pick(p, "10.0.0.3") == c);
  CHECK(p.affinity_entries() == 3);
}

TEST_CASE("client IP affinity lasts three hours after the last connection") {
  backend_picker p({a, b}, session_affinity::client_ip);
  CHECK(pick(p, "10.0.0.1", t0) == a);
  const auto almost = t0 + k_affinity_timeout - std::chrono::seconds(1);
  CHECK(pick(p, "10.0.0.1", almost) == a);  // refreshes last use
  CHECK(pick(p, "10.0.0.1", almost + k_affinity_timeout - std::chrono::seconds(1)) == a);
  CHECK(pick(p, "10.0.0.1", almost + 2 * k_affinity_timeout) == b);  // expired: round robin
}

TEST_CASE("a failed connect moves the client's affinity to the next backend") {
  backend_picker p({a, b, c}, session_affinity::client_ip);
  CHECK(pick(p, "10.0.0.1") == a);
  CHECK(p.next("10.0.0.1", t0, {a}) == b);
  CHECK(pick(p, "10.0.0.1") == b);
}

TEST_CASE("removing the client's backend moves its affinity; the removed one is never picked") {
  backend_picker p({a, b, c}, session_affinity::client_ip);
  CHECK(pick(p, "10.0.0.1") == a);
  p.set_backends({b, c}, session_affinity::client_ip);
  CHECK(p.affinity_entries() == 0);
  backend again = pick(p, "10.0.0.1");
  CHECK(again != a);
  CHECK(pick(p, "10.0.0.1") == again);
}

TEST_CASE("turning affinity off forgets every client") {
  backend_picker p({a, b}, session_affinity::client_ip);
  pick(p, "10.0.0.1");
  p.set_backends({a, b}, session_affinity::none);
  CHECK(p.affinity_entries() == 0);
  CHECK(pick(p, "10.0.0.1") == b);
  CHECK(pick(p, "10.0.0.1") == a);
}

TEST_CASE("expired affinity entries are swept after enough picks") {
  backend_picker p({a, b}, session_affinity::client_ip);
  for (int i = 0; i < 100; ++i) pick(p, "10.1.0." + std::to_string(i), t0);
  CHECK(p.affinity_entries() == 100);
  const auto later = t0 + k_affinity_timeout + std::chrono::seconds(1);
  for (int i = 0; i < 1024; ++i) pick(p, "10.2.0.1", later);
  CHECK(p.affinity_entries() == 1);
}

std::vector<backend> random_backends(std::mt19937& rng, std::size_t n) {
  std::set<backend> out;
  std::uniform_int_distribution<int> octet(2, 250), port(1, 65535);
  while (out.size() < n) out.insert(backend{"172.17.0." + std::to_string(octet(rng)), port(rng)});
  return {out.begin(), out.end()};
}

TEST_CASE("randomized: over k*n picks round robin gives each of n backends exactly k") {
  std::mt19937 rng(20260101);
  for (int round = 0; round < 50; ++round) {
    std::size_t n = std::uniform_int_distribution<std::size_t>(1, 12)(rng);
    int k = std::uniform_int_distribution<int>(1, 20)(rng);
    backend_picker p(random_backends(rng, n), session_affinity::none);
    for (int warm = std::uniform_int_distribution<int>(0, 7)(rng); warm > 0; --warm) pick(p);
    std::map<backend, int> hits;
    for (std::size_t i = 0; i < k * n; ++i) ++hits[pick(p)];
    REQUIRE(hits.size() == n);
    for (const auto& [be, count] : hits) CHECK(count == k);
  }
}

TEST_CASE("randomized: affinity is sticky and a removed backend is never picked") {
  std::mt19937 rng(7);
  backend_picker p(random_backends(rng, 6), session_affinity::client_ip);
  std::map<std::string, backend> last;
  clock_point now = t0;
  for (int step = 0; step < 2000; ++step) {
    now += std::chrono::seconds(1);
    if (step % 97 == 0) {
      auto next = p.backends();
      std::shuffle(next.begin(), next.end(), rng);
      next.resize(std::max<std::size_t>(1, next.size() / 2));
      for (const auto& extra : random_backends(rng, 3)) next.push_back(extra);
      p.set_backends(next, session_affinity::client_ip);
    }
    std::string client = "10.0.0." + std::to_string(std::uniform_int_distribution<int>(1, 20)(rng));
    backend got = pick(p, client, now);
    CHECK(std::binary_search(p.backends().begin(), p.backends().end(), got));
    auto it = last.find(client);
    if (it != last.end() && std::binary_search(p.backends().begin(), p.backends().end(), it->second)) {
      CHECK(got == it->second);
    }
    last[client] = got;
  }
}

TEST_CASE("randomized: a connection's retries try each backend at most once") {
  std::mt19937 rng(99);
  for (int round = 0; round < 50; ++round) {
    auto all = random_backends(rng, std::uniform_int_distribution<std::size_t>(1, 8)(rng));
    auto affinity = round % 2 ? session_affinity::client_ip : session_affinity::none;
    backend_picker p(all, affinity);
    std::vector<backend> tried;
    while (auto got = p.next("10.0.0.1", t0, tried)) {
      CHECK(std::find(tried.begin(), tried.end(), *got) == tried.end());
      tried.push_back(*got);
    }
    std::sort(tried.begin(), tried.end());
    CHECK(tried == all);
  }
}

}  // namespace
}  // namespace berth::agent::proxy
