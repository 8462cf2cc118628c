// Reading the classic configuration files as text: logical lines with their line numbers, `#`
// comments removed, optional `\` continuation, whitespace tokens, and the value syntaxes that
// Heartbeat shares between files (booleans, time values). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// One non-empty logical line: its tokens and the physical line it starts on.
struct ConfigLine {
  int line = 0;
  std::vector<std::string> tokens;
  std::string text;  // the line without its comment, whitespace trimmed
};

struct TextOptions {
  bool backslash_continuation = false;  // haresources: a trailing `\` joins the next line
  // authkeys: `#` starts a comment only as a line's first non-blank character, as in Heartbeat's
  // auth.c, so a key containing `#` is read whole instead of being cut short.
  bool comments_only_at_line_start = false;
  size_t max_line_length = 64 * 1024;  // longer physical lines are an error, not a crash
};

// Splits `content` into logical lines. Problems (NUL bytes, overlong lines, a continuation at end
// of file) are reported against `file` and the offending line is skipped.
std::vector<ConfigLine> SplitConfigLines(std::string_view content, const std::string& file,
                                         const TextOptions& options, Diagnostics& diags);

// Splits on spaces, tabs and (when `commas` is set, as Heartbeat does for option directives)
// commas.
std::vector<std::string> SplitTokens(std::string_view text, bool commas = false);

// Heartbeat's booleans: true/on/yes/y/1 and false/off/no/n/0, case-insensitive.
std::optional<bool> ParseBool(std::string_view text);

// Heartbeat's time values: a bare number (may contain '.') is seconds; `ms`/`msec`
// milliseconds; `us`/`usec` microseconds; hbd also accepts `s`/`sec`. Whitespace may stand before
// the unit. Rounded to the nearest millisecond. Negative or malformed text gives nullopt.
std::optional<Millis> ParseTimeValue(std::string_view text);

// "500ms" for values under 10 s that are not whole seconds, otherwise "10s"-style; for summaries.
std::string FormatMillis(Millis value);

std::string ToLower(std::string_view text);

// Reads a whole file; nullopt and an error diagnostic (naming the file and errno text) on failure.
std::optional<std::string> ReadConfigFile(const std::string& path, Diagnostics& diags);

}  // namespace hbd::config
