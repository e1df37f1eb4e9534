#include "actors/kube/remotecommand.hpp"

#include <doctest/doctest.h>

using namespace berth::kube;

namespace {
exec_request asking(bool in, bool out, bool err, bool tty) {
  exec_request r;
  r.command = {"sh"};
  r.stdin_ = in;
  r.stdout_ = out;
  r.stderr_ = err;
  r.tty = tty;
  return r;
}
}  // namespace

TEST_CASE("exec_streams: kubectl exec's error, stdout, stderr; complete once all are open") {
  exec_streams s(asking(false, true, true, false));
  CHECK_FALSE(s.complete());
  CHECK(s.add(1, "error") == "");
  CHECK_FALSE(s.complete());
  CHECK(s.add(3, "stdout") == "");
  CHECK(s.add(5, "stderr") == "");
  CHECK(s.complete());
  CHECK(s.id(exec_stream::stdout_) == 3);
  CHECK(s.id(exec_stream::stdin_) == 0);
  CHECK(s.kind(5) == exec_stream::stderr_);
  CHECK(s.kind(7) == std::nullopt);
  CHECK(s.kind(0) == std::nullopt);
  CHECK(exec_stream_name(exec_stream::resize) == "resize");
}

TEST_CASE("exec_streams: a terminal has stdin, stdout and resize but no stderr") {
  exec_streams s(asking(true, true, true, true));
  CHECK(s.add(1, "error") == "");
  CHECK(s.add(3, "stdin") == "");
  CHECK(s.add(5, "stdout") == "");
  CHECK(s.add(7, "resize") == "");
  CHECK(s.complete());
  CHECK(s.add(9, "stderr").find("was not asked for") != std::string::npos);
}

TEST_CASE("exec_streams refuses unknown, unrequested and repeated stream types") {
  exec_streams s(asking(false, true, false, false));
  CHECK(s.add(1, "data") == "unexpected stream type: \"data\"");
  CHECK(s.add(3, "stdin").find("stream type \"stdin\" was not asked for") == 0);
  CHECK(s.add(5, "resize").find("was not asked for") != std::string::npos);
  CHECK(s.add(7, "stdout") == "");
  CHECK(s.add(9, "stdout") == "stream type \"stdout\" is already open (stream 7)");
  CHECK(s.kind(9) == std::nullopt);
  CHECK_FALSE(s.complete());  // error is still missing
  CHECK(s.add(11, "error") == "");
  CHECK(s.complete());
}

TEST_CASE("resize_reader: client-go's newline-ended objects, split across frames or several in one") {
  resize_reader r;
  std::string error;
  auto first = r.feed("{\"Width\":80,\"Height\":24}\n", error);
  REQUIRE(first.size() == 1);
  CHECK(first[0] == terminal_size{80, 24});
  CHECK(r.feed("{\"Width\":1", error).empty());
  auto rest = r.feed("20,\"Height\":40}\n{\"Width\":100,\"Height\":30}\n{\"Wid", error);
  REQUIRE(rest.size() == 2);
  CHECK(rest[0] == terminal_size{120, 40});
  CHECK(rest[1] == terminal_size{100, 30});
  auto last = r.feed("th\":1,\"Height\":2}", error);
  REQUIRE(last.size() == 1);
  CHECK(last[0] == terminal_size{1, 2});
  CHECK(error.empty());
}

TEST_CASE("resize_reader: a malformed object stops the reader, with parse_resize's words") {
  resize_reader r;
  std::string error;
  auto got = r.feed("{\"Width\":80,\"Height\":24}{\"Width\":-1,\"Height\":24}{\"Width\":1,\"Height\":1}", error);
  REQUIRE(got.size() == 1);
  CHECK(error == "resize: Width: expected a whole number from 0 to 65535, not -1");
  error.clear();
  CHECK(r.feed("{\"Width\":1,\"Height\":1}", error).empty());

  resize_reader endless;
  std::string why;
  CHECK(endless.feed(std::string(5000, ' ') + "[", why).empty());
  CHECK(why.find("without a '}'") != std::string::npos);
}
