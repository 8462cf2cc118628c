// The heartbeat media (ha.cf bcast, mcast, mcast6, ucast, ucast6 lines) as UDP sockets on the
// daemon's io_context: one send socket per medium, one receive socket per (family, interface,
// port) shared by the media on it, every socket bound to its interface so that a datagram counts
// only for the link it arrived on. Media that cannot be opened (interface missing, no address
// yet) are retried every 1.5 s; a re-created interface is noticed and its media reopened.
// Sends never block. Datagrams are read in batches (recvmmsg); under a flood a receive socket
// rests 2 ms between reads, out of the loop's watch, so a flood costs a bounded number of
// wake-ups (see ReadPause in net/media_plan.h). Single-threaded: use from the io_context's thread
// only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "util/asio.h"
#include "util/rate_limiter.h"
#include "util/time.h"

namespace hbd::net {

class HeartbeatMedia {
 public:
  // A datagram, the index of the medium in the media list (the first medium of its receive
  // socket when several share one) and the link name (the medium's interface). The bytes are
  // valid during the call only.
  using ReceiveHandler =
      std::function<void(std::string_view datagram, size_t medium, const std::string& link)>;

  HeartbeatMedia(boost::asio::io_context& io, std::vector<config::Medium> media,
                 ReceiveHandler on_receive);
  ~HeartbeatMedia();
  HeartbeatMedia(const HeartbeatMedia&) = delete;
  HeartbeatMedia& operator=(const HeartbeatMedia&) = delete;

  // Opens every medium it can and starts retrying the others; never fails as a whole.
  void Open();
  // Sends `datagram` once on every open medium (one sendto each). A ucast medium whose peer is
  // one of this machine's addresses is skipped. Errors are counted and logged, rate-limited.
  void Send(std::string_view datagram);
  // Closes every socket and stops retrying. Safe to call from the receive handler.
  void Close();

  struct MediumState {
    std::string description;  // "mcast eth0 239.255.1.1:694"; "(own address, not sent)" added
    std::string link;
    bool open = false;
    std::string last_error;  // why it is not open, or the last send error
    uint64_t sent = 0;
    uint64_t send_errors = 0;
    uint64_t received = 0;  // datagrams reported with this medium's index
  };
  std::vector<MediumState> States() const;

 private:
  struct ReceiveSocket;
  struct MediumSocket;

  void RetryTick();
  void ScheduleRetry();
  bool OpenReceiveSocket(ReceiveSocket& socket);
  void CloseReceiveSocket(ReceiveSocket& socket, const std::string& why);
  bool OpenMedium(size_t index);
  void CloseMedium(size_t index);
  void StartReading(ReceiveSocket& socket);
  void ReadDatagrams(ReceiveSocket& socket);
  // Closes the receive socket's fd, whether the loop watches it or it rests.
  void CloseReceiveFd(ReceiveSocket& socket);
  // Watches the socket again now, or after `pause` (a flood: see ReadPause).
  void ContinueReading(ReceiveSocket& socket, Duration pause);
  void NoteFailure(size_t index, const std::string& error);
  void LogLimited(const std::string& key, const std::string& message);

  boost::asio::io_context& io_;
  std::vector<config::Medium> media_;
  ReceiveHandler on_receive_;
  std::vector<std::unique_ptr<MediumSocket>> sockets_;  // one per medium
  std::vector<std::unique_ptr<ReceiveSocket>> receive_sockets_;
  boost::asio::steady_timer retry_timer_;
  RateLimiter log_limiter_;
  bool running_ = false;
};

}  // namespace hbd::net
