#pragma once
// berthd's command line, parsed into a plain value (no I/O, no CAF: main
// turns it into the store's configuration). CLI11 does the parsing.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/reconcile/node_liveness.hpp"
#include "actors/reconcile/service_addresses.hpp"

namespace berth::actors {

struct berthd_options {
  std::string data_dir = "berth-data";
  /// The key secrets are encrypted with; empty: DATA_DIR/encryption.key.
  std::string encryption_key_file;
  std::string listen = "127.0.0.1:7420";
  std::string http_listen = "127.0.0.1:7421";
  std::string api_listen = "127.0.0.1:6443";  // the Kubernetes API over HTTPS; "none": not served
  bool insecure_rpc = false;                  // plain TCP on --listen (tests only): no TLS, no CA to pin
  reconcile::liveness_config liveness;          // heartbeat 10s, grace 40s, eviction 60s
  std::uint64_t snapshot_every = 10'000;        // 0: never
  reconcile::service_address_config addresses;  // cluster IPs, node ports, the DNS address
  /// After SIGTERM/SIGINT, end within this even if actors are still busy
  /// (the journal writer is closed first: nothing acknowledged is lost).
  std::chrono::nanoseconds shutdown_timeout = std::chrono::seconds(1);
  /// The journal refuses writes ("journal full") while its file system has
  /// less than this free (journal::writer_options::min_free_bytes).
  std::uint64_t journal_min_free_bytes = 64ull << 20;
  bool salvage = false;
  bool fast_open = false;
  bool actor_stats = true;
};

/// Parsed options, or --help's text, or why not.
struct berthd_parse_result {
  std::optional<berthd_options> options;  // unset on error and for --help
  bool help = false;
  std::string text;  // help: the help; error: one line naming the flag, without "berthd: "
};

/// Parses the arguments after argv[0]. Never throws.
berthd_parse_result parse_berthd_options(const std::vector<std::string>& args);

/// The usage line printed under an error.
std::string berthd_usage();

}  // namespace berth::actors
