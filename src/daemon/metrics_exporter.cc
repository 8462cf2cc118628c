#include "daemon/metrics_exporter.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "control/metrics_format.h"
#include "util/log.h"

namespace hbd::daemon {
namespace {

using boost::asio::ip::tcp;

constexpr size_t kMaxRequestBytes = 8192;
constexpr int kMaxConnections = 8;
constexpr auto kRequestTimeout = std::chrono::seconds(5);

}  // namespace

// One scrape: read the request head (bounded in size and time), answer, close.
class MetricsExporter::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::weak_ptr<StatusSource> status, std::shared_ptr<int> count)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        status_(std::move(status)),
        count_(std::move(count)),
        buffer_(kMaxRequestBytes) {
    ++*count_;
  }
  ~Connection() { --*count_; }

  void Start() {
    auto self = shared_from_this();
    timer_.expires_after(kRequestTimeout);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) {
        boost::system::error_code ignored;
        self->socket_.close(ignored);
      }
    });
    boost::asio::async_read_until(
        socket_, buffer_, "\r\n\r\n",
        [self](const boost::system::error_code& ec, size_t n) { self->OnRequest(ec, n); });
  }

 private:
  void OnRequest(const boost::system::error_code& ec, size_t n) {
    std::string head;
    if (!ec) {
      head.assign(boost::asio::buffers_begin(buffer_.data()),
                  boost::asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n));
    } else if (ec != boost::asio::error::not_found) {
      return;  // closed, timed out or reset: nothing to answer
    }          // not_found: longer than kMaxRequestBytes; answered 400 below
    auto status = status_.lock();
    if (!status)
      return;  // the exporter is gone (hbd stopping)
    reply_ = control::MetricsHttpResponse(
        head, [&status] { return control::FormatMetrics((*status)()); });
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(reply_),
                             [self](const boost::system::error_code&, size_t) {
                               boost::system::error_code ignored;
                               self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                               self->socket_.close(ignored);
                               self->timer_.cancel();
                             });
  }

  tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::weak_ptr<StatusSource> status_;
  std::shared_ptr<int> count_;
  boost::asio::streambuf buffer_;
  std::string reply_;
};

MetricsExporter::MetricsExporter(boost::asio::io_context& io, config::MetricsSettings settings,
                                 StatusSource status)
    : io_(io),
      settings_(std::move(settings)),
      status_(std::make_shared<StatusSource>(std::move(status))),
      timer_(io),
      accept_retry_(io) {}

MetricsExporter::~MetricsExporter() {
  status_.reset();
  timer_.cancel();
  accept_retry_.cancel();
  if (acceptor_) {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  }
  if (!settings_.textfile.empty())
    std::remove(settings_.textfile.c_str());
}

void MetricsExporter::Start() {
  if (!settings_.listen.empty()) {
    std::string address;
    uint16_t port = 0;
    if (!config::ParseListenAddress(settings_.listen, address, port)) {
      LogError("metrics_listen " + settings_.listen + ": not an address; no metrics served");
    } else {
      try {
        tcp::endpoint endpoint(boost::asio::ip::make_address(address), port);
        auto acceptor = std::make_unique<tcp::acceptor>(io_);
        acceptor->open(endpoint.protocol());
        acceptor->set_option(tcp::acceptor::reuse_address(true));
        acceptor->bind(endpoint);
        acceptor->listen();
        port_ = acceptor->local_endpoint().port();
        acceptor_ = std::move(acceptor);
        LogNotice("serving Prometheus metrics on http://" + settings_.listen + "/metrics");
        Accept();
      } catch (const boost::system::system_error& e) {
        LogError("metrics_listen " + settings_.listen + ": " + e.code().message() +
                 "; no metrics served");
      }
    }
  }
  if (!settings_.textfile.empty()) {
    WriteTextfile();
    ArmTimer();
  }
}

void MetricsExporter::Accept() {
  acceptor_->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted)
      return;  // closed: `this` may be gone
    if (ec) {
      // No descriptor left (EMFILE) or the like: the pending connection keeps the socket
      // readable, so accepting again at once would spin. Try again in 100 ms.
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](const boost::system::error_code& timer_ec) {
        if (!timer_ec)
          Accept();
      });
      return;
    }
    if (*open_connections_ >= kMaxConnections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // a scraper gone wild must not exhaust hbd's descriptors
    } else {
      std::make_shared<Connection>(std::move(socket), status_, open_connections_)->Start();
    }
    Accept();
  });
}

void MetricsExporter::ArmTimer() {
  timer_.expires_after(settings_.interval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    WriteTextfile();
    ArmTimer();
  });
}

void MetricsExporter::WriteTextfile() {
  // node_exporter reads *.prom files: write a temporary name it ignores, then rename over.
  const std::string tmp = settings_.textfile + ".tmp." + std::to_string(::getpid());
  std::string error;
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (out) {
      out << control::FormatMetrics((*status_)());
      out.flush();
    }
    if (!out)
      error = "cannot write " + tmp;
  }
  if (error.empty() && std::rename(tmp.c_str(), settings_.textfile.c_str()) != 0)
    error = "cannot rename " + tmp + " to " + settings_.textfile;
  if (!error.empty())
    std::remove(tmp.c_str());
  // Logged once per distinct problem, not at every interval.
  if (error != last_write_error_) {
    if (!error.empty()) {
      LogError("metrics_textfile: " + error);
    } else {
      LogNotice("metrics_textfile: writing " + settings_.textfile + " again");
    }
    last_write_error_ = error;
  }
}

}  // namespace hbd::daemon
