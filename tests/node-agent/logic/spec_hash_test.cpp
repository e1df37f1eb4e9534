// container_spec_hash (a label on running containers: it must not change
// between builds or machines) and the Go-style durations of back-off messages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_view.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;

TEST_CASE("container_spec_hash_is_stable_and_covers_each_field") {
  const auto base = make_pod({"a"}).spec.containers[0];
  // Pinned: the hash is a label on running containers and must not change
  // between builds, processes or machines.
  CHECK(container_spec_hash(base) == container_spec_hash(model::container(base)));
  CHECK(container_spec_hash(base).size() == 16);
  std::vector<model::container> variants(8, base);
  variants[0].image = "busybox:1";
  variants[1].command = {"sh", "-c httpd -f"};
  variants[2].args = {"x"};
  variants[3].working_dir = "/tmp";
  variants[4].env = {{"A", "1"}};
  variants[5].ports = {model::container_port{"http", 80, 0, model::protocol::tcp, ""}};
  variants[6].resources.limits["memory"] = model::quantity{};
  variants[7].ports = {model::container_port{"http", 80, 0, model::protocol::udp, ""}};
  std::vector<std::string> hashes = {container_spec_hash(base)};
  for (const auto& v : variants) hashes.push_back(container_spec_hash(v));
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    for (std::size_t j = i + 1; j < hashes.size(); ++j) {
      CAPTURE(i);
      CAPTURE(j);
      CHECK(hashes[i] != hashes[j]);
    }
  }
  // Probes and the pull policy do not make a new container.
  auto probed = base;
  probed.liveness_probe = model::probe{};
  probed.image_pull_policy = model::pull_policy::never;
  CHECK(container_spec_hash(probed) == container_spec_hash(base));
}

TEST_CASE("container_spec_hash_pins_its_value_for_a_known_spec") {
  model::container c;
  c.name = "a";
  c.image = "busybox";
  c.command = {"sh", "-c", "httpd -f"};
  // XXH3-64 of "image=7:busyboxcommand=1:3s=2:shs=2:-cs=8:httpd -fargs=1:0workingDir=0:env=1:0
  // ports=1:0requests=1:0limits=1:0": a change here breaks adoption after an upgrade.
  CHECK(container_spec_hash(c) == "44bdfab10de411e3");
}

TEST_CASE("go_duration_prints_like_go") {
  CHECK(go_duration(0) == "0s");
  CHECK(go_duration(500) == "500ns");
  CHECK(go_duration(1'500) == "1.5µs");
  CHECK(go_duration(100'000'000) == "100ms");
  CHECK(go_duration(1'500'000'000) == "1.5s");
  CHECK(go_duration(10 * k_second) == "10s");
  CHECK(go_duration(80 * k_second) == "1m20s");
  CHECK(go_duration(300 * k_second) == "5m0s");
  CHECK(go_duration(3600 * k_second) == "1h0m0s");
  CHECK(go_duration(-10 * k_second) == "-10s");
}

}  // namespace
}  // namespace berth::agent
