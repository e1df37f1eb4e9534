#include "cli/journal_args.hpp"

#include <fmt/format.h>

#include <string_view>

#include "actors/cmdline/options.hpp"

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

struct verb_doc {
  std::string_view text;
  journal_verb verb;
  const char* synopsis;
  const char* summary;
};

constexpr verb_doc k_verbs[] = {
    {"ls", journal_verb::ls,
     "Usage: berth journal ls [--since SEQ|TIME] [--until SEQ|TIME] [--kind K] [--name N] "
     "[--type T] [--principal P] [-o json]",
     "one line per event"},
    {"show", journal_verb::show, "Usage: berth journal show SEQ [-o yaml|json]", "one event, decoded"},
    {"replay", journal_verb::replay,
     "Usage: berth journal replay --at SEQ|TIME [KIND [NAME...]] [-n NS | -A] "
     "[-l SELECTOR] [-o wide|json|yaml|name]",
     "the cluster as it was at a point, printed like get"},
    {"diff", journal_verb::diff, "Usage: berth journal diff A B   (A, B: SEQ or TIME)",
     "objects created, changed and deleted between two points"},
    {"verify", journal_verb::verify, "Usage: berth journal verify", "check every record and snapshot"},
    {"export", journal_verb::export_, "Usage: berth journal export [--since SEQ|TIME] [--until SEQ|TIME]",
     "one JSON event per line"},
    {"history", journal_verb::history, "Usage: berth history KIND/NAME [-n NS] [--until SEQ|TIME]",
     "every event of one object"},
    {"why", journal_verb::why, "Usage: berth why KIND/NAME [-n NS] [--at SEQ|TIME]",
     "the causal chain of an object's last change"},
};

constexpr unsigned bit(journal_verb v) { return 1u << static_cast<unsigned>(v); }

/// --kind's value: a kind as `get` takes it ("pods", "rc", ...).
CLI::Validator kind_name() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (parse_kind(v)) return {};
        return fmt::format("expected a kind (pods, rc, svc, ep, nodes), got \"{}\"", v);
      },
      "", "kind");
}

std::optional<output_format> parse_output(std::string_view v) {
  if (v == "wide") return output_format::wide;
  if (v == "json") return output_format::json;
  if (v == "yaml") return output_format::yaml;
  if (v == "name") return output_format::name;
  return std::nullopt;
}

/// The debugging commands as a CLI11 app: `journal` with one subcommand a
/// verb, `history` and `why` beside it. Each verb has the flags it uses
/// plus the connection and offline flags every one of them takes.
class parser {
 public:
  parser() {
    cmdline::configure(app_);
    app_.require_subcommand(0, 1);
    journal_ = app_.add_subcommand("journal", "the journal: ls, show, replay, diff, verify, export");
    journal_->require_subcommand(0, 1);
    cmdline::set_synopsis(app_, "Usage: berth journal|history|why ...");
    cmdline::set_synopsis(*journal_, k_usage);
    for (const auto& v : k_verbs) add_verb(v);
  }

  journal_parse_result run(const std::vector<std::string>& args) {
    journal_parse_result r;
    r.usage = k_usage;
    auto out = cmdline::parse(app_, args, true);
    const bool no_verb = journal_->parsed() && journal_->get_subcommands().empty();
    if (out.status == cmdline::outcome::kind::ok && no_verb && !out.extras.empty() && out.extras[0] == "help") {
      out.status = cmdline::outcome::kind::help;  // `berth journal help`: the old spelling of --help
      out.message = journal_->help("berth");
    }
    if (out.status == cmdline::outcome::kind::help) {
      c_.help = true;
      r.command = c_;
      r.help_text = out.message;
      return r;
    }
    if (out.status == cmdline::outcome::kind::error) {
      r.error = out.message;
    } else if (!out.extras.empty()) {
      const std::string& first = out.extras[0];
      bool word = !first.empty() && first[0] != '-';
      r.error = no_verb && word ? fmt::format(
                                      "unknown journal command \"{}\"; use ls, show, replay, diff, verify "
                                      "or export",
                                      first)
                                : cmdline::unknown_argument(first);
    } else if (no_verb) {
      r.error = "berth journal needs a command: ls, show, replay, diff, verify or export";
    } else {
      positionals_.insert(positionals_.end(), out.after_dashes.begin(), out.after_dashes.end());
      if (positionals() && offline_flags()) r.command = c_;
      r.error = error_;
    }
    return r;
  }

