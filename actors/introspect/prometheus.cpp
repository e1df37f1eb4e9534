#include "actors/introspect/prometheus.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace berth::introspect {
namespace {

using label = std::pair<std::string_view, std::string_view>;

/// Appends families and samples to one text; keeps the format rules in one place.
class exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;  // ours: no backslash or newline to escape
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, const std::vector<label>& labels, std::string_view value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out_ += ',';
        out_ += labels[i].first;
        out_ += "=\"";
        out_ += escape_label_value(labels[i].second);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }

  void sample(std::string_view name, const std::vector<label>& labels, std::uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  /// _bucket (cumulative, then +Inf), _sum and _count of one series.
  void histogram(std::string_view name, std::vector<label> labels, const histogram_values& h) {
    const std::string bucket = std::string(name) + "_bucket";
    labels.emplace_back("le", "");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      cumulative += h.counts[i];
      const std::string le = i < h.bounds.size() ? format_value(h.bounds[i]) : "+Inf";
      labels.back().second = le;
      sample(bucket, labels, cumulative);
    }
    labels.pop_back();
    sample(std::string(name) + "_sum", labels, format_value(h.sum));
    sample(std::string(name) + "_count", labels, h.count);
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// One kind's actors added up.
struct kind_totals {
  std::uint64_t actors = 0, mailbox = 0, mailbox_max = 0, handled = 0;
  histogram_values processing;
};

histogram_values empty_processing() {
  histogram_values h;
  h.bounds.assign(k_bucket_bounds.begin(), k_bucket_bounds.end());
  h.counts.assign(k_bucket_bounds.size() + 1, 0);
  return h;
}

/// Every kind seen live or exited (an exited kind keeps its handled counter).
std::map<std::string, kind_totals> by_kind(const metrics_input& in) {
  std::map<std::string, kind_totals> kinds;
  auto at = [&kinds](const std::string& kind) -> kind_totals& {
    auto [it, fresh] = kinds.try_emplace(kind);
    if (fresh) it->second.processing = empty_processing();
    return it->second;
  };
  for (const auto& a : in.actors) {
    auto& k = at(a.kind);
    k.actors += 1;
    k.mailbox += a.mailbox;
    k.mailbox_max = std::max(k.mailbox_max, a.mailbox);
    k.handled += a.handled;
    for (std::size_t i = 0; i < a.processing.counts.size(); ++i) k.processing.counts[i] += a.processing.counts[i];
    k.processing.sum += a.processing.sum_seconds;
    k.processing.count += a.processing.count;
  }
  for (const auto& [kind, handled] : in.handled_by_exited) at(kind).handled += handled;
  for (const auto& [kind, h] : in.processing_by_exited) {
    auto& k = at(kind);
    for (std::size_t i = 0; i < h.counts.size() && i < k.processing.counts.size(); ++i)
      k.processing.counts[i] += h.counts[i];
    k.processing.sum += h.sum_seconds;
    k.processing.count += h.count;
  }
  return kinds;
}

void render_actors(exposition& x, const metrics_input& in) {
  const auto kinds = by_kind(in);
  x.family("berth_actors", "gauge", "Live actors, by kind.");
  for (const auto& [kind, k] : kinds) x.sample("berth_actors", {{"kind", kind}}, k.actors);
  x.family("berth_actor_mailbox_messages", "gauge", "Messages waiting in the mailboxes of the kind's actors, summed.");
  for (const auto& [kind, k] : kinds) x.sample("berth_actor_mailbox_messages", {{"kind", kind}}, k.mailbox);
  x.family("berth_actor_mailbox_max_messages", "gauge", "Messages waiting in the fullest mailbox of the kind.");
  for (const auto& [kind, k] : kinds) x.sample("berth_actor_mailbox_max_messages", {{"kind", kind}}, k.mailbox_max);
  x.family("berth_actor_messages_handled_total", "counter", "Messages handled by the kind's actors, live and exited.");
  for (const auto& [kind, k] : kinds) x.sample("berth_actor_messages_handled_total", {{"kind", kind}}, k.handled);
  x.family("berth_actor_processing_seconds", "histogram", "Time to handle one message, over the kind's live actors.");
  for (const auto& [kind, k] : kinds) x.histogram("berth_actor_processing_seconds", {{"kind", kind}}, k.processing);
}

void render_journal(exposition& x, const journal_metrics& j) {
  x.family("berth_journal_append_seconds", "histogram",
           "Time from append() to the durable acknowledgement, per record.");
  x.histogram("berth_journal_append_seconds", {}, j.append_seconds);
  x.family("berth_journal_group_commit_records", "histogram", "Records per synced WriteBatch (group commit size).");
  x.histogram("berth_journal_group_commit_records", {}, j.group_commit_records);
  x.family("berth_journal_records_total", "counter", "Records made durable.");
  x.sample("berth_journal_records_total", {}, j.records);
  x.family("berth_journal_batches_total", "counter", "Synced WriteBatches (group commits).");
  x.sample("berth_journal_batches_total", {}, j.batches);
  x.family("berth_journal_bytes_total", "counter", "Payload bytes made durable.");
  x.sample("berth_journal_bytes_total", {}, j.bytes);
}

void render_rpc(exposition& x, std::vector<rpc_call_count> calls) {
  std::sort(calls.begin(), calls.end(),
            [](const auto& a, const auto& b) { return std::tie(a.method, a.outcome) < std::tie(b.method, b.outcome); });
  x.family("berth_rpc_calls_total", "counter", "RPC calls answered, by method and outcome.");
  for (const auto& c : calls)
    x.sample("berth_rpc_calls_total", {{"method", c.method}, {"outcome", c.outcome}}, c.calls);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits, written like Go's strconv 'g' (what the
  // official clients print) but with fixed notation up to 1e21 so that a
  // Unix time reads as one: 1e-05, 0.0001, 0.5, 3, 1700000000.5.
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(sci.ptr - buf));
  auto e = text.find('e');
  std::string_view digits = text.substr(e + 1);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int exponent = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
  if (exponent < -4 || exponent >= 21) return std::string(text);
  auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

std::string render_prometheus(const metrics_input& in) {
  exposition x;
  render_actors(x, in);
  if (in.journal) render_journal(x, *in.journal);
  if (in.rpc_calls) render_rpc(x, *in.rpc_calls);
  if (in.started_ns != 0) {
    x.family("berth_process_start_time_seconds", "gauge",
             "Start time of the process since the Unix epoch, in seconds.");
    x.sample("berth_process_start_time_seconds", {}, format_value(static_cast<double>(in.started_ns) / 1e9));
  }
  return x.take();
}

void add_registry(metrics_input& in, const registry& reg) {
  // One snapshot: the live actors and what the exited ones had counted, under
  // one lock, so an actor exiting during a scrape is counted exactly once and
  // no counter or histogram goes down (Prometheus would read a reset).
  auto s = reg.snapshot();
  in.actors = std::move(s.actors);
  for (auto& [kind, totals] : s.exited) {
    in.handled_by_exited[kind] = totals.handled;
    in.processing_by_exited[kind] = totals.processing;
  }
}

std::string render_agent_metrics(const registry& reg, std::int64_t started_ns) {
  metrics_input in;
  add_registry(in, reg);
  in.started_ns = started_ns;
  return render_prometheus(in);
}

}  // namespace berth::introspect
