#include "cli/args.hpp"

#include <fmt/format.h>

#include <map>

#include "actors/cmdline/duration.hpp"

#include "actors/cmdline/options.hpp"

namespace berth::cli {
namespace {

constexpr std::pair<std::string_view, verb> k_verbs[] = {
    {"create", verb::create},     {"apply", verb::apply},     {"get", verb::get},
    {"describe", verb::describe}, {"delete", verb::remove},   {"scale", verb::scale},
    {"rolling-update", verb::rolling_update},                 {"logs", verb::logs},
    {"exec", verb::exec},         {"version", verb::version}, {"kubeconfig", verb::kubeconfig},
    {"help", verb::help}};

constexpr std::string_view k_kinds_hint =
    "pods (po), replicationcontrollers (rc), services (svc), endpoints (ep), nodes (no, minions)";

/// What each verb does, for `berth --help`'s list of commands.
const char* summary_of(verb v) {
  switch (v) {
    case verb::create: return "create the objects of manifests";
    case verb::apply: return "create or update the objects of manifests";
    case verb::get: return "list objects, or watch them change";
    case verb::describe: return "show objects in detail, with their events";
    case verb::remove: return "delete objects by name, selector or manifest";
    case verb::scale: return "set a replication controller's replicas";
    case verb::rolling_update: return "replace a replication controller's pods one by one";
    case verb::logs: return "print a pod's container logs";
    case verb::exec: return "run a command in a pod's container";
    case verb::version: return "print the client's and berthd's versions";
    case verb::kubeconfig: return "print berthd's kubeconfig, for kubectl";
    case verb::help: return "print the help of a command";
  }
  return "";
}

/// The value of -o, already checked by its validator.
output_format output_of(const std::string& text) {
  static constexpr std::pair<std::string_view, output_format> formats[] = {{"wide", output_format::wide},
                                                                           {"json", output_format::json},
                                                                           {"yaml", output_format::yaml},
                                                                           {"name", output_format::name}};
  for (auto [name, format] : formats)
    if (text == name) return format;
  return output_format::table;
}

/// The berth command line as a CLI11 app: one subcommand a verb, each with
/// its own flags (so -f is --filename for create and --follow for logs),
/// the global flags on the app itself (CLI11's fallthrough lets them come
/// after the verb too). Values land in `c_`; KIND NAME... land in
/// positionals_ and are checked per verb once parsing is done, because
/// what they may be depends on the verb and on the flags around them.
class parser {
 public:
  parser() {
    cmdline::configure(app_);
    app_.description("berth: the command-line client of berthd");
    app_.footer(fmt::format("KIND is one of: {}\nmore: berth help COMMAND", k_kinds_hint));
    app_.fallthrough();
    app_.require_subcommand(0, 1);  // a name after the verb ("get pods logs") is a name, not a second verb
    cmdline::set_synopsis(app_,
                          "Usage: berth COMMAND [ARGS] [--server HOST:PORT] [--token TOKEN | --token-file FILE] "
                          "[-n NAMESPACE]");
    app_.add_option_function<std::string>(
            "-s,--server", [this](const std::string& v) { c_.connection.server = v; },
            "berthd's address (default: $BERTH_SERVER, ~/.berth/config, "
            "127.0.0.1:7420)")
        ->type_name("HOST:PORT");
    app_.add_option_function<std::string>(
            "--token", [this](const std::string& v) { c_.connection.token = v; },
            "the admin token (default: $BERTH_TOKEN, ~/.berth/config)")
        ->type_name("TOKEN");
    app_.add_option_function<std::string>(
            "--token-file", [this](const std::string& v) { c_.connection.token_file = v; },
            "read the token from FILE (berthd's DATA/admin.token)")
        ->type_name("FILE");
    app_.add_option_function<std::string>(
            "--ca-file", [this](const std::string& v) { c_.connection.ca_file = v; },
            "the cluster CA that vouches for berthd (default: $BERTH_CA, ~/.berth/config, ca.crt beside the "
            "token file)")
        ->type_name("FILE");
    cmdline::add_switch(app_, "--insecure-rpc", c_.connection.insecure_rpc,
                        "plain TCP, for a berthd started with --insecure-rpc (tests only)");
    app_.add_option_function<std::string>(
            "-n,--namespace", [this](const std::string& v) { c_.namespace_ = v; },
            "the namespace (default: default, or the manifest's own)")
        ->type_name("NAMESPACE");
    for (auto [name, v] : k_verbs) add_verb(std::string(name), v);
  }

