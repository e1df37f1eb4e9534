// berth's command-line parsing: the good forms kubectl users type, and the
// exact message for each kind of mistake.
#include <doctest/doctest.h>

#include "cli/args.hpp"

using namespace berth;
using namespace berth::cli;

namespace {

command_line parse_ok(std::vector<std::string> args) {
  auto r = parse_args(args);
  INFO("error: " << r.error);
  REQUIRE(r.command.has_value());
  return *r.command;
}

std::string parse_error(std::vector<std::string> args) {
  auto r = parse_args(args);
  REQUIRE_FALSE(r.command.has_value());
  return r.error;
}

}  // namespace

TEST_CASE("get pods with a selector, a namespace, wide output and watch") {
  auto c = parse_ok({"get", "pods", "-l", "app=web", "-n", "prod", "-o", "wide", "-w"});
  CHECK(c.verb == verb::get);
  CHECK(c.kind == actors::kind::pod);
  CHECK(c.names.empty());
  CHECK(c.label_selector == "app=web");
  CHECK(c.namespace_ == "prod");
  CHECK(c.output == output_format::wide);
  CHECK(c.watch);
}

TEST_CASE("kubeconfig takes an optional data directory and nothing else") {
  auto c = parse_ok({"kubeconfig"});
  CHECK(c.verb == verb::kubeconfig);
  CHECK(c.data_dir.empty());
  CHECK(parse_ok({"kubeconfig", "--data-dir", "/var/lib/berth"}).data_dir == "/var/lib/berth");
  CHECK_FALSE(parse_args({"kubeconfig", "extra"}).command.has_value());
}

TEST_CASE("get --no-headers and --show-labels, as kubectl has them") {
  auto c = parse_ok({"get", "pods", "--no-headers", "--show-labels"});
  CHECK(c.no_headers);
  CHECK(c.show_labels);
  auto plain = parse_ok({"get", "pods"});
  CHECK_FALSE(plain.no_headers);
  CHECK_FALSE(plain.show_labels);
}

TEST_CASE("kind aliases: po, rc, svc, ep, no and the seed's minions") {
  CHECK(parse_kind("po") == actors::kind::pod);
  CHECK(parse_kind("pod") == actors::kind::pod);
  CHECK(parse_kind("rc") == actors::kind::replication_controller);
  CHECK(parse_kind("replicationcontrollers") == actors::kind::replication_controller);
  CHECK(parse_kind("svc") == actors::kind::service);
  CHECK(parse_kind("services") == actors::kind::service);
  CHECK(parse_kind("ep") == actors::kind::endpoints);
  CHECK(parse_kind("no") == actors::kind::node);
  CHECK(parse_kind("minions") == actors::kind::node);
  CHECK(parse_kind("limits") == actors::kind::limit_range);
  CHECK(parse_kind("limitranges") == actors::kind::limit_range);
  CHECK(parse_kind("quota") == actors::kind::resource_quota);
  CHECK(parse_kind("resourcequotas") == actors::kind::resource_quota);
  CHECK_FALSE(parse_kind("deployments").has_value());
}

TEST_CASE("flag spellings: --flag=value, -ovalue, -o=value, grouped booleans, flags before the kind") {
  auto a = parse_ok({"get", "--output=json", "rc", "web"});
  CHECK(a.output == output_format::json);
  CHECK(a.kind == actors::kind::replication_controller);
  CHECK(a.names == std::vector<std::string>{"web"});
  CHECK(parse_ok({"get", "svc", "-oyaml"}).output == output_format::yaml);
  CHECK(parse_ok({"get", "svc", "-o=name"}).output == output_format::name);
  auto g = parse_ok({"get", "pods", "-wA"});
  CHECK(g.watch);
  CHECK(g.all_namespaces);
  auto s = parse_ok({"get", "pods", "--field-selector", "spec.nodeName=n1", "--all-namespaces"});
  CHECK(s.field_selector == "spec.nodeName=n1");
  CHECK(s.all_namespaces);
}

