// The Kubernetes v1.0 celery-rabbitmq example, its manifests unchanged and in
// its README's order, on the real local Docker, with the images
// tools/build-example-images makes from Debian's rabbitmq-server and
// python3-celery plus the example's own celery-app-add files (tools/test
// builds them first). examples/kubernetes-v1.0.0/RUNNING.md says how to run
// it by hand.
//
// The manifests limit every container to 100m of CPU, which berth gives
// Docker as NanoCpus: RabbitMQ's first boot then takes one to two minutes,
// and the waits below are sized for that.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

/// The one pod of an RC's selector, or "" while there is not exactly one.
std::string only_pod(docker_cluster& k, const std::string& selector) {
  auto names = k.pod_names(selector);
  return names.size() == 1 ? names[0] : "";
}

std::string waiting_reason(const YAML::Node& pod) {
  auto c = first_container_status(pod);
  return c && c["state"]["waiting"] && c["state"]["waiting"]["reason"]
             ? c["state"]["waiting"]["reason"].as<std::string>()
             : "";
}

void create_example_file(docker_cluster& k, const std::string& file) {
  auto created = k.berth({"create", "-f", example_path("celery-rabbitmq/" + file)});
  REQUIRE_MESSAGE(created.exit_code == 0, file, ": ", created.err);
}

/// How many celery_conf.add tasks the worker has done, from `celery inspect
/// stats` ("total": {"celery_conf.add": N}); 0 when it does not say.
int tasks_done(const std::string& stats) {
  const std::string key = "\"celery_conf.add\": ";
  auto at = stats.find(key);
  return at == std::string::npos ? 0 : std::atoi(stats.c_str() + at + key.size());
}

/// `berth exec POD -- COMMAND...`, bounded by coreutils' timeout in the
/// container: a client of a broker that is not up yet may wait long.
process_result exec_in(docker_cluster& k, const std::string& pod, std::vector<std::string> command) {
  std::vector<std::string> args{"exec", pod, "--", "timeout", "90"};
  args.insert(args.end(), command.begin(), command.end());
  return k.berth(args);
}

}  // namespace

TEST_CASE("celery-rabbitmq: the worker computes add(19, 23) through RabbitMQ, and run_tasks.py's tasks are done") {
  docker_cluster k;
  k.start_agent("a");

  // Steps 1-3. The service comes first, so that the worker's pod gets
  // RABBITMQ_SERVICE_SERVICE_HOST, its address, in its environment.
  create_example_file(k, "rabbitmq-service.yaml");
  create_example_file(k, "rabbitmq-controller.yaml");
  create_example_file(k, "celery-controller.yaml");

  std::string rabbitmq;
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        rabbitmq = only_pod(k, "component=rabbitmq");
                        return !rabbitmq.empty() && !k.ready_pod_ip(rabbitmq).empty();
                      },
                      60),
                  k.berth({"get", "pods"}).out, k.agents["a"]->err());
  // The broker says on stdout when it accepts connections.
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        return k.berth({"logs", rabbitmq}).out.find("Server startup complete") != std::string::npos;
                      },
                      240),
                  k.berth({"logs", rabbitmq}).out);
  auto broker_log = k.berth({"logs", rabbitmq}).out;
  CHECK_MESSAGE(broker_log.find("started TCP listener on [::]:5672") != std::string::npos, broker_log);

  // The worker's container runs run.sh: the worker in the background and
  // run_tasks.py in the foreground, which exits (and is restarted) while the
  // broker is not up yet. (120 s: it may be waiting out a restart delay, and
  // Python imports Celery slowly on a tenth of a CPU.)
  std::string celery;
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        celery = only_pod(k, "component=celery");
                        return !celery.empty() && !k.ready_pod_ip(celery).empty();
                      },
                      120),
                  k.berth({"describe", "pods", "-l", "component=celery"}).out);
  // (Again until it answers: the container seen running may be the last run
  // that started before the broker was up.)
  process_result env;
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        env = k.berth({"exec", celery, "--", "printenv", "RABBITMQ_SERVICE_SERVICE_HOST"});
                        return env.exit_code == 0;
                      },
                      60),
                  env.err);
  auto service = k.berth({"get", "service", "rabbitmq-service", "-o", "json"});
  REQUIRE_MESSAGE(service.exit_code == 0, service.err);
  CHECK(nonempty_lines_of(env.out) ==
        std::vector<std::string>{YAML::Load(service.out)["spec"]["clusterIP"].as<std::string>()});

  // A task sent as the README describes: add.delay() goes to the broker
  // through the service's address, the worker computes it, and the result
  // comes back through the broker (celery_conf.py's result backend).
  process_result sum;
  CHECK_MESSAGE(eventually(
                    [&] {
                      sum = exec_in(k, celery,
                                    {"python", "-c", "from celery_conf import add; print(add.delay(19, 23).get(timeout=30))"});
                      return sum.exit_code == 0;
                    },
                    180),
                sum.out, sum.err);
  CHECK(nonempty_lines_of(sum.out) == std::vector<std::string>{"42"});

  // The worker answers by name over the broker (given 10 s, not 1: it has a
  // tenth of a CPU).
  process_result ping;
  CHECK_MESSAGE(eventually(
                    [&] {
                      ping = exec_in(k, celery, {"celery", "-A", "celery_conf", "inspect", "ping", "--timeout", "10"});
                      return ping.exit_code == 0;
                    },
                    90),
                ping.out, ping.err);
  CHECK_MESSAGE(ping.out.find("1 node online.") != std::string::npos, ping.out);

  // run_tasks.py sends add(x, y) every 5 s: the worker's count of tasks done
  // grows past the one above. (The worker logs at WARNING level, so
  // /data/celery.log does not show them; Flower would.)
  int done = 0;
  CHECK_MESSAGE(eventually(
                    [&] {
                      done = tasks_done(exec_in(k, celery, {"celery", "-A", "celery_conf", "inspect", "stats",
                                                            "--timeout", "10"}).out);
                      return done >= 3;
                    },
                    90),
                done);

  // Step 4. Debian has no flower, so endocode/flower is not built here: its
  // pod waits for the image, as RUNNING.md says.
  create_example_file(k, "flower-service.yaml");
  create_example_file(k, "flower-controller.yaml");
  CHECK_MESSAGE(eventually(
                    [&] {
                      auto flower = only_pod(k, "component=flower");
                      return !flower.empty() && waiting_reason(k.pod(flower)) == "ErrImageNeverPull";
                    },
                    30),
                k.berth({"describe", "pods", "-l", "component=flower"}).out);
}
