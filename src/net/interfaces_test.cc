#include "net/interfaces.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

namespace hbd::net {
namespace {

TEST(LookUpInterfaceIndex, KnownAndMissingInterfaces) {
  std::optional<unsigned> lo = LookUpInterfaceIndex("lo");
  ASSERT_TRUE(lo.has_value());
  EXPECT_EQ(*lo, InterfaceIndex("lo"));
  std::optional<unsigned> missing = LookUpInterfaceIndex("hbdnosuch0");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(*missing, 0u);
}

TEST(LookUpInterfaceIndex, NoDescriptorLeftIsNotAMissingInterface) {
  // The lowest free descriptor number as the soft limit: no new descriptor can be made.
  int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(probe, 0);
  ::close(probe);
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  struct rlimit none = saved;
  none.rlim_cur = static_cast<rlim_t>(probe);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &none), 0);
  std::optional<unsigned> lo = LookUpInterfaceIndex("lo");
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  EXPECT_FALSE(lo.has_value());
}

}  // namespace
}  // namespace hbd::net