TEST_CASE("global flags may come before the verb") {
  auto c = parse_ok({"--server", "10.0.0.1:7420", "--token-file=/d/admin.token", "-n", "x", "get", "nodes"});
  CHECK(c.connection.server == "10.0.0.1:7420");
  CHECK(c.connection.token_file == "/d/admin.token");
  CHECK_FALSE(c.connection.token.has_value());
  CHECK(c.namespace_ == "x");
  CHECK(c.kind == actors::kind::node);
  CHECK(parse_ok({"-s", "h:1", "--token", "t", "version"}).connection.token == "t");
}

TEST_CASE("KIND/NAME form, several names of one kind") {
  auto c = parse_ok({"get", "pod/a", "pod/b"});
  CHECK(c.kind == actors::kind::pod);
  CHECK(c.names == std::vector<std::string>{"a", "b"});
  CHECK(parse_ok({"describe", "rc", "web", "db"}).names == std::vector<std::string>{"web", "db"});
}

TEST_CASE("create and apply take -f (repeated, - for stdin) and --dry-run") {
  auto c = parse_ok({"create", "-f", "a.yaml", "--filename=dir", "-f", "-", "--dry-run"});
  CHECK(c.verb == verb::create);
  CHECK(c.files == std::vector<std::string>{"a.yaml", "dir", "-"});
  CHECK(c.dry_run);
  CHECK(parse_ok({"apply", "-f", "x", "--dry-run=server"}).dry_run);
  CHECK_FALSE(parse_ok({"apply", "-f", "x", "--dry-run=none"}).dry_run);
}

TEST_CASE("delete by name, by selector, by file; --grace-period and --now") {
  auto byname = parse_ok({"delete", "pod", "x", "--grace-period", "0"});
  CHECK(byname.verb == verb::remove);
  CHECK(byname.names == std::vector<std::string>{"x"});
  CHECK(byname.grace_period == 0);
  CHECK(parse_ok({"delete", "pods", "-l", "app=web"}).label_selector == "app=web");
  CHECK(parse_ok({"delete", "-f", "web.yaml"}).files == std::vector<std::string>{"web.yaml"});
  CHECK(parse_ok({"delete", "rc/web", "--now"}).grace_period == 1);
  CHECK(parse_ok({"delete", "rc/web"}).grace_period == -1);
  CHECK_FALSE(parse_ok({"delete", "rc/web"}).orphan);
  CHECK(parse_ok({"delete", "rc/web", "--cascade=orphan"}).orphan);
  CHECK(parse_ok({"delete", "rc/web", "--cascade", "false"}).orphan);
  CHECK_FALSE(parse_ok({"delete", "rc/web", "--cascade=foreground"}).orphan);
}

TEST_CASE("scale rc NAME --replicas=N and scale --replicas=N rc/NAME") {
  auto a = parse_ok({"scale", "rc", "web", "--replicas=3"});
  CHECK(a.kind == actors::kind::replication_controller);
  CHECK(a.names == std::vector<std::string>{"web"});
  CHECK(a.replicas == 3);
  auto b = parse_ok({"scale", "--replicas", "0", "rc/web"});
  CHECK(b.replicas == 0);
  CHECK(b.names == std::vector<std::string>{"web"});
}

TEST_CASE("logs: -f means follow here, -c, --tail, --previous") {
  auto c = parse_ok({"logs", "web-x7k2q", "-c", "nginx", "-f", "--tail", "20", "--previous"});
  CHECK(c.kind == actors::kind::pod);
  CHECK(c.names == std::vector<std::string>{"web-x7k2q"});
  CHECK(c.logs == logs_flags{"nginx", true, 20, true, false});
  CHECK(parse_ok({"logs", "pod/p"}).names == std::vector<std::string>{"p"});
}

TEST_CASE("help: --help, -h and `berth help VERB` ask for usage") {
  auto a = parse_args({"get", "--help"});
  REQUIRE(a.command);
  CHECK(a.command->help);
  CHECK(a.usage.rfind("Usage: berth get KIND", 0) == 0);
  auto b = parse_args({"help", "scale"});
  REQUIRE(b.command);
  CHECK(b.command->help);
  CHECK(b.usage == "Usage: berth scale rc NAME --replicas=N");
  CHECK(parse_args({"-h"}).usage.rfind("Usage: berth COMMAND", 0) == 0);
}

