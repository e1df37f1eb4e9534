#include "actors/cmdline/options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

#include "actors/cmdline/duration.hpp"

namespace berth::cmdline {
namespace {

/// CLI11's formatter, with a synopsis that we write instead of the one it
/// derives, and printed first: a reader looks for how to call the command
/// before what it is for.
class synopsis_formatter : public CLI::Formatter {
 public:
  void set(const CLI::App* app, std::string text) { synopses_[app] = std::move(text); }

  std::string synopsis(const CLI::App* app, const std::string& name) const {
    auto it = synopses_.find(app);
    if (it != synopses_.end()) return it->second + "\n";
    return CLI::Formatter::make_usage(app, name);
  }

  std::string make_usage(const CLI::App* app, std::string name) const override { return synopsis(app, name); }

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    std::string description = make_description(app);
    return make_usage(app, name) + (description.empty() ? "" : "\n" + description) + make_positionals(app) +
           make_groups(app, mode) + make_subcommands(app, mode) + "\n" + make_footer(app);
  }

 private:
  std::map<const CLI::App*, std::string> synopses_;
};

std::string got(const std::string& value) { return fmt::format("got \"{}\"", value); }

/// CLI11's "--x: 1 required TEXT missing" (a flag at the end of the line) in berth's words.
std::string missing_value_message(const std::string& what) {
  auto colon = what.find(": ");
  bool missing = what.find(" required ") != std::string::npos && what.size() > 8 &&
                 what.compare(what.size() - 8, 8, " missing") == 0;
  if (colon == std::string::npos || !missing) return what;
  return fmt::format("{}: needs a value", what.substr(0, colon));
}

}  // namespace

CLI::Validator whole_number(long long min, long long max) {
  std::string expected = max == std::numeric_limits<long long>::max()
                             ? fmt::format("a whole number >= {}", min)
                             : fmt::format("a whole number from {} to {}", min, max);
  return CLI::Validator(
      [min, max, expected](std::string& v) -> std::string {
        long long n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || end != v.data() + v.size() || n < min || n > max)
          return fmt::format("expected {}, {}", expected, got(v));
        return {};
      },
      "", "whole_number");
}

CLI::Validator number_between(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& v) -> std::string {
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        if (v.empty() || end == nullptr || *end != '\0' || !(d >= min && d <= max))
          return fmt::format("expected a number from {} to {}, {}", min, max, got(v));
        return {};
      },
      "", "number_between");
}

CLI::Validator duration() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (parse_duration(v)) return {};
        return fmt::format("expected a duration like 500ms, 10s or 2m, {}", got(v));
      },
      "", "duration");
}

CLI::Validator one_of(std::vector<std::string> words) {
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i) list += (i == 0 ? "" : ", ") + words[i];
  return CLI::Validator(
      [words = std::move(words), list](std::string& v) -> std::string {
        if (std::find(words.begin(), words.end(), v) != words.end()) return {};
        return fmt::format("expected one of {}, {}", list, got(v));
      },
      "", "one_of");
}

CLI::Validator short_equals() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (!v.empty() && v[0] == '=') v.erase(0, 1);
        return {};
      },
      "", "short_equals");
}

CLI::Option* add_switch(CLI::App& app, const std::string& names, bool& into, const std::string& description) {
  // A flag's `=value` would otherwise reach CLI11's own bool conversion,
  // whose message names neither the value nor what was expected.
  return app.add_flag(names, into, description)->check(one_of({"true", "false"}));
}

void configure(CLI::App& app) {
  app.formatter(std::make_shared<synopsis_formatter>());
  app.get_formatter()->column_width(32);
  app.get_formatter()->label("Subcommands", "Commands");
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.allow_extras();
  app.set_help_flag("-h,--help", "print this help and exit");
}

void set_synopsis(CLI::App& app, std::string text) {
  if (auto f = std::dynamic_pointer_cast<synopsis_formatter>(app.get_formatter())) f->set(&app, std::move(text));
}

std::string synopsis_of(const CLI::App& app) {
  std::string name = app.get_name();
  for (auto* p = app.get_parent(); p != nullptr; p = p->get_parent()) name = p->get_name() + " " + name;
  auto f = std::dynamic_pointer_cast<synopsis_formatter>(app.get_formatter());
  std::string text = f ? f->synopsis(&app, name) : CLI::Formatter().make_usage(&app, name);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

const CLI::App* selected(const CLI::App& app) {
  const CLI::App* at = &app;
  for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) at = subs.front();
  return at;
}

std::string unknown_argument(const std::string& arg) {
  bool flag = arg.size() > 1 && arg[0] == '-';
  if (!flag) return fmt::format("unexpected argument \"{}\"", arg);
  if (arg[1] != '-') return fmt::format("unknown shorthand flag: '{}' in {}", arg[1], arg);
  return fmt::format("unknown flag: {}", arg.substr(0, arg.find('=')));
}

outcome parse(CLI::App& app, const std::vector<std::string>& args, bool keep_extras) {
  outcome out;
  auto dashes = std::find(args.begin(), args.end(), "--");
  if (dashes != args.end()) out.after_dashes.assign(dashes + 1, args.end());
  std::vector<std::string> reversed(std::make_reverse_iterator(dashes), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out.status = outcome::kind::help;
    out.concerned = selected(app);
    out.message = app.help();
    return out;
  } catch (const CLI::ParseError& e) {
    out.status = outcome::kind::error;
    out.concerned = selected(app);
    out.message = missing_value_message(e.what());
    return out;
  }
  out.concerned = selected(app);
  out.extras = app.remaining(true);
  if (keep_extras) return out;
  if (!out.extras.empty()) {
    out.status = outcome::kind::error;
    out.message = unknown_argument(out.extras.front());
  } else if (!out.after_dashes.empty()) {  // after --, even "--x" is a word, not a flag
    out.status = outcome::kind::error;
    out.message = fmt::format("unexpected argument \"{}\"", out.after_dashes.front());
  }
  return out;
}

}  // namespace berth::cmdline
