#include "config/suggest.h"

#include <algorithm>
#include <cctype>

namespace hbd::config {
namespace {

constexpr size_t kMaxSuggestable = 64;

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

// Counts a swap of two neighbours as one edit (typos like "ucats"), over three rolling rows.
size_t EditDistance(std::string_view a, std::string_view b) {
  if (a.size() > kMaxSuggestable || b.size() > kMaxSuggestable) {
    return std::max(a.size(), b.size());
  }
  size_t rows[3][kMaxSuggestable + 1];
  size_t* two_up = rows[0];
  size_t* up = rows[1];
  size_t* row = rows[2];
  for (size_t j = 0; j <= b.size(); ++j)
    up[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t best = up[j - 1] + (Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1);
      best = std::min({best, up[j] + 1, row[j - 1] + 1});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) &&
          Lower(a[i - 2]) == Lower(b[j - 1])) {
        best = std::min(best, two_up[j - 2] + 1);
      }
      row[j] = best;
    }
    size_t* recycled = two_up;
    two_up = up;
    up = row;
    row = recycled;
  }
  return up[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > kMaxSuggestable)
    return {};
  // A likely typo: at most a third of the word wrong, and never more than 3 edits.
  size_t allowed = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::string best;
  size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    size_t longer = std::max(candidate.size(), word.size());
    size_t shorter = std::min(candidate.size(), word.size());
    if (longer - shorter > allowed)
      continue;  // cannot be within `allowed` edits
    size_t d = EditDistance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace hbd::config