TEST_CASE("bad arguments give exact messages and the verb's usage") {
  CHECK(parse_error({}) == "no command given");
  CHECK(parse_error({"frobnicate"}) == "unknown command \"frobnicate\"");
  CHECK(parse_error({"get"}) ==
        "you must specify the type of resource to get; use one of: pods (po), replicationcontrollers (rc), "
        "services (svc), endpoints (ep), nodes (no, minions)");
  CHECK(parse_error({"get", "deployments"}) ==
        "unknown resource type \"deployments\"; use one of: pods (po), replicationcontrollers (rc), services (svc), "
        "endpoints (ep), nodes (no, minions)");
  CHECK(parse_error({"get", "pods", "--frob"}) == "unknown flag: --frob");
  CHECK(parse_error({"get", "pods", "-x"}) == "unknown shorthand flag: 'x' in -x");
  CHECK(parse_error({"get", "pods", "-n"}) == "--namespace: needs a value");
  CHECK(parse_error({"get", "pods", "-o", "xml"}) == "--output: expected one of json, name, wide, yaml, got \"xml\"");
  CHECK(parse_error({"get", "pods", "x", "-l", "a=b"}) == "name cannot be provided when a selector is specified");
  CHECK(parse_error({"get", "pods", "x", "-A"}) == "a resource cannot be retrieved by name across all namespaces");
  CHECK(parse_error({"get", "pods", "a", "b", "-w"}) ==
        "watch is only supported on one resource or a whole kind, not 2 names");
  CHECK(parse_error({"get", "pod/a", "rc/b"}) == "all resources must be of one type: pods and replicationcontrollers");
  CHECK(parse_error({"--watch", "get", "pods"}) == "flag --watch must come after the command");
  CHECK(parse_error({"create"}) == "must specify -f FILE|DIR|-");
  CHECK(parse_error({"create", "pods", "-f", "x"}) == "unexpected argument \"pods\"");
  CHECK(parse_error({"create", "-f", "x", "--dry-run=maybe"}) ==
        "--dry-run: expected one of true, false, server, client, none, got \"maybe\"");
  CHECK(parse_error({"delete"}) == "you must specify KIND NAME, KIND -l SELECTOR or -f FILE");
  CHECK(parse_error({"delete", "pods"}) == "resource(s) were provided, but no name was specified");
  CHECK(parse_error({"delete", "pods", "x", "-f", "y"}) == "cannot delete both by -f and by KIND NAME or -l");
  CHECK(parse_error({"delete", "pod", "x", "--grace-period=-5"}) ==
        "--grace-period: expected a whole number >= 0, got \"-5\"");
  CHECK(parse_error({"delete", "rc", "web", "--cascade=maybe"}) ==
        "--cascade: expected one of background, foreground, orphan, true, false, got \"maybe\"");
  CHECK(parse_error({"scale", "rc", "web"}) ==
        "the --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  CHECK(parse_error({"scale", "rc", "web", "--replicas=three"}) ==
        "--replicas: expected a whole number from 0 to 2147483647, got \"three\"");
  CHECK(parse_error({"scale", "pod", "x", "--replicas=2"}) ==
        "cannot scale pods: only replicationcontrollers (rc) can be scaled");
  CHECK(parse_error({"scale", "rc", "--replicas=2"}) == "scale needs exactly one resource: rc NAME or rc/NAME");
  CHECK(parse_error({"logs"}) == "logs needs exactly one pod: berth logs POD");
  CHECK(parse_error({"logs", "rc/web"}) == "logs works on pods only, not replicationcontrollers");
  CHECK(parse_error({"version", "now"}) == "unexpected argument \"now\"");
  CHECK(parse_error({"create", "-f", "x", "--watch"}) == "unknown flag: --watch");
}

TEST_CASE("a bad argument's usage is the verb's own") {
  auto r = parse_args({"scale", "rc", "web"});
  CHECK(r.usage == "Usage: berth scale rc NAME --replicas=N");
  CHECK(parse_args({"frobnicate"}).usage.rfind("Usage: berth COMMAND [ARGS]", 0) == 0);
}

TEST_CASE("-- ends the flags: a pod named -x") {
  auto c = parse_ok({"get", "pods", "--", "-x"});
  CHECK(c.names == std::vector<std::string>{"-x"});
}

