#include "cli/console_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "actors/cmdline/duration.hpp"

namespace berth::cli {
namespace {

constexpr std::uint32_t k_max_trace_ms = 300'000;  // the server's caps (schema/introspect.capnp)
constexpr std::uint32_t k_max_trace_events = 10'000;

struct verb_doc {
  console_verb verb;
  const char* name;
  const char* usage;
  const char* what;
};

const std::vector<verb_doc>& docs() {
  static const std::vector<verb_doc> d{
      {console_verb::actors, "actors", "actors [kind=K] [name=SUBSTR] [owner=A] [mailbox>N] [handled>N] [rate>N]",
       "List the live actors. Filters: kind and owner match exactly, name is a substring; text fields take = and\n"
       "!=, mailbox/handled/rate take =, !=, >, >=, <, <=. Several filters must all hold."},
      {console_verb::top, "top", "top [--sort mailbox|rate]",
       "A view refreshed every second, busiest first. Keys: q quits, m sorts by mailbox, r by rate.\n"
       "With -c or when the output is not a terminal: one frame."},
      {console_verb::inspect, "inspect", "inspect ACTOR",
       "The actor's counters and its state as it renders it (JSON). ACTOR is a name or an id (#42)."},
      {console_verb::trace, "trace", "trace ACTOR [--for DURATION] [--max N]",
       "Print the messages the actor receives (<-) and sends (->) as they happen, until --for has passed\n"
       "(default 10s, at most 5m), --max events were seen (default 1000, at most 10000) or Ctrl-C."},
      {console_verb::tree, "tree", "tree",
       "Who spawned whom: objects under their owner's actor, others under their parent."},
      {console_verb::nodes, "nodes", "nodes", "Every agent node and its actors (node actor, then its pods)."},
      {console_verb::help, "help", "help [COMMAND]", "This list, or one command's usage."},
      {console_verb::quit, "quit", "quit | exit", "Leave the console (Ctrl-D too)."},
  };
  return d;
}

const verb_doc* find_doc(std::string_view name) {
  if (name == "exit") name = "quit";
  for (const auto& d : docs())
    if (name == d.name) return &d;
  return nullptr;
}

/// Takes a flag's value: "--for 10s" (the next word) or "--for=10s".
std::optional<std::string> flag_value(const std::vector<std::string>& w, std::size_t& i, std::string_view flag,
                                      std::string& error) {
  const auto& word = w[i];
  if (word.size() > flag.size() && word[flag.size()] == '=') return word.substr(flag.size() + 1);
  if (i + 1 >= w.size()) {
    error = fmt::format("{}: needs a value", flag);
    return std::nullopt;
  }
  return w[++i];
}

bool is_flag(const std::string& word, std::string_view flag) {
  return word == flag || (word.rfind(flag, 0) == 0 && word.size() > flag.size() && word[flag.size()] == '=');
}

bool parse_top(const std::vector<std::string>& w, console_command& c, std::string& error) {
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (!is_flag(w[i], "--sort")) {
      error = fmt::format("top: unexpected argument \"{}\" (usage: top [--sort mailbox|rate])", w[i]);
      return false;
    }
    auto v = flag_value(w, i, "--sort", error);
    if (!v) return false;
    auto key = parse_sort_key(*v);
    if (!key) {
      error = fmt::format("--sort: \"{}\" is not mailbox or rate", *v);
      return false;
    }
    c.sort = *key;
  }
  return true;
}

bool parse_trace_flag(const std::vector<std::string>& w, std::size_t& i, console_command& c, std::string& error) {
  bool is_for = is_flag(w[i], "--for");
  auto v = flag_value(w, i, is_for ? "--for" : "--max", error);
  if (!v) return false;
  if (is_for) {
    auto ms = cmdline::parse_duration(*v);
    if (!ms || ms->count() == 0 || ms->count() > k_max_trace_ms) {
      error = fmt::format("--for: \"{}\" is not a duration from 1ms to 5m (like 500ms, 10s, 2m)", *v);
      return false;
    }
    c.for_ms = static_cast<std::uint32_t>(ms->count());
    return true;
  }
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size() || n == 0 || n > k_max_trace_events) {
    error = fmt::format("--max: \"{}\" is not a whole number from 1 to {}", *v, k_max_trace_events);
    return false;
  }
  c.max = n;
  return true;
}

