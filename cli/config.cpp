#include "cli/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace berth::cli {
namespace {

/// Reads a whole file; nullopt + `error` ("No such file or directory") on failure.
std::optional<std::string> slurp(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

std::string relative_to(const std::string& base_dir, const std::string& value) {
  return (value.empty() || value[0] == '/' || base_dir.empty()) ? value : base_dir + "/" + value;
}

/// The folder of `path` ("" for a bare file name).
std::string folder_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::optional<config_file> parse_config(const std::string& text, const std::string& base_dir, std::string& error) {
  config_file out;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    error = fmt::format("line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg);
    return std::nullopt;
  }
  if (root.IsNull()) return out;
  if (!root.IsMap()) {
    error = "expected a map of server, token, token-file, ca-file";
    return std::nullopt;
  }
  for (const auto& entry : root) {
    auto key = entry.first.as<std::string>();
    if (!entry.second.IsScalar()) {
      error = fmt::format("{}: expected a string", key);
      return std::nullopt;
    }
    auto value = entry.second.as<std::string>();
    if (key == "server") {
      out.server = value;
    } else if (key == "token") {
      out.token = value;
    } else if (key == "token-file") {
      out.token_file = relative_to(base_dir, value);
    } else if (key == "ca-file") {
      out.ca_file = relative_to(base_dir, value);
    } else {
      error = fmt::format("unknown key \"{}\" (known: server, token, token-file, ca-file)", key);
      return std::nullopt;
    }
  }
  return out;
}

std::optional<config_file> read_config_file(const std::string& path, std::string& error) {
  if (path.empty()) return config_file{};
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return config_file{};
  std::string why;
  auto text = slurp(path, why);
  if (!text) {
    error = fmt::format("cannot read {}: {}", path, why);
    return std::nullopt;
  }
  auto parsed = parse_config(*text, folder_of(path), why);
  if (!parsed) error = fmt::format("{}: {}", path, why);
  return parsed;
}

settings resolve_settings(const connection_flags& flags, const env_lookup& env, const config_file& file) {
  settings s;
  if (flags.server) {
    s.server = *flags.server, s.server_origin = "--server";
  } else if (auto v = env("BERTH_SERVER")) {
    s.server = *v, s.server_origin = "BERTH_SERVER";
  } else if (file.server) {
    s.server = *file.server, s.server_origin = "~/.berth/config";
  } else {
    s.server = k_default_server, s.server_origin = "default";
  }

  if (flags.token) {
    s.token = flags.token, s.token_origin = "--token";
  } else if (flags.token_file) {
    s.token_file = flags.token_file, s.token_origin = "--token-file";
  } else if (auto v = env("BERTH_TOKEN")) {
    s.token = v, s.token_origin = "BERTH_TOKEN";
  } else if (file.token) {
    s.token = file.token, s.token_origin = "~/.berth/config";
  } else if (file.token_file) {
    s.token_file = file.token_file, s.token_origin = "~/.berth/config";
  }

  s.insecure_rpc = flags.insecure_rpc;
  if (flags.ca_file) {
    s.ca_file = flags.ca_file, s.ca_origin = "--ca-file";
  } else if (auto v = env("BERTH_CA")) {
    s.ca_file = v, s.ca_origin = "BERTH_CA";
  } else if (file.ca_file) {
    s.ca_file = file.ca_file, s.ca_origin = "~/.berth/config";
  } else if (s.token_file && !s.token) {
    auto dir = folder_of(*s.token_file);
    s.ca_file = dir.empty() ? "ca.crt" : (dir == "/" ? "/ca.crt" : dir + "/ca.crt");
    s.ca_origin = "beside the token file";
  }
  return s;
}

bool load_security(const settings& s, rpc::rpc_security& out, std::string& error) {
  out = {};
  if (s.insecure_rpc) {
    out.insecure = true;
    return true;
  }
  if (!s.ca_file) {
    error = fmt::format(
        "no CA certificate to verify berthd at {}: berthd writes DATA_DIR/ca.crt; pass --ca-file DATA_DIR/ca.crt "
        "or set BERTH_CA (or put ca-file: in ~/.berth/config)",
        s.server);
    return false;
  }
  if (auto why = rpc::load_ca_file(*s.ca_file, out); !why.empty()) {
    error = fmt::format("{} (the CA file, from {})", why, s.ca_origin);
    return false;
  }
  return true;
}

std::optional<connection> load_connection(const connection_flags& flags, const env_lookup& env, std::string& error) {
  auto file = read_config_file(default_config_path(env), error);
  if (!file) return std::nullopt;
  auto s = resolve_settings(flags, env, *file);
  auto token = load_token(s, error);
  if (!token) return std::nullopt;
  connection c{s.server, *token, {}};
  if (!load_security(s, c.security, error)) return std::nullopt;
  return c;
}

std::optional<std::string> load_token(const settings& s, std::string& error) {
  if (s.token) return s.token;
  if (!s.token_file) {
    error = fmt::format(
        "no token for berthd at {}: berthd writes DATA_DIR/admin.token; pass --token-file DATA_DIR/admin.token "
        "or set BERTH_TOKEN (or put token-file: in ~/.berth/config)",
        s.server);
    return std::nullopt;
  }
  std::string why;
  auto text = slurp(*s.token_file, why);
  if (!text) {
    error = fmt::format("cannot read token file {} (from {}): {}", *s.token_file, s.token_origin, why);
    return std::nullopt;
  }
  auto token = trim_right(*text);
  if (token.empty()) {
    error = fmt::format("token file {} (from {}) is empty", *s.token_file, s.token_origin);
    return std::nullopt;
  }
  return token;
}

std::string default_config_path(const env_lookup& env) {
  auto home = env("HOME");
  return home ? *home + "/.berth/config" : "";
}

}  // namespace berth::cli
