#include "net/heartbeat_media.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "net/endpoint.h"
#include "net/interfaces.h"
#include "net/media_plan.h"
#include "net/socket_options.h"
#include "util/log.h"

namespace hbd::net {
namespace {

constexpr auto kRetryPeriod = std::chrono::milliseconds(1500);
constexpr size_t kReceiveBufferBytes = 64 * 1024;
// Datagrams read by one recvmmsg call, and calls per wake-up before yielding to the loop's
// other work (128 datagrams at most). Under a flood one call takes what has queued up, so a
// wake-up costs one system call instead of one per datagram plus one that finds nothing.
constexpr size_t kBatch = 16;
constexpr int kBatchesPerWakeup = 8;
// During a flood a socket rests this long between reads (ReadPause): at most ~500 wake-ups a
// second per socket, up to 128 datagrams each.
constexpr auto kCoalesce = std::chrono::milliseconds(2);
// Room for what queues during a rest (and for heartbeats among a flood's datagrams); root may
// exceed net.core.rmem_max (SO_RCVBUFFORCE), others get what rmem_max allows.
constexpr int kReceiveQueueBytes = 2 * 1024 * 1024;

using Descriptor = boost::asio::posix::stream_descriptor;

int Family(AddressFamily family) {
  return family == AddressFamily::kIPv4 ? AF_INET : AF_INET6;
}

}  // namespace

struct HeartbeatMedia::ReceiveSocket {
  ReceiveSocket(boost::asio::io_context& io, ReceiveSocketPlan p)
      : plan(std::move(p)),
        descriptor(io),
        pause_timer(io),
        buffer(new char[kBatch * kReceiveBufferBytes]) {
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i].iov_base = buffer.get() + i * kReceiveBufferBytes;
      iov[i].iov_len = kReceiveBufferBytes;
      headers[i] = {};
      headers[i].msg_hdr.msg_iov = &iov[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
  }
  ReceiveSocketPlan plan;
  // The receive socket, watched by the io_context through `descriptor` except while it rests
  // during a flood: then it is released from the loop (a socket left registered would still
  // wake the loop at every datagram) and only `pause_timer` brings the next read.
  Descriptor descriptor;
  int fd = -1;
  bool resting = false;
  boost::asio::steady_timer pause_timer;
  TimePoint last_wakeup{};
  // kBatch slots of 64 KiB, reused for every batch; left uninitialised, so a page costs memory
  // only once a datagram has reached it.
  std::unique_ptr<char[]> buffer;
  std::array<iovec, kBatch> iov{};
  std::array<mmsghdr, kBatch> headers{};
  unsigned ifindex = 0;
  bool open = false;
  uint64_t generation = 0;  // changes on every close, so stale wake-ups are ignored
  std::string last_error;
};

struct HeartbeatMedia::MediumSocket {
  explicit MediumSocket(boost::asio::io_context& io) : descriptor(io) {}
  Descriptor descriptor;  // the send socket
  size_t receive_socket = 0;
  Endpoint destination;
  bool open = false;
  bool own_peer = false;
  bool ever_failed = false;
  std::string last_error;
  uint64_t sent = 0;
  uint64_t send_errors = 0;
  uint64_t received = 0;
};

HeartbeatMedia::HeartbeatMedia(boost::asio::io_context& io, std::vector<config::Medium> media,
                               ReceiveHandler on_receive)
    : io_(io),
      media_(std::move(media)),
      on_receive_(std::move(on_receive)),
      retry_timer_(io),
      log_limiter_(std::chrono::seconds(60), 3) {
  for (size_t i = 0; i < media_.size(); ++i)
    sockets_.push_back(std::make_unique<MediumSocket>(io_));
  std::vector<ReceiveSocketPlan> plans = PlanReceiveSockets(media_);
  for (size_t r = 0; r < plans.size(); ++r) {
    for (size_t medium : plans[r].media)
      sockets_[medium]->receive_socket = r;
    receive_sockets_.push_back(std::make_unique<ReceiveSocket>(io_, std::move(plans[r])));
  }
}

HeartbeatMedia::~HeartbeatMedia() {
  Close();
}

void HeartbeatMedia::Open() {
  running_ = true;
  RetryTick();
}

void HeartbeatMedia::Close() {
  running_ = false;
  retry_timer_.cancel();
  for (auto& rs : receive_sockets_) {
    CloseReceiveFd(*rs);
    rs->open = false;
    ++rs->generation;
  }
  for (size_t i = 0; i < sockets_.size(); ++i)
    CloseMedium(i);
}

void HeartbeatMedia::ScheduleRetry() {
  retry_timer_.expires_after(kRetryPeriod);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;  // cancelled: Close() or destruction
    RetryTick();
  });
}