 private:
  bool fail(std::string e) {
    error_ = std::move(e);
    return false;
  }

  void add_verb(const verb_doc& doc);

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
    const bool cluster_scoped = model::is_cluster_scoped(*k);
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

  CLI::App app_{"berth's debugging commands: the journal, an object's history, why it changed", "berth"};
  CLI::App* journal_ = nullptr;
  journal_command c_;
  std::vector<std::string> positionals_;
  std::string error_;
};

void parser::add_verb(const verb_doc& doc) {
  const journal_verb v = doc.verb;
  const bool top = v == journal_verb::history || v == journal_verb::why;
  CLI::App* sub = (top ? app_ : *journal_).add_subcommand(std::string(doc.text), doc.summary);
  sub->parse_complete_callback([this, v] { c_.verb = v; });
  cmdline::set_synopsis(*sub, doc.synopsis);
  sub->footer("P: a SEQ, or an RFC 3339 TIME (the last event at or before it).");
  auto text = [&](unsigned verbs, const std::string& names, std::optional<std::string>& into, const std::string& what,
                  const std::string& type) {
    if ((verbs & bit(v)) == 0) return;
    sub->add_option_function<std::string>(
           names, [&into](const std::string& s) { into = s; }, what)
        ->type_name(type)
        ->transform(cmdline::short_equals());
  };
  auto plain = [&](unsigned verbs, const std::string& names, std::string& into, const std::string& what,
                   const std::string& type) {
    if ((verbs & bit(v)) != 0) sub->add_option(names, into, what)->type_name(type);
  };
  const unsigned ls = bit(journal_verb::ls);
  const unsigned all = 0xFFu;
  const unsigned ranged = ls | bit(journal_verb::export_);
  const unsigned object = bit(journal_verb::replay) | bit(journal_verb::history) | bit(journal_verb::why);

  if (v == journal_verb::show) sub->add_option("seq", positionals_, "the event's SEQ")->type_name("SEQ");
  if (v == journal_verb::diff) sub->add_option("points", positionals_, "two points: A B")->type_name("P");
  if (v == journal_verb::replay)
    sub->add_option("resources", positionals_, "KIND [NAME...] (default: every kind)")->type_name("");
  if (top) sub->add_option("object", positionals_, "KIND/NAME or KIND NAME")->type_name("");

  text(ranged, "--since", c_.since, "from this point (default: the first event)", "P");
  text(ranged | bit(journal_verb::history), "--until", c_.until, "up to this point (default: the last event)", "P");
  text(bit(journal_verb::replay) | bit(journal_verb::why) | bit(journal_verb::history), "--at", c_.at,
       v == journal_verb::replay ? "the point to replay to (required)" : "as of this point (default: now)", "P");
  if (v == journal_verb::ls) {
    sub->add_option_function<std::string>(
           "--kind", [this](const std::string& k) { c_.kind_filter = header_kind(*parse_kind(k)); },
           "only events about this kind (pods, rc, ...)")
        ->type_name("KIND")
        ->check(kind_name());
    plain(ls, "--name", c_.name_filter, "only events about objects of this name", "NAME");
    plain(ls, "--type", c_.type_filter, "only events of this type (podEvicted, rcScaled, ...)", "TYPE");
    plain(ls, "--principal", c_.principal_filter, "only events caused by this principal", "P");
  }
  text(object, "-n,--namespace", c_.namespace_, "the namespace (default: default)", "NS");
  if (v == journal_verb::replay) {
    cmdline::add_switch(*sub, "-A,--all-namespaces", c_.all_namespaces, "every namespace");
    plain(bit(journal_verb::replay), "-l,--selector", c_.label_selector, "only objects whose labels match", "SELECTOR");
  }
  if (v == journal_verb::ls || v == journal_verb::show || v == journal_verb::replay) {
    sub->add_option_function<std::string>(
           "-o,--output",
           [this](const std::string& o) {
             c_.output = *parse_output(o);
             c_.output_given = true;
           },
           "wide, json, yaml or name")
        ->type_name("FORMAT")
        ->transform(cmdline::short_equals())
        ->check(cmdline::one_of({"wide", "json", "yaml", "name"}));
  }
  text(all, "--journal", c_.journal_dir, "read this journal directory instead of asking berthd (read-only)", "DIR");
  text(all, "--index-cache", c_.index_cache_dir,
       "offline history/why keep their object index here (default: $XDG_CACHE_HOME/berth/journal-index)", "DIR");
  cmdline::add_switch(*sub, "--no-index-cache", c_.no_index_cache, "rebuild the index each run, write nothing");
  text(all, "-s,--server", c_.connection.server, "berthd's address (default: $BERTH_SERVER, ~/.berth/config)",
       "HOST:PORT");
  text(all, "--token", c_.connection.token, "the admin token", "TOKEN");
  text(all, "--token-file", c_.connection.token_file, "read the admin token from FILE", "FILE");
  text(all, "--ca-file", c_.connection.ca_file, "the cluster CA to verify berthd with (berthd's DATA/ca.crt)", "FILE");
  cmdline::add_switch(*sub, "--insecure-rpc", c_.connection.insecure_rpc,
                      "plain TCP, for a berthd started with --insecure-rpc (tests only)");
}

}  // namespace

