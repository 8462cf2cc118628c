// Handlers for hbd's own ha.cf directives that turn on Prometheus metrics (metrics_textfile,
// metrics_listen, metrics_interval), and the parsing of a listen address. Heartbeat does not
// know them.
#include <arpa/inet.h>

#include "config/config_text.h"
#include "config/ha_cf_context.h"
#include "config/ha_cf_handlers.h"

namespace hbd::config {

bool ParseListenAddress(const std::string& text, std::string& address, uint16_t& port) {
  std::string host = "127.0.0.1";
  std::string port_text = text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (size_t colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos)
      return false;  // IPv6 needs brackets
  }
  auto number = ha_cf::ParseInteger(port_text, 1, 65535);
  if (!number)
    return false;
  unsigned char buf[16];
  bool v4 = inet_pton(AF_INET, host.c_str(), buf) == 1;
  bool v6 = !v4 && inet_pton(AF_INET6, host.c_str(), buf) == 1;
  if (!v4 && !v6)
    return false;
  address = host;
  port = static_cast<uint16_t>(*number);
  return true;
}

namespace ha_cf {

void ApplyMetricsTextfile(Context& ctx, const Values& v) {
  const std::string* one = OneValue(ctx, "metrics_textfile", v);
  if (one == nullptr)
    return;
  if (one->front() != '/') {
    ctx.Error("metrics_textfile: '" + *one + "' is not an absolute path");
    return;
  }
  ctx.config().metrics.textfile = *one;
}

void ApplyMetricsListen(Context& ctx, const Values& v) {
  const std::string* one = OneValue(ctx, "metrics_listen", v);
  if (one == nullptr)
    return;
  std::string address;
  uint16_t port = 0;
  if (!ParseListenAddress(*one, address, port)) {
    ctx.Error("metrics_listen: '" + *one +
              "' is not PORT, ADDRESS:PORT or [IPV6]:PORT (e.g. 127.0.0.1:9817)");
    return;
  }
  ctx.config().metrics.listen = *one;
}

void ApplyMetricsInterval(Context& ctx, const Values& v) {
  const std::string* one = OneValue(ctx, "metrics_interval", v);
  if (one == nullptr)
    return;
  auto value = ParseTimeValue(*one);
  if (!value || value->count() < 100) {
    ctx.Error("metrics_interval: '" + *one + "' is not a time value of at least 100ms");
    return;
  }
  ctx.config().metrics.interval = *value;
}

}  // namespace ha_cf
}  // namespace hbd::config