void HeartbeatMedia::RetryTick() {
  if (!running_)
    return;
  for (auto& rs : receive_sockets_) {
    if (rs->open) {
      // A lookup that could not be made (no descriptor left) says nothing: keep the socket.
      std::optional<unsigned> now = LookUpInterfaceIndex(rs->plan.interface);
      if (now && *now != rs->ifindex) {
        CloseReceiveSocket(*rs, *now == 0 ? "interface " + rs->plan.interface + " is gone"
                                          : "interface " + rs->plan.interface + " was re-created");
      }
    }
    if (!rs->open && !OpenReceiveSocket(*rs)) {
      for (size_t medium : rs->plan.media)
        NoteFailure(medium, rs->last_error);
    }
  }
  for (size_t i = 0; i < sockets_.size(); ++i) {
    if (!sockets_[i]->open && receive_sockets_[sockets_[i]->receive_socket]->open)
      OpenMedium(i);
  }
  ScheduleRetry();  // also when all are open: an interface may vanish or be re-created
}

bool HeartbeatMedia::OpenReceiveSocket(ReceiveSocket& rs) {
  const ReceiveSocketPlan& plan = rs.plan;
  unsigned ifindex = InterfaceIndex(plan.interface);
  if (ifindex == 0) {
    rs.last_error = "no interface " + plan.interface;
    return false;
  }
  bool v4 = plan.family == AddressFamily::kIPv4;
  std::string error;
  int fd = NewSocket(Family(plan.family), SOCK_DGRAM, 0, &error);
  bool ok = fd >= 0 && SetIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", &error) &&
            SetIntOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT", &error) &&
            BindToDevice(fd, plan.interface, &error);
  if (ok && !SetIntOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, kReceiveQueueBytes, "SO_RCVBUFFORCE",
                          nullptr)) {
    SetIntOption(fd, SOL_SOCKET, SO_RCVBUF, kReceiveQueueBytes, "SO_RCVBUF", nullptr);
  }
  // Only the groups this socket joins, not every group some other socket joined.
  if (ok && v4)
    ok = SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL", &error);
  if (ok && !v4) {
    ok = SetIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", &error);
    SetIntOption(fd, IPPROTO_IPV6, kIpv6MulticastAll, 0, "IPV6_MULTICAST_ALL", nullptr);
  }
  if (ok)
    ok = BindWildcard(fd, Family(plan.family), plan.port, &error);
  if (!ok) {
    if (fd >= 0)
      ::close(fd);
    rs.last_error =
        "receive socket on " + plan.interface + " port " + std::to_string(plan.port) + ": " + error;
    return false;
  }
  rs.descriptor.assign(fd);
  rs.fd = fd;
  rs.resting = false;
  rs.ifindex = ifindex;
  rs.open = true;
  rs.last_error.clear();
  ++rs.generation;
  StartReading(rs);
  return true;
}

void HeartbeatMedia::CloseReceiveSocket(ReceiveSocket& rs, const std::string& why) {
  LogWarning("heartbeat link " + rs.plan.interface + ": " + why + "; reopening its media");
  CloseReceiveFd(rs);
  rs.open = false;
  ++rs.generation;
  rs.last_error = why;
  for (size_t medium : rs.plan.media)
    CloseMedium(medium);  // their group memberships went with the socket
}

void HeartbeatMedia::CloseMedium(size_t index) {
  MediumSocket& ms = *sockets_[index];
  boost::system::error_code ignored;
  ms.descriptor.close(ignored);
  ms.open = false;
}

