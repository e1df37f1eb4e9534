#include "cli/console_run.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ostream>

#include "cli/console_render.hpp"
#include "cli/console_session.hpp"
#include "cli/console_tree.hpp"

namespace berth::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;  // see interrupt_guard

extern "C" void on_interrupt(int) { g_interrupted = 1; }

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out;
}

int run_actors(const console_command& c, console_context& ctx) {
  std::vector<std::string> json;
  auto all = ctx.session.actors(ctx.json ? &json : nullptr);
  if (!ctx.json) {
    ctx.io.out << render_actors(filter_actors(all, c.filters), now_ns()) << std::flush;
    return k_exit_ok;
  }
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (matches(all[i], c.filters)) kept.push_back(json[i]);
  ctx.io.out << "{\"actors\":[" << join(kept) << "]}\n" << std::flush;
  return k_exit_ok;
}

/// One frame of `top` (-c, not a terminal, or -o json).
int run_top_once(const console_command& c, console_context& ctx) {
  std::string process_json;
  std::vector<std::string> json;
  auto p = ctx.session.process(ctx.json ? &process_json : nullptr);
  auto all = ctx.session.actors(ctx.json ? &json : nullptr);
  if (!ctx.json) {
    ctx.io.out << render_top(p, std::move(all), c.sort, now_ns(), 0) << std::flush;
    return k_exit_ok;
  }
  // The same order as the table: sort indices by the rows' keys.
  std::vector<actor_row> rows = all;
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = i;  // carry the index through the sort
  sort_actors(rows, c.sort);
  std::vector<std::string> sorted;
  for (const auto& r : rows) sorted.push_back(json[r.id]);
  ctx.io.out << "{\"process\":" << process_json << ",\"actors\":[" << join(sorted) << "]}\n" << std::flush;
  return k_exit_ok;
}

int run_inspect(const console_command& c, console_context& ctx) {
  auto r = ctx.session.inspect(c.actor);
  if (!r.error.empty() && r.info_json.empty()) {
    fmt::print(ctx.io.err, "error: {}\n", r.error);
    return k_exit_user;
  }
  if (ctx.json) {
    std::string state = r.state_json.empty() ? "null" : r.state_json;
    ctx.io.out << "{\"info\":" << r.info_json << ",\"state\":" << state << "}\n" << std::flush;
  } else {
    ctx.io.out << render_inspect(r.info, r.state_json.empty() ? "{}" : r.state_json, now_ns()) << std::flush;
  }
  if (!r.error.empty()) {  // listed, but it did not answer for its state
    fmt::print(ctx.io.err, "error: {}: {}\n", c.actor, r.error);
    return k_exit_user;
  }
  return k_exit_ok;
}

int run_trace(const console_command& c, console_context& ctx) {
  interrupt_guard guard;
  auto on_event = [&](const trace_row& e, const std::string& json) {
    ctx.io.out << (ctx.json ? json + "\n" : render_trace_event(e)) << std::flush;
  };
  auto r = ctx.session.trace(c.actor, c.for_ms, c.max, on_event, [] { return interrupt_guard::raised(); });
  if (!r.error.empty()) {
    fmt::print(ctx.io.err, "error: {}\n", r.error);
    return k_exit_user;
  }
  if (ctx.json)
    ctx.io.out << fmt::format("{{\"stopped\":\"{}\",\"events\":{}}}\n", r.stopped, r.events);
  else
    ctx.io.out << render_trace_end(r.stopped, r.events);
  ctx.io.out << std::flush;
  return k_exit_ok;
}

int run_tree(console_context& ctx) {
  auto roots = build_tree(ctx.session.actors());
  if (ctx.json)
    ctx.io.out << tree_json(roots) << "\n";
  else
    ctx.io.out << (roots.empty() ? std::string("No actors found.\n") : render_tree(roots));
  ctx.io.out << std::flush;
  return k_exit_ok;
}

int run_nodes(console_context& ctx) {
  std::string json;
  auto nodes = ctx.session.nodes(ctx.json ? &json : nullptr);
  ctx.io.out << (ctx.json ? json + "\n" : render_nodes(nodes)) << std::flush;
  return k_exit_ok;
}

}  // namespace

interrupt_guard::interrupt_guard() {
  g_interrupted = 0;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking poll() returns at once
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

interrupt_guard::~interrupt_guard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

bool interrupt_guard::raised() { return g_interrupted != 0; }
void interrupt_guard::clear() { g_interrupted = 0; }

int run_console_command(const console_command& c, console_context& ctx) {
  switch (c.verb) {
    case console_verb::actors: return run_actors(c, ctx);
    case console_verb::top:
      if (ctx.interactive && !ctx.json && ::isatty(STDOUT_FILENO) && ::isatty(STDIN_FILENO))
        return run_top_tty(ctx, c.sort);
      return run_top_once(c, ctx);
    case console_verb::inspect: return run_inspect(c, ctx);
    case console_verb::trace: return run_trace(c, ctx);
    case console_verb::tree: return run_tree(ctx);
    case console_verb::nodes: return run_nodes(ctx);
    case console_verb::help: {
      auto text = console_help(c.topic);
      bool known = c.topic.empty() || text.rfind("usage:", 0) == 0;
      (known ? ctx.io.out : ctx.io.err) << text << std::flush;
      return known ? k_exit_ok : k_exit_user;
    }
    case console_verb::quit: return k_exit_ok;
  }
  return k_exit_user;
}

}  // namespace berth::cli
