#include "membership/ping_targets.h"

#include <algorithm>
#include <cctype>

namespace hbd::membership {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

Event PingChange(const std::string& name, NodeStatus from, NodeStatus to, Reason reason) {
  Event e;
  e.kind = EventKind::kPingStatus;
  e.node = name;
  e.old_status = from;
  e.new_status = to;
  e.reason = reason;
  return e;
}

}  // namespace

PingTargets::PingTargets(const std::vector<config::PingTarget>& targets, TimePoint start)
    : start_(start) {
  for (const auto& t : targets) {
    bool duplicate = std::any_of(targets_.begin(), targets_.end(),
                                 [&](const PingTargetView& v) { return v.name == t.name; });
    if (duplicate)
      continue;
    PingTargetView view;
    view.name = t.name;
    view.is_group = t.is_group;
    view.addresses = t.addresses;
    targets_.push_back(view);
  }
}

bool PingTargets::Matches(const PingTargetView& target, std::string_view name_or_address) {
  if (EqualsIgnoringCase(target.name, name_or_address))
    return true;
  return std::any_of(target.addresses.begin(), target.addresses.end(),
                     [&](const std::string& a) { return EqualsIgnoringCase(a, name_or_address); });
}

bool PingTargets::OnReply(TimePoint now, std::string_view name_or_address, Events* events) {
  bool matched = false;
  for (auto& t : targets_) {
    if (!Matches(t, name_or_address))
      continue;
    matched = true;
    t.last_reply = now;
    if (t.status != NodeStatus::kPing) {
      events->push_back(PingChange(t.name, t.status, NodeStatus::kPing, Reason::kHeard));
      t.status = NodeStatus::kPing;
    }
  }
  return matched;
}

void PingTargets::Tick(TimePoint now, Millis timeout, Events* events) {
  for (auto& t : targets_) {
    if (t.status == NodeStatus::kDead)
      continue;
    TimePoint since = t.last_reply.value_or(start_);
    if (now - since >= timeout) {
      events->push_back(PingChange(t.name, t.status, NodeStatus::kDead, Reason::kTimeout));
      t.status = NodeStatus::kDead;
    }
  }
}

std::optional<TimePoint> PingTargets::NextDeadline(Millis timeout) const {
  std::optional<TimePoint> next;
  for (const auto& t : targets_) {
    if (t.status == NodeStatus::kDead)
      continue;
    TimePoint since = t.last_reply.value_or(start_);
    TimePoint due = since > TimePoint::max() - timeout ? TimePoint::max() : since + timeout;
    if (!next || due < *next)
      next = due;
  }
  return next;
}

int PingTargets::Reachable() const {
  return static_cast<int>(std::count_if(targets_.begin(), targets_.end(), [](const auto& t) {
    return t.status == NodeStatus::kPing;
  }));
}

std::optional<TimePoint> PingTargets::LastReply() const {
  std::optional<TimePoint> newest;
  for (const auto& t : targets_) {
    if (t.last_reply && (!newest || *t.last_reply > *newest))
      newest = t.last_reply;
  }
  return newest;
}

bool PingTargets::AllHeardOrDead() const {
  return std::all_of(targets_.begin(), targets_.end(),
                     [](const auto& t) { return t.status != NodeStatus::kInit; });
}

const PingTargetView* PingTargets::Find(std::string_view name) const {
  for (const auto& t : targets_) {
    if (EqualsIgnoringCase(t.name, name))
      return &t;
  }
  return nullptr;
}

}  // namespace hbd::membership
