// A server's SPDY/3.1 session on the KJ thread (kube_spdy.hpp).
#include "actors/rpc/kube_spdy.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <kj/debug.h>

namespace berth::rpc {
namespace spdy = kube::spdy;

namespace {

constexpr std::size_t k_read_size = 64 * 1024;
constexpr std::size_t k_max_frame_out = 32 * 1024;  // DATA payload per frame we send
constexpr std::size_t k_max_frame_in = 1 << 20;     // a bigger frame from the client is refused

class tls_stream_transport final : public spdy_transport {
 public:
  tls_stream_transport(kj::Own<kj::AsyncIoStream> stream, std::string already_read)
      : stream_(kj::mv(stream)), prefix_(std::move(already_read)) {}

  kj::Promise<std::size_t> read(kj::byte* buffer, std::size_t max) override {
    if (used_ < prefix_.size()) {
      auto n = std::min(max, prefix_.size() - used_);
      std::memcpy(buffer, prefix_.data() + used_, n);
      used_ += n;
      return n;
    }
    return stream_->tryRead(buffer, 1, max);
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::byte> bytes) override {
    return stream_->write(bytes.begin(), bytes.size());
  }
  kj::Promise<void> close() override {
    stream_->shutdownWrite();
    return kj::READY_NOW;
  }

 private:
  kj::Own<kj::AsyncIoStream> stream_;
  std::string prefix_;
  std::size_t used_ = 0;
};

class websocket_tunnel final : public spdy_transport {
 public:
  explicit websocket_tunnel(kj::Own<kj::WebSocket> socket) : socket_(kj::mv(socket)) {}

  kj::Promise<std::size_t> read(kj::byte* buffer, std::size_t max) override {
    if (used_ < message_.size()) {
      auto n = std::min(max, message_.size() - used_);
      std::memcpy(buffer, message_.begin() + used_, n);
      used_ += n;
      return n;
    }
    if (closed_) return std::size_t{0};
    return socket_->receive().then([this, buffer, max](kj::WebSocket::Message m) -> kj::Promise<std::size_t> {
      KJ_SWITCH_ONEOF(m) {
        KJ_CASE_ONEOF(bytes, kj::Array<kj::byte>) {
          message_ = kj::mv(bytes);
          used_ = 0;
          return read(buffer, max);
        }
        KJ_CASE_ONEOF(text, kj::String) {
          return KJ_EXCEPTION(FAILED, "SPDY over WebSocket: expected binary messages, received a text message");
        }
        KJ_CASE_ONEOF(close, kj::WebSocket::Close) {
          closed_ = true;
          return std::size_t{0};
        }
      }
      KJ_UNREACHABLE;
    });
  }
  kj::Promise<void> write(kj::ArrayPtr<const kj::byte> bytes) override { return socket_->send(bytes); }
  kj::Promise<void> close() override {
    return socket_->close(1000, "").catch_([](kj::Exception&&) {});
  }