bool HeartbeatMedia::OpenMedium(size_t index) {
  const config::Medium& m = media_[index];
  MediumSocket& ms = *sockets_[index];
  ReceiveSocket& rs = *receive_sockets_[ms.receive_socket];
  const int family = Family(FamilyOf(m.type));
  const int rfd = rs.fd;
  std::string error;

  std::string host = m.address;
  if (m.type == config::MediumType::kBcast) {
    host = BroadcastAddress(m.interface);
    if (host.empty()) {
      NoteFailure(index, m.interface + " has no IPv4 broadcast address");
      return false;
    }
  }
  std::optional<Endpoint> destination = ResolveEndpoint(host, m.port, family, rs.ifindex, &error);
  if (!destination) {
    NoteFailure(index, error);
    return false;
  }
  bool ok = true;
  if (m.type == config::MediumType::kMcast)
    ok = JoinGroupV4(rfd, *destination, rs.ifindex, &error);
  else if (m.type == config::MediumType::kMcast6)
    ok = JoinGroupV6(rfd, *destination, rs.ifindex, &error);

  int fd = ok ? NewSocket(family, SOCK_DGRAM, 0, &error) : -1;
  ok = fd >= 0 && BindToDevice(fd, m.interface, &error);
  if (ok && m.type == config::MediumType::kBcast) {
    ok = SetIntOption(fd, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST", &error) &&
         SetIntOption(fd, SOL_SOCKET, SO_DONTROUTE, 1, "SO_DONTROUTE", &error);
  } else if (ok && m.type == config::MediumType::kMcast) {
    ok = SetMulticastInterfaceV4(fd, rs.ifindex, &error) &&
         SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL, m.ttl, "IP_MULTICAST_TTL", &error) &&
         SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP, m.loop ? 1 : 0, "IP_MULTICAST_LOOP",
                      &error);
  } else if (ok && m.type == config::MediumType::kMcast6) {
    ok =
        SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(rs.ifindex),
                     "IPV6_MULTICAST_IF", &error) &&
        SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, m.ttl, "IPV6_MULTICAST_HOPS", &error) &&
        SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, m.loop ? 1 : 0, "IPV6_MULTICAST_LOOP",
                     &error);
  }
  if (!ok) {
    if (fd >= 0)
      ::close(fd);
    NoteFailure(index, error);
    return false;
  }
  ms.descriptor.assign(fd);
  ms.destination = *destination;
  ms.own_peer = (m.type == config::MediumType::kUcast || m.type == config::MediumType::kUcast6) &&
                IsOwnAddress(destination->HostText(), LocalAddresses());
  ms.open = true;
  ms.last_error.clear();
  if (ms.ever_failed)
    LogInfo("heartbeat medium " + DescribeMedium(m) + " is open");
  else if (ms.own_peer)
    LogDebug("heartbeat medium " + DescribeMedium(m) + " names this machine; not sent");
  return true;
}

void HeartbeatMedia::NoteFailure(size_t index, const std::string& error) {
  MediumSocket& ms = *sockets_[index];
  if (error != ms.last_error) {
    LogLimited("open " + std::to_string(index),
               "heartbeat medium " + DescribeMedium(media_[index]) + " cannot be opened: " + error +
                   "; retrying every 1.5 s");
  }
  ms.last_error = error;
  ms.ever_failed = true;
}

void HeartbeatMedia::Send(std::string_view datagram) {
  for (size_t i = 0; i < sockets_.size(); ++i) {
    MediumSocket& ms = *sockets_[i];
    if (!ms.open || ms.own_peer)
      continue;
    ssize_t n =
        ::sendto(ms.descriptor.native_handle(), datagram.data(), datagram.size(),
                 MSG_DONTWAIT | MSG_NOSIGNAL, ms.destination.address(), ms.destination.length);
    if (n >= 0) {
      ++ms.sent;
      continue;
    }
    int error = errno;
    ++ms.send_errors;
    ms.last_error = ErrorText(error);
    LogLimited("send " + std::to_string(i),
               "heartbeat medium " + DescribeMedium(media_[i]) + ": send failed: " + ms.last_error);
    if (error == ENODEV || error == ENXIO)
      CloseMedium(i);  // the interface went away; the retry timer reopens it
  }
}

void HeartbeatMedia::StartReading(ReceiveSocket& rs) {
  rs.descriptor.async_wait(
      Descriptor::wait_read, [this, &rs, generation = rs.generation](boost::system::error_code ec) {
        if (ec == boost::asio::error::operation_aborted)
          return;  // closed; `this` may be gone
        if (!running_ || rs.generation != generation)
          return;
        if (ec) {
          CloseReceiveSocket(rs, "waiting for datagrams failed: " + ec.message());
          return;
        }
        ReadDatagrams(rs);
      });
}

void HeartbeatMedia::CloseReceiveFd(ReceiveSocket& rs) {
  rs.pause_timer.cancel();
  if (rs.resting) {
    ::close(rs.fd);  // released from the descriptor: ours to close
    rs.resting = false;
  } else {
    boost::system::error_code ignored;
    rs.descriptor.close(ignored);
  }
  rs.fd = -1;
}

