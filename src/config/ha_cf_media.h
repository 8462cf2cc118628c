// Internal to the ha.cf parser: the heartbeat media lines (bcast, mcast, mcast6, ucast, ucast6)
// and the ping lines (ping, ping6, ping_group), each checked value by value with messages that
// name the value and the expected syntax. Valid lines become Medium / PingTarget entries in the
// model. Not thread-safe (works on one parse's Context).
#pragma once

#include <string>
#include <vector>

#include "config/ha_cf_context.h"

namespace hbd::config::ha_cf {

// `bcast IF`: called once per interface token, as Heartbeat does.
void ParseBcast(Context& ctx, const std::string& directive, const std::string& interface);

// `mcast DEV GROUP PORT TTL LOOP` / `mcast6 DEV GROUP PORT HOPS LOOP`; `values` excludes the
// directive.
void ParseMcast(Context& ctx, const std::vector<std::string>& values);
void ParseMcast6(Context& ctx, const std::vector<std::string>& values);

// `ucast DEV PEER [PEER...]` / `ucast6 DEV PEER6 [PEER6...]`: one medium per peer.
void ParseUcast(Context& ctx, const std::vector<std::string>& values);
void ParseUcast6(Context& ctx, const std::vector<std::string>& values);

// `ping HOST` / `ping6 HOST`: called once per host token.
void AddPingNode(Context& ctx, const std::string& directive, const std::string& host);
// `ping_group NAME HOST [HOST...]`.
void ParsePingGroup(Context& ctx, const std::vector<std::string>& values);

}  // namespace hbd::config::ha_cf
