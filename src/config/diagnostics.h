// Diagnostics: the problems found in configuration files, each with the file, the line and a
// message, collected so that an operator sees every problem of a run, not just the first.
// Plain values; not thread-safe (each parse owns its own list).
#pragma once

#include <string>
#include <vector>

namespace hbd::config {

// kNote: information an operator should see once (e.g. "ipfail is built in"); never a problem.
enum class Severity { kNote, kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the whole file
  std::string message;

  // "FILE:LINE: error|warning|note: message" (or "FILE: error: message" when line is 0).
  std::string Format() const;
  bool operator==(const Diagnostic&) const = default;
};

class Diagnostics {
 public:
  void Error(const std::string& file, int line, std::string message);
  void Warning(const std::string& file, int line, std::string message);
  void Note(const std::string& file, int line, std::string message);
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Append(const Diagnostics& other);

  bool HasErrors() const;
  int ErrorCount() const;
  int WarningCount() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

  // True when some diagnostic's message contains `needle` (for tests and tools).
  bool Mentions(const std::string& needle) const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace hbd::config
