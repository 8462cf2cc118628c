// MetricsExporter: serves hbd's Prometheus metrics (control/metrics_format) when ha.cf asks for
// them: rewrites `metrics_textfile` atomically (write, then rename) every `metrics_interval` for
// node_exporter's textfile collector, and answers HTTP/1.0 GET /metrics on `metrics_listen`.
// The metrics are computed from the daemon's status JSON, fetched through a callback at each
// write or request. The textfile is removed when the exporter is destroyed (hbd stopped cleanly),
// so stale values never describe a stopped daemon. Runs on the daemon's io_context;
// single-threaded.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "config/cluster_config.h"
#include "util/asio.h"

namespace hbd::daemon {

class MetricsExporter {
 public:
  using StatusSource = std::function<nlohmann::json()>;

  MetricsExporter(boost::asio::io_context& io, config::MetricsSettings settings,
                  StatusSource status);
  ~MetricsExporter();

  // Opens the listener and writes the first textfile. A failure is logged and that part stays
  // off: metrics never keep hbd from running its groups.
  void Start();

  // The listener's port once open, 0 when not listening.
  uint16_t port() const { return port_; }

 private:
  class Connection;
  void Accept();
  void WriteTextfile();
  void ArmTimer();

  boost::asio::io_context& io_;
  config::MetricsSettings settings_;
  // Shared with open connections, which check it is still there before using it.
  std::shared_ptr<StatusSource> status_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer accept_retry_;  // after a failed accept (EMFILE): never spin
  std::string last_write_error_;
  uint16_t port_ = 0;
  std::shared_ptr<int> open_connections_ = std::make_shared<int>(0);
};

}  // namespace hbd::daemon
