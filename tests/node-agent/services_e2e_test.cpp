// Services end to end on the real local Docker: cluster IPs, the agent's
// service proxy, environment variables, cluster DNS, readiness, and the
// Kubernetes v1.2.0 guestbook run from its unchanged manifests.
// tools/test builds the guestbook images (tools/build-guestbook-images) first.
//
// Traffic goes only to cluster IPs (routed to this machine by the agent) and
// to containers these tests created.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;

namespace {

/// GET through curl; "" when the request failed. `exit_code` gets curl's code.
std::string http_get(const std::string& url, int* exit_code = nullptr, const char* max_time = "5") {
  auto r = run_process("/usr/bin/curl", {"-s", "--max-time", max_time, url});
  if (exit_code) *exit_code = r.exit_code;
  if (r.exit_code != 0) return "";
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

std::string cluster_ip(docker_cluster& k, const std::string& service) {
  auto r = k.berth({"get", "svc", service, "-o", "json"});
  if (r.exit_code != 0) return "";
  auto s = YAML::Load(r.out);
  return s["spec"]["clusterIP"] ? s["spec"]["clusterIP"].as<std::string>() : "";
}

/// Pods of a selector that are Running and Ready.
std::vector<std::string> ready_pods(docker_cluster& k, const std::string& selector) {
  std::vector<std::string> out;
  auto r = k.berth({"get", "pods", "-l", selector, "-o", "json"});
  if (r.exit_code != 0) return out;
  auto list = YAML::Load(r.out);
  for (const auto& p : list["items"]) {
    if (p["metadata"]["deletionTimestamp"]) continue;
    if (!p["status"]["phase"] || p["status"]["phase"].as<std::string>() != "Running") continue;
    bool ready = false;
    for (const auto& c : p["status"]["conditions"])
      if (c["type"].as<std::string>() == "Ready") ready = c["status"].as<std::string>() == "True";
    if (ready) out.push_back(p["metadata"]["name"].as<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t endpoint_count(docker_cluster& k, const std::string& service) {
  auto r = k.berth({"get", "endpoints", service, "-o", "json"});
  if (r.exit_code != 0) return 0;
  std::size_t n = 0;
  for (const auto& subset : YAML::Load(r.out)["subsets"]) n += subset["addresses"] ? subset["addresses"].size() : 0;
  return n;
}

/// Runs `command` in the pod's first app container.
process_result exec_in(docker_cluster& k, const std::string& pod, std::vector<std::string> command) {
  auto ids = k.app_ids(pod);
  REQUIRE_MESSAGE(!ids.empty(), "no running app container for pod " << pod);
  std::vector<std::string> args{"exec", ids[0]};
  args.insert(args.end(), command.begin(), command.end());
  return docker(args);
}

/// Sends one datagram to ip:port from a fresh socket (so a new source port:
/// a new proxy session) and returns the reply, "" after 3 s of silence.
std::string udp_ask(const std::string& ip, int port, const std::string& msg) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  timeval limit{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::inet_pton(AF_INET, ip.c_str(), &to.sin_addr) == 1);
  std::string reply;
  if (::sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
      static_cast<ssize_t>(msg.size())) {
    char buf[2048];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) reply.assign(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

}  // namespace

TEST_CASE("the v1.2.0 guestbook, unchanged: frontend -> redis-master -> replication -> redis-slave -> frontend") {
  docker_cluster k;
  k.start_agent("a", {"--cluster-dns", "10.96.0.10"});
  auto created = k.berth({"create", "-f", env_path("BERTH_EXAMPLES") + "/guestbook-v1.2.0/"});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  REQUIRE_MESSAGE(
      eventually([&] { return ready_pods(k, "app=guestbook").size() == 3 && ready_pods(k, "app=redis").size() == 3; },
                 180),
      k.berth({"get", "pods", "-o", "wide"}).out);

  auto ip = cluster_ip(k, "frontend");
  REQUIRE(ip.rfind("10.96.", 0) == 0);
  auto base = "http://" + ip;
  // The v1.2.0 manifests have no readiness probes, so Ready only means the
  // containers started: redis may not listen yet, exactly as on Kubernetes.
  // Retry the first write until redis-master answers.
  CHECK(eventually(
      [&] {
        return http_get(base + "/guestbook.php?cmd=set&key=messages&value=hello-from-berth") ==
               "{\"message\": \"Updated\"}";
      },
      30));
  // Read back through a slave: replication takes a moment.
  CHECK(eventually(
      [&] { return http_get(base + "/guestbook.php?cmd=get&key=messages") == "{\"data\": \"hello-from-berth\"}"; },
      30));
  CHECK(http_get(base + "/").find("<html") != std::string::npos);

  {  // scaled to 5, the frontend service spreads requests over all 5 pods
    REQUIRE(k.berth({"scale", "rc", "frontend", "--replicas=5"}).exit_code == 0);
    REQUIRE(eventually([&] { return ready_pods(k, "app=guestbook").size() == 5 && endpoint_count(k, "frontend") == 5; },
                       120));
    std::set<std::string> seen;
    for (int i = 0; i < 30; ++i) {
      auto h = http_get(base + "/hostname.php");
      if (!h.empty()) seen.insert(h);
    }
    auto pods = ready_pods(k, "app=guestbook");
    CHECK(seen == std::set<std::string>(pods.begin(), pods.end()));

    // A pod deleted under load: its RC replaces it; the client sees at most one failure.
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, requests{0};
    std::thread client([&] {
      while (!stop) {
        if (http_get(base + "/hostname.php").empty()) ++failures;
        ++requests;
      }
    });
    REQUIRE(k.berth({"delete", "pod", pods[0]}).exit_code == 0);
    CHECK(eventually(
        [&] {
          auto now = ready_pods(k, "app=guestbook");
          return now.size() == 5 && std::find(now.begin(), now.end(), pods[0]) == now.end();
        },
        120));
    std::this_thread::sleep_for(std::chrono::seconds(2));  // traffic to the replacement too
    stop = true;
    client.join();
    CHECK(requests >= 10);
    CHECK(failures <= 1);
  }

  {  // service environment variables and DNS names, from inside a pod
    auto frontends = ready_pods(k, "app=guestbook");
    auto master_ip = cluster_ip(k, "redis-master");
    auto env = exec_in(k, frontends[0], {"env"}).out;
    CHECK(env.find("REDIS_MASTER_SERVICE_HOST=" + master_ip + "\n") != std::string::npos);
    CHECK(env.find("REDIS_MASTER_SERVICE_PORT=6379\n") != std::string::npos);
    CHECK(env.find("REDIS_MASTER_PORT_6379_TCP=tcp://" + master_ip + ":6379\n") != std::string::npos);
    for (auto name : {"redis-master", "redis-master.default", "redis-master.default.svc.cluster.local"}) {
      auto r = exec_in(k, frontends[0], {"getent", "hosts", name});
      CHECK_MESSAGE(r.out.rfind(master_ip + " ", 0) == 0, name << ": " << r.out << r.err);
    }

    // Deleting a service removes its cluster IP listener and its DNS name.
    auto slave_ip = cluster_ip(k, "redis-slave");
    REQUIRE(k.berth({"delete", "svc", "redis-slave"}).exit_code == 0);
    CHECK(eventually(
        [&] {
          int code = 0;
          http_get("http://" + slave_ip + ":6379/", &code, "2");
          return code == 7;  // curl: connection refused
        },
        20));
    CHECK(eventually([&] { return exec_in(k, frontends[0], {"getent", "hosts", "redis-slave"}).exit_code != 0; }, 20));
  }
}

TEST_CASE("readiness drives endpoints: a pod failing its probe gets no traffic, and gets it back when it passes") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: echo
spec:
  replicas: 2
  selector:
    app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: busybox
        command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && echo ok > /www/ready && exec httpd -f -p 8080 -h /www"]
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          periodSeconds: 1
          failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: nobody
spec:
  selector:
    app: nothing-matches-this
  ports:
  - port: 80
)");
  REQUIRE(eventually([&] { return ready_pods(k, "app=echo").size() == 2 && endpoint_count(k, "echo") == 2; }, 60));
  auto base = "http://" + cluster_ip(k, "echo");
  auto pods = ready_pods(k, "app=echo");
  auto hosts = [&] {
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
      auto h = http_get(base + "/");
      if (!h.empty()) seen.insert(h);
    }
    return seen;
  };
  CHECK(hosts() == std::set<std::string>(pods.begin(), pods.end()));

  exec_in(k, pods[0], {"rm", "/www/ready"});
  REQUIRE(eventually([&] { return endpoint_count(k, "echo") == 1; }, 30));
  CHECK(eventually([&] { return hosts() == std::set<std::string>{pods[1]}; }, 10));

  exec_in(k, pods[0], {"sh", "-c", "echo ok > /www/ready"});
  REQUIRE(eventually([&] { return endpoint_count(k, "echo") == 2; }, 30));
  CHECK(eventually([&] { return hosts() == std::set<std::string>(pods.begin(), pods.end()); }, 10));

  // A service without ready endpoints refuses at once: no listener on its cluster IP.
  auto nobody = cluster_ip(k, "nobody");
  REQUIRE(!nobody.empty());
  int code = 0;
  http_get("http://" + nobody + "/", &code, "5");
  CHECK(code == 7);  // connection refused (a hang would be 28, the timeout)

  // A requested cluster IP is honoured when free, refused clearly when taken.
  auto taken = k.berth({"create", "-f", "-"}, fmt::format(R"(apiVersion: v1
kind: Service
metadata:
  name: copycat
spec:
  clusterIP: {}
  ports:
  - port: 80
)",
                                                          nobody));
  CHECK(taken.exit_code == 1);
  CHECK(taken.err.find("spec.clusterIP: Invalid value: \"" + nobody + "\": provided IP is already allocated") !=
        std::string::npos);
  auto chosen = k.berth({"create", "-f", "-"}, R"(apiVersion: v1
kind: Service
metadata:
  name: chosen
spec:
  clusterIP: 10.96.77.77
  type: NodePort
  ports:
  - port: 80
)");
  CHECK_MESSAGE(chosen.exit_code == 0, chosen.err);
  CHECK(cluster_ip(k, "chosen") == "10.96.77.77");
  auto np = YAML::Load(k.berth({"get", "svc", "chosen", "-o", "json"}).out)["spec"]["ports"][0]["nodePort"];
  CHECK((np && np.as<int>() >= 30000 && np.as<int>() <= 32767));
}

TEST_CASE("UDP service ports are proxied per client session, and a headless service resolves to its pods") {
  docker_cluster k;
  k.start_agent("a", {"--cluster-dns", "10.96.0.10"});
  // A UDP echo server answering "<pod name>:<datagram>" (perl from the
  // Debian-based redis image that tools/ builds; busybox has no UDP server).
  k.create(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: uecho
spec:
  replicas: 2
  selector:
    app: uecho
  template:
    metadata:
      labels:
        app: uecho
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: echo
        image: gcr.io/google_containers/redis:e2e
        command:
        - perl
        - -MIO::Socket::INET
        - -e
        - '$s = IO::Socket::INET->new(LocalPort => 9000, Proto => "udp") or die "bind: $!"; chomp($h = `hostname`); while (1) { $peer = $s->recv($m, 65535); $s->send("$h:$m", 0, $peer); }'
        ports:
        - name: echo
          containerPort: 9000
          protocol: UDP
---
apiVersion: v1
kind: Service
metadata:
  name: uecho
spec:
  selector:
    app: uecho
  ports:
  - name: echo
    port: 5300
    protocol: UDP
    targetPort: echo
---
apiVersion: v1
kind: Service
metadata:
  name: uecho-peers
spec:
  clusterIP: None
  selector:
    app: uecho
  ports:
  - port: 9000
    protocol: UDP
)");
  REQUIRE(eventually([&] { return ready_pods(k, "app=uecho").size() == 2 && endpoint_count(k, "uecho") == 2; }, 90));
  auto pods = ready_pods(k, "app=uecho");
  const std::string ip = cluster_ip(k, "uecho");
  REQUIRE(!ip.empty());

  // Each fresh client socket is a new session, placed round robin: both pods answer.
  std::set<std::string> answered;
  REQUIRE(eventually([&] {
    for (int i = 0; i < 6; ++i) {
      auto reply = udp_ask(ip, 5300, "ping");
      if (reply.size() > 5 && reply.substr(reply.size() - 5) == ":ping") answered.insert(reply.substr(0, reply.size() - 5));
    }
    return answered.size() == 2;
  }, 30));
  CHECK(answered == std::set<std::string>(pods.begin(), pods.end()));
  CHECK(cluster_ip(k, "uecho-peers") == "None");

  // The headless name resolves, in a pod, to both pods' IPs (and nothing else).
  std::set<std::string> pod_ips;
  for (const auto& p : YAML::Load(k.berth({"get", "pods", "-l", "app=uecho", "-o", "json"}).out)["items"])
    pod_ips.insert(p["status"]["podIP"].as<std::string>());
  std::string last_lookup;  // shown when a check fails
  auto resolved = [&] {
    std::set<std::string> ips;
    auto now = ready_pods(k, "app=uecho");  // after the scale-down, one that stays
    if (now.empty()) return ips;
    auto r = exec_in(k, now[0], {"getent", "ahostsv4", "uecho-peers"});
    last_lookup = r.out + r.err;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      auto space = line.find(' ');
      if (space != std::string::npos) ips.insert(line.substr(0, space));
    }
    return ips;
  };
  CHECK_MESSAGE(eventually([&] { return resolved() == pod_ips; }, 20), last_lookup);

