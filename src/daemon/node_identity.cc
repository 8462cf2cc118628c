#include "daemon/node_identity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "util/sha1.h"

namespace hbd::daemon {

std::string UuidFromNodeName(const std::string& node) {
  std::string input = "hbd-node-uuid:" + node;
  const auto digest = util::Sha1(input);
  return std::string(reinterpret_cast<const char*>(digest.data()), 16);
}

membership::LocalIdentity MakeLocalIdentity(const std::string& node, const std::string& state_dir,
                                            std::string& warning) {
  membership::LocalIdentity id;
  id.node = node;
  id.uuid = UuidFromNodeName(node);
  uint64_t wall = static_cast<uint64_t>(std::time(nullptr));
  uint64_t stored = 0;
  const std::string path = state_dir + "/generation";
  {
    std::ifstream in(path);
    in >> stored;
  }
  id.generation = std::max(stored + 1, wall);
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  int fd = ::open((path + ".new").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::string text = std::to_string(id.generation) + "\n";
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0)
    ::close(fd);
  ok = ok && ::rename((path + ".new").c_str(), path.c_str()) == 0;
  if (!ok) {
    warning = "cannot store the generation in " + path + " (" + std::strerror(errno) +
              "); using wall-clock seconds, which go wrong if the clock is stepped back";
  }
  return id;
}

}  // namespace hbd::daemon
