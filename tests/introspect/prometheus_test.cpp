// The Prometheus text berthd and the agent serve on /metrics: exact text for
// a small input, label escaping, cumulative buckets, number formatting, and
// handled counters that stay put when actors exit.
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <string>

#include "actors/introspect/prometheus.hpp"
#include "actors/introspect/registry.hpp"

namespace bi = berth::introspect;

namespace {

bi::actor_info actor(std::string kind, std::uint64_t mailbox, std::uint64_t handled) {
  bi::actor_info a;
  a.kind = std::move(kind);
  a.mailbox = mailbox;
  a.handled = handled;
  return a;
}

/// The lines of `text` that start with `prefix`, joined.
std::string lines_of(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    auto line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) out += line + "\n";
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("exact text for a small input: actor families per kind, journal, rpc calls, start time") {
  bi::metrics_input in;
  auto web1 = actor("pod", 2, 7);
  web1.processing.counts[0] = 3;  // <= 1e-05
  web1.processing.counts[3] = 4;  // <= 0.0005
  web1.processing.sum_seconds = 0.125;
  web1.processing.count = 7;
  auto web2 = actor("pod", 5, 1);
  web2.processing.counts[12] = 1;  // above 5 s
  web2.processing.sum_seconds = 8;
  web2.processing.count = 1;
  in.actors = {web1, web2};
  in.handled_by_exited = {{"rc", 4}};  // no rc left alive: still a series
  in.journal = bi::journal_metrics{3, 2, 120, {{0.001, 0.01}, {2, 1, 0}, 0.0065, 3}, {{1, 2}, {1, 1, 0}, 3, 2}};
  in.rpc_calls = std::vector<bi::rpc_call_count>{{"Gateway.login", "ok", 1}, {"Cluster.create", "invalid", 2}};
  in.started_ns = 1'700'000'000'500'000'000;

  CHECK(bi::render_prometheus(in) ==
        "# HELP berth_actors Live actors, by kind.\n"
        "# TYPE berth_actors gauge\n"
        "berth_actors{kind=\"pod\"} 2\n"
        "berth_actors{kind=\"rc\"} 0\n"
        "# HELP berth_actor_mailbox_messages Messages waiting in the mailboxes of the kind's actors, summed.\n"
        "# TYPE berth_actor_mailbox_messages gauge\n"
        "berth_actor_mailbox_messages{kind=\"pod\"} 7\n"
        "berth_actor_mailbox_messages{kind=\"rc\"} 0\n"
        "# HELP berth_actor_mailbox_max_messages Messages waiting in the fullest mailbox of the kind.\n"
        "# TYPE berth_actor_mailbox_max_messages gauge\n"
        "berth_actor_mailbox_max_messages{kind=\"pod\"} 5\n"
        "berth_actor_mailbox_max_messages{kind=\"rc\"} 0\n"
        "# HELP berth_actor_messages_handled_total Messages handled by the kind's actors, live and exited.\n"
        "# TYPE berth_actor_messages_handled_total counter\n"
        "berth_actor_messages_handled_total{kind=\"pod\"} 8\n"
        "berth_actor_messages_handled_total{kind=\"rc\"} 4\n"
        "# HELP berth_actor_processing_seconds Time to handle one message, over the kind's live actors.\n"
        "# TYPE berth_actor_processing_seconds histogram\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"1e-05\"} 3\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"5e-05\"} 3\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.0001\"} 3\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.0005\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.001\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.005\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.01\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.05\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.1\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"0.5\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"1\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"5\"} 7\n"
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"+Inf\"} 8\n"
        "berth_actor_processing_seconds_sum{kind=\"pod\"} 8.125\n"
        "berth_actor_processing_seconds_count{kind=\"pod\"} 8\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"1e-05\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"5e-05\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.0001\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.0005\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.001\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.005\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.01\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.05\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.1\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"0.5\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"1\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"5\"} 0\n"
        "berth_actor_processing_seconds_bucket{kind=\"rc\",le=\"+Inf\"} 0\n"
        "berth_actor_processing_seconds_sum{kind=\"rc\"} 0\n"
        "berth_actor_processing_seconds_count{kind=\"rc\"} 0\n"
        "# HELP berth_journal_append_seconds Time from append() to the durable acknowledgement, per record.\n"
        "# TYPE berth_journal_append_seconds histogram\n"
        "berth_journal_append_seconds_bucket{le=\"0.001\"} 2\n"
        "berth_journal_append_seconds_bucket{le=\"0.01\"} 3\n"
        "berth_journal_append_seconds_bucket{le=\"+Inf\"} 3\n"
        "berth_journal_append_seconds_sum 0.0065\n"
        "berth_journal_append_seconds_count 3\n"
        "# HELP berth_journal_group_commit_records Records per synced WriteBatch (group commit size).\n"
        "# TYPE berth_journal_group_commit_records histogram\n"
        "berth_journal_group_commit_records_bucket{le=\"1\"} 1\n"
        "berth_journal_group_commit_records_bucket{le=\"2\"} 2\n"
        "berth_journal_group_commit_records_bucket{le=\"+Inf\"} 2\n"
        "berth_journal_group_commit_records_sum 3\n"
        "berth_journal_group_commit_records_count 2\n"
        "# HELP berth_journal_records_total Records made durable.\n"
        "# TYPE berth_journal_records_total counter\n"
        "berth_journal_records_total 3\n"
        "# HELP berth_journal_batches_total Synced WriteBatches (group commits).\n"
        "# TYPE berth_journal_batches_total counter\n"
        "berth_journal_batches_total 2\n"
        "# HELP berth_journal_bytes_total Payload bytes made durable.\n"
        "# TYPE berth_journal_bytes_total counter\n"
        "berth_journal_bytes_total 120\n"
        "# HELP berth_rpc_calls_total RPC calls answered, by method and outcome.\n"
        "# TYPE berth_rpc_calls_total counter\n"
        "berth_rpc_calls_total{method=\"Cluster.create\",outcome=\"invalid\"} 2\n"
        "berth_rpc_calls_total{method=\"Gateway.login\",outcome=\"ok\"} 1\n"
        "# HELP berth_process_start_time_seconds Start time of the process since the Unix epoch, in seconds.\n"
        "# TYPE berth_process_start_time_seconds gauge\n"
        "berth_process_start_time_seconds 1700000000.5\n");
}

TEST_CASE("no actors, no journal, no rpc, no start time: the actor families alone, without samples") {
  CHECK(bi::render_prometheus({}) ==
        "# HELP berth_actors Live actors, by kind.\n"
        "# TYPE berth_actors gauge\n"
        "# HELP berth_actor_mailbox_messages Messages waiting in the mailboxes of the kind's actors, summed.\n"
        "# TYPE berth_actor_mailbox_messages gauge\n"
        "# HELP berth_actor_mailbox_max_messages Messages waiting in the fullest mailbox of the kind.\n"
        "# TYPE berth_actor_mailbox_max_messages gauge\n"
        "# HELP berth_actor_messages_handled_total Messages handled by the kind's actors, live and exited.\n"
        "# TYPE berth_actor_messages_handled_total counter\n"
        "# HELP berth_actor_processing_seconds Time to handle one message, over the kind's live actors.\n"
        "# TYPE berth_actor_processing_seconds histogram\n");
}

TEST_CASE("label values escape backslash, double quote and newline, and nothing else") {
  CHECK(bi::escape_label_value("plain/name-1.x") == "plain/name-1.x");
  CHECK(bi::escape_label_value("a\\b") == "a\\\\b");
  CHECK(bi::escape_label_value("say \"hi\"") == "say \\\"hi\\\"");
  CHECK(bi::escape_label_value("two\nlines") == "two\\nlines");
  CHECK(bi::escape_label_value("tab\there") == "tab\there");

  bi::metrics_input in;
  in.actors = {actor("we\"ird\\kind\n", 0, 1)};
  in.rpc_calls = std::vector<bi::rpc_call_count>{{"X.y", "bad \"news\"", 1}};
  auto text = bi::render_prometheus(in);
  CHECK(lines_of(text, "berth_actors{") == "berth_actors{kind=\"we\\\"ird\\\\kind\\n\"} 1\n");
  CHECK(lines_of(text, "berth_rpc_calls_total{") ==
        "berth_rpc_calls_total{method=\"X.y\",outcome=\"bad \\\"news\\\"\"} 1\n");
}

TEST_CASE("histogram buckets are cumulative, end with +Inf equal to the count, and sum across a kind") {
  bi::metrics_input in;
  auto a = actor("node", 0, 3);
  a.processing.counts = {1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  a.processing.count = 3;
  auto b = actor("node", 0, 4);
  b.processing.counts = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2};
  b.processing.count = 4;
  in.actors = {a, b};
  CHECK(lines_of(bi::render_prometheus(in), "berth_actor_processing_seconds_") ==
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"1e-05\"} 1\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"5e-05\"} 2\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.0001\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.0005\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.001\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.005\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.01\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.05\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.1\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"0.5\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"1\"} 4\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"5\"} 5\n"
        "berth_actor_processing_seconds_bucket{kind=\"node\",le=\"+Inf\"} 7\n"
        "berth_actor_processing_seconds_sum{kind=\"node\"} 0\n"
        "berth_actor_processing_seconds_count{kind=\"node\"} 7\n");
}

TEST_CASE("values: shortest round-trip, fixed from 1e-4 to 1e21, scientific outside, and the infinities") {
  CHECK(bi::format_value(0) == "0");
  CHECK(bi::format_value(3) == "3");
  CHECK(bi::format_value(0.00001) == "1e-05");
  CHECK(bi::format_value(0.00005) == "5e-05");
  CHECK(bi::format_value(0.0001) == "0.0001");
  CHECK(bi::format_value(0.1) == "0.1");
  CHECK(bi::format_value(2.5) == "2.5");
  CHECK(bi::format_value(1700000000.5) == "1700000000.5");
  CHECK(bi::format_value(1e21) == "1e+21");
  CHECK(bi::format_value(-0.25) == "-0.25");
  CHECK(bi::format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(bi::format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(bi::format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("the handled counter and processing histogram of a kind do not go down when an actor of it exits") {
  bi::registry reg;
  auto web = reg.add(1, 0);
  reg.enroll(1, "pod", "default/web-1", "rc/default/web", {});
  auto db = reg.add(2, 0);
  reg.enroll(2, "pod", "default/db-1", "", {});
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) web->on_handled("tick", t0, t0 + std::chrono::microseconds(20));
  db->on_handled("tick", t0, t0 + std::chrono::microseconds(20));

  auto before = bi::render_agent_metrics(reg, 0);
  CHECK(lines_of(before, "berth_actors{") == "berth_actors{kind=\"pod\"} 2\n");
  CHECK(lines_of(before, "berth_actor_messages_handled_total{") ==
        "berth_actor_messages_handled_total{kind=\"pod\"} 4\n");

  reg.remove(1);
  auto after = bi::render_agent_metrics(reg, 0);
  CHECK(lines_of(after, "berth_actors{") == "berth_actors{kind=\"pod\"} 1\n");
  CHECK(lines_of(after, "berth_actor_messages_handled_total{") ==
        "berth_actor_messages_handled_total{kind=\"pod\"} 4\n");
  // The histogram keeps the exited actor's observations too.
  CHECK(lines_of(after, "berth_actor_processing_seconds_count{") ==
        "berth_actor_processing_seconds_count{kind=\"pod\"} 4\n");

  reg.remove(2);
  auto gone = bi::render_agent_metrics(reg, 0);
  CHECK(lines_of(gone, "berth_actors{") == "berth_actors{kind=\"pod\"} 0\n");
  CHECK(lines_of(gone, "berth_actor_messages_handled_total{") ==
        "berth_actor_messages_handled_total{kind=\"pod\"} 4\n");
  CHECK(lines_of(gone, "berth_actor_processing_seconds_count{") ==
        "berth_actor_processing_seconds_count{kind=\"pod\"} 4\n");
  CHECK(lines_of(gone, "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"5e-05\"}") ==
        "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"5e-05\"} 4\n");
}

TEST_CASE("the agent's text has its start time and no journal or rpc families") {
  bi::registry reg;
  reg.add(7, 0);
  reg.enroll(7, "node", "n1", "", {});
  auto text = bi::render_agent_metrics(reg, 1'700'000'000'000'000'000);
  CHECK(lines_of(text, "berth_actors{") == "berth_actors{kind=\"node\"} 1\n");
  CHECK(lines_of(text, "berth_process_start_time_seconds ") == "berth_process_start_time_seconds 1700000000\n");
  CHECK(text.find("berth_journal_") == std::string::npos);
  CHECK(text.find("berth_rpc_") == std::string::npos);
}
