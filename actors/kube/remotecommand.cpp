#include "actors/kube/remotecommand.hpp"

#include <fmt/format.h>

namespace berth::kube {
namespace {

constexpr std::array<std::string_view, 5> k_names = {"error", "stdin", "stdout", "stderr", "resize"};
constexpr std::size_t k_max_resize_object = 4096;  // a real one is ~30 bytes

std::size_t index(exec_stream s) { return static_cast<std::size_t>(s); }

}  // namespace

std::string_view exec_stream_name(exec_stream s) { return k_names[index(s)]; }

exec_streams::exec_streams(const exec_request& request) {
  expected_[index(exec_stream::error)] = true;
  expected_[index(exec_stream::stdin_)] = request.stdin_;
  expected_[index(exec_stream::stdout_)] = request.stdout_;
  // A terminal merges stderr into stdout; client-go opens no stderr stream then.
  expected_[index(exec_stream::stderr_)] = request.stderr_ && !request.tty;
  expected_[index(exec_stream::resize)] = request.tty;
}

std::string exec_streams::add(std::uint32_t id, std::string_view streamtype) {
  std::size_t i = 0;
  while (i < k_names.size() && k_names[i] != streamtype) ++i;
  if (i == k_names.size()) return fmt::format("unexpected stream type: \"{}\"", streamtype);
  if (!expected_[i])
    return fmt::format("stream type \"{}\" was not asked for by the request (its query's stdin, stdout, stderr, tty)",
                       streamtype);
  if (ids_[i] != 0) return fmt::format("stream type \"{}\" is already open (stream {})", streamtype, ids_[i]);
  ids_[i] = id;
  return "";
}

bool exec_streams::complete() const {
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (expected_[i] && ids_[i] == 0) return false;
  return true;
}

std::optional<exec_stream> exec_streams::kind(std::uint32_t id) const {
  if (id == 0) return std::nullopt;
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == id) return static_cast<exec_stream>(i);
  return std::nullopt;
}

std::vector<terminal_size> resize_reader::feed(std::string_view bytes, std::string& error) {
  std::vector<terminal_size> out;
  if (failed_) return out;
  pending_.append(bytes);
  // Objects are cut at their closing brace; the sizes hold no strings or
  // nested objects, and anything odd inside is parse_resize's to refuse.
  std::size_t start = 0;
  for (;;) {
    auto close = pending_.find('}', start);
    if (close == std::string::npos) break;
    auto object = std::string_view(pending_).substr(start, close + 1 - start);
    auto size = parse_resize(object, error);
    if (!size) {
      failed_ = true;
      pending_.clear();
      return out;
    }
    out.push_back(*size);
    start = close + 1;
  }
  pending_.erase(0, start);
  // Whitespace (client-go's encoder ends each object with a newline) is no object.
  if (pending_.find_first_not_of(" \t\r\n") == std::string::npos) pending_.clear();
  if (pending_.size() > k_max_resize_object) {
    error = fmt::format("resize: expected an object {{\"Width\":W,\"Height\":H}}, found {} bytes without a '}}'",
                        pending_.size());
    failed_ = true;
    pending_.clear();
  }
  return out;
}

}  // namespace berth::kube
