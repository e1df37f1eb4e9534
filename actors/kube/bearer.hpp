#pragma once
// Token checks for every door into berthd (the REST API, its upgrades, the
// Cap'n Proto login and join): compared in constant time, so that how long a
// refusal takes tells an attacker nothing about how much of a guess was right.

#include <optional>
#include <string_view>

namespace berth::kube {

/// True when `presented` equals `expected`, in time that depends only on
/// their lengths. An empty `expected` (no token configured) matches nothing.
bool token_equals(std::string_view presented, std::string_view expected);

/// True when an Authorization header value is "Bearer " + `token`
/// (constant-time on the token part). A missing header is false.
bool bearer_authorizes(std::optional<std::string_view> authorization, std::string_view token);

}  // namespace berth::kube
