// hbd_net_probe: a test-only program for the namespace tests of src/net. Opens the heartbeat
// media and the ping nodes of an ha.cf, sends "NAME SEQ" on every medium every 100 ms and an
// echo request round every 500 ms, for SECONDS seconds, and prints one line per event:
//   probe: open
//   probe: recv link=eth0 medium=1 data=node2 17
//   probe: ping-reply 192.0.2.254
//   probe: state medium=0 link=eth0 open=1 sent=10 send_errors=0 received=9 error=
//   probe: done
// Usage: hbd_net_probe HA_CF NAME SECONDS [--ping-sockets]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "config/ha_cf_parser.h"
#include "net/heartbeat_media.h"
#include "net/icmp_pinger.h"
#include "util/asio.h"
#include "util/log.h"

namespace {

std::string Printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes)
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

void PrintStates(const hbd::net::HeartbeatMedia& media) {
  auto states = media.States();
  for (size_t i = 0; i < states.size(); ++i) {
    const auto& s = states[i];
    std::printf(
        "probe: state medium=%zu link=%s open=%d sent=%llu send_errors=%llu received=%llu "
        "error=%s desc=%s\n",
        i, s.link.c_str(), s.open ? 1 : 0, static_cast<unsigned long long>(s.sent),
        static_cast<unsigned long long>(s.send_errors), static_cast<unsigned long long>(s.received),
        s.last_error.c_str(), s.description.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s HA_CF NAME SECONDS [--ping-sockets]\n", argv[0]);
    return 2;
  }
  const std::string name = argv[2];
  const int seconds = std::atoi(argv[3]);
  const bool ping_sockets = argc > 4 && std::string(argv[4]) == "--ping-sockets";
  if (seconds <= 0 || seconds > 600) {
    std::fprintf(stderr, "SECONDS must be 1-600\n");
    return 2;
  }
  hbd::LogSettings log;
  log.ident = "hbd_net_probe";
  hbd::ConfigureLogging(log);

  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  hbd::config::ClusterConfig config;
  hbd::config::Diagnostics diags;
  hbd::config::ParseHaCf(text.str(), argv[1], config, diags);
  for (const auto& d : diags.items())
    std::fprintf(stderr, "%s\n", d.Format().c_str());
  if (diags.HasErrors())
    return 2;

  boost::asio::io_context io;
  hbd::net::HeartbeatMedia media(
      io, config.media, [](std::string_view datagram, size_t medium, const std::string& link) {
        std::printf("probe: recv link=%s medium=%zu data=%s\n", link.c_str(), medium,
                    Printable(datagram).c_str());
        std::fflush(stdout);
      });
  hbd::net::IcmpPinger pinger(io, config.ping_targets, [](const std::string& address) {
    std::printf("probe: ping-reply %s\n", address.c_str());
    std::fflush(stdout);
  });
  if (ping_sockets)
    pinger.UsePingSocketsOnly();
  media.Open();
  if (!config.ping_targets.empty()) {
    std::string error = pinger.Open();
    if (!error.empty())
      std::printf("probe: ping-error %s\n", error.c_str());
    std::printf("probe: ping-mode v4=%s v6=%s\n", pinger.Mode(false).c_str(),
                pinger.Mode(true).c_str());
  }
  std::printf("probe: open\n");
  PrintStates(media);

  // Every 100 ms: a datagram; every 500 ms: a ping round; every second: the media states.
  boost::asio::steady_timer tick(io);
  const int total_ticks = seconds * 10;
  int count = 0;
  std::function<void()> schedule = [&]() {
    tick.expires_after(std::chrono::milliseconds(100));
    tick.async_wait([&](const boost::system::error_code& ec) {
      if (ec)
        return;
      ++count;
      std::string datagram = name + " " + std::to_string(count);
      media.Send(datagram);
      if (count % 5 == 0)
        pinger.SendRound();
      if (count % 10 == 0)
        PrintStates(media);  // the last report comes before the close
      if (count >= total_ticks) {
        media.Close();
        pinger.Close();
        return;
      }
      schedule();
    });
  };
  schedule();
  io.run();
  std::printf("probe: done\n");
  std::fflush(stdout);
  return 0;
}