bool parse_actor_command(const std::vector<std::string>& w, console_command& c, std::string& error) {
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (c.verb == console_verb::trace && (is_flag(w[i], "--for") || is_flag(w[i], "--max"))) {
      if (!parse_trace_flag(w, i, c, error)) return false;
    } else if (c.actor.empty() && w[i].rfind("--", 0) != 0) {
      c.actor = w[i];
    } else {
      error = fmt::format("{}: unexpected argument \"{}\" (usage: {})", w[0], w[i], find_doc(w[0])->usage);
      return false;
    }
  }
  if (c.actor.empty()) error = fmt::format("{}: missing ACTOR (usage: {})", w[0], find_doc(w[0])->usage);
  return !c.actor.empty();
}

bool parse_rest(const std::vector<std::string>& w, console_command& c, std::string& error) {
  switch (c.verb) {
    case console_verb::actors: {
      auto f = parse_filters(std::vector<std::string>(w.begin() + 1, w.end()), error);
      if (f) c.filters = std::move(*f);
      return f.has_value();
    }
    case console_verb::top: return parse_top(w, c, error);
    case console_verb::inspect:
    case console_verb::trace: return parse_actor_command(w, c, error);
    case console_verb::help:
      if (w.size() > 2) break;
      if (w.size() == 2) c.topic = w[1];
      return true;
    case console_verb::tree:
    case console_verb::nodes:
    case console_verb::quit:
      if (w.size() > 1) break;
      return true;
  }
  error = fmt::format("{}: unexpected argument \"{}\" (usage: {})", w[0], w.back(), find_doc(w[0])->usage);
  return false;
}

}  // namespace

std::optional<std::vector<std::string>> split_words(std::string_view line, std::string& error) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) {
    error = fmt::format("unterminated {} quote", quote == '\'' ? "single" : "double");
    return std::nullopt;
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

console_parse parse_console_command(std::string_view line) {
  console_parse out;
  auto words = split_words(line, out.error);
  if (!words || words->empty()) return out;
  const auto& w = *words;
  const auto* doc = find_doc(w[0]);
  if (doc == nullptr) {
    out.error =
        fmt::format("unknown command \"{}\" (commands: actors, top, inspect, trace, tree, nodes, help, quit)", w[0]);
    return out;
  }
  console_command c;
  c.verb = doc->verb;
  if (parse_rest(w, c, out.error)) out.command = std::move(c);
  return out;
}

const std::vector<std::string>& console_verbs() {
  static const std::vector<std::string> v{"actors", "top", "inspect", "trace", "tree", "nodes", "help", "quit", "exit"};
  return v;
}

std::string console_help(std::string_view topic) {
  if (!topic.empty()) {
    const auto* d = find_doc(topic);
    if (d == nullptr)
      return fmt::format("no command \"{}\" (commands: actors, top, inspect, trace, tree, nodes, help, quit)\n", topic);
    return fmt::format("usage: {}\n{}\n", d->usage, d->what);
  }
  std::string out = "Commands:\n";
  for (const auto& d : docs()) out += fmt::format("  {:<80}\n", d.usage);
  out += "`help COMMAND` tells more. Add -o json to `berth console` for machine output.\n";
  return out;
}

std::vector<std::string> complete(std::string_view before, std::string_view word,
                                  const std::vector<std::string>& actor_names) {
  std::string ignored;
  auto prior = split_words(before, ignored).value_or(std::vector<std::string>{});
  std::vector<std::string> pool;
  if (prior.empty())
    pool = console_verbs();
  else if (prior[0] == "inspect" && prior.size() == 1)
    pool = actor_names;
  else if (prior[0] == "trace" && prior.size() == 1)
    pool = actor_names;
  else if (prior[0] == "trace" && prior.back() != "--for" && prior.back() != "--max")
    pool = {"--for", "--max"};
  else if (prior[0] == "top" && prior.back() == "--sort")
    pool = {"mailbox", "rate"};
  else if (prior[0] == "top" && prior.size() == 1)
    pool = {"--sort"};
  else if (prior[0] == "actors")
    pool = {"kind=", "name=", "owner=", "mailbox>", "handled>", "rate>"};
  else if (prior[0] == "help" && prior.size() == 1)
    pool = console_verbs();
  std::vector<std::string> out;
  for (auto& p : pool)
    if (p.rfind(word, 0) == 0) out.push_back(std::move(p));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace berth::cli
