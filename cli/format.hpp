#pragma once
// The CLI's words for objects, as pure functions: `-o name`, kubectl's
// `pod "web"` subject, describe's timestamps, and (from actors/manifest/columns.hpp)
// the values in kubectl's columns.

#include <cstdint>
#include <string>

#include "actors/control_plane.hpp"
#include "actors/manifest/columns.hpp"
#include "actors/model/objects.hpp"

namespace berth::cli {

// The column values shared with berthd's Kubernetes API tables live in
// actors/manifest/columns.hpp; they are part of this vocabulary too.
using manifest::condition_status_name;
using manifest::endpoints_text;
using manifest::format_age;
using manifest::human_duration;
using manifest::labels_text;
using manifest::node_status;
using manifest::pod_columns;
using manifest::pod_summary;
using manifest::protocol_name;
using manifest::service_cluster_ip;
using manifest::service_external_ip;
using manifest::service_ports;
using manifest::service_type_name;

/// `-o name`: "pod/web-x7k2q".
std::string object_name(const actors::any_object& o);

/// kubectl's `pod "web" deleted` subject: `pod "web"`.
std::string quoted_name(actors::kind k, const std::string& name);

/// Describe's timestamps: RFC 1123 with a numeric zone, in UTC
/// ("Mon, 02 Jan 2006 15:04:05 +0000"); "<unset>" for 0.
std::string format_time(model::time_ns t);

}  // namespace berth::cli