 private:
  kj::Own<kj::WebSocket> socket_;
  kj::Array<kj::byte> message_;
  std::size_t used_ = 0;
  bool closed_ = false;
};

kj::Array<kj::byte> bytes_of(const std::string& s) {
  auto out = kj::heapArray<kj::byte>(s.size());
  if (!s.empty()) std::memcpy(out.begin(), s.data(), s.size());
  return out;
}

std::uint32_t declared_length(const std::string& in) {
  return (std::uint32_t(std::uint8_t(in[5])) << 16) | (std::uint32_t(std::uint8_t(in[6])) << 8) |
         std::uint32_t(std::uint8_t(in[7]));
}

}  // namespace

kj::Own<spdy_transport> stream_transport(kj::Own<kj::AsyncIoStream> stream, std::string already_read) {
  return kj::heap<tls_stream_transport>(kj::mv(stream), std::move(already_read));
}

kj::Own<spdy_transport> websocket_transport(kj::Own<kj::WebSocket> socket) {
  return kj::heap<websocket_tunnel>(kj::mv(socket));
}

spdy_session::spdy_session(kj::Own<spdy_transport> transport)
    : transport_(kj::mv(transport)), read_buffer_(kj::heapArray<kj::byte>(k_read_size)) {}

spdy_session::~spdy_session() = default;

kj::Promise<void> spdy_session::run(spdy_handler& handler) { return read_more(handler); }

kj::Promise<void> spdy_session::read_more(spdy_handler& handler) {
  if (goaway_received_) return kj::READY_NOW;
  auto r = spdy::parse(in_, codec_, in_offset_);
  using status = spdy::parse_result::status;
  if (r.what == status::frame) {
    in_.erase(0, r.consumed);
    in_offset_ += r.consumed;
    return handle(handler, kj::mv(r.value)).then([this, &handler] { return read_more(handler); });
  }
  if (r.what == status::need_more && in_.size() >= 8 && declared_length(in_) > k_max_frame_in) {
    r.what = status::error;
    r.error = fmt_frame_too_large();
  }
  if (r.what == status::error) {
    auto refused = enqueue(spdy::goaway{last_client_stream_, static_cast<std::uint32_t>(spdy::goaway_status::protocol_error)});
    return refused.catch_([](kj::Exception&&) {}).then([error = kj::mv(r.error)]() -> kj::Promise<void> {
      return KJ_EXCEPTION(FAILED, "SPDY session: not SPDY/3.1 from the client", error);
    });
  }
  return transport_->read(read_buffer_.begin(), read_buffer_.size())
      .then([this, &handler](std::size_t n) -> kj::Promise<void> {
        if (n == 0) return kj::READY_NOW;  // the client ended the session
        in_.append(reinterpret_cast<const char*>(read_buffer_.begin()), n);
        return read_more(handler);
      });
}

std::string spdy_session::fmt_frame_too_large() const {
  return "byte " + std::to_string(in_offset_ + 5) + ": expected a frame of at most " + std::to_string(k_max_frame_in) +
         " bytes, found length " + std::to_string(declared_length(in_));
}

kj::Promise<void> spdy_session::handle(spdy_handler& handler, spdy::frame f) {
  if (auto* s = std::get_if<spdy::syn_stream>(&f)) {
    const auto id = s->stream_id;
    // Client streams are odd and rise; anything else is refused as the
    // protocol says, without touching the streams that are open.
    if (id % 2 == 0 || id <= last_client_stream_) {
      enqueue(spdy::rst_stream{id, static_cast<std::uint32_t>(spdy::rst_status::protocol_error)});
      return kj::READY_NOW;
    }
    last_client_stream_ = id;
    auto refusal = handler.accept(id, s->headers);
    if (!refusal.empty()) {
      enqueue(spdy::rst_stream{id, static_cast<std::uint32_t>(spdy::rst_status::refused_stream)});
      return kj::READY_NOW;
    }
    auto& state = streams_[id];
    state.remote_fin = (s->flags & spdy::k_flag_fin) != 0;
    state.local_fin = (s->flags & spdy::k_flag_unidirectional) != 0;
    enqueue(spdy::syn_reply{id, 0, {}});
    handler.opened(id);
    if (state.remote_fin) handler.half_closed(id);
    return kj::READY_NOW;
  }
  if (auto* d = std::get_if<spdy::data>(&f)) return on_data(handler, kj::mv(*d));
  if (auto* r = std::get_if<spdy::rst_stream>(&f)) {
    if (streams_.erase(r->stream_id) > 0) {
      flow_.forget(r->stream_id);
      handler.reset(r->stream_id);
    }
    return kj::READY_NOW;
  }
  if (auto* s = std::get_if<spdy::settings>(&f)) {
    for (const auto& e : s->entries)
      if (e.id == spdy::k_settings_initial_window_size) flow_.on_initial_window(e.value);
    wake_senders();
    return kj::READY_NOW;
  }
  if (auto* p = std::get_if<spdy::ping>(&f)) {
    if (p->id % 2 == 1) enqueue(*p);  // the client's ping: echoed; ours would be even (we send none)
    return kj::READY_NOW;
  }
  if (std::get_if<spdy::goaway>(&f)) {
    goaway_received_ = true;
    return kj::READY_NOW;
  }
  if (auto* h = std::get_if<spdy::headers>(&f)) {
    auto it = streams_.find(h->stream_id);
    if (it != streams_.end() && (h->flags & spdy::k_flag_fin) && !it->second.remote_fin) {
      it->second.remote_fin = true;
      handler.half_closed(h->stream_id);
    }
    return kj::READY_NOW;
  }
  if (auto* w = std::get_if<spdy::window_update>(&f)) {
    if (w->stream_id == 0 || streams_.count(w->stream_id)) {
      auto error = flow_.on_window_update(w->stream_id, w->delta);
      if (!error.empty() && w->stream_id != 0) reset(w->stream_id, spdy::rst_status::flow_control_error);
    }
    wake_senders();
    return kj::READY_NOW;
  }
  return kj::READY_NOW;  // SYN_REPLY: berthd opens no streams
}

kj::Promise<void> spdy_session::on_data(spdy_handler& handler, spdy::data d) {
  const auto id = d.stream_id;
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.remote_fin) return kj::READY_NOW;  // reset or finished: dropped
  const auto n = d.payload.size();
  if (!flow_.on_received(id, n)) {
    reset(id, spdy::rst_status::flow_control_error);
    handler.reset(id);
    return kj::READY_NOW;
  }
  const bool fin = (d.flags & spdy::k_flag_fin) != 0;
  if (fin) it->second.remote_fin = true;
  kj::Promise<void> taken = kj::READY_NOW;
  if (n > 0) {
    auto payload = kj::heap<std::string>(kj::mv(d.payload));
    auto bytes = kj::arrayPtr(reinterpret_cast<const kj::byte*>(payload->data()), payload->size());
    taken = handler.received(id, bytes).attach(kj::mv(payload));
  }
  return taken.then([this, &handler, id, n, fin] {
    for (const auto& update : flow_.on_consumed(id, n)) enqueue(update);
    if (fin && streams_.count(id)) {
      handler.half_closed(id);
      forget_if_done(id);
    }
  });
}

