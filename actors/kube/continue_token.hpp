#pragma once
// The `continue` token of a list cut at `limit`: where the next page starts
// and the resourceVersion of the first page.
//
// berth's lists are ordered by (namespace, name), so the token names the last
// item returned and the next page is every item after it. Unlike an offset,
// that neither skips nor repeats an item when others are created or deleted
// between two pages. Pages are read from the current state (berth keeps no
// snapshot per list, as etcd does for Kubernetes); every page therefore
// reports the first page's resourceVersion, so that a client that watches from
// it after the last page sees every change made while it was paging.
//
// Opaque to clients: base64url of a small versioned text. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::kube {

struct continue_point {
  std::uint64_t resource_version = 0;  // of the first page
  std::string after_namespace;         // the last item returned
  std::string after_name;
  bool operator==(const continue_point&) const = default;
};

std::string encode_continue(const continue_point& p);

/// nullopt when `token` is not one encode_continue made.
std::optional<continue_point> decode_continue(std::string_view token);

}  // namespace berth::kube
