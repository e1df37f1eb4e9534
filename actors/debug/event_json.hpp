#pragma once
// Events as JSON (Cap'n Proto's JSON codec on the schema's Event, so field
// names are the schema's) for `journal show -o json`, `journal export` and
// `journal ls -o json`, and as YAML for `journal show`.

#include <string>
#include <string_view>

#include "actors/model/events.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::debug {

/// The record's payload (an Event message) as JSON; `pretty` indents it.
/// Error corruption ("seq 41: payload: ...") when the payload is not an Event.
journal::result<std::string> payload_json(const journal::record& r, bool pretty);

/// One export line (no newline): {"seq":N,"time":"RFC 3339","timeNs":"N",
/// "family":"decision","type":"podBound","object":"pod/x","event":EVENT_JSON}.
/// 64-bit numbers inside EVENT_JSON are strings, as the codec writes them.
std::string export_line(const model::event& e, const std::string& event_json);

/// The same JSON document as YAML (block style), for people.
std::string json_to_yaml(const std::string& json);

}  // namespace berth::debug
