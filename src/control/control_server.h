// The daemon's control socket: a Unix stream socket (default /run/hbd/hbd.sock, mode 0660, group
// haclient when that group exists). Each connection sends one request line and gets one JSON line
// back. Peers other than root, hbd's own user and members of group haclient (by SO_PEERCRED) are
// refused. A failed accept (no descriptors left: EMFILE, ENFILE) is logged once and retried every
// 100 ms, never at once: the pending connection keeps the socket readable, so an immediate retry
// would spin. Runs on the daemon's io_context; single-threaded.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "control/control_request.h"
#include "util/asio.h"

namespace hbd::control {

class ControlServer {
 public:
  using Reply = std::function<void(const nlohmann::json&)>;
  // Handles a parsed request; calls `reply` exactly once, now or later (e.g. when a standby
  // finishes).
  using Handler = std::function<void(const ControlRequest&, Reply)>;

  ControlServer(boost::asio::io_context& io, std::string path, Handler handler);
  ~ControlServer();

  // Creates the socket file (replacing a stale one). Returns an error text, empty on success.
  std::string Open();
  const std::string& path() const { return path_; }

 private:
  class Connection;
  void Accept();

  boost::asio::io_context& io_;
  std::string path_;
  Handler handler_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  boost::asio::steady_timer retry_timer_;
  bool accept_failing_ = false;  // logged; the next success is logged too
};

// Sends one request to a daemon's control socket and returns the JSON reply. Throws
// std::runtime_error with a readable message when the daemon cannot be reached.
nlohmann::json SendControlRequest(const std::string& socket_path, const ControlRequest& request,
                                  int timeout_ms);

}  // namespace hbd::control