namespace {

/// The connection flags berth takes before any command (`berth --token-file
/// F journal ls`, as before `get`); `takes_value` unless written FLAG=VALUE.
bool is_leading_flag(const std::string& arg, bool& takes_value) {
  if (arg == "--insecure-rpc") {
    takes_value = false;
    return true;
  }
  for (const std::string flag : {"-s", "--server", "--token", "--token-file", "--ca-file"}) {
    if (arg == flag) {
      takes_value = true;
      return true;
    }
    if (arg.rfind(flag + "=", 0) == 0) {
      takes_value = false;
      return true;
    }
  }
  return false;
}

/// Where the command word is, after leading connection flags (args.size(): none).
std::size_t command_index(const std::vector<std::string>& args) {
  std::size_t i = 0;
  bool takes_value = false;
  while (i < args.size() && is_leading_flag(args[i], takes_value)) i += takes_value ? 2 : 1;
  return i;
}

/// The same arguments with leading connection flags moved after the command,
/// where this parser takes them.
std::vector<std::string> flags_after_command(const std::vector<std::string>& args) {
  const auto i = command_index(args);
  if (i == 0 || i >= args.size()) return args;
  std::vector<std::string> out(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  out.insert(out.end(), args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i));
  return out;
}

}  // namespace

bool is_journal_command(const std::vector<std::string>& args) {
  const auto i = command_index(args);
  return i < args.size() && (args[i] == "journal" || args[i] == "history" || args[i] == "why");
}

journal_parse_result parse_journal_args(const std::vector<std::string>& args) {
  if (!is_journal_command(args)) return {std::nullopt, "not a journal command", k_usage, ""};
  return parser().run(flags_after_command(args));
}

const char* header_kind(actors::kind k) {
  switch (k) {
    case actors::kind::pod: return model::k_kind_pod;
    case actors::kind::replication_controller: return model::k_kind_rc;
    case actors::kind::service: return model::k_kind_service;
    case actors::kind::endpoints: return model::k_kind_endpoints;
    case actors::kind::node: return model::k_kind_node;
    case actors::kind::namespace_: return model::k_kind_namespace;
    case actors::kind::secret: return model::k_kind_secret;
    case actors::kind::limit_range: return model::k_kind_limit_range;
    case actors::kind::resource_quota: return model::k_kind_resource_quota;
    case actors::kind::persistent_volume: return model::k_kind_persistent_volume;
    case actors::kind::persistent_volume_claim: return model::k_kind_persistent_volume_claim;
    case actors::kind::pod_template: return model::k_kind_pod_template;
  }
  return "";
}

std::string journal_usage() { return k_usage; }

}  // namespace berth::cli
