// GET /metrics: berthd's metrics in the Prometheus text format (0.0.4),
// behind the admin token like every other way into the cluster's insides.
// The same text is Introspection.metrics() (introspection_hooks.cpp).
#include <array>
#include <string_view>

#include "actors/introspect/prometheus.hpp"
#include "actors/rpc/rpc_internal.hpp"

namespace berth::rpc {
namespace {

constexpr std::string_view k_path = "/metrics";

/// True for "/metrics" and "/metrics?anything" (Prometheus may add params).
bool is_metrics_path(std::string_view url) {
  if (url.substr(0, k_path.size()) != k_path) return false;
  return url.size() == k_path.size() || url[k_path.size()] == '?';
}

template <std::size_t N>
introspect::histogram_values histogram_of(const std::array<double, N>& bounds,
                                          const std::array<std::uint64_t, N + 1>& counts, double sum,
                                          std::uint64_t count) {
  introspect::histogram_values h;
  h.bounds.assign(bounds.begin(), bounds.end());
  h.counts.assign(counts.begin(), counts.end());
  h.sum = sum;
  h.count = count;
  return h;
}

introspect::journal_metrics journal_of(const journal::writer::stats& s) {
  introspect::journal_metrics j;
  j.records = s.records;
  j.batches = s.batches;
  j.bytes = s.bytes;
  j.append_seconds =
      histogram_of(journal::k_append_seconds_bounds, s.append_buckets, s.append_seconds_sum, s.append_count);
  // Records per batch: every record is in exactly one batch, so the sum is
  // the record count and the count is the batch count.
  j.group_commit_records =
      histogram_of(journal::k_batch_records_bounds, s.batch_records_buckets, static_cast<double>(s.records), s.batches);
  return j;
}

}  // namespace

std::string berthd_metrics_text(server_context& ctx) {
  introspect::metrics_input in;
  if (ctx.config.registry != nullptr) introspect::add_registry(in, *ctx.config.registry);
  if (ctx.config.writer != nullptr) in.journal = journal_of(ctx.config.writer->get_stats());
  in.rpc_calls = ctx.rpc_calls.snapshot();
  in.started_ns = ctx.config.started_ns;
  return introspect::render_prometheus(in);
}

kj::Maybe<kj::Promise<http_reply>> route_metrics(const http_request& r) {
  if (!is_metrics_path({r.url.cStr(), r.url.size()})) return nullptr;
  if (!r.authorized()) {
    // Like kube-apiserver: 401 and no hint of what the metrics would say.
    return kj::Promise<http_reply>(
        http_reply{401, "Unauthorized", "text/plain; charset=utf-8",
                   "Unauthorized: /metrics needs the admin token as 'Authorization: Bearer TOKEN'\n"});
  }
  return kj::Promise<http_reply>(
      http_reply{200, "OK", "text/plain; version=0.0.4; charset=utf-8", berthd_metrics_text(r.ctx)});
}

}  // namespace berth::rpc
