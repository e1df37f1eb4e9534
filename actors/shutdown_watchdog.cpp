#include "actors/shutdown_watchdog.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

#include <fmt/format.h>

namespace berth::actors {

struct shutdown_watchdog::state {
  std::mutex mu;        // held while firing, and by finish(): one of them wins
  bool finished = false;  // guarded by mu
  std::atomic<bool> standing_down{false};
  std::function<void(const char*)> last_words;
  std::thread thread;

  void fire(const char* why) {
    std::lock_guard lock(mu);
    if (finished) return;
    fmt::print(stderr, "berthd: {}: closing the journal and exiting now\n", why);
    if (last_words) last_words(why);
    std::fflush(stderr);
    std::_Exit(0);
  }
};

shutdown_watchdog::shutdown_watchdog(std::chrono::nanoseconds timeout, std::function<void(const char*)> last_words)
    : state_(std::make_shared<state>()) {
  state_->last_words = std::move(last_words);
  state_->thread = std::thread([s = state_, timeout] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Short slices, so that finish() is noticed quickly without a second
    // wake-up channel (sigtimedwait cannot wait on a condition variable).
    constexpr auto slice = std::chrono::milliseconds(20);
    while (!s->standing_down.load()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return s->fire("shutdown took longer than --shutdown-timeout");
      const auto wait = std::min<std::chrono::nanoseconds>(deadline - now, slice);
      timespec ts{static_cast<time_t>(wait.count() / 1'000'000'000), static_cast<long>(wait.count() % 1'000'000'000)};
      if (sigtimedwait(&set, nullptr, &ts) > 0) return s->fire("second signal during shutdown");
    }
  });
}

shutdown_watchdog::~shutdown_watchdog() { finish(); }

void shutdown_watchdog::finish() {
  {
    std::lock_guard lock(state_->mu);
    state_->finished = true;
  }
  state_->standing_down = true;
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace berth::actors
