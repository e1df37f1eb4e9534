#pragma once
// Small things every object actor needs: the wall clock (the impure input the
// pure decision functions take as `now`), event headers, and an exception
// handler that logs instead of letting a throw take an actor down silently.

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/protocol.hpp"
#include "actors/introspect/instrumented.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::actors {

inline model::time_ns now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline model::event make_event(const model::object_reference& object, std::string principal, std::uint64_t cause,
                               model::event_payload payload) {
  model::event e;
  e.header.object = object;
  e.header.principal = std::move(principal);
  e.header.cause = cause;
  e.payload = std::move(payload);
  return e;
}

inline model::object_reference pod_reference(const std::string& ns, const std::string& name, const std::string& uid) {
  return {model::k_kind_pod, ns, name, uid};
}

/// Logs an exception escaping a handler and stops the actor with an error.
inline void log_exceptions(caf::scheduled_actor* self, const char* what) {
  self->set_exception_handler([what](caf::scheduled_actor*, std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& ex) {
      fmt::print(stderr, "berthd: {} actor: unexpected exception: {}\n", what, ex.what());
    } catch (...) {
      fmt::print(stderr, "berthd: {} actor: unexpected exception\n", what);
    }
    return caf::make_error(caf::sec::runtime_error);
  });
}

/// "ns/name", as actor names and the console show objects.
inline std::string key_text(const model::object_key& k) { return k.namespace_ + "/" + k.name; }

/// The keys of a map keyed by object_key, as a JSON list of "ns/name" strings.
template <class Map>
std::vector<std::string> keys_json(const Map& m) {
  std::vector<std::string> out;
  out.reserve(m.size());
  for (const auto& [k, v] : m) out.push_back(text::json_quote(key_text(k)));
  return out;
}

}  // namespace berth::actors
