#include "resources/program_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include "resources/resource_action.h"

namespace hbd::resources {

std::string FindProgram(std::string_view name, std::string_view dirs,
                        const std::function<bool(const std::string& path)>& is_executable) {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..")
    return "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    std::string_view dir = dirs.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (!dir.empty()) {
      std::string candidate = std::string(dir);
      if (candidate.back() != '/')
        candidate += '/';
      candidate += name;
      if (is_executable(candidate))
        return candidate;
    }
    if (colon == std::string_view::npos)
      break;
    start = colon + 1;
  }
  return "";
}

std::string FindOnScriptPath(std::string_view name) {
  return FindProgram(name, kScriptPath, [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  });
}

}  // namespace hbd::resources
