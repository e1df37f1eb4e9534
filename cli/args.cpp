#include "cli/args.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace berth::cli {
namespace {

constexpr unsigned bit(verb v) { return 1u << static_cast<unsigned>(v); }
constexpr unsigned k_global = 0;

/// Sets the flag's value on the command line; returns an error ("" when fine).
/// `shown` is the flag as typed ("--replicas", "-n"), for messages.
using setter = std::string (*)(command_line&, std::string_view value, std::string_view shown);

struct flag_spec {
  std::string_view long_name;
  char short_name;   // 0: none
  bool takes_value;  // false: a boolean; an inline `=value` is then optional
  unsigned verbs;    // bit(verb) mask; k_global: every verb, also before the verb
  setter set;
};

std::string set_bool(bool& out, std::string_view value, std::string_view shown) {
  if (value.empty() || value == "true") return out = true, "";
  if (value == "false") return out = false, "";
  return fmt::format("invalid argument \"{}\" for \"{}\" flag: must be true or false", value, shown);
}

/// Parses a base-10 integer of at least `min`.
template <class Int>
std::string set_int(Int& out, std::string_view value, std::string_view shown, Int min) {
  Int v{};
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || v < min) {
    return fmt::format("invalid argument \"{}\" for \"{}\" flag: must be an integer >= {}", value, shown, min);
  }
  out = v;
  return "";
}

std::string set_output(command_line& c, std::string_view v, std::string_view) {
  static constexpr std::pair<std::string_view, output_format> formats[] = {
      {"wide", output_format::wide}, {"json", output_format::json},
      {"yaml", output_format::yaml}, {"name", output_format::name}};
  for (auto [text, format] : formats) {
    if (v == text) return c.output = format, "";
  }
  return fmt::format("unable to match a printer suitable for the output format \"{}\", allowed formats are: "
                     "json,name,wide,yaml", v);
}

std::string set_dry_run(command_line& c, std::string_view v, std::string_view shown) {
  if (v == "server" || v == "client") return c.dry_run = true, "";
  if (v == "none") return c.dry_run = false, "";
  return set_bool(c.dry_run, v, shown);
}

constexpr unsigned k_create = bit(verb::create) | bit(verb::apply);
constexpr unsigned k_select = bit(verb::get) | bit(verb::describe) | bit(verb::remove);

// clang-format off
constexpr flag_spec k_flags[] = {
  {"server", 's', true, k_global, [](command_line& c, std::string_view v, std::string_view) { c.connection.server = std::string(v); return std::string(); }},
  {"token", 0, true, k_global, [](command_line& c, std::string_view v, std::string_view) { c.connection.token = std::string(v); return std::string(); }},
  {"token-file", 0, true, k_global, [](command_line& c, std::string_view v, std::string_view) { c.connection.token_file = std::string(v); return std::string(); }},
  {"namespace", 'n', true, k_global, [](command_line& c, std::string_view v, std::string_view) { c.namespace_ = std::string(v); return std::string(); }},
  {"help", 'h', false, k_global, [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.help, v, s); }},
  {"filename", 'f', true, k_create | bit(verb::remove), [](command_line& c, std::string_view v, std::string_view) { c.files.emplace_back(v); return std::string(); }},
  {"dry-run", 0, false, k_create, set_dry_run},
  {"selector", 'l', true, k_select, [](command_line& c, std::string_view v, std::string_view) { c.label_selector = std::string(v); return std::string(); }},
  {"field-selector", 0, true, bit(verb::get), [](command_line& c, std::string_view v, std::string_view) { c.field_selector = std::string(v); return std::string(); }},
  {"all-namespaces", 'A', false, bit(verb::get) | bit(verb::describe), [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.all_namespaces, v, s); }},
  {"output", 'o', true, bit(verb::get), set_output},
  {"watch", 'w', false, bit(verb::get), [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.watch, v, s); }},
  {"grace-period", 0, true, bit(verb::remove), [](command_line& c, std::string_view v, std::string_view s) { return set_int<std::int64_t>(c.grace_period, v, s, 0); }},
  {"now", 0, false, bit(verb::remove), [](command_line& c, std::string_view v, std::string_view s) { bool now = false; auto e = set_bool(now, v, s); if (now) c.grace_period = 1; return e; }},
  {"replicas", 0, true, bit(verb::scale), [](command_line& c, std::string_view v, std::string_view s) { return set_int<std::int32_t>(c.replicas, v, s, 0); }},
  {"container", 'c', true, bit(verb::logs), [](command_line& c, std::string_view v, std::string_view) { c.logs.container = std::string(v); return std::string(); }},
  {"follow", 'f', false, bit(verb::logs), [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.logs.follow, v, s); }},
  {"tail", 0, true, bit(verb::logs), [](command_line& c, std::string_view v, std::string_view s) { return set_int<std::int64_t>(c.logs.tail_lines, v, s, -1); }},
  {"previous", 'p', false, bit(verb::logs), [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.logs.previous, v, s); }},
  {"timestamps", 0, false, bit(verb::logs), [](command_line& c, std::string_view v, std::string_view s) { return set_bool(c.logs.timestamps, v, s); }},
};
// clang-format on

