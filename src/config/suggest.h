// "Did you mean ...?": the closest known word to a misspelt one, for diagnostics. Pure;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hbd::config {

// Levenshtein distance, case-insensitive.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a likely typo, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hbd::config
