// Finding a program by name on a PATH-style list of directories, as `command -v` does in the
// scripts hbd runs: hbd's own calls of drbdadm (disk-state check, outdate) look it up on the
// scripts' PATH (kScriptPath), so they and resource.d/drbddisk agree on which drbdadm runs.
// Pure apart from the caller's `is_executable` predicate. Thread-safe (no state).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace hbd::resources {

// The first DIR/NAME in `dirs` (colon-separated; empty entries skipped) that `is_executable`
// accepts, or "" when none does or `name` is not a plain file name (empty, or with a '/').
std::string FindProgram(std::string_view name, std::string_view dirs,
                        const std::function<bool(const std::string& path)>& is_executable);

// FindProgram on kScriptPath with the file system's answer (a regular file we may execute).
std::string FindOnScriptPath(std::string_view name);

}  // namespace hbd::resources
