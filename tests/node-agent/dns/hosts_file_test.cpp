// The pure half of cluster DNS: the hosts file, the pod search path, and the
// claim that the two together make every short service name resolve.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "node-agent/dns/hosts_file.hpp"
#include "tests/node-agent/dns/resolver_walk.hpp"

namespace berth::agent::dns {
namespace {

const std::string k_header = "# berth cluster DNS: written by berth-agent, replaced on every change\n";

model::service svc(const std::string& name, const std::string& ns, const std::string& ip) {
  model::service s;
  s.metadata.name = name;
  s.metadata.namespace_ = ns;
  s.spec.cluster_ip = ip;
  return s;
}

// The names a hosts file text defines, as dnsmasq reads them.
std::set<std::string> names_in(const std::string& text) {
  std::set<std::string> names;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string ip;
    fields >> ip;
    for (std::string name; fields >> name;) names.insert(name);
  }
  return names;
}

// The first name a resolver tries that the hosts file holds ("" if none).
std::string resolved_as(const std::string& query, const std::string& pod_namespace, const std::string& hosts) {
  std::set<std::string> names = names_in(hosts);
  for (const std::string& c : test::resolver_candidates(query, search_path(pod_namespace, "cluster.local"), k_ndots)) {
    if (names.count(c) != 0) return c;
  }
  return "";
}

}  // namespace