constexpr std::pair<std::string_view, verb> k_verbs[] = {
    {"create", verb::create}, {"apply", verb::apply},  {"get", verb::get},     {"describe", verb::describe},
    {"delete", verb::remove}, {"scale", verb::scale},  {"logs", verb::logs},   {"version", verb::version},
    {"help", verb::help}};

constexpr std::string_view k_kinds_hint =
    "pods (po), replicationcontrollers (rc), services (svc), endpoints (ep), nodes (no, minions)";

/// Walks the arguments once; flags are applied as they come, the rest is
/// collected and checked per verb at the end.
class parser {
 public:
  explicit parser(const std::vector<std::string>& args) : args_(args) {}

  parse_result run() {
    for (i_ = 0; i_ < args_.size() && error_.empty(); ++i_) {
      const std::string& a = args_[i_];
      if (only_positionals_ || a == "-" || a.size() < 2 || a[0] != '-') {
        positional(a);
      } else if (a == "--") {
        only_positionals_ = true;
      } else if (a[1] == '-') {
        long_flag(std::string_view(a).substr(2));
      } else {
        short_flags(std::string_view(a).substr(1));
      }
    }
    if (error_.empty() && !c_.help) check_verb();
    if (!error_.empty()) return {std::nullopt, error_, usage_of(verb_known_ ? c_.verb : verb::help)};
    return {c_, "", usage_of(c_.verb)};
  }

 private:
  void positional(const std::string& a) {
    bool help_topic = verb_known_ && c_.verb == verb::help;
    if (verb_known_ && !help_topic) return positionals_.push_back(a);
    for (auto [name, v] : k_verbs) {
      if (a == name) {
        c_.verb = v;
        verb_known_ = true;
        if (v == verb::help) c_.help = true;
        return;
      }
    }
    error_ = fmt::format("unknown command \"{}\"", a);
  }

  /// The spec for `name` (long) or `letter` (short) valid here, or nullptr with error_ set.
  const flag_spec* find(std::string_view name, char letter, std::string_view shown) {
    bool exists_elsewhere = false;
    for (const auto& f : k_flags) {
      bool match = letter != 0 ? f.short_name == letter : f.long_name == name;
      if (!match) continue;
      if (f.verbs == k_global || (verb_known_ && (f.verbs & bit(c_.verb)) != 0)) return &f;
      exists_elsewhere = true;
    }
    if (exists_elsewhere && !verb_known_) {
      error_ = fmt::format("flag {} must come after the command", shown);
    } else if (letter != 0) {
      error_ = fmt::format("unknown shorthand flag: '{}' in -{}", letter, args_[i_].substr(1));
    } else {
      error_ = fmt::format("unknown flag: {}", shown);
    }
    return nullptr;
  }

  /// Applies `f`; `inline_value` is what followed '=' (or the rest of a short group).
  void apply(const flag_spec& f, std::optional<std::string_view> inline_value, std::string_view shown) {
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else if (f.takes_value) {
      if (i_ + 1 >= args_.size()) {
        error_ = fmt::format("flag needs an argument: {}", shown);
        return;
      }
      value = args_[++i_];
    }
    error_ = f.set(c_, value, shown);
  }

  void long_flag(std::string_view body) {
    auto eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    std::string shown = fmt::format("--{}", name);
    const flag_spec* f = find(name, 0, shown);
    if (f == nullptr) return;
    apply(*f, eq == std::string_view::npos ? std::nullopt : std::optional(body.substr(eq + 1)), shown);
  }

