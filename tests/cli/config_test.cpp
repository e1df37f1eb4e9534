// Where berth finds berthd and its token: flags > environment > ~/.berth/config > defaults.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include "cli/config.hpp"
#include "tests/cli/temp_files.hpp"

using namespace berth::cli;

namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

config_file parse_ok(const std::string& text, const std::string& base = "/home/u/.berth") {
  std::string error;
  auto c = parse_config(text, base, error);
  INFO(error);
  REQUIRE(c.has_value());
  return *c;
}

}  // namespace

TEST_CASE("the config file: server, token, token-file (relative to the config's folder)") {
  auto c = parse_ok("server: 10.0.0.5:7420\ntoken-file: admin.token\n");
  CHECK(c.server == "10.0.0.5:7420");
  CHECK(c.token_file == "/home/u/.berth/admin.token");
  CHECK_FALSE(c.token.has_value());
  CHECK(parse_ok("token-file: /var/lib/berth/admin.token\n").token_file == "/var/lib/berth/admin.token");
  CHECK(parse_ok("token: abc\n").token == "abc");
  CHECK(parse_ok("") == config_file{});
}

TEST_CASE("config file errors name the problem") {
  std::string error;
  CHECK_FALSE(parse_config("tokn: x\n", "", error));
  CHECK(error == "unknown key \"tokn\" (known: server, token, token-file, ca-file)");
  CHECK_FALSE(parse_config("- a\n- b\n", "", error));
  CHECK(error == "expected a map of server, token, token-file, ca-file");
  CHECK_FALSE(parse_config("server: [a, b]\n", "", error));
  CHECK(error == "server: expected a string");
  CHECK_FALSE(parse_config("server: [unclosed\n", "", error));
  CHECK(error.rfind("line ", 0) == 0);
}

TEST_CASE("flags win over the environment, which wins over the config file") {
  config_file file{"file:1", "file-token", std::nullopt, std::nullopt};
  auto env = env_of({{"BERTH_SERVER", "env:2"}, {"BERTH_TOKEN", "env-token"}});

  auto from_flags = resolve_settings({"flag:3", "flag-token", std::nullopt, std::nullopt, false}, env, file);
  CHECK(from_flags.server == "flag:3");
  CHECK(from_flags.server_origin == "--server");
  CHECK(from_flags.token == "flag-token");
  CHECK(from_flags.token_origin == "--token");

  auto from_env = resolve_settings({}, env, file);
  CHECK(from_env.server == "env:2");
  CHECK(from_env.server_origin == "BERTH_SERVER");
  CHECK(from_env.token == "env-token");
  CHECK(from_env.token_origin == "BERTH_TOKEN");

  auto from_file = resolve_settings({}, env_of({}), file);
  CHECK(from_file.server == "file:1");
  CHECK(from_file.token == "file-token");
  CHECK(from_file.token_origin == "~/.berth/config");

  auto defaults = resolve_settings({}, env_of({}), {});
  CHECK(defaults.server == "127.0.0.1:7420");
  CHECK(defaults.server_origin == "default");
  CHECK_FALSE(defaults.token.has_value());
  CHECK_FALSE(defaults.token_file.has_value());
}

TEST_CASE("a --token-file flag wins over BERTH_TOKEN; the file's token-file is used last") {
  auto env = env_of({{"BERTH_TOKEN", "env-token"}});
  auto s = resolve_settings({std::nullopt, std::nullopt, "/x/admin.token", std::nullopt, false}, env, {});
  CHECK_FALSE(s.token.has_value());
  CHECK(s.token_file == "/x/admin.token");
  CHECK(s.token_origin == "--token-file");
  auto f = resolve_settings({}, env_of({}), {std::nullopt, std::nullopt, "/y/admin.token", std::nullopt});
  CHECK(f.token_file == "/y/admin.token");
  CHECK(f.token_origin == "~/.berth/config");
}

TEST_CASE("the CA to pin: --ca-file, then BERTH_CA, then the config file, then ca.crt beside the token file") {
  config_file file;
  file.ca_file = "/file/ca.crt";
  connection_flags flags;
  flags.ca_file = "/flag/ca.crt";
  auto env = env_of({{"BERTH_CA", "/env/ca.crt"}});
  auto s = resolve_settings(flags, env, file);
  CHECK(s.ca_file == "/flag/ca.crt");
  CHECK(s.ca_origin == "--ca-file");
  s = resolve_settings({}, env, file);
  CHECK(s.ca_file == "/env/ca.crt");
  CHECK(s.ca_origin == "BERTH_CA");
  s = resolve_settings({}, env_of({}), file);
  CHECK(s.ca_file == "/file/ca.crt");
  CHECK(s.ca_origin == "~/.berth/config");

  connection_flags by_file;
  by_file.token_file = "/data/admin.token";
  s = resolve_settings(by_file, env_of({}), {});
  CHECK(s.ca_file == "/data/ca.crt");
  CHECK(s.ca_origin == "beside the token file");
  by_file.token_file = "admin.token";
  CHECK(resolve_settings(by_file, env_of({}), {}).ca_file == "ca.crt");

  // A token given as text names no folder: no CA is guessed.
  s = resolve_settings({}, env_of({{"BERTH_TOKEN", "t"}}), {});
  CHECK_FALSE(s.ca_file.has_value());
  CHECK_FALSE(s.insecure_rpc);
}

