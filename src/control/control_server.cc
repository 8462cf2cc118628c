#include "control/control_server.h"

#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "util/log.h"

namespace hbd::control {

namespace local = boost::asio::local;

namespace {

bool PeerAllowed(int fd) {
  struct ucred cred {};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return false;
  if (cred.uid == 0 || cred.uid == ::geteuid())
    return true;
  struct group* g = ::getgrnam("haclient");
  if (!g)
    return false;
  if (cred.gid == g->gr_gid)
    return true;
  // Supplementary membership: listed in the group's member list.
  for (char** m = g->gr_mem; m && *m; ++m) {
    // Resolved by name to avoid reading the peer's /proc entry.
    std::string member(*m);
    char buf[4096];
    struct passwd* result = nullptr;
    struct ::passwd pw {};
    if (::getpwnam_r(member.c_str(), &pw, buf, sizeof buf, &result) == 0 && result &&
        result->pw_uid == cred.uid) {
      return true;
    }
  }
  return false;
}

}  // namespace

class ControlServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(local::stream_protocol::socket socket, Handler& handler)
      : socket_(std::move(socket)), handler_(handler) {}

  void Start() {
    // A refused peer still gets its request read (bounded) before the answer, so the client
    // sees the refusal rather than a broken pipe; nothing it sends is acted on.
    allowed_ = PeerAllowed(socket_.native_handle());
    auto self = shared_from_this();
    boost::asio::async_read_until(
        socket_, boost::asio::dynamic_buffer(buffer_, kMaxRequestBytes + 1), '\n',
        [self](const boost::system::error_code& ec, size_t n) { self->OnLine(ec, n); });
  }

 private:
  void OnLine(const boost::system::error_code& ec, size_t n) {
    if (ec) {
      if (ec != boost::asio::error::eof) {
        Send({{"ok", false}, {"error", "request too long or unreadable"}});
      }
      return;
    }
    if (!allowed_) {
      Send({{"ok", false}, {"error", "permission denied: root or group haclient only"}});
      return;
    }
    ParsedRequest parsed = ParseControlRequest(std::string_view(buffer_).substr(0, n));
    if (!parsed.request) {
      Send({{"ok", false}, {"error", parsed.error}});
      return;
    }
    auto self = shared_from_this();
    handler_(*parsed.request, [self](const nlohmann::json& reply) { self->Send(reply); });
  }

  void Send(const nlohmann::json& reply) {
    out_ = reply.dump() + "\n";
    auto self = shared_from_this();
    boost::asio::async_write(
        socket_, boost::asio::buffer(out_), [self](const boost::system::error_code&, size_t) {
          boost::system::error_code ignored;
          self->socket_.shutdown(local::stream_protocol::socket::shutdown_both, ignored);
        });
  }

  local::stream_protocol::socket socket_;
  Handler& handler_;
  std::string buffer_;
  std::string out_;
  bool allowed_ = false;
};

ControlServer::ControlServer(boost::asio::io_context& io, std::string path, Handler handler)
    : io_(io), path_(std::move(path)), handler_(std::move(handler)), retry_timer_(io) {}

ControlServer::~ControlServer() {
  if (acceptor_) {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    ::unlink(path_.c_str());
  }
}

std::string ControlServer::Open() {
  if (path_.size() >= sizeof(sockaddr_un::sun_path))
    return "socket path too long: " + path_;
  ::unlink(path_.c_str());
  boost::system::error_code ec;
  auto acceptor = std::make_unique<local::stream_protocol::acceptor>(io_);
  acceptor->open(local::stream_protocol(), ec);
  if (!ec)
    acceptor->bind(local::stream_protocol::endpoint(path_), ec);
  if (!ec)
    acceptor->listen(16, ec);
  if (ec)
    return "cannot listen on " + path_ + ": " + ec.message();
  struct group* g = ::getgrnam("haclient");
  if (g && ::chown(path_.c_str(), 0, g->gr_gid) != 0) {
    LogWarning("control socket " + path_ +
               ": cannot give it to group haclient: " + std::strerror(errno));
  }
  ::chmod(path_.c_str(), 0660);
  acceptor_ = std::move(acceptor);
  Accept();
  return {};
}

void ControlServer::Accept() {
  acceptor_->async_accept(
      [this](const boost::system::error_code& ec, local::stream_protocol::socket socket) {
        if (ec == boost::asio::error::operation_aborted)
          return;
        if (ec) {
          if (!accept_failing_) {
            LogError("control socket " + path_ + ": cannot accept a connection: " + ec.message() +
                     "; retrying every 100 ms");
          }
          accept_failing_ = true;
          retry_timer_.expires_after(std::chrono::milliseconds(100));
          retry_timer_.async_wait([this](const boost::system::error_code& timer_ec) {
            if (!timer_ec)
              Accept();
          });
          return;
        }
        if (accept_failing_)
          LogNotice("control socket " + path_ + ": accepting connections again");
        accept_failing_ = false;
        std::make_shared<Connection>(std::move(socket), handler_)->Start();
        Accept();
      });
}

nlohmann::json SendControlRequest(const std::string& socket_path, const ControlRequest& request,
                                  int timeout_ms) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("socket path too long");
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("cannot reach hbd at " + socket_path + ": " + std::strerror(errno) +
                             " (is hbd running?)");
  }
  std::string line = FormatControlRequest(request);
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    throw std::runtime_error(std::string("cannot send request: ") + std::strerror(errno));
  }
  std::string reply;
  char buf[8192];
  while (reply.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r == 0)
      throw std::runtime_error("hbd did not answer within " + std::to_string(timeout_ms) + " ms");
    if (r < 0 && errno == EINTR)
      continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    reply.append(buf, static_cast<size_t>(n));
    if (reply.size() > (16u << 20))
      throw std::runtime_error("reply too large");
  }
  auto parsed = nlohmann::json::parse(reply, nullptr, false);
  if (parsed.is_discarded())
    throw std::runtime_error("unreadable reply from hbd");
  return parsed;
}

}  // namespace hbd::control