TEST_CASE("errors of the CLI11 parser name the flag and what it expected") {
  CHECK(parse_error({"logs", "p", "--tail", "abc"}) == "--tail: expected a whole number >= -1, got \"abc\"");
  CHECK(parse_error({"scale", "rc", "web", "--replicas", "99999999999"}) ==
        "--replicas: expected a whole number from 0 to 2147483647, got \"99999999999\"");
  CHECK(parse_error({"get", "pods", "--watch=maybe"}) == "--watch: expected one of true, false, got \"maybe\"");
  CHECK(parse_error({"scale", "rc", "web", "--replicas"}) == "--replicas: needs a value");
  CHECK(parse_error({"logs", "p", "-c"}) == "--container: needs a value");
  CHECK(parse_error({"get", "pods", "--frob=1"}) == "unknown flag: --frob");
  CHECK(parse_error({"get", "pods", "-wx"}) == "unknown shorthand flag: 'x' in -x");
  CHECK(parse_error({"-o", "json", "get", "pods"}) == "flag -o must come after the command");
  CHECK(parse_error({"help", "frobnicate"}) == "unknown command \"frobnicate\"");
  CHECK(parse_error({"version", "--", "x"}) == "unexpected argument \"x\"");
}

TEST_CASE("kubectl habits CLI11 is set up to keep") {
  // Global flags after the verb, and a name that is also a verb.
  auto c = parse_ok({"get", "pods", "create", "--server", "h:1", "-n", "x"});
  CHECK(c.names == std::vector<std::string>{"create"});
  CHECK(c.connection.server == "h:1");
  CHECK(c.namespace_ == "x");
  // A switch's =false, a negative number as a value, stdin as a file.
  CHECK_FALSE(parse_ok({"get", "pods", "--watch=false"}).watch);
  CHECK(parse_ok({"logs", "p", "--tail", "-1"}).logs.tail_lines == -1);
  CHECK(parse_ok({"apply", "-f", "-"}).files == std::vector<std::string>{"-"});
  // The last of a repeated flag wins; -f keeps every one.
  CHECK(parse_ok({"get", "pods", "-o", "json", "-o", "yaml"}).output == output_format::yaml);
  CHECK(parse_ok({"delete", "-f", "a", "-f", "b"}).files == std::vector<std::string>{"a", "b"});
  CHECK(parse_ok({"scale", "rc/web", "--replicas", "2", "-s", "h:2"}).connection.server == "h:2");
}

TEST_CASE("--help is CLI11's: the verb's usage, then each flag with what it does") {
  auto r = parse_args({"logs", "-h"});
  REQUIRE(r.command);
  CHECK(r.command->help);
  CHECK(r.help_text.rfind("Usage: berth logs POD", 0) == 0);
  CHECK(r.help_text.find("--tail") != std::string::npos);
  CHECK(r.help_text.find("keep printing new lines") != std::string::npos);
  auto all = parse_args({"--help"});
  REQUIRE(all.command);
  CHECK(all.help_text.find("scale") != std::string::npos);
  CHECK(all.help_text.find("--token-file") != std::string::npos);
  CHECK(parse_args({"help", "get"}).help_text.find("--field-selector") != std::string::npos);
}

