// actor_stats_bench: what the introspection registry adds to one message,
// measured where nothing else can hide it. The same actor (a counter) runs in
// two actor systems side by side: a plain one and an instrumented one
// (introspect::system_config). Each round sends N messages from one thread
// and waits until all are handled; rounds alternate so that load changes on a
// shared machine hit both sides alike, and the best round of each side is
// compared (the one least disturbed). Prints ns per message for each side and
// the difference.
//
//   actor_stats_bench [--messages N] [--rounds R] [--json]
#include <caf/all.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <type_traits>

#include "actors/introspect/instrumented.hpp"

namespace {

using namespace berth;

struct counter_state {
  static inline const char* name = "counter";
};
using plain_self = caf::stateful_actor<counter_state>*;
using instrumented_self = caf::stateful_actor<counter_state, introspect::instrumented<>>*;

/// Counts ints into `handled` (an atomic the sender polls).
template <class Self>
caf::behavior counter(Self self, std::atomic<std::uint64_t>* handled) {
  if constexpr (std::is_base_of_v<introspect::instrumented<>, std::remove_pointer_t<Self>>)
    introspect::enroll(self, "bench", "counter", "", [] { return std::string("{}"); });
  return {[=](int) { handled->fetch_add(1, std::memory_order_release); }};
}

/// Sends `n` messages and waits until all are handled; ns per message.
double one_round(caf::actor& a, std::atomic<std::uint64_t>& handled, std::uint64_t n) {
  auto start = handled.load();
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < n; ++i) caf::anon_send(a, static_cast<int>(i));
  while (handled.load(std::memory_order_acquire) < start + n) std::this_thread::yield();
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
         static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t messages = 200'000;
  int rounds = 7;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--messages" && i + 1 < argc)
      messages = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--rounds" && i + 1 < argc)
      rounds = std::atoi(argv[++i]);
    else if (a == "--json")
      json = true;
    else
      return fmt::print(stderr, "usage: actor_stats_bench [--messages N] [--rounds R] [--json]\n"), 1;
  }
  caf::actor_system_config plain_cfg;
  plain_cfg.set("scheduler.max-threads", 1);
  caf::actor_system plain_sys{plain_cfg};
  introspect::system_config stats_cfg;
  stats_cfg.set("scheduler.max-threads", 1);
  caf::actor_system stats_sys{stats_cfg};

  std::atomic<std::uint64_t> plain_handled{0}, stats_handled{0};
  auto plain = plain_sys.spawn(counter<plain_self>, &plain_handled);
  auto instrumented = stats_sys.spawn(counter<instrumented_self>, &stats_handled);
  one_round(plain, plain_handled, messages / 10);  // warm up both
  one_round(instrumented, stats_handled, messages / 10);

  double best_plain = 1e18, best_stats = 1e18;
  for (int r = 0; r < rounds; ++r) {
    best_plain = std::min(best_plain, one_round(plain, plain_handled, messages));
    best_stats = std::min(best_stats, one_round(instrumented, stats_handled, messages));
  }
  auto handled = stats_cfg.registry->find("bench/counter")->handled;
  if (json) {
    fmt::print(
        "{{\"messages_per_round\":{},\"rounds\":{},\"plain_ns_per_message\":{:.1f},"
        "\"instrumented_ns_per_message\":{:.1f},\"added_ns_per_message\":{:.1f},\"registry_handled\":{}}}\n",
        messages, rounds, best_plain, best_stats, best_stats - best_plain, handled);
  } else {
    fmt::print("one message, sent and handled (best of {} rounds of {} messages, alternating):\n", rounds, messages);
    fmt::print("  plain actor        {:8.1f} ns\n  instrumented actor {:8.1f} ns\n  added              {:8.1f} ns\n",
               best_plain, best_stats, best_stats - best_plain);
    fmt::print("(the registry counted {} messages at the instrumented actor)\n", handled);
  }
  caf::anon_send_exit(plain, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(instrumented, caf::exit_reason::user_shutdown);
}
