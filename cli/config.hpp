#pragma once
// Where berth finds berthd, its token and the CA that vouches for it. Each
// setting is taken from the first place that has it:
//
//   1. flags        --server/-s, --token, --token-file, --ca-file (--insecure-rpc)
//   2. environment  BERTH_SERVER, BERTH_TOKEN, BERTH_CA
//   3. config file  ~/.berth/config, a tiny YAML map:
//                     server: 10.0.0.5:7420
//                     token-file: /var/lib/berth/admin.token   (or token: ...)
//                     ca-file: /var/lib/berth/ca.crt
//   4. defaults     server 127.0.0.1:7420; no token (an error that says how to
//                   get one); the CA: ca.crt beside the token file, since
//                   berthd writes DATA_DIR/admin.token and DATA_DIR/ca.crt
//                   together (else an error that says how to get one)
//
// berthd's RPC port speaks TLS; the CLI accepts only a certificate signed by
// that CA. --insecure-rpc (a flag only, never from the environment or file)
// speaks plain TCP to a berthd started with --insecure-rpc, for tests.
//
// A token and a token file given at the same level: the token wins. Relative
// token-file and ca-file in the config file are relative to its folder.
// Resolution is pure; only load_token(), load_connection() and
// read_config_file() touch files.

#include <functional>
#include <optional>
#include <string>

#include "actors/rpc/rpc_security.hpp"
#include "cli/args.hpp"

namespace berth::cli {

inline constexpr const char* k_default_server = "127.0.0.1:7420";

/// The contents of ~/.berth/config (every key optional).
struct config_file {
  std::optional<std::string> server;
  std::optional<std::string> token;
  std::optional<std::string> token_file;  // already made absolute by parse_config
  std::optional<std::string> ca_file;     // likewise
  bool operator==(const config_file&) const = default;
};

/// Parses the config text; `base_dir` resolves a relative token-file. On a
/// YAML error or an unknown key returns nullopt and sets `error`
/// ("unknown key \"tokn\" (known: server, token, token-file, ca-file)").
std::optional<config_file> parse_config(const std::string& text, const std::string& base_dir, std::string& error);

/// Reads and parses `path`; a missing file is an empty config, not an error.
/// Errors are prefixed with the path.
std::optional<config_file> read_config_file(const std::string& path, std::string& error);

/// The resolved settings, each with where it came from (for messages).
struct settings {
  std::string server;
  std::string server_origin;              // "--server", "BERTH_SERVER", "~/.berth/config", "default"
  std::optional<std::string> token;       // set: use it as is
  std::optional<std::string> token_file;  // set (and token unset): read it
  std::string token_origin;               // "" when neither is set
  std::optional<std::string> ca_file;     // the CA to pin; unset: none found (an error unless insecure_rpc)
  std::string ca_origin;                  // "--ca-file", "BERTH_CA", "~/.berth/config", "beside the token file"
  bool insecure_rpc = false;
};

/// Reads an environment variable; nullopt when unset or empty.
using env_lookup = std::function<std::optional<std::string>(const char* name)>;

/// Applies the precedence above. Pure.
settings resolve_settings(const connection_flags& flags, const env_lookup& env, const config_file& file);

/// The token to present: settings.token, or the contents of settings.token_file
/// with trailing whitespace removed. nullopt + `error` when there is none
/// (the message tells how to get one) or the file cannot be read.
std::optional<std::string> load_token(const settings& s, std::string& error);

/// The transport settings loaded: the CA's PEM read from settings.ca_file, or
/// plain TCP with insecure_rpc. false + `error` when there is no CA (the
/// message says where berthd writes one and how to name it) or it cannot be
/// read.
bool load_security(const settings& s, rpc::rpc_security& out, std::string& error);

/// Everything berth needs to call berthd, resolved and loaded.
struct connection {
  std::string server;
  std::string token;
  rpc::rpc_security security;
};

/// read_config_file(default_config_path) + resolve_settings + load_token +
/// load_security: the one way every berth command finds berthd. nullopt +
/// `error` when any step fails.
std::optional<connection> load_connection(const connection_flags& flags, const env_lookup& env, std::string& error);

/// ~/.berth/config from $HOME ("" when HOME is unset).
std::string default_config_path(const env_lookup& env);

}  // namespace berth::cli
