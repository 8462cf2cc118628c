// Prometheus text exposition (format 0.0.4) of hbd's status JSON (README.md "Status JSON"):
// node, link and ping node status, packet counters, media counters, groups and their last
// transitions. Metric names start with `hbd_`; enumerations are state sets (one series per
// possible value, 1 for the current one). Pure: no socket, no clock. Thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hbd::control {

// The whole /metrics page. Fields missing from `status` give no series; never throws.
std::string FormatMetrics(const nlohmann::json& status);

// The whole HTTP/1.0 answer to a request whose head (request line and headers) is
// `request_head`: 200 with `metrics()` for GET (or HEAD) /metrics, 404 for another path, 405 for
// another method, 400 for anything unreadable. The connection closes after it.
std::string MetricsHttpResponse(std::string_view request_head,
                                const std::function<std::string()>& metrics);

// A label value escaped for the text format (backslash, double quote, newline).
std::string EscapeLabelValue(const std::string& value);

}  // namespace hbd::control
