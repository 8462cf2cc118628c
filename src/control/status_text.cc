#include "control/status_text.h"

#include <iomanip>
#include <sstream>

namespace hbd::control {
namespace {

using nlohmann::json;

std::string Ago(const json& j, const char* key, const char* what) {
  if (!j.contains(key))
    return std::string("never ") + what;
  int64_t ms = j[key].get<int64_t>();
  std::ostringstream out;
  out << "last " << what << " " << ms << " ms ago";
  return out.str();
}

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string("?");
}

}  // namespace

std::string FormatStatusText(const json& s) {
  std::ostringstream out;
  out << "hbd " << Str(s, "version") << " on " << Str(s, "node") << ": " << Str(s, "status")
      << (s.value("comm_up", false) ? "" : " (waiting for the other nodes)") << "\n";
  if (s.contains("timings_ms")) {
    const json& t = s["timings_ms"];
    out << "timings: keepalive " << t.value("keepalive", 0) << " ms, warntime "
        << t.value("warntime", 0) << " ms, deadtime " << t.value("deadtime", 0) << " ms, deadping "
        << t.value("deadping", 0) << " ms\n";
  }
  out << "\nNodes:\n";
  for (const auto& n : s.value("nodes", json::array())) {
    out << "  " << std::left << std::setw(16) << Str(n, "name") << std::setw(8) << Str(n, "status");
    if (n.value("local", false)) {
      out << " (this node)\n";
      continue;
    }
    out << " " << Ago(n, "last_packet_ms_ago", "packet");
    if (n.contains("ping_count"))
      out << ", reaches " << n["ping_count"] << " ping node(s)";
    out << "\n";
    for (const auto& l : n.value("links", json::array())) {
      out << "    link " << std::setw(10) << Str(l, "name") << std::setw(6) << Str(l, "status")
          << " " << Ago(l, "last_packet_ms_ago", "packet") << "\n";
    }
  }
  const json pings = s.value("ping", json::array());
  if (!pings.empty()) {
    out << "\nPing nodes (this node reaches " << s.value("ping_connectivity", 0) << "):\n";
    for (const auto& p : pings) {
      out << "  " << std::left << std::setw(16) << Str(p, "name") << std::setw(8)
          << Str(p, "status") << " " << Ago(p, "last_reply_ms_ago", "reply") << "\n";
    }
  }
  const json groups = s.value("groups", json::array());
  if (!groups.empty()) {
    out << "\nGroups (resources held here: " << Str(s, "resources_held") << "):\n";
    for (const auto& g : groups) {
      std::string holder = Str(g, "holder");
      out << "  " << Str(g, "key") << ": "
          << (holder.empty() || holder == "?" ? "not running"
                                              : Str(g, "holder_state") + " on " + holder)
          << " (preferred " << Str(g, "preferred_node") << "; here " << Str(g, "state_here");
      if (g.contains("backoff_remaining_ms")) {
        out << ", start back-off " << g["backoff_remaining_ms"].get<int64_t>() << " ms";
      }
      out << ")\n";
      if (g.contains("waiting"))
        out << "    " << Str(g, "waiting") << "\n";
      if (g.contains("last_transition")) {
        const json& t = g["last_transition"];
        out << "    last " << Str(t, "op") << " here: " << Str(t, "outcome") << " in "
            << t.value("total_ms", int64_t{0}) << " ms (" << Str(t, "reason") << ")";
        for (const auto& step : t.value("steps", json::array())) {
          out << "\n      " << Str(step, "resource") << " " << Str(step, "action") << " "
              << step.value("ms", int64_t{0}) << " ms"
              << (step.value("ok", false) ? "" : " FAILED (" + Str(step, "detail") + ")");
        }
        out << "\n";
      }
    }
  }
  const json media = s.value("media", json::array());
  if (!media.empty()) {
    out << "\nMedia:\n";
    for (const auto& m : media) {
      out << "  " << Str(m, "medium") << ": " << (m.value("open", false) ? "open" : "closed")
          << ", sent " << m.value("sent", 0) << ", received " << m.value("received", 0);
      if (m.value("send_errors", 0) > 0)
        out << ", send errors " << m.value("send_errors", 0);
      if (m.contains("last_error"))
        out << " (" << Str(m, "last_error") << ")";
      out << "\n";
    }
  }
  if (s.contains("packets")) {
    const json& p = s["packets"];
    json rejected = p.value("rejected", json::object());
    int64_t duplicates = rejected.value("duplicate", int64_t{0});
    rejected.erase("duplicate");
    out << "\nPackets: " << p.value("accepted", 0) << " accepted, " << duplicates
        << " duplicate copies (same message on another medium), "
        << p.value("rejected_total", int64_t{0}) - duplicates << " rejected";
    if (!rejected.empty()) {
      out << " (";
      bool first = true;
      for (const auto& [reason, count] : rejected.items()) {
        out << (first ? "" : ", ") << reason << " " << count;
        first = false;
      }
      out << ")";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace hbd::control
