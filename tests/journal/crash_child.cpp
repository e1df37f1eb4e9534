// journal_crash_child DIR RUN [PRODUCERS]: appends to the journal in DIR from
// several threads as fast as it can, until it is killed. After each durable
// append it writes one line to stdout with a single write(2), so a line that
// reached the pipe was acknowledged:
//   ack <seq> <run> <producer> <index> <xxh3 of payload, hex>
// It first prints "ready <last_seq>" once the journal is open, or
// "error <message>" and exits 2.
#include <unistd.h>
#include <xxhash.h>

#include <cstdio>
#include <cstdlib>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tests/journal/crash_payload.hpp"

namespace bj = berth::journal;

namespace {

void say(const std::string& line) {
  // One write per line: lines from a pipe write of < PIPE_BUF bytes never interleave.
  const ssize_t n = ::write(STDOUT_FILENO, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size())) std::_Exit(3);  // the test went away
}

void produce(bj::writer& w, std::uint32_t run, std::uint32_t producer) {
  // A window of appends in flight per producer keeps the writer's queue full.
  std::counting_semaphore<64> window(64);
  for (std::uint64_t i = 0;; ++i) {
    window.acquire();
    std::string payload = bj::test::crash_payload(run, producer, i);
    const std::uint64_t xxh = XXH3_64bits(payload.data(), payload.size());
    w.append(1, std::move(payload), [&window, run, producer, i, xxh](const bj::result<bj::append_ack>& r) {
      if (!r.ok()) {
        say(fmt::format("error {}\n", r.err().message));
        std::_Exit(2);
      }
      say(fmt::format("ack {} {} {} {} {:016x}\n", r.value().seq, run, producer, i, xxh));
      window.release();
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIR RUN [PRODUCERS]\n", argv[0]);
    return 1;
  }
  const auto run = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  const int producers = argc > 3 ? std::atoi(argv[3]) : 4;
  auto j = bj::journal::open(argv[1], {});
  if (!j.ok()) {
    say(fmt::format("error {}\n", j.err().message));
    return 2;
  }
  say(fmt::format("ready {}\n", j.value()->last_seq()));
  bj::writer w(*j.value());
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&w, run, p] { produce(w, run, static_cast<std::uint32_t>(p)); });
  for (auto& t : threads) t.join();  // never: the test kills us
}