  // Scaled to one, the name follows the endpoints.
  REQUIRE(k.berth({"scale", "rc", "uecho", "--replicas=1"}).exit_code == 0);
  CHECK_MESSAGE(eventually([&] { return resolved().size() == 1; }, 40), last_lookup);
}

namespace {

/// Sends `msg` over a fresh TCP connection to ip:port and returns what comes
/// back within 3 s ("" when the connection fails or nothing comes).
std::string tcp_ask(const std::string& ip, int port, const std::string& msg) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  timeval limit{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::inet_pton(AF_INET, ip.c_str(), &to.sin_addr) == 1);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 &&
      ::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(msg.size())) {
    char buf[512];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) reply.assign(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

std::string pod_ip(docker_cluster& k, const std::string& pod) {
  auto r = k.berth({"get", "pod", pod, "-o", "json"});
  if (r.exit_code != 0) return "";
  auto p = YAML::Load(r.out);
  if (!p["status"]["podIP"] || !p["status"]["phase"] || p["status"]["phase"].as<std::string>() != "Running") return "";
  return p["status"]["podIP"].as<std::string>();
}

/// The IPs of every address of endpoints `name`, sorted.
std::vector<std::string> endpoint_ips(docker_cluster& k, const std::string& name) {
  std::vector<std::string> out;
  auto r = k.berth({"get", "endpoints", name, "-o", "json"});
  if (r.exit_code != 0) return out;
  for (const auto& subset : YAML::Load(r.out)["subsets"])
    for (const auto& a : subset["addresses"]) out.push_back(a["ip"].as<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::string endpoints_manifest(const std::string& name, const std::string& ip) {
  return fmt::format(R"(apiVersion: v1
kind: Endpoints
metadata:
  name: {}
subsets:
- addresses:
  - ip: {}
  ports:
  - port: 6379
)",
                     name, ip);
}

}  // namespace

TEST_CASE("a service without a selector reaches the endpoints a user wrote: proxy and DNS; a selector's win") {
  docker_cluster k;
  k.start_agent("a", {"--cluster-dns", "10.96.0.10"});
  // A pod no service selects: the hand-written endpoints name its IP.
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: store
  labels:
    role: store
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: redis
    image: gcr.io/google_containers/redis:e2e
    command: ["redis-server", "--protected-mode", "no"]
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  ports:
  - port: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: ext-peers
spec:
  clusterIP: None
  ports:
  - port: 6379
)");
  std::string ip;
  REQUIRE_MESSAGE(eventually([&] { return !(ip = pod_ip(k, "store")).empty(); }, 60),
                  k.berth({"get", "pods", "-o", "wide"}).out);
  const std::string svc_ip = cluster_ip(k, "ext");
  REQUIRE(svc_ip.rfind("10.96.", 0) == 0);
  // Nothing yet: the endpoints controller writes none for a selector-less service.
  CHECK(endpoint_ips(k, "ext").empty());

  auto wrote = k.berth({"create", "-f", "-"}, endpoints_manifest("ext", ip) + "---\n" + endpoints_manifest("ext-peers", ip));
  REQUIRE_MESSAGE(wrote.exit_code == 0, wrote.err);
  CHECK(endpoint_ips(k, "ext") == std::vector<std::string>{ip});
  CHECK_MESSAGE(eventually([&] { return tcp_ask(svc_ip, 6379, "PING\r\n") == "+PONG\r\n"; }, 30),
                k.berth({"get", "endpoints"}).out);

  // The headless name resolves, in a pod, to the address the user wrote.
  std::string last_lookup;
  CHECK_MESSAGE(eventually(
                    [&] {
                      auto r = exec_in(k, "store", {"getent", "ahostsv4", "ext-peers"});
                      last_lookup = r.out + r.err;
                      return r.exit_code == 0 && r.out.rfind(ip + " ", 0) == 0;
                    },
                    20),
                last_lookup);

  // Still the user's a while later: the controller left them alone.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(endpoint_ips(k, "ext") == std::vector<std::string>{ip});
  auto history = k.berth({"history", "endpoints/ext"});
  const std::string history_text = history.out + history.err;
  CHECK_MESSAGE(history.out.find("command endpointsReplaced  by admin") != std::string::npos, history_text);
  CHECK_MESSAGE(history.out.find("endpointsUpdated") == std::string::npos, history_text);  // no controller write

  // Deleted by the user: the proxy has nothing to send to and refuses at once.
  auto deleted = k.berth({"delete", "endpoints", "ext"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(eventually([&] { return tcp_ask(svc_ip, 6379, "PING\r\n").empty(); }, 20));

  // A service with a selector: its endpoints are the controller's, and a
  // user's write is overwritten with what the selector finds (Kubernetes).
  k.create(R"(apiVersion: v1
kind: Service
metadata:
  name: picked
spec:
  selector:
    role: store
  ports:
  - port: 6379
)");
  REQUIRE(eventually([&] { return endpoint_ips(k, "picked") == std::vector<std::string>{ip}; }, 30));
  auto overwrite = k.berth({"apply", "-f", "-"}, endpoints_manifest("picked", "192.0.2.1"));
  CHECK_MESSAGE(overwrite.exit_code == 0, overwrite.err);
  CHECK(eventually([&] { return endpoint_ips(k, "picked") == std::vector<std::string>{ip}; }, 30));
}