TEST_CASE("rolling-update: OLD with -f, or with --image (and an optional NEW), durations, --rollback") {
  using std::chrono::milliseconds;
  struct row {
    std::vector<std::string> args;
    std::vector<std::string> names;
    std::vector<std::string> files;
    std::string image, container;
    milliseconds update_period, poll_interval, timeout;
    bool rollback;
  };
  const milliseconds m1{60'000}, s3{3'000}, m5{300'000};
  const row rows[] = {
      {{"rolling-update", "web", "-f", "web-v2.yaml"}, {"web"}, {"web-v2.yaml"}, "", "", m1, s3, m5, false},
      {{"rolling-update", "rc/web", "--filename=-"}, {"web"}, {"-"}, "", "", m1, s3, m5, false},
      {{"rolling-update", "web", "--image", "busybox:1.36"}, {"web"}, {}, "busybox:1.36", "", m1, s3, m5, false},
      {{"rolling-update", "web", "web-next", "--image=nginx", "--container", "front"},
       {"web", "web-next"}, {}, "nginx", "front", m1, s3, m5, false},
      {{"rolling-update", "web", "-f", "n.yaml", "--update-period", "0s", "--poll-interval", "100ms", "--timeout", "2m"},
       {"web"}, {"n.yaml"}, "", "", milliseconds{0}, milliseconds{100}, milliseconds{120'000}, false},
      {{"rolling-update", "web", "--rollback"}, {"web"}, {}, "", "", m1, s3, m5, true},
      {{"rolling-update", "web", "--rollback", "-f", "n.yaml"}, {"web"}, {"n.yaml"}, "", "", m1, s3, m5, true},
  };
  for (const auto& r : rows) {
    CAPTURE(r.args);
    auto c = parse_ok(r.args);
    CHECK(c.verb == verb::rolling_update);
    CHECK(c.kind == actors::kind::replication_controller);
    CHECK(c.names == r.names);
    CHECK(c.files == r.files);
    CHECK(c.rolling_update.image == r.image);
    CHECK(c.rolling_update.container == r.container);
    CHECK(c.rolling_update.update_period == r.update_period);
    CHECK(c.rolling_update.poll_interval == r.poll_interval);
    CHECK(c.rolling_update.timeout == r.timeout);
    CHECK(c.rolling_update.rollback == r.rollback);
  }
  CHECK(parse_ok({"rolling-update", "web", "-f", "x", "-n", "prod"}).namespace_ == "prod");
}

TEST_CASE("rolling-update: each mistake named, before anything is sent") {
  struct row {
    std::vector<std::string> args;
    std::string error;
  };
  const row rows[] = {
      {{"rolling-update"}, "must specify the replication controller to update: berth rolling-update OLD (-f FILE | "
                           "--image IMAGE)"},
      {{"rolling-update", "web"}, "must specify --filename or --image for the new controller (or --rollback)"},
      {{"rolling-update", "web", "-f", "n.yaml", "--image", "nginx"}, "--filename and --image can not both be specified"},
      {{"rolling-update", "web", "-f", "a.yaml", "-f", "b.yaml"}, "--filename: one file, the new controller, not 2"},
      {{"rolling-update", "web", "web2", "-f", "n.yaml"},
       "unexpected argument \"web2\": only --image takes a NEW name after OLD"},
      {{"rolling-update", "a", "b", "c", "--image", "x"}, "unexpected argument \"c\": only --image takes a NEW name after OLD"},
      {{"rolling-update", "web", "web", "--image", "x"},
       "NEW \"web\" cannot have the same name as the existing replication controller"},
      {{"rolling-update", "web", "-f", "n.yaml", "--container", "c"}, "--container goes with --image"},
      {{"rolling-update", "pod/web", "--image", "x"}, "rolling-update works on replication controllers only, not \"pod/web\""},
      {{"rolling-update", "web", "-f", "n.yaml", "--update-period", "1m30s"},
       "--update-period: expected a duration like 500ms, 10s or 2m, got \"1m30s\""},
      {{"rolling-update", "web", "-f", "n.yaml", "--poll-interval", "3"},
       "--poll-interval: expected a duration like 500ms, 10s or 2m, got \"3\""},
      {{"rolling-update", "web", "-f", "n.yaml", "--timeout", "-5s"},
       "--timeout: expected a duration like 500ms, 10s or 2m, got \"-5s\""},
      {{"rolling-update", "web", "-f", "n.yaml", "--poll-interval", "0s"}, "--poll-interval: must be longer than 0s"},
      {{"rolling-update", "web", "-f", "n.yaml", "--timeout", "0ms"}, "--timeout: must be longer than 0s"},
      {{"rolling-update", "web", "-f", "n.yaml", "--rollback=maybe"},
       "--rollback: expected one of true, false, got \"maybe\""},
      {{"rolling-update", "web", "-f", "n.yaml", "--replicas", "3"}, "unknown flag: --replicas"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.args);
    CHECK(parse_error(r.args) == r.error);
  }
  CHECK(parse_args({"rolling-update", "web"}).usage.rfind("Usage: berth rolling-update OLD (-f NEW-FILE", 0) == 0);
}
