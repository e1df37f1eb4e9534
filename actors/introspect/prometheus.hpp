#pragma once
// The Prometheus text exposition format (version 0.0.4) of a process's
// metrics: its actors (from the registry), and — in berthd — the journal
// writer and the RPC calls. Plain C++ with plain inputs (no CAF, no KJ), so
// that berthd's /metrics, Introspection.metrics() and berth-agent render the
// same families the same way, and tests can feed it exact numbers.
//
// Format reminders (https://prometheus.io/docs/instrumenting/exposition_formats/):
//   family   := "# HELP " name " " help "\n" "# TYPE " name " " type "\n" sample*
//   sample   := name ["{" label ("," label)* "}"] " " value "\n"
//   label    := name "=\"" escaped value "\""    (\\, \" and \n escaped)
// Counters end in _total; histograms are _bucket{le=...} (cumulative, the
// last le="+Inf"), _sum and _count.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/introspect/registry.hpp"

namespace berth::introspect {

/// A histogram as exposed: `counts` per bucket (not cumulative), one per
/// bound plus the last one above every bound (+Inf).
struct histogram_values {
  std::vector<double> bounds;
  std::vector<std::uint64_t> counts;
  double sum = 0;
  std::uint64_t count = 0;
};

/// The journal writer's counters (journal::writer::stats, copied by the
/// caller so that this file needs no journal).
struct journal_metrics {
  std::uint64_t records = 0, batches = 0, bytes = 0;
  histogram_values append_seconds;        // append() to durable ack, per record
  histogram_values group_commit_records;  // records per WriteBatch
};

/// Calls of one RPC method that ended one way.
struct rpc_call_count {
  std::string method;   // "Cluster.create", "Gateway.login"
  std::string outcome;  // "ok", "error", or an Outcome code: "invalid", "not_found", ...
  std::uint64_t calls = 0;
};

/// Everything one scrape shows.
struct metrics_input {
  std::vector<actor_info> actors;                          // registry::list()
  std::map<std::string, std::uint64_t> handled_by_exited;  // registry::snapshot().exited
  std::map<std::string, histogram_snapshot> processing_by_exited;
  std::optional<journal_metrics> journal;                // berthd only
  std::optional<std::vector<rpc_call_count>> rpc_calls;  // berthd only
  std::int64_t started_ns = 0;                           // Unix ns; 0: not exposed
};

/// The whole exposition of `in`: actor families (one series per kind seen live
/// or exited, sorted), then journal, RPC and process families when present.
std::string render_prometheus(const metrics_input& in);

/// The agent's exposition: its registry's actors and its start time.
/// Thread-safe (reads the registry under its lock).
std::string render_agent_metrics(const registry& reg, std::int64_t started_ns);

/// Copies a registry's list and exited counters into `in`.
void add_registry(metrics_input& in, const registry& reg);

/// A label value escaped for the text format: backslash, double quote and
/// newline become \\, \" and \n.
std::string escape_label_value(std::string_view value);

/// A sample or `le` value: the shortest decimal that reads back as `value`,
/// fixed notation from 1e-4 up to 1e21 and scientific outside ("1e-05",
/// "0.0001", "3", "1700000000.5"); "+Inf", "-Inf", "NaN".
std::string format_value(double value);

}  // namespace berth::introspect
