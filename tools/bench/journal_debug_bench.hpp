#pragma once
// The debugging section of journal_bench (journal_debug_bench.cpp).

#include "tools/bench/bench_report.hpp"

namespace berth::bench {

/// Replay-to-point, object index, history and why latencies on a large journal.
void debug_section(bench_report& report, const bench_options& o);

}  // namespace berth::bench