void HeartbeatMedia::ContinueReading(ReceiveSocket& rs, Duration pause) {
  if (pause == Duration::zero()) {
    if (rs.resting) {
      boost::system::error_code ec;
      rs.descriptor.assign(rs.fd, ec);
      if (ec) {
        ::close(rs.fd);
        rs.resting = false;
        rs.fd = -1;
        CloseReceiveSocket(rs, "watching the socket again failed: " + ec.message());
        return;
      }
      rs.resting = false;
    }
    StartReading(rs);
    return;
  }
  if (!rs.resting) {
    rs.descriptor.release();
    rs.resting = true;
  }
  rs.pause_timer.expires_after(pause);
  rs.pause_timer.async_wait(
      [this, &rs, generation = rs.generation](const boost::system::error_code& ec) {
        if (ec)
          return;  // cancelled: closed or destroyed
        if (!running_ || rs.generation != generation)
          return;
        ReadDatagrams(rs);
      });
}

void HeartbeatMedia::ReadDatagrams(ReceiveSocket& rs) {
  const TimePoint now = Clock::now();
  const Duration since_previous = now - rs.last_wakeup;
  rs.last_wakeup = now;
  size_t read = 0;
  const uint64_t generation = rs.generation;
  const int fd = rs.fd;
  const size_t reported = rs.plan.media.front();
  for (int k = 0; k < kBatchesPerWakeup; ++k) {
    for (mmsghdr& h : rs.headers)
      h.msg_hdr.msg_flags = 0;
    int count = ::recvmmsg(fd, rs.headers.data(), kBatch, MSG_TRUNC | MSG_DONTWAIT, nullptr);
    if (count < 0) {
      int error = errno;
      switch (ClassifyReceive(count, error, kReceiveBufferBytes)) {
        case ReceiveOutcome::kInterrupted:
          continue;
        case ReceiveOutcome::kNoMore:
          ContinueReading(rs, ReadPause(since_previous, read, kCoalesce));
          return;
        default:
          LogLimited("recv " + rs.plan.interface, "heartbeat link " + rs.plan.interface +
                                                      ": receive failed: " + ErrorText(error));
          StartReading(rs);
          return;
      }
    }
    read += static_cast<size_t>(count);
    for (int i = 0; i < count; ++i) {
      const mmsghdr& h = rs.headers[static_cast<size_t>(i)];
      // With MSG_TRUNC, msg_len is the datagram's real length even when it did not fit.
      long length = (h.msg_hdr.msg_flags & MSG_TRUNC) != 0
                        ? static_cast<long>(std::max<size_t>(h.msg_len, kReceiveBufferBytes + 1))
                        : static_cast<long>(h.msg_len);
      if (ClassifyReceive(length, 0, kReceiveBufferBytes) == ReceiveOutcome::kTooBig) {
        LogLimited("big " + rs.plan.interface,
                   "heartbeat link " + rs.plan.interface + ": dropped a datagram of " +
                       std::to_string(length) + " bytes (the limit is 64 KiB)");
        continue;
      }
      ++sockets_[reported]->received;
      on_receive_(std::string_view(
                      static_cast<const char*>(rs.iov[static_cast<size_t>(i)].iov_base), h.msg_len),
                  reported, rs.plan.interface);
      if (!running_ || rs.generation != generation)
        return;  // the handler closed or reopened the media
    }
    if (static_cast<size_t>(count) < kBatch) {
      // The queue is empty: wait for the next wake-up (or rest, in a flood).
      ContinueReading(rs, ReadPause(since_previous, read, kCoalesce));
      return;
    }
  }
  // More may be waiting; the loop runs other work first.
  ContinueReading(rs, ReadPause(since_previous, read, kCoalesce));
}

void HeartbeatMedia::LogLimited(const std::string& key, const std::string& message) {
  RateLimiter::Decision d = log_limiter_.Check(key, Clock::now());
  if (!d.allow)
    return;
  std::string suffix;
  if (d.suppressed_before > 0)
    suffix = " (" + std::to_string(d.suppressed_before) + " similar lines suppressed)";
  LogWarning(message + suffix);
}

std::vector<HeartbeatMedia::MediumState> HeartbeatMedia::States() const {
  std::vector<MediumState> states;
  for (size_t i = 0; i < media_.size(); ++i) {
    const MediumSocket& ms = *sockets_[i];
    MediumState s;
    s.description = DescribeMedium(media_[i]);
    if (ms.open && ms.own_peer)
      s.description += " (own address, not sent)";
    s.link = media_[i].interface;
    s.open = ms.open;
    s.last_error = ms.last_error;
    s.sent = ms.sent;
    s.send_errors = ms.send_errors;
    s.received = ms.received;
    states.push_back(std::move(s));
  }
  return states;
}

}  // namespace hbd::net