TEST_CASE("ca-file in the config file is relative to its folder; unknown keys name the known ones") {
  std::string error;
  auto c = parse_config("ca-file: pki/ca.crt\n", "/home/u/.berth", error);
  REQUIRE(c);
  CHECK(c->ca_file == "/home/u/.berth/pki/ca.crt");
  CHECK_FALSE(parse_config("ca: x\n", "", error));
  CHECK(error == "unknown key \"ca\" (known: server, token, token-file, ca-file)");
}

TEST_CASE("load_security: no CA is an error that says where berthd writes one; --insecure-rpc needs none") {
  settings s;
  s.server = "10.0.0.5:7420";
  berth::rpc::rpc_security out;
  std::string error;
  CHECK_FALSE(load_security(s, out, error));
  CHECK(error ==
        "no CA certificate to verify berthd at 10.0.0.5:7420: berthd writes DATA_DIR/ca.crt; pass --ca-file "
        "DATA_DIR/ca.crt or set BERTH_CA (or put ca-file: in ~/.berth/config)");

  berth::testing::temp_dir dir("berth-cli-config");
  s.ca_file = dir.path() + "/missing.crt";
  s.ca_origin = "BERTH_CA";
  CHECK_FALSE(load_security(s, out, error));
  CHECK(error == "cannot read " + dir.path() + "/missing.crt: No such file or directory (the CA file, from BERTH_CA)");
  s.ca_file = dir.write("token-not-cert.crt", "abc\n");
  CHECK_FALSE(load_security(s, out, error));
  CHECK(error.find("not a PEM certificate") != std::string::npos);

  s.ca_file = dir.write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  REQUIRE(load_security(s, out, error));
  CHECK_FALSE(out.insecure);
  CHECK(out.ca_origin == s.ca_file);

  settings plain;
  plain.insecure_rpc = true;
  REQUIRE(load_security(plain, out, error));
  CHECK(out.insecure);
}

TEST_CASE("load_token reads a token file without its trailing newline") {
  berth::testing::temp_dir dir("berth-cli-config");
  auto path = dir.write("admin.token", "0123abcd\n");
  settings s;
  s.token_file = path;
  s.token_origin = "--token-file";
  std::string error;
  CHECK(load_token(s, error) == "0123abcd");
}

TEST_CASE("no token anywhere: the message says how to get one") {
  settings s;
  s.server = "127.0.0.1:7420";
  std::string error;
  CHECK_FALSE(load_token(s, error).has_value());
  CHECK(error ==
        "no token for berthd at 127.0.0.1:7420: berthd writes DATA_DIR/admin.token; pass --token-file "
        "DATA_DIR/admin.token or set BERTH_TOKEN (or put token-file: in ~/.berth/config)");
}

TEST_CASE("an unreadable or empty token file is an error naming the file and where it came from") {
  berth::testing::temp_dir dir("berth-cli-config");
  settings s;
  s.token_file = dir.path() + "/missing.token";
  s.token_origin = "--token-file";
  std::string error;
  CHECK_FALSE(load_token(s, error).has_value());
  CHECK(error ==
        "cannot read token file " + dir.path() + "/missing.token (from --token-file): No such file or directory");
  s.token_file = dir.write("empty.token", "\n");
  CHECK_FALSE(load_token(s, error).has_value());
  CHECK(error == "token file " + dir.path() + "/empty.token (from --token-file) is empty");
}

TEST_CASE("read_config_file: a missing file is an empty config; errors carry the path") {
  berth::testing::temp_dir dir("berth-cli-config");
  std::string error;
  CHECK(read_config_file(dir.path() + "/none", error) == config_file{});
  auto bad = dir.write("config", "colour: blue\n");
  CHECK_FALSE(read_config_file(bad, error).has_value());
  CHECK(error == bad + ": unknown key \"colour\" (known: server, token, token-file, ca-file)");
  auto good = dir.write("config2", "token-file: admin.token\n");
  CHECK(read_config_file(good, error)->token_file == dir.path() + "/admin.token");
}

TEST_CASE("the config path comes from HOME") {
  CHECK(default_config_path(env_of({{"HOME", "/home/u"}})) == "/home/u/.berth/config");
  CHECK(default_config_path(env_of({})) == "");
}

TEST_CASE("the name a server certificate is checked against: the DNS name dialled, else berth for an IP") {
  using berth::rpc::verification_name;
  CHECK(verification_name("master.example:7420") == "master.example");
  CHECK(verification_name("localhost:7420") == "localhost");
  CHECK(verification_name("127.0.0.1:7420") == "berth");
  CHECK(verification_name("[::1]:7420") == "berth");
  CHECK(verification_name("10.0.0.5") == "berth");
}

TEST_CASE("split_address: host and port, bracketed IPv6, and the default port") {
  using berth::rpc::split_address;
  struct row {
    std::string address, host, port;
  };
  for (const auto& r : std::vector<row>{{"10.0.0.5:7420", "10.0.0.5", "7420"},
                                        {"master.example", "master.example", "7420"},
                                        {"[::1]:9000", "::1", "9000"},
                                        {"[::1]", "::1", "7420"},
                                        {"::1", "::1", "7420"},
                                        {":7420", "", "7420"}}) {
    auto got = split_address(r.address);
    CHECK_MESSAGE(got.host == r.host, r.address);
    CHECK_MESSAGE(got.port == r.port, r.address);
  }
}
