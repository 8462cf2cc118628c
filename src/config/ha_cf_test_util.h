// Test helpers for the ha.cf parser tests: parse a text, then ask for the diagnostics of a given
// severity and line. Test-only (included by *_test.cc files); not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/ha_cf_parser.h"

namespace hbd::config::testing {

struct ParsedHaCf {
  ClusterConfig config;
  Diagnostics diags;

  std::vector<Diagnostic> Of(Severity severity) const {
    std::vector<Diagnostic> out;
    for (const auto& d : diags.items()) {
      if (d.severity == severity)
        out.push_back(d);
    }
    return out;
  }
  std::vector<Diagnostic> Errors() const { return Of(Severity::kError); }
  std::vector<Diagnostic> Warnings() const { return Of(Severity::kWarning); }
  std::vector<Diagnostic> Notes() const { return Of(Severity::kNote); }

  // True when a diagnostic of `severity` on `line` contains `needle`.
  bool Has(Severity severity, int line, const std::string& needle) const {
    for (const auto& d : diags.items()) {
      if (d.severity == severity && d.line == line && d.message.find(needle) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  std::string Dump() const {
    std::string out;
    for (const auto& d : diags.items())
      out += d.Format() + "\n";
    return out;
  }
};

inline ParsedHaCf ParseText(std::string_view text) {
  ParsedHaCf parsed;
  ParseHaCf(text, "ha.cf", parsed.config, parsed.diags);
  return parsed;
}

// Exactly one diagnostic, an error on `line` containing `needle`.
inline ::testing::AssertionResult OnlyError(const ParsedHaCf& p, int line,
                                            const std::string& needle) {
  if (p.diags.items().size() == 1 && p.Has(Severity::kError, line, needle)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected only an error on line " << line << " containing '" << needle << "', got:\n"
         << p.Dump();
}

// Exactly one diagnostic, a warning on `line` containing `needle`.
inline ::testing::AssertionResult OnlyWarning(const ParsedHaCf& p, int line,
                                              const std::string& needle) {
  if (p.diags.items().size() == 1 && p.Has(Severity::kWarning, line, needle)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected only a warning on line " << line << " containing '" << needle << "', got:\n"
         << p.Dump();
}

inline ::testing::AssertionResult Clean(const ParsedHaCf& p) {
  if (p.diags.empty())
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected no diagnostics, got:\n" << p.Dump();
}

}  // namespace hbd::config::testing
