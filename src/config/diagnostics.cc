#include "config/diagnostics.h"

#include <algorithm>

namespace hbd::config {

std::string Diagnostic::Format() const {
  std::string out = file;
  if (line > 0)
    out += ":" + std::to_string(line);
  switch (severity) {
    case Severity::kError:
      out += ": error: ";
      break;
    case Severity::kWarning:
      out += ": warning: ";
      break;
    case Severity::kNote:
      out += ": note: ";
      break;
  }
  out += message;
  return out;
}

void Diagnostics::Error(const std::string& file, int line, std::string message) {
  items_.push_back({Severity::kError, file, line, std::move(message)});
}

void Diagnostics::Warning(const std::string& file, int line, std::string message) {
  items_.push_back({Severity::kWarning, file, line, std::move(message)});
}

void Diagnostics::Note(const std::string& file, int line, std::string message) {
  items_.push_back({Severity::kNote, file, line, std::move(message)});
}

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::HasErrors() const {
  return ErrorCount() > 0;
}

int Diagnostics::ErrorCount() const {
  return static_cast<int>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  }));
}

int Diagnostics::WarningCount() const {
  return static_cast<int>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kWarning;
  }));
}

bool Diagnostics::Mentions(const std::string& needle) const {
  return std::any_of(items_.begin(), items_.end(), [&](const Diagnostic& d) {
    return d.message.find(needle) != std::string::npos;
  });
}

}  // namespace hbd::config