  /// `-w`, `-wA` (grouped booleans), `-ojson`, `-o=json`, `-o json`.
  void short_flags(std::string_view body) {
    for (std::size_t k = 0; k < body.size() && error_.empty(); ++k) {
      std::string shown = fmt::format("-{}", body[k]);
      const flag_spec* f = find("", body[k], shown);
      if (f == nullptr) return;
      std::string_view rest = body.substr(k + 1);
      if (!rest.empty() && rest[0] == '=') return apply(*f, rest.substr(1), shown);
      if (f->takes_value) return apply(*f, rest.empty() ? std::nullopt : std::optional(rest), shown);
      apply(*f, std::nullopt, shown);
    }
  }

  /// KIND NAME... or KIND/NAME...: sets kind and names.
  bool resources() {
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
        error_ = fmt::format("there is no need to specify a resource type as a separate argument when passing "
                             "arguments in resource/name form (e.g. 'berth get resource/<resource_name>' instead "
                             "of 'berth get resource resource/<resource_name>'");
        return false;
      }
      if (slashed && !set_kind(p.substr(0, slash))) return false;
      c_.names.push_back(slashed ? p.substr(slash + 1) : p);
    }
    return true;
  }

  bool set_kind(const std::string& text) {
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

  void check_verb();
  void check_select(const char* what);

  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  command_line c_;
  bool verb_known_ = false;
  bool only_positionals_ = false;
  std::vector<std::string> positionals_;
  std::string error_;
};

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
    case verb::create:
    case verb::apply:
    case verb::version:
      if (!positionals_.empty()) error_ = fmt::format("unexpected argument \"{}\"", positionals_[0]);
      else if (c_.verb != verb::version && c_.files.empty()) error_ = "must specify -f FILE|DIR|-";
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
      if (!c_.kind || c_.names.size() != 1) error_ = "scale needs exactly one resource: rc NAME or rc/NAME";
      else if (*c_.kind != actors::kind::replication_controller)
        error_ = fmt::format("cannot scale {}: only replicationcontrollers (rc) can be scaled",
                             actors::resource_name(*c_.kind));
      else if (c_.replicas < 0)
        error_ = "the --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0";
      return;
    case verb::logs:
      if (positionals_.size() == 1 && positionals_[0].find('/') == std::string::npos) {
        c_.kind = actors::kind::pod;
        c_.names = positionals_;
      } else if (!resources()) {
        return;
      }
      if (c_.names.size() != 1) error_ = "logs needs exactly one pod: berth logs POD";
      else if (*c_.kind != actors::kind::pod)
        error_ = fmt::format("logs works on pods only, not {}", actors::resource_name(*c_.kind));
      return;
  }
}

}  // namespace

std::optional<actors::kind> parse_kind(std::string_view text) {
  using actors::kind;
  static constexpr std::pair<std::string_view, kind> names[] = {
      {"pods", kind::pod},          {"pod", kind::pod},
      {"po", kind::pod},            {"replicationcontrollers", kind::replication_controller},
      {"replicationcontroller", kind::replication_controller}, {"rc", kind::replication_controller},
      {"services", kind::service},  {"service", kind::service},
      {"svc", kind::service},       {"endpoints", kind::endpoints},
      {"ep", kind::endpoints},      {"nodes", kind::node},
      {"node", kind::node},         {"no", kind::node},
      {"minions", kind::node},      {"minion", kind::node}};
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
      return "Usage: berth delete (KIND NAME... | KIND -l SELECTOR | -f FILE|DIR|-) [--grace-period N] [--now]";
    case verb::scale: return "Usage: berth scale rc NAME --replicas=N";
    case verb::logs: return "Usage: berth logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [--timestamps]";
    case verb::version: return "Usage: berth version";
    case verb::help: break;
  }
  return fmt::format(
      "Usage: berth COMMAND [ARGS] [--server HOST:PORT] [--token TOKEN | --token-file FILE] [-n NAMESPACE]\n"
      "Commands: create, apply, get, describe, delete, scale, logs, version (berth help COMMAND for more)\n"
      "KIND is one of: {}",
      k_kinds_hint);
}

parse_result parse_args(const std::vector<std::string>& args) { return parser(args).run(); }

}  // namespace berth::cli
