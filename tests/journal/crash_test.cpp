// Crash consistency: a child process appends as fast as it can and prints
// every acknowledged append; it is SIGKILLed at a random moment; reopening
// must find every acknowledged record with its exact payload, and seqs must be
// contiguous. Five runs on the same directory, each appending on top.
//
// The child binary comes from $JOURNAL_CRASH_CHILD (tests/journal/meson.build).
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

#include "journal/journal.hpp"
#include "tests/journal/crash_payload.hpp"
#include "tests/journal/journal_test_util.hpp"

extern char** environ;

namespace bj = berth::journal;
using clock_type = std::chrono::steady_clock;

namespace {

struct ack_line {
  std::uint64_t seq = 0;
  std::uint32_t run = 0, producer = 0;
  std::uint64_t index = 0, xxh = 0;
};

/// The child's stdout, read line by line with an optional deadline.
class child_process {
 public:
  child_process(const std::string& exe, const std::string& dir, int run) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    const std::string run_arg = std::to_string(run);
    char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>(dir.c_str()), const_cast<char*>(run_arg.c_str()),
                    nullptr};
    const int rc = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    fd_ = fds[0];
    REQUIRE_MESSAGE(rc == 0, "posix_spawn " << exe << " failed: " << rc);
  }
  ~child_process() {
    if (pid_ > 0) kill_and_wait();
    if (fd_ >= 0) ::close(fd_);
  }

  /// The next complete line, or nullopt at EOF or when `deadline` passes.
  std::optional<std::string> line(clock_type::time_point deadline) {
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string l = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return l;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;  // EOF: a partial last line is dropped (never acknowledged)
      buf_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void kill_and_wait() {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
};

ack_line parse_ack(const std::string& l) {
  std::istringstream in(l);
  std::string word;
  ack_line a;
  in >> word >> a.seq >> a.run >> a.producer >> a.index >> std::hex >> a.xxh;
  if (word != "ack" || in.fail()) FAIL("unexpected line from the child: " << l);
  return a;
}

/// Runs the child once; returns what it acknowledged.
std::vector<ack_line> crash_once(const std::string& exe, const std::string& dir, int run,
                                 std::chrono::milliseconds run_for) {
  child_process child(exe, dir, run);
  const auto guard = clock_type::now() + std::chrono::seconds(60);  // a hung child, not a timing check
  auto ready = child.line(guard);
  REQUIRE_MESSAGE(ready.has_value(), "the child printed nothing");
  REQUIRE_MESSAGE(ready->rfind("ready ", 0) == 0, "the child said: " << *ready);
  std::vector<ack_line> acks;
  // The random window starts at the first ack, so every run kills a child mid-stream.
  auto first = child.line(guard);
  REQUIRE_MESSAGE(first.has_value(), "the child acknowledged nothing");
  acks.push_back(parse_ack(*first));
  const auto deadline = clock_type::now() + run_for;
  while (auto l = child.line(deadline)) acks.push_back(parse_ack(*l));
  child.kill_and_wait();
  // Lines already in the pipe were written after their append was durable.
  while (auto l = child.line(guard)) acks.push_back(parse_ack(*l));
  return acks;
}

}  // namespace

TEST_CASE("every_acknowledged_append_survives_sigkill") {
  const char* exe = std::getenv("JOURNAL_CRASH_CHILD");
  REQUIRE_MESSAGE(exe != nullptr, "JOURNAL_CRASH_CHILD is not set (run through meson test)");
  bj::test::temp_dir d;
  std::random_device rd;
  const unsigned seed = rd();
  MESSAGE("seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> ms(50, 400);

  std::map<std::uint64_t, ack_line> all_acks;  // by seq, over every run
  for (int run = 1; run <= 5; ++run) {
    CAPTURE(run);
    const auto acks = crash_once(exe, d.path, run, std::chrono::milliseconds(ms(rng)));
    for (const auto& a : acks) {
      REQUIRE(a.run == static_cast<std::uint32_t>(run));
      REQUIRE_MESSAGE(all_acks.emplace(a.seq, a).second, "seq " << a.seq << " acknowledged twice");
    }
    // Reopen (verifies every record and contiguity) and check every ack so far.
    auto j = bj::journal::open(d.path, {});
    if (!j.ok()) FAIL("reopen after run " << run << ": " << j.err().message);
    REQUIRE(j.value()->first_seq() == 1);
    REQUIRE(j.value()->last_seq() >= all_acks.rbegin()->first);
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> last_index;  // per (run, producer)
    std::size_t checked = 0;
    auto c = j.value()->read_from(1);
    std::uint64_t expect = 1;
    while (auto r = c->next()) {
      REQUIRE(r->seq == expect++);
      auto it = all_acks.find(r->seq);
      if (it == all_acks.end()) continue;  // durable but killed before its ack was printed
      const ack_line& a = it->second;
      REQUIRE(r->payload == bj::test::crash_payload(a.run, a.producer, a.index));
      REQUIRE(XXH3_64bits(r->payload.data(), r->payload.size()) == a.xxh);
      // Each producer's appends got seqs in the order it submitted them.
      const auto key = std::make_pair(a.run, a.producer);
      if (auto prev = last_index.find(key); prev != last_index.end()) REQUIRE(a.index > prev->second);
      last_index[key] = a.index;
      ++checked;
    }
    REQUIRE_FALSE(c->err().has_value());
    CHECK(expect - 1 == j.value()->last_seq());
    CHECK(checked == all_acks.size());
    MESSAGE("run " << run << ": " << acks.size() << " acks, journal at seq " << j.value()->last_seq());
  }
}