  parse_result run(const std::vector<std::string>& args) {
    auto out = cmdline::parse(app_, args, true);
    bool verb_known = out.concerned != &app_;
    if (verb_known) c_.verb = verb_of(out.concerned);
    if (out.status == cmdline::outcome::kind::help) {
      c_.help = true;
      return {c_, "", usage_of(c_.verb), out.message};
    }
    if (out.status == cmdline::outcome::kind::error) return failed(out.message);
    if (!out.extras.empty()) return failed(extra_error(out.extras.front(), verb_known));
    // exec: what follows -- is the command, not more names.
    if (verb_known && c_.verb == verb::exec)
      c_.exec.command = out.after_dashes;
    else
      positionals_.insert(positionals_.end(), out.after_dashes.begin(), out.after_dashes.end());
    if (verb_known && c_.verb == verb::help) return help_topic();
    if (now_) c_.grace_period = 1;
    c_.orphan = cascade_ == "orphan" || cascade_ == "false";
    c_.dry_run = dry_run_ == "true" || dry_run_ == "server" || dry_run_ == "client";
    check_verb();
    if (!error_.empty()) return failed(error_);
    return {c_, "", usage_of(c_.verb), ""};
  }

 private:
  parse_result failed(std::string error) { return {std::nullopt, std::move(error), usage_of(c_.verb), ""}; }

  verb verb_of(const CLI::App* sub) const {
    for (auto [v, app] : verbs_)
      if (app == sub) return v;
    return verb::help;
  }

  /// `berth help [COMMAND]`: the help of that command (of berth without one).
  parse_result help_topic() {
    c_.help = true;
    if (positionals_.empty()) return {c_, "", usage_of(verb::help), app_.help()};
    for (auto [name, v] : k_verbs) {
      if (positionals_[0] == name && v != verb::help) {
        c_.verb = v;
        return {c_, "", usage_of(v), verbs_.at(v)->help("berth")};
      }
    }
    c_.verb = verb::help;
    return failed(fmt::format("unknown command \"{}\"", positionals_[0]));
  }

  /// An argument no option took: a flag of another place, or a stray word.
  std::string extra_error(const std::string& arg, bool verb_known) const {
    bool flag = arg.size() > 1 && arg[0] == '-';
    if (!flag) return verb_known ? cmdline::unknown_argument(arg) : fmt::format("unknown command \"{}\"", arg);
    std::string name = arg.substr(0, arg.find('='));
    if (name.size() > 2 && name[1] != '-') name.resize(2);  // -wx: CLI11 reports the rest of a group as -x
    // Only the global flags are known before the verb; the verb's own flags
    // there end up here (CLI11 has not seen the verb yet).
    for (auto [v, app] : verbs_) {
      if ((!verb_known || v == c_.verb) && app->get_option_no_throw(name) != nullptr)
        return fmt::format("flag {} must come after the command", name);
    }
    return cmdline::unknown_argument(arg);
  }

  void add_verb(const std::string& name, verb v);
  void add_rolling_update_flags(CLI::App& sub);
  void check_rolling_update();
  bool resources();
  bool set_kind(const std::string& text);
  void check_verb();
  void check_select(const char* what);

