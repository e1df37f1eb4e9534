#pragma once
// Private to actors/pki's .cpp files: owning pointers for OpenSSL objects and
// OpenSSL's error queue as text. Never included by a public header.

#include <string>

namespace berth::pki {

/// A deleter calling OpenSSL's free function: std::unique_ptr<X509, free_with<X509_free>>.
template <auto Free>
struct free_with {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

/// OpenSSL's queued errors, oldest first, "; "-joined; empties the queue.
/// `if_none` when nothing is queued.
std::string openssl_errors(const char* if_none = "no OpenSSL error queued");

}  // namespace berth::pki
