#include "cli/journal_args.hpp"

#include <fmt/format.h>

#include <functional>
#include <string_view>

namespace berth::cli {
namespace {

constexpr const char* k_usage = R"(Usage:
  berth journal ls [--since SEQ|TIME] [--until SEQ|TIME] [--kind K] [--name N] [--type T] [--principal P] [-o json]
  berth journal show SEQ [-o yaml|json]
  berth journal replay --at SEQ|TIME [KIND [NAME...]] [-n NS | -A] [-l SELECTOR] [-o wide|json|yaml|name]
  berth journal diff A B                  (A, B: SEQ or TIME)
  berth journal verify
  berth journal export [--since SEQ|TIME] [--until SEQ|TIME] > events.jsonl
  berth history KIND/NAME [-n NS] [--until SEQ|TIME]
  berth why KIND/NAME [-n NS] [--at SEQ|TIME]

TIME is RFC 3339 (2026-11-26T10:15:00Z, 2026-11-26T11:15:00.5+01:00): the last event at or before it.
Online by default (--server/--token, BERTH_SERVER/BERTH_TOKEN, ~/.berth/config);
--journal DIR reads a journal directory instead, read-only (also a running berthd's);
history and why then keep their object index in --index-cache DIR (default
$XDG_CACHE_HOME/berth/journal-index, else ~/.cache/berth/journal-index), never in
the journal; --no-index-cache rebuilds it on every run and writes nothing.)";

struct verb_name {
  std::string_view text;
  journal_verb verb;
};

constexpr verb_name k_journal_verbs[] = {{"ls", journal_verb::ls},         {"show", journal_verb::show},
                                         {"replay", journal_verb::replay}, {"diff", journal_verb::diff},
                                         {"verify", journal_verb::verify}, {"export", journal_verb::export_}};

std::optional<output_format> parse_output(std::string_view v) {
  if (v == "wide") return output_format::wide;
  if (v == "json") return output_format::json;
  if (v == "yaml") return output_format::yaml;
  if (v == "name") return output_format::name;
  return std::nullopt;
}

class parser {
 public:
  explicit parser(const std::vector<std::string>& args) : args_(args) {}

  journal_parse_result run() {
    journal_parse_result r;
    r.usage = k_usage;
    if (!verb() || !flags_and_positionals() || !positionals() || !offline_flags()) {
      r.error = error_;
      return r;
    }
    r.command = c_;
    return r;
  }

 private:
  bool fail(std::string e) {
    error_ = std::move(e);
    return false;
  }

  bool verb() {
    if (args_.at(0) == "history") return (c_.verb = journal_verb::history), i_ = 1, true;
    if (args_.at(0) == "why") return (c_.verb = journal_verb::why), i_ = 1, true;
    i_ = 2;
    if (args_.size() < 2) return fail("berth journal needs a command: ls, show, replay, diff, verify or export");
    if (args_[1] == "-h" || args_[1] == "--help" || args_[1] == "help") return (c_.help = true), true;
    for (auto [text, v] : k_journal_verbs)
      if (args_[1] == text) return (c_.verb = v), true;
    return fail(fmt::format("unknown journal command \"{}\"; use ls, show, replay, diff, verify or export", args_[1]));
  }

  /// The value of flag `name`: "--name=v" or the next argument.
  std::optional<std::string> value(const std::string& arg, std::string_view name) {
    if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 && arg[name.size()] == '=')
      return arg.substr(name.size() + 1);
    if (i_ + 1 >= args_.size()) {
      fail(fmt::format("flag {} needs a value", name));
      return std::nullopt;
    }
    return args_[++i_];
  }

  static bool is_flag(const std::string& arg, std::string_view name) {
    return arg == name || (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 && arg[name.size()] == '=');
  }

  bool flags_and_positionals() {
    for (; i_ < args_.size(); ++i_) {
      const std::string& a = args_[i_];
      if (a.empty() || a[0] != '-' || a == "-") {
        positionals_.push_back(a);
        continue;
      }
      if (!flag(a)) return false;
    }
    return true;
  }