TEST_CASE("hosts_text: one fully qualified line per service, sorted by name") {
  CHECK(hosts_text({svc("web", "default", "10.96.0.50"), svc("db", "shop", "10.96.0.7")}, "cluster.local") ==
        k_header +
            "10.96.0.7 db.shop.svc.cluster.local\n"
            "10.96.0.50 web.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: no services gives only the header") { CHECK(hosts_text({}, "cluster.local") == k_header); }

namespace {

model::endpoints endpoints_of(const std::string& name, const std::string& ns, std::vector<std::string> ready,
                              std::vector<std::string> not_ready = {}) {
  model::endpoints e;
  e.metadata.name = name;
  e.metadata.namespace_ = ns;
  model::endpoint_subset subset;
  auto address = [](std::string ip) {
    model::endpoint_address a;
    a.ip = std::move(ip);
    return a;
  };
  for (auto& ip : ready) subset.addresses.push_back(address(ip));
  for (auto& ip : not_ready) subset.not_ready_addresses.push_back(address(ip));
  e.subsets.push_back(subset);
  return e;
}

}  // namespace

TEST_CASE("hosts_text: a headless service resolves to its ready pods, one line each, sorted") {
  CHECK(hosts_text({svc("db", "shop", "None"), svc("web", "default", "10.96.0.50")}, "cluster.local",
                   {endpoints_of("db", "shop", {"172.17.0.9", "172.17.0.3"}, {"172.17.0.4"}),
                    endpoints_of("db", "other", {"172.17.0.5"})}) ==
        k_header +
            "172.17.0.3 db.shop.svc.cluster.local\n"
            "172.17.0.9 db.shop.svc.cluster.local\n"
            "10.96.0.50 web.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: a headless service without ready pods or endpoints has no line (NXDOMAIN)") {
  CHECK(hosts_text({svc("db", "shop", "None")}, "cluster.local", {endpoints_of("db", "shop", {}, {"172.17.0.4"})}) ==
        k_header);
  CHECK(hosts_text({svc("db", "shop", "None")}, "cluster.local") == k_header);
}

TEST_CASE("hosts_text: a headless service's address that is not a literal is left out") {
  CHECK(hosts_text({svc("db", "", "None")}, "cluster.local", {endpoints_of("db", "", {"172.17.0.3 evil.com", "172.17.0.2"})}) ==
        k_header + "172.17.0.2 db.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: services without a cluster IP are left out; headless ones without endpoints too") {
  CHECK(hosts_text({svc("a", "default", ""), svc("b", "default", "None"), svc("c", "default", "10.96.0.3")},
                   "cluster.local") == k_header + "10.96.0.3 c.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: a cluster IP that is not an address literal is left out") {
  CHECK(hosts_text({svc("a", "default", "10.96.0"), svc("b", "default", "10.96.0.2 evil.com"),
                    svc("c", "default", "10.96.0.300"), svc("d", "default", "fd00::10")},
                   "cluster.local") == k_header + "fd00::10 d.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: a name or namespace that is not a DNS label is left out") {
  CHECK(hosts_text(
            {svc("Web", "default", "10.96.0.1"), svc("a b", "default", "10.96.0.2"), svc("x", "-shop", "10.96.0.3"),
             svc(std::string(64, 'a'), "default", "10.96.0.4"), svc("ok", "shop", "10.96.0.5")},
            "cluster.local") == k_header + "10.96.0.5 ok.shop.svc.cluster.local\n");
}

TEST_CASE("hosts_text: an empty namespace is the default namespace") {
  CHECK(hosts_text({svc("web", "", "10.96.0.50")}, "cluster.local") ==
        k_header + "10.96.0.50 web.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: the same services in any order give the same text") {
  std::vector<model::service> services{svc("web", "default", "10.96.0.50"), svc("db", "shop", "10.96.0.7"),
                                       svc("web", "shop", "10.96.0.51")};
  std::string first = hosts_text(services, "cluster.local");
  std::sort(services.begin(), services.end(),
            [](const auto& a, const auto& b) { return a.spec.cluster_ip > b.spec.cluster_ip; });
  CHECK(hosts_text(services, "cluster.local") == first);
}

TEST_CASE("hosts_text: two services with the same name keep one line, the lower IP text") {
  CHECK(hosts_text({svc("web", "default", "10.96.0.9"), svc("web", "default", "10.96.0.10")}, "cluster.local") ==
        k_header + "10.96.0.10 web.default.svc.cluster.local\n");
}

TEST_CASE("hosts_text: the domain is the one given") {
  CHECK(hosts_text({svc("web", "default", "10.96.0.50")}, "berth.test") ==
        k_header + "10.96.0.50 web.default.svc.berth.test\n");
}

TEST_CASE("search_path: the pod's namespace, then svc, then the domain") {
  CHECK(search_path("shop", "cluster.local") ==
        std::vector<std::string>{"shop.svc.cluster.local", "svc.cluster.local", "cluster.local"});
  CHECK(search_path("", "cluster.local") ==
        std::vector<std::string>{"default.svc.cluster.local", "svc.cluster.local", "cluster.local"});
  CHECK(search_path("kube-system", "berth.test") ==
        std::vector<std::string>{"kube-system.svc.berth.test", "svc.berth.test", "berth.test"});
}

TEST_CASE("resolver_options: ndots 5 as Kubernetes") {
  CHECK(resolver_options() == std::vector<std::string>{"ndots:5"});
}

TEST_CASE("generation_marker: outside every service name") {
  CHECK(generation_marker(3, "cluster.local") == "berth-dns-gen-3.cluster.local");
}

TEST_CASE("is_dns_label: RFC 1123 labels only") {
  CHECK(is_dns_label("web"));
  CHECK(is_dns_label("redis-master"));
  CHECK(is_dns_label("0abc"));
  CHECK(is_dns_label(std::string(63, 'a')));
  CHECK_FALSE(is_dns_label(""));
  CHECK_FALSE(is_dns_label(std::string(64, 'a')));
  CHECK_FALSE(is_dns_label("-web"));
  CHECK_FALSE(is_dns_label("web-"));
  CHECK_FALSE(is_dns_label("Web"));
  CHECK_FALSE(is_dns_label("web.shop"));
  CHECK_FALSE(is_dns_label("web_1"));
}

TEST_CASE("the search path turns every short form into the one name the hosts file holds") {
  std::string hosts = hosts_text({svc("web", "default", "10.96.0.50"), svc("web", "shop", "10.96.0.51"),
                                  svc("redis-master", "default", "10.96.0.60")},
                                 "cluster.local");
  struct row {
    const char* query;
    const char* pod_namespace;
    const char* expected;
  };
  const row rows[] = {
      {"web", "default", "web.default.svc.cluster.local"},
      {"web", "shop", "web.shop.svc.cluster.local"},
      {"web.default", "shop", "web.default.svc.cluster.local"},
      {"web.shop", "default", "web.shop.svc.cluster.local"},
      {"web.shop.svc", "default", "web.shop.svc.cluster.local"},
      {"web.shop.svc.cluster.local", "default", "web.shop.svc.cluster.local"},
      {"web.shop.svc.cluster.local.", "default", "web.shop.svc.cluster.local"},
      {"redis-master", "default", "redis-master.default.svc.cluster.local"},
      {"redis-master", "shop", ""},  // another namespace's service needs <svc>.<ns>
      {"nope", "default", ""},
  };
  for (const row& r : rows) {
    CAPTURE(r.query);
    CAPTURE(r.pod_namespace);
    CHECK(resolved_as(r.query, r.pod_namespace, hosts) == r.expected);
  }
}

}  // namespace berth::agent::dns