kj::Promise<void> spdy_session::enqueue(const spdy::frame& f) {
  kj::Array<kj::byte> bytes;
  try {
    bytes = bytes_of(spdy::serialize(f, codec_));
  } catch (const std::exception& e) {
    return KJ_EXCEPTION(FAILED, "SPDY session: cannot send", spdy::frame_name(f), e.what());
  }
  auto written = writes_.then([this, bytes = kj::mv(bytes)]() mutable {
                          auto& ref = bytes;
                          return transport_->write(ref.asPtr()).attach(kj::mv(bytes));
                        })
                     .fork();
  writes_ = written.addBranch();
  return written.addBranch();
}

kj::Promise<void> spdy_session::send_data(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes, bool fin) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.local_fin) return kj::READY_NOW;
  auto copy = kj::heapArray<kj::byte>(bytes);
  auto ptr = copy.asPtr();
  return send_chunks(id, ptr, fin).attach(kj::mv(copy));
}

kj::Promise<void> spdy_session::send_chunks(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes, bool fin) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.local_fin) return kj::READY_NOW;  // reset meanwhile
  if (bytes.size() == 0) {
    if (fin) finish(id);
    return kj::READY_NOW;
  }
  auto n = flow_.sendable(id, std::min(bytes.size(), k_max_frame_out));
  if (n == 0) {
    auto paf = kj::newPromiseAndFulfiller<void>();
    window_waiters_.add(kj::mv(paf.fulfiller));
    return paf.promise.then([this, id, bytes, fin] { return send_chunks(id, bytes, fin); });
  }
  flow_.on_sent(id, n);
  const bool last = n == bytes.size();
  spdy::data frame{id, std::uint8_t(last && fin ? spdy::k_flag_fin : 0),
                   std::string(reinterpret_cast<const char*>(bytes.begin()), n)};
  if (last && fin) it->second.local_fin = true;
  auto written = enqueue(frame);
  if (last) {
    if (fin) forget_if_done(id);
    return written;
  }
  return written.then([this, id, rest = bytes.slice(n, bytes.size()), fin] { return send_chunks(id, rest, fin); });
}

void spdy_session::finish(std::uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.local_fin) return;
  it->second.local_fin = true;
  enqueue(spdy::data{id, spdy::k_flag_fin, ""});
  forget_if_done(id);
}

void spdy_session::reset(std::uint32_t id, spdy::rst_status status) {
  if (streams_.erase(id) == 0) return;
  flow_.forget(id);
  enqueue(spdy::rst_stream{id, static_cast<std::uint32_t>(status)});
}

void spdy_session::forget_if_done(std::uint32_t id) {
  // Kept until both sides finished: the client's FIN still has to reach the handler.
  auto it = streams_.find(id);
  if (it != streams_.end() && it->second.local_fin && it->second.remote_fin) {
    streams_.erase(it);
    flow_.forget(id);
  }
}

kj::Promise<void> spdy_session::close() {
  auto drained = writes_.then([] {}, [](kj::Exception&&) {});
  writes_ = kj::READY_NOW;
  return drained.then([this] { return transport_->close(); });
}

void spdy_session::wake_senders() {
  auto waiters = kj::mv(window_waiters_);
  window_waiters_ = {};
  for (auto& w : waiters) w->fulfill();
}

}  // namespace berth::rpc