  bool flag(const std::string& a) {
    struct text_flag {
      std::string_view name, alias;
      std::function<void(std::string)> set;
    };
    const text_flag text_flags[] = {
        {"--journal", "", [&](std::string v) { c_.journal_dir = std::move(v); }},
        {"--index-cache", "", [&](std::string v) { c_.index_cache_dir = std::move(v); }},
        {"--server", "-s", [&](std::string v) { c_.connection.server = std::move(v); }},
        {"--token", "", [&](std::string v) { c_.connection.token = std::move(v); }},
        {"--token-file", "", [&](std::string v) { c_.connection.token_file = std::move(v); }},
        {"--since", "", [&](std::string v) { c_.since = std::move(v); }},
        {"--until", "", [&](std::string v) { c_.until = std::move(v); }},
        {"--at", "", [&](std::string v) { c_.at = std::move(v); }},
        {"--name", "", [&](std::string v) { c_.name_filter = std::move(v); }},
        {"--type", "", [&](std::string v) { c_.type_filter = std::move(v); }},
        {"--principal", "", [&](std::string v) { c_.principal_filter = std::move(v); }},
        {"--namespace", "-n", [&](std::string v) { c_.namespace_ = std::move(v); }},
        {"--selector", "-l", [&](std::string v) { c_.label_selector = std::move(v); }},
    };
    if (a == "-h" || a == "--help") return (c_.help = true), true;
    if (a == "-A" || a == "--all-namespaces") return (c_.all_namespaces = true), true;
    if (a == "--no-index-cache") return (c_.no_index_cache = true), true;
    for (const auto& f : text_flags) {
      if (!is_flag(a, f.name) && (f.alias.empty() || !is_flag(a, f.alias))) continue;
      auto v = value(a, is_flag(a, f.name) ? f.name : f.alias);
      if (!v) return false;
      f.set(std::move(*v));
      return true;
    }
    if (is_flag(a, "--kind")) {
      auto v = value(a, "--kind");
      if (!v) return false;
      auto k = parse_kind(*v);
      if (!k) return fail(fmt::format("unknown kind \"{}\" for --kind", *v));
      c_.kind_filter = header_kind(*k);
      return true;
    }
    if (is_flag(a, "--output") || is_flag(a, "-o")) {
      auto v = value(a, is_flag(a, "--output") ? "--output" : "-o");
      if (!v) return false;
      auto o = parse_output(*v);
      if (!o) return fail(fmt::format("unknown output format \"{}\"; use wide, json, yaml or name", *v));
      c_.output = *o;
      c_.output_given = true;
      return true;
    }
    return fail(fmt::format("unknown flag {}", a));
  }

  bool object(const std::vector<std::string>& p) {
    if (p.empty()) return fail("name the object: KIND/NAME (e.g. pod/web-x7k2q)");
    std::string kind_text = p[0], name;
    if (auto slash = kind_text.find('/'); slash != std::string::npos) {
      name = kind_text.substr(slash + 1);
      kind_text.resize(slash);
      if (p.size() > 1) return fail(fmt::format("one object only; unexpected \"{}\"", p[1]));
    } else if (p.size() == 2) {
      name = p[1];
    } else {
      return fail(p.size() > 2 ? fmt::format("one object only; unexpected \"{}\"", p[2])
                               : "name the object: KIND/NAME (e.g. pod/web-x7k2q)");
    }
    auto k = parse_kind(kind_text);
    if (!k) return fail(fmt::format("unknown resource type \"{}\"", kind_text));
    if (name.empty()) return fail("name the object: KIND/NAME (e.g. pod/web-x7k2q)");
    const bool cluster_scoped = *k == actors::kind::node;
    c_.object = object_arg{header_kind(*k), cluster_scoped ? "" : c_.namespace_.value_or("default"), name};
    return true;
  }

  /// The index cache flags need --journal: berthd keeps its index in memory.
  bool offline_flags() {
    if (c_.index_cache_dir && c_.no_index_cache) return fail("--index-cache and --no-index-cache exclude each other");
    if ((c_.index_cache_dir || c_.no_index_cache) && !c_.journal_dir)
      return fail(fmt::format("{} applies only with --journal DIR (berthd keeps its object index in memory)",
                              c_.no_index_cache ? "--no-index-cache" : "--index-cache"));
    if (c_.index_cache_dir && c_.index_cache_dir->empty()) return fail("--index-cache needs a directory");
    return true;
  }

  bool positionals() {
    const auto& p = positionals_;
    auto none = [&]() { return p.empty() || fail(fmt::format("unexpected argument \"{}\"", p[0])); };
    switch (c_.verb) {
      case journal_verb::ls:
      case journal_verb::verify:
      case journal_verb::export_: return none();
      case journal_verb::show:
        if (p.size() != 1) return fail("journal show needs one SEQ");
        c_.points = p;
        return true;
      case journal_verb::diff:
        if (p.size() != 2) return fail("journal diff needs two points: A B (each a SEQ or an RFC 3339 time)");
        c_.points = p;
        return true;
      case journal_verb::replay:
        if (!c_.at) return fail("journal replay needs --at SEQ|TIME");
        if (!p.empty()) {
          c_.kind = parse_kind(p[0]);
          if (!c_.kind) return fail(fmt::format("unknown resource type \"{}\"", p[0]));
          c_.names.assign(p.begin() + 1, p.end());
        }
        return true;
      case journal_verb::history:
      case journal_verb::why: return object(p);
    }
    return true;
  }

  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  journal_command c_;
  std::vector<std::string> positionals_;
  std::string error_;
};

}  // namespace

bool is_journal_command(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "journal" || args[0] == "history" || args[0] == "why");
}

journal_parse_result parse_journal_args(const std::vector<std::string>& args) {
  if (!is_journal_command(args)) return {std::nullopt, "not a journal command", k_usage};
  return parser(args).run();
}

const char* header_kind(actors::kind k) {
  switch (k) {
    case actors::kind::pod: return model::k_kind_pod;
    case actors::kind::replication_controller: return model::k_kind_rc;
    case actors::kind::service: return model::k_kind_service;
    case actors::kind::endpoints: return model::k_kind_endpoints;
    case actors::kind::node: return model::k_kind_node;
  }
  return "";
}

std::string journal_usage() { return k_usage; }

}  // namespace berth::cli
