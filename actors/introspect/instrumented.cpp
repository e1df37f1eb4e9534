#include "actors/introspect/instrumented.hpp"

#include <cxxabi.h>

#include <caf/all.hpp>
#include <caf/binary_serializer.hpp>
#include <mutex>
#include <set>
#include <unordered_map>

namespace berth::introspect {

using state_atom = caf::atom_constant<caf::atom("istate")>;

std::unique_ptr<caf::actor_system_config> make_system_config(bool actor_stats, int max_threads, registry** registry) {
  std::unique_ptr<caf::actor_system_config> cfg;
  *registry = nullptr;
  if (actor_stats) {
    auto with_registry = std::make_unique<system_config>();
    *registry = with_registry->registry.get();
    cfg = std::move(with_registry);
  } else {
    cfg = std::make_unique<caf::actor_system_config>();
  }
  cfg->set("scheduler.max-threads", max_threads);
  return cfg;
}

registry* registry_of(const caf::actor_system& sys) {
  auto* cfg = dynamic_cast<const system_config*>(&sys.config());
  return cfg ? cfg->registry.get() : nullptr;
}

state_request::~state_request() {
  if (done_) done_(std::nullopt, "the actor exited before answering");
}

void state_request::answer(std::string state) {
  if (!done_) return;
  auto done = std::move(done_);
  done_ = nullptr;
  done(std::move(state), "");
}

namespace detail {
namespace {

thread_local std::uint64_t t_current_actor = 0;

/// Strings that live as long as the process; a thread-local cache keeps the
/// message path lock-free once a type has been seen on a thread.
const char* intern(const std::string& s) {
  static std::mutex mutex;
  static std::set<std::string> strings;
  std::lock_guard lock(mutex);
  return strings.insert(s).first->c_str();
}

std::string demangle(const char* mangled) {
  int status = 0;
  char* out = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string s = status == 0 && out ? out : mangled;
  std::free(out);
  return s;
}

/// CAF's names of its builtin types ("@i32") as C++ spells them.
std::string builtin_name(std::string_view caf_name) {
  static const std::pair<std::string_view, std::string_view> names[] = {
      {"@i8", "int8_t"},       {"@i16", "int16_t"},  {"@i32", "int32_t"},  {"@i64", "int64_t"},
      {"@u8", "uint8_t"},      {"@u16", "uint16_t"}, {"@u32", "uint32_t"}, {"@u64", "uint64_t"},
      {"@str", "std::string"}, {"@atom", "atom"},    {"@unit", "unit"},
  };
  for (const auto& [from, to] : names)
    if (caf_name == from) return std::string(to);
  if (!caf_name.empty() && caf_name.front() == '@') caf_name.remove_prefix(1);
  return std::string(caf_name);
}

/// A C++ type as people name it in a trace: "std::shared_ptr<const
/// berth::actors::pod_update>" is a pod_update (berth's messages carry
/// shared pointers to immutable values), "berth::model::pod" a pod.
std::string short_type_name(std::string full) {
  for (std::string_view wrapper : {"std::shared_ptr<", "std::unique_ptr<"})
    if (full.rfind(wrapper, 0) == 0 && full.back() == '>')
      full = full.substr(wrapper.size(), full.size() - wrapper.size() - 1);
  if (full.rfind("const ", 0) == 0) full.erase(0, 6);
  if (full.find('<') == std::string::npos) {
    if (auto colon = full.rfind("::"); colon != std::string::npos) full.erase(0, colon + 2);
  }
  return full;
}

std::string type_name(const caf::type_erased_tuple& c, std::size_t i) {
  auto [nr, info] = c.type(i);
  if (nr != 0) return builtin_name(caf::numbered_type_names[nr - 1]);
  return info ? short_type_name(demangle(info->name())) : "?";
}

/// "(update, <pod_update>)": CAF's rendering, with the local-only elements
/// it cannot print named by their type.
std::string render(const caf::type_erased_tuple& c) {
  std::string out = "(";
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i > 0) out += ", ";
    auto text = c.stringify(i);
    out += text == "<unprintable>" ? "<" + type_name(c, i) + ">" : text;
    if (out.size() > 200) break;
  }
  return out + ")";
}

std::uint32_t approximate_bytes(const caf::type_erased_tuple& c) {
  std::uint32_t total = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    std::vector<char> buf;
    caf::binary_serializer sink(nullptr, buf);
    // Local-only payloads (shared_ptr to immutable objects) do not serialize:
    // what the message carries for them is one pointer pair.
    total += c.save(i, sink) ? 16u : static_cast<std::uint32_t>(buf.size());
  }
  return total;
}

}  // namespace

std::uint64_t current_actor() { return t_current_actor; }
void set_current_actor(std::uint64_t id) { t_current_actor = id; }

const char* message_type(const caf::mailbox_element& x) {
  const auto& c = x.content();
  if (c.size() == 0) return "()";
  auto [nr, info] = c.type(0);
  if (nr == caf::type_nr<caf::atom_value>::value) {
    thread_local std::unordered_map<std::uint64_t, const char*> atoms;
    auto a = static_cast<std::uint64_t>(c.get_as<caf::atom_value>(0));
    auto it = atoms.find(a);
    if (it == atoms.end()) it = atoms.emplace(a, intern(caf::to_string(c.get_as<caf::atom_value>(0)))).first;
    return it->second;
  }
  thread_local std::unordered_map<std::uint64_t, const char*> types;
  auto key = nr != 0 ? nr : reinterpret_cast<std::uintptr_t>(info);
  auto it = types.find(key);
  if (it == types.end()) it = types.emplace(key, intern(type_name(c, 0))).first;
  return it->second;
}

trace_event make_trace_event(const registry& r, const caf::mailbox_element& x, bool outgoing, std::uint64_t peer) {
  trace_event e;
  e.time_ns = unix_now_ns();
  e.outgoing = outgoing;
  e.peer_id = peer;
  e.peer = peer == 0 ? "(anonymous)" : r.name_of(peer);
  e.type = message_type(x);
  e.bytes = approximate_bytes(x.content());
  e.text = render(x.content());
  if (e.text.size() > 200) e.text = e.text.substr(0, 197) + "...";
  return e;
}

bool answer_state_request(caf::mailbox_element& x, const std::function<std::string()>& render) {
  const auto& c = x.content();
  if (!c.match_elements<state_atom, state_request_ptr>()) return false;
  const auto& req = c.get_as<state_request_ptr>(1);
  req->answer(render ? render() : std::string("{}"));
  return true;
}

void note_send(registry& r, std::uint64_t receiver, const caf::mailbox_element& x) {
  if (!x.sender) return;
  auto sender = x.sender->id();
  r.record(sender, [&] { return make_trace_event(r, x, true, receiver); });
}

state_asker asker_for(caf::weak_actor_ptr weak) {
  return [weak](state_callback done) {
    auto request = std::make_shared<state_request>(std::move(done));
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(strong), state_atom::value, std::move(request));
    // else: `request` dies here and answers "the actor exited before answering"
  };
}

}  // namespace detail
}  // namespace berth::introspect
