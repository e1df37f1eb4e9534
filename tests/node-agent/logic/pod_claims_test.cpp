// A pod's claims on a node (node-agent/logic/pod_claims.hpp): bound claims
// become their volumes' sources, unbound ones wait, read-only claims mount
// read-only, and only a change of a pod's own claims wakes it.
#include <doctest/doctest.h>

#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_claims.hpp"
#include "node-agent/logic/pod_volumes.hpp"

using namespace berth;
using namespace berth::agent;

namespace {

model::pod pod_with_claims() {
  model::pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = "mypod";
  p.metadata.uid = "uid-1";
  p.spec.volumes.push_back({"mypd", model::persistent_volume_claim_volume{"myclaim-1", false}});
  p.spec.volumes.push_back({"ro", model::persistent_volume_claim_volume{"shared", true}});
  p.spec.volumes.push_back({"later", model::persistent_volume_claim_volume{"unbound", false}});
  model::container c;
  c.name = "web";
  c.image = "nginx";
  c.volume_mounts = {{"mypd", false, "/var/www/html", ""}, {"ro", false, "/shared", ""}, {"later", false, "/later", ""}};
  p.spec.containers.push_back(c);
  return p;
}

node_claims bound() {
  return make_node_claims({{"default", "myclaim-1", "pv0001", model::host_path_volume{"/tmp/data01"}, false},
                           {"default", "shared", "nfs1", model::nfs_volume{"10.0.0.2", "/export", false}, false},
                           {"other", "unbound", "elsewhere", model::host_path_volume{"/x"}, false}});
}

}  // namespace

TEST_CASE("bound claims become their volumes' sources; claims of other namespaces do not count") {
  auto pod = pod_with_claims();
  std::set<std::string> read_only;
  auto resolved = with_bound_claims(pod, bound(), &read_only);
  CHECK(std::get<model::host_path_volume>(resolved.spec.volumes[0].source).path == "/tmp/data01");
  const auto& nfs = std::get<model::nfs_volume>(resolved.spec.volumes[1].source);
  CHECK(nfs.server == "10.0.0.2");
  CHECK(nfs.read_only);  // the pod mounts the claim readOnly
  CHECK(std::holds_alternative<model::persistent_volume_claim_volume>(resolved.spec.volumes[2].source));
  CHECK(read_only == std::set<std::string>{"ro"});
  // The containers are untouched: their spec hashes match what berthd sent.
  CHECK(container_spec_hash(resolved.spec.containers[0]) == container_spec_hash(pod.spec.containers[0]));

  auto waiting = volumes_unavailable(resolved.spec, {"n1", true}, "default");
  REQUIRE(waiting);
  CHECK(waiting->message == "volume \"later\": persistentVolumeClaim \"unbound\" is not bound to a volume");

  auto mounts = container_mounts(resolved, resolved.spec.containers[0], "/var/lib/agent", read_only);
  REQUIRE(mounts.size() == 2);  // the unbound claim is not mounted (the pod does not start)
  CHECK(mounts[0] == host_mount{"/tmp/data01", "/var/www/html", false, ""});
  CHECK(mounts[1].container_path == "/shared");
  CHECK(mounts[1].read_only);
}

TEST_CASE("a claim bound to a ReadOnlyMany-only volume is mounted read-only") {
  auto pod = pod_with_claims();
  auto claims = bound();
  claims.at({"default", "myclaim-1"}).read_only = true;
  std::set<std::string> read_only;
  with_bound_claims(pod, claims, &read_only);
  CHECK(read_only == std::set<std::string>{"mypd", "ro"});
}

TEST_CASE("claims_changed_for: only the pod's own claims count") {
  auto pod = pod_with_claims();
  auto before = bound();
  auto after = before;
  CHECK_FALSE(claims_changed_for(pod, before, after));
  after.emplace(std::make_pair("default", "unbound"),
                model::bound_claim{"default", "unbound", "pv9", model::host_path_volume{"/tmp/9"}, false});
  CHECK(claims_changed_for(pod, before, after));  // its waiting claim was bound
  auto other = before;
  other.emplace(std::make_pair("default", "someone-elses"),
                model::bound_claim{"default", "someone-elses", "pv8", model::host_path_volume{"/tmp/8"}, false});
  CHECK_FALSE(claims_changed_for(pod, before, other));
  auto moved = before;
  moved.at({"default", "myclaim-1"}).source = model::host_path_volume{"/tmp/elsewhere"};
  CHECK(claims_changed_for(pod, before, moved));
}
