#pragma once
// berthd's tokens: generated on first start in the data directory, mode 0600.
//   DIR/admin.token   clients log in with it (principal "user:admin")
//   DIR/node.token    node agents join with it

#include <string>

namespace berth::actors {

struct tokens {
  std::string admin;
  std::string node;
};

/// Reads the tokens in `dir`, creating any that is missing (64 hex digits from
/// /dev/urandom). Returns an error message in `error` and empty tokens on failure.
tokens load_or_create_tokens(const std::string& dir, std::string& error);

/// Reads a token file (trailing whitespace removed); empty + `error` on failure,
/// and when the file is open to group or others (any of mode 077).
std::string read_token_file(const std::string& path, std::string& error);

}  // namespace berth::actors