  CLI::App app_{"", "berth"};
  std::map<verb, CLI::App*> verbs_;
  command_line c_;
  std::vector<std::string> positionals_;
  std::string dry_run_ = "false";
  std::string cascade_ = "background";
  bool now_ = false;
  std::string error_;
};

void parser::add_verb(const std::string& name, verb v) {
  CLI::App* sub = app_.add_subcommand(name, summary_of(v));
  verbs_[v] = sub;
  cmdline::set_synopsis(*sub, usage_of(v));
  sub->footer("Global flags: -s/--server, --token, --token-file, --ca-file, -n/--namespace (berth --help)");
  auto text = [&](const std::string& flags, std::string& into, const std::string& what, const std::string& type) {
    sub->add_option(flags, into, what)->type_name(type)->transform(cmdline::short_equals());
  };
  auto files = [&](const std::string& what =
                       "a manifest (YAML or JSON), a directory of them, or - for stdin; repeatable") {
    sub->add_option_function<std::string>(
           "-f,--filename", [this](const std::string& f) { c_.files.push_back(f); }, what)
        ->type_name("FILE|DIR|-")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->trigger_on_parse()
        ->transform(cmdline::short_equals());
  };
  std::string kinds = v == verb::logs || v == verb::exec ? "POD or pod/POD" : "KIND NAME..., or KIND/NAME...";
  if (v == verb::help) kinds = "the command to explain";
  if (v == verb::rolling_update)
    kinds = "OLD, the controller to replace (with --image, optionally NEW, its successor's name)";
  if (v != verb::create && v != verb::apply && v != verb::kubeconfig)
    sub->add_option("resources", positionals_, kinds)->type_name("");
  switch (v) {
    case verb::create:
    case verb::apply:
      files();
      sub->add_flag("--dry-run", dry_run_, "check the objects, change nothing (=server|client: the same; =none: off)")
          ->check(cmdline::one_of({"true", "false", "server", "client", "none"}));
      break;
    case verb::get:
      text("-l,--selector", c_.label_selector, "only objects whose labels match (app=web,tier!=db)", "SELECTOR");
      text("--field-selector", c_.field_selector, "only objects whose fields match (spec.nodeName=n1)", "SELECTOR");
      cmdline::add_switch(*sub, "-A,--all-namespaces", c_.all_namespaces, "every namespace");
      sub->add_option_function<std::string>(
             "-o,--output", [this](const std::string& o) { c_.output = output_of(o); },
             "wide, json, yaml or name (default: a table)")
          ->type_name("FORMAT")
          ->transform(cmdline::short_equals())
          ->check(cmdline::one_of({"json", "name", "wide", "yaml"}));
      cmdline::add_switch(*sub, "-w,--watch", c_.watch, "after the list, print each change as it happens");
      cmdline::add_switch(*sub, "--no-headers", c_.no_headers, "tables without their header line");
      cmdline::add_switch(*sub, "--show-labels", c_.show_labels, "tables end with each object's labels");
      break;
    case verb::describe:
      text("-l,--selector", c_.label_selector, "only objects whose labels match (app=web,tier!=db)", "SELECTOR");
      cmdline::add_switch(*sub, "-A,--all-namespaces", c_.all_namespaces, "every namespace");
      break;
    case verb::remove:
      files();
      text("-l,--selector", c_.label_selector, "delete the objects whose labels match", "SELECTOR");
      sub->add_option("--grace-period", c_.grace_period, "seconds a pod has to stop (default: the pod's own)")
          ->type_name("N")
          ->check(cmdline::whole_number(0));
      cmdline::add_switch(*sub, "--now", now_, "stop at once: --grace-period=1");
      sub->add_option("--cascade", cascade_,
                      "background (default): an RC's pods go with it; orphan: they stay, unowned")
          ->type_name("MODE")
          ->check(cmdline::one_of({"background", "foreground", "orphan", "true", "false"}));
      break;
    case verb::scale:
      sub->add_option("--replicas", c_.replicas, "the number of replicas wanted (required)")
          ->type_name("N")
          ->check(cmdline::whole_number(0, std::numeric_limits<std::int32_t>::max()));
      break;
    case verb::rolling_update:
      files("the new controller: one ReplicationController (YAML or JSON), or - for stdin");
      add_rolling_update_flags(*sub);
      break;
    case verb::logs:
      text("-c,--container", c_.logs.container, "the container (default: the pod's only or first one)", "CONTAINER");
      cmdline::add_switch(*sub, "-f,--follow", c_.logs.follow, "keep printing new lines");
      sub->add_option("--tail", c_.logs.tail_lines, "only the last N lines (default -1: all)")
          ->type_name("N")
          ->check(cmdline::whole_number(-1));
      cmdline::add_switch(*sub, "-p,--previous", c_.logs.previous, "the logs of the container's previous run");
      cmdline::add_switch(*sub, "--timestamps", c_.logs.timestamps, "prefix each line with its time");
      break;
    case verb::exec:
      text("-c,--container", c_.exec.container, "the container (default: the pod's only one)", "CONTAINER");
      cmdline::add_switch(*sub, "-i,--stdin", c_.exec.stdin_, "pass standard input to the command");
      cmdline::add_switch(*sub, "-t,--tty", c_.exec.tty, "give the command a terminal (stderr joins stdout)");
      break;
    case verb::kubeconfig:
      text("--data-dir", c_.data_dir, "berthd's data directory (default: $BERTH_DATA_DIR, ./berth-data)", "DIR");
      break;
    case verb::version:
    case verb::help: break;
  }
}

void parser::add_rolling_update_flags(CLI::App& sub) {
  auto& r = c_.rolling_update;
  sub.add_option("--image", r.image, "the new controller is the old one with this image (instead of -f)")
      ->type_name("IMAGE");
  sub.add_option("--container", r.container, "with --image: the container whose image changes (default: the only one)")
      ->type_name("NAME");
  auto duration = [&](const std::string& name, std::chrono::milliseconds& into, const std::string& what) {
    sub.add_option_function<std::string>(
           name, [&into](const std::string& v) { into = *cmdline::parse_duration(v); },
           fmt::format("{} (default {})", what, cmdline::format_duration(into)))
        ->type_name("DURATION")
        ->check(cmdline::duration());
  };
  duration("--update-period", r.update_period, "wait between scaling the new controller up and the old one down");
  duration("--poll-interval", r.poll_interval, "wait between checks of the new pods' readiness");
  duration("--timeout", r.timeout, "give up when the new pods are not ready within this");
  cmdline::add_switch(sub, "--rollback", r.rollback,
                      "abort an interrupted update: scale OLD back up, then delete its successor");
}

/// OLD [NEW], and which of -f, --image, --rollback: kubectl 1.0's rules.
void parser::check_rolling_update() {
  const auto& r = c_.rolling_update;
  for (const auto& p : positionals_) {
    auto slash = p.find('/');
    if (slash != std::string::npos && parse_kind(p.substr(0, slash)) != actors::kind::replication_controller) {
      error_ = fmt::format("rolling-update works on replication controllers only, not \"{}\"", p);
      return;
    }
    c_.names.push_back(slash == std::string::npos ? p : p.substr(slash + 1));
  }
  c_.kind = actors::kind::replication_controller;
  bool image = !r.image.empty();
  if (c_.names.empty() || c_.names[0].empty())
    error_ = "must specify the replication controller to update: berth rolling-update OLD (-f FILE | --image IMAGE)";
  else if (!c_.files.empty() && image)
    error_ = "--filename and --image can not both be specified";
  else if (c_.files.size() > 1)
    error_ = fmt::format("--filename: one file, the new controller, not {}", c_.files.size());
  else if (c_.files.empty() && !image && !r.rollback)
    error_ = "must specify --filename or --image for the new controller (or --rollback)";
  else if (c_.names.size() > 2 || (c_.names.size() == 2 && !image))
    error_ = fmt::format("unexpected argument \"{}\": only --image takes a NEW name after OLD", c_.names.back());
  else if (!r.container.empty() && !image)
    error_ = "--container goes with --image";
  else if (image && r.image.find_first_of(" \t\n") != std::string::npos)
    error_ = fmt::format("--image: expected an image reference, got \"{}\"", r.image);
  else if (r.poll_interval.count() == 0)
    error_ = "--poll-interval: must be longer than 0s";
  else if (r.timeout.count() == 0)
    error_ = "--timeout: must be longer than 0s";
  else if (c_.names.size() == 2 && c_.names[0] == c_.names[1])
    error_ = fmt::format("NEW \"{}\" cannot have the same name as the existing replication controller", c_.names[1]);
}

/// KIND NAME... or KIND/NAME...: sets kind and names.
bool parser::resources() {
  if (positionals_.empty()) return true;
  bool slashed = positionals_[0].find('/') != std::string::npos;
  for (std::size_t k = 0; k < positionals_.size(); ++k) {
    const std::string& p = positionals_[k];
    auto slash = p.find('/');
    if (!slashed && k == 0) {
      if (!set_kind(p)) return false;
      continue;
    }
    if (slashed != (slash != std::string::npos)) {
      error_ = fmt::format(
          "there is no need to specify a resource type as a separate argument when passing "
          "arguments in resource/name form (e.g. 'berth get resource/<resource_name>' instead "
          "of 'berth get resource resource/<resource_name>'");
      return false;
    }
    if (slashed && !set_kind(p.substr(0, slash))) return false;
    c_.names.push_back(slashed ? p.substr(slash + 1) : p);
  }
  return true;
}

bool parser::set_kind(const std::string& text) {
  auto k = parse_kind(text);
  if (!k) {
    error_ = fmt::format("unknown resource type \"{}\"; use one of: {}", text, k_kinds_hint);
  } else if (c_.kind && *c_.kind != *k) {
    error_ = fmt::format("all resources must be of one type: {} and {}", actors::resource_name(*c_.kind),
                         actors::resource_name(*k));
  } else {
    c_.kind = k;
  }
  return error_.empty();
}

void parser::check_select(const char* what) {
  if (!resources()) return;
  if (!c_.kind) {
    error_ = fmt::format("you must specify the type of resource to {}; use one of: {}", what, k_kinds_hint);
  } else if (!c_.label_selector.empty() && !c_.names.empty()) {
    error_ = "name cannot be provided when a selector is specified";
  } else if (c_.all_namespaces && !c_.names.empty()) {
    error_ = "a resource cannot be retrieved by name across all namespaces";
  } else if (c_.watch && c_.names.size() > 1) {
    error_ = fmt::format("watch is only supported on one resource or a whole kind, not {} names", c_.names.size());
  }
}

void parser::check_verb() {
  switch (c_.verb) {
    case verb::help: error_ = "no command given"; return;
    case verb::kubeconfig: return;
    case verb::create:
    case verb::apply:
    case verb::version:
      if (!positionals_.empty())
        error_ = fmt::format("unexpected argument \"{}\"", positionals_[0]);
      else if (c_.verb != verb::version && c_.files.empty())
        error_ = "must specify -f FILE|DIR|-";
      return;
    case verb::get: return check_select("get");
    case verb::describe: return check_select("describe");
    case verb::remove:
      if (!c_.files.empty()) {
        if (!positionals_.empty() || !c_.label_selector.empty())
          error_ = "cannot delete both by -f and by KIND NAME or -l";
        return;
      }
      if (positionals_.empty()) {
        error_ = "you must specify KIND NAME, KIND -l SELECTOR or -f FILE";
        return;
      }
      check_select("delete");
      if (error_.empty() && c_.names.empty() && c_.label_selector.empty())
        error_ = "resource(s) were provided, but no name was specified";
      return;
    case verb::scale:
      if (!resources()) return;
      if (!c_.kind || c_.names.size() != 1)
        error_ = "scale needs exactly one resource: rc NAME or rc/NAME";
      else if (*c_.kind != actors::kind::replication_controller)
        error_ = fmt::format("cannot scale {}: only replicationcontrollers (rc) can be scaled",
                             actors::resource_name(*c_.kind));
      else if (c_.replicas < 0)
        error_ = "the --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0";
      return;
    case verb::rolling_update: return check_rolling_update();
    case verb::logs:
      if (positionals_.size() == 1 && positionals_[0].find('/') == std::string::npos) {
        c_.kind = actors::kind::pod;
        c_.names = positionals_;
      } else if (!resources()) {
        return;
      }
      if (c_.names.size() != 1)
        error_ = "logs needs exactly one pod: berth logs POD";
      else if (*c_.kind != actors::kind::pod)
        error_ = fmt::format("logs works on pods only, not {}", actors::resource_name(*c_.kind));
      return;
    case verb::exec:
      if (positionals_.size() == 1 && positionals_[0].find('/') == std::string::npos) {
        c_.kind = actors::kind::pod;
        c_.names = positionals_;
      } else if (positionals_.size() > 1 && positionals_[0].find('/') == std::string::npos &&
                 !parse_kind(positionals_[0])) {
        error_ = fmt::format("the command goes after --: berth exec {} -- {}", positionals_[0], positionals_[1]);
        return;
      } else if (!resources()) {
        return;
      }
      if (c_.names.size() != 1)
        error_ = "exec needs exactly one pod: berth exec POD -- COMMAND [ARGS...]";
      else if (*c_.kind != actors::kind::pod)
        error_ = fmt::format("exec works on pods only, not {}", actors::resource_name(*c_.kind));
      else if (c_.exec.command.empty())
        error_ = "exec needs a command after --: berth exec POD -- COMMAND [ARGS...]";
      return;
  }
}

}  // namespace

std::optional<actors::kind> parse_kind(std::string_view text) {
  using actors::kind;
  static constexpr std::pair<std::string_view, kind> names[] = {
      {"pods", kind::pod},
      {"pod", kind::pod},
      {"po", kind::pod},
      {"replicationcontrollers", kind::replication_controller},
      {"replicationcontroller", kind::replication_controller},
      {"rc", kind::replication_controller},
      {"services", kind::service},
      {"service", kind::service},
      {"svc", kind::service},
      {"endpoints", kind::endpoints},
      {"ep", kind::endpoints},
      {"nodes", kind::node},
      {"node", kind::node},
      {"no", kind::node},
      {"minions", kind::node},
      {"minion", kind::node},
      {"namespaces", kind::namespace_},
      {"namespace", kind::namespace_},
      {"ns", kind::namespace_},
      {"secrets", kind::secret},
      {"secret", kind::secret},
      {"limitranges", kind::limit_range},
      {"limitrange", kind::limit_range},
      {"limits", kind::limit_range},
      {"resourcequotas", kind::resource_quota},
      {"resourcequota", kind::resource_quota},
      {"quota", kind::resource_quota},
      {"persistentvolumes", kind::persistent_volume},
      {"persistentvolume", kind::persistent_volume},
      {"pv", kind::persistent_volume},
      {"persistentvolumeclaims", kind::persistent_volume_claim},
      {"persistentvolumeclaim", kind::persistent_volume_claim},
      {"pvc", kind::persistent_volume_claim},
      {"podtemplates", kind::pod_template},
      {"podtemplate", kind::pod_template}};
  for (auto [name, k] : names) {
    if (text == name) return k;
  }
  return std::nullopt;
}

const char* verb_name(verb v) {
  for (auto [name, known] : k_verbs) {
    if (known == v) return name.data();
  }
  return "help";
}

std::string usage_of(verb v) {
  switch (v) {
    case verb::create: return "Usage: berth create -f FILE|DIR|- [--dry-run] [-n NAMESPACE]";
    case verb::apply: return "Usage: berth apply -f FILE|DIR|- [--dry-run] [-n NAMESPACE]";
    case verb::get:
      return "Usage: berth get KIND [NAME...] [-l SELECTOR] [--field-selector SELECTOR] [-n NAMESPACE | -A] "
             "[-o wide|json|yaml|name] [-w]";
    case verb::describe: return "Usage: berth describe KIND [NAME...] [-l SELECTOR] [-n NAMESPACE | -A]";
    case verb::remove:
      return "Usage: berth delete (KIND NAME... | KIND -l SELECTOR | -f FILE|DIR|-) [--grace-period N] [--now] [--cascade=orphan]";
    case verb::scale: return "Usage: berth scale rc NAME --replicas=N";
    case verb::rolling_update:
      return "Usage: berth rolling-update OLD (-f NEW-FILE | [NEW] --image IMAGE [--container NAME] | --rollback) "
             "[--update-period 1m] [--poll-interval 3s] [--timeout 5m] [-n NAMESPACE]";
    case verb::logs: return "Usage: berth logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [--timestamps]";
    case verb::exec: return "Usage: berth exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]";
    case verb::version: return "Usage: berth version";
    case verb::kubeconfig: return "Usage: berth kubeconfig [--data-dir DIR]";
    case verb::help: break;
  }
  return fmt::format(
      "Usage: berth COMMAND [ARGS] [--server HOST:PORT] [--token TOKEN | --token-file FILE] [-n NAMESPACE]\n"
      "Commands: create, apply, get, describe, delete, scale, rolling-update, logs, exec, version, kubeconfig\n"
      "(berth help COMMAND for more)\n"
      "KIND is one of: {}",
      k_kinds_hint);
}

parse_result parse_args(const std::vector<std::string>& args) { return parser().run(args); }

}  // namespace berth::cli
