#include "wire/message.h"

#include <gtest/gtest.h>

namespace hbd::wire {
namespace {

TEST(WireMessage, SetReplacesInPlaceAndKeepsOrder) {
  Message m;
  m.Add("t", "status");
  m.Add("x-unknown", "kept", FieldType::kList);
  m.Add("seq", "1");
  m.Set("t", "resource");
  m.Set("new", "last");
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m.fields()[0].name, "t");
  EXPECT_EQ(m.fields()[0].value, "resource");
  EXPECT_EQ(m.fields()[1].type, FieldType::kList);
  EXPECT_EQ(m.fields()[3].name, "new");
  EXPECT_EQ(m.Get("seq"), "1");
  EXPECT_FALSE(m.Get("absent"));
}

TEST(WireMessage, DuplicateNamesFindFirstAndRemoveAll) {
  Message m;
  m.Add("a", "1");
  m.Add("a", "2");
  EXPECT_EQ(m.Get("a"), "1");
  EXPECT_EQ(m.Remove("a"), 2u);
  EXPECT_TRUE(m.empty());
}

}  // namespace
}  // namespace hbd::wire
