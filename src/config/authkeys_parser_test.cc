#include "config/authkeys_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace hbd::config {
namespace {

using namespace std::string_literals;

struct Parsed {
  AuthConfig auth;
  Diagnostics diags;
};

Parsed Parse(std::string_view content) {
  Parsed p;
  ParseAuthkeys(content, "authkeys", p.auth, p.diags);
  return p;
}

// The diagnostics of a parse, one per line, for failure messages.
std::string Dump(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.items())
    out += d.Format() + "\n";
  return out;
}

// True when some diagnostic has this severity, line and message piece.
bool Has(const Parsed& p, Severity severity, int line, const std::string& text) {
  for (const Diagnostic& d : p.diags.items()) {
    if (d.severity == severity && d.line == line && d.file == "authkeys" &&
        d.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Every diagnostic of a parse, formatted, must not contain `secret`.
void ExpectNoSecret(const Parsed& p, const std::string& secret) {
  for (const Diagnostic& d : p.diags.items()) {
    EXPECT_EQ(d.Format().find(secret), std::string::npos) << d.Format();
  }
}

// ---- Debian's sample ----

// /usr/share/doc/heartbeat/authkeys, its example uncommented.
constexpr const char* kDebianSample = R"(#
#	Authentication file.  Must be mode 600
#
#	Must have exactly one auth directive at the front.
#	auth	send authentication using this method-id
#
auth 1
1 crc
2 sha1 HI!
3 md5 Hello!
)";

TEST(ParseAuthkeys, DebianSample) {
  Parsed p = Parse(kDebianSample);
  EXPECT_EQ(p.diags.ErrorCount(), 0) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 1);
  EXPECT_EQ(p.auth.sign_at.line, 7);
  EXPECT_EQ(p.auth.sign_at.file, "authkeys");
  ASSERT_EQ(p.auth.keys.size(), 3u);
  EXPECT_EQ(p.auth.keys[0].index, 1);
  EXPECT_EQ(p.auth.keys[0].method, AuthMethod::kCrc);
  EXPECT_EQ(p.auth.keys[0].secret, "");
  EXPECT_EQ(p.auth.keys[0].where.line, 8);
  EXPECT_EQ(p.auth.keys[1].index, 2);
  EXPECT_EQ(p.auth.keys[1].method, AuthMethod::kSha1);
  EXPECT_EQ(p.auth.keys[1].secret, "HI!");
  EXPECT_EQ(p.auth.keys[1].where.line, 9);
  EXPECT_EQ(p.auth.keys[2].index, 3);
  EXPECT_EQ(p.auth.keys[2].method, AuthMethod::kMd5);
  EXPECT_EQ(p.auth.keys[2].secret, "Hello!");
  EXPECT_EQ(p.auth.keys[2].where.file, "authkeys");
  ASSERT_NE(p.auth.Find(3), nullptr);
  EXPECT_EQ(p.auth.Find(3)->secret, "Hello!");
  // The sample signs with crc: the one warning.
  ASSERT_EQ(p.diags.items().size(), 1u) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kWarning, 7,
                  "auth 1 signs with crc: crc gives no security against forged packets"));
}

TEST(ParseAuthkeys, ReferenceExample) {
  Parsed p = Parse("auth 1\n1 sha1 SECRET\n2 md5 OTHER\n3 crc\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 1);
  ASSERT_EQ(p.auth.keys.size(), 3u);
  EXPECT_EQ(p.auth.Find(1)->method, AuthMethod::kSha1);
  EXPECT_EQ(p.auth.Find(1)->secret, "SECRET");
  EXPECT_EQ(p.auth.Find(3)->method, AuthMethod::kCrc);
}

// ---- Lines ----

TEST(ParseAuthkeys, MethodsAndKeywordAreCaseInsensitive) {
  Parsed p = Parse("AUTH 2\n1 CRC\n2 Sha1 k2\n3 MD5 k3\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 2);
  EXPECT_EQ(p.auth.Find(1)->method, AuthMethod::kCrc);
  EXPECT_EQ(p.auth.Find(2)->method, AuthMethod::kSha1);
  EXPECT_EQ(p.auth.Find(3)->method, AuthMethod::kMd5);
}

TEST(ParseAuthkeys, KeysKeepTheirCaseAndPunctuation) {
  Parsed p = Parse("auth 0\n0 sha1 Ab!$%^&*()=+,.;:'\"\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  EXPECT_EQ(p.auth.Find(0)->secret, "Ab!$%^&*()=+,.;:'\"");
}

TEST(ParseAuthkeys, IndexRange) {
  Parsed p = Parse("auth 15\n0 sha1 a\n15 sha1 b\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 15);
  EXPECT_NE(p.auth.Find(0), nullptr);
  EXPECT_NE(p.auth.Find(15), nullptr);
}

TEST(ParseAuthkeys, IndexOutOfRangeOrNotANumber) {
  for (const char* index : {"16", "-1", "99", "1x", "x1", "+1", "1000"}) {
    Parsed p = Parse("auth 1\n1 sha1 k\n"s + index + " sha1 s\n");
    EXPECT_EQ(p.diags.ErrorCount(), 1) << index << "\n" << Dump(p.diags);
    EXPECT_TRUE(Has(p, Severity::kError, 3,
                    "expected 'auth N' or 'N crc|md5|sha1 [KEY]' with N a key index from 0 to "
                    "15"))
        << index << "\n"
        << Dump(p.diags);
    EXPECT_EQ(p.auth.keys.size(), 1u);
  }
}

TEST(ParseAuthkeys, CommentsOnlyAtLineStart) {
  Parsed p = Parse("  # indented comment\nauth 1\n\n1 sha1 pass#word\n#2 sha1 old\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  ASSERT_EQ(p.auth.keys.size(), 1u);
  EXPECT_EQ(p.auth.keys[0].secret, "pass#word");  // as Heartbeat reads it
  EXPECT_EQ(p.auth.keys[0].where.line, 4);
}

TEST(ParseAuthkeys, TrailingCommentsAreQuiet) {
  Parsed p = Parse("auth 1 # sign with 1\n1 sha1 k # current\n2 crc # old\n");
  EXPECT_TRUE(p.diags.empty()) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 1);
  EXPECT_EQ(p.auth.Find(1)->secret, "k");
  EXPECT_EQ(p.auth.Find(2)->method, AuthMethod::kCrc);
}

TEST(ParseAuthkeys, KeyStartingWithHashIsAKeyWithAWarning) {
  Parsed p = Parse("auth 1\n1 sha1 #notacomment\n");
  EXPECT_EQ(p.diags.ErrorCount(), 0);
  EXPECT_EQ(p.auth.Find(1)->secret, "#notacomment");
  EXPECT_TRUE(Has(p, Severity::kWarning, 2, "key 1: the key starts with '#'"));
  ExpectNoSecret(p, "notacomment");
}

TEST(ParseAuthkeys, CrcTakesNoKey) {
  Parsed p = Parse("auth 1\n1 sha1 k\n2 crc sekrit\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 3, "key 2: crc takes no key; remove the key or use sha1"));
  EXPECT_EQ(p.auth.Find(2), nullptr);
  ExpectNoSecret(p, "sekrit");
}

TEST(ParseAuthkeys, Md5AndSha1NeedAKey) {
  Parsed p = Parse("auth 3\n1 sha1\n2 md5\n3 sha1 # only a comment\n");
  EXPECT_EQ(p.diags.ErrorCount(), 2) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 2, "key 1: sha1 needs a key: 'N sha1 KEY'"));
  EXPECT_TRUE(Has(p, Severity::kError, 3, "key 2: md5 needs a key: 'N md5 KEY'"));
  // As in Heartbeat, the word after the method is the key, '#' or not.
  EXPECT_EQ(p.auth.Find(3)->secret, "#");
  EXPECT_EQ(p.auth.Find(1), nullptr);
  EXPECT_EQ(p.auth.Find(2), nullptr);
  EXPECT_TRUE(Has(p, Severity::kWarning, 4, "key 3: the key starts with '#'"));
  EXPECT_TRUE(Has(p, Severity::kWarning, 4, "key 3: text after the key is ignored"));
}

TEST(ParseAuthkeys, OnlyTheNextWordIsTheKey) {
  Parsed p = Parse("auth 1\n1 sha1 first second third\n");
  EXPECT_EQ(p.diags.ErrorCount(), 0);
  EXPECT_EQ(p.auth.Find(1)->secret, "first");
  ASSERT_EQ(p.diags.items().size(), 1u);
  EXPECT_TRUE(Has(p, Severity::kWarning, 2,
                  "key 1: text after the key is ignored (a key is one word and cannot contain "
                  "spaces)"));
  ExpectNoSecret(p, "first");
  ExpectNoSecret(p, "second");
  ExpectNoSecret(p, "third");
}

TEST(ParseAuthkeys, UnknownMethod) {
  Parsed p = Parse("auth 1\n1 sha1 k\n2 sha256 topsecret\n3 des\n");
  EXPECT_EQ(p.diags.ErrorCount(), 2) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 3,
                  "key 2 has an unknown method (expected crc, md5 or "
                  "sha1)"));
  EXPECT_TRUE(Has(p, Severity::kError, 4, "key 3 has an unknown method"));
  ExpectNoSecret(p, "topsecret");
}

TEST(ParseAuthkeys, IndexWithoutMethod) {
  Parsed p = Parse("auth 1\n1 sha1 k\n4\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1);
  EXPECT_TRUE(Has(p, Severity::kError, 3, "key 4 has no method: expected 'N crc|md5|sha1 [KEY]'"));
}

TEST(ParseAuthkeys, DuplicateIndex) {
  Parsed p = Parse("auth 1\n1 sha1 alpha9\n\n1 md5 bravo9\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 4, "key 1 is defined twice (first on line 2)"));
  ASSERT_EQ(p.auth.keys.size(), 1u);
  EXPECT_EQ(p.auth.keys[0].secret, "alpha9");
  ExpectNoSecret(p, "alpha9");
  ExpectNoSecret(p, "bravo9");
}

TEST(ParseAuthkeys, MissingAuth) {
  Parsed p = Parse("1 sha1 k\n2 md5 m\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 0, "no 'auth N' line"));
  EXPECT_EQ(p.auth.sign_index, -1);
  EXPECT_EQ(p.auth.keys.size(), 2u);
}

TEST(ParseAuthkeys, AuthNamingAnUndefinedKey) {
  Parsed p = Parse("auth 2\n1 sha1 k\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 1, "auth 2 names key 2, which is not defined"));
}

TEST(ParseAuthkeys, AuthNamingARejectedKeyIsUndefined) {
  Parsed p = Parse("auth 1\n1 sha1\n");
  EXPECT_EQ(p.diags.ErrorCount(), 2) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 2, "key 1: sha1 needs a key"));
  EXPECT_TRUE(Has(p, Severity::kError, 1, "auth 1 names key 1, which is not defined"));
}

TEST(ParseAuthkeys, MoreThanOneAuthLine) {
  Parsed p = Parse("auth 1\n1 sha1 k\n2 sha1 l\nauth 2\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1) << Dump(p.diags);
  EXPECT_TRUE(Has(p, Severity::kError, 4, "more than one 'auth' line (the first is line 1)"));
  EXPECT_EQ(p.auth.sign_index, 1);  // the first stays
  EXPECT_EQ(p.auth.sign_at.line, 1);
}

TEST(ParseAuthkeys, BadAuthLines) {
  for (const char* line : {"auth", "auth # no index", "auth x", "auth 16", "auth -1", "auth 1.5"}) {
    Parsed p = Parse(line + "\n1 sha1 k\n"s);
    EXPECT_EQ(p.diags.ErrorCount(), 1) << line << "\n" << Dump(p.diags);
    EXPECT_TRUE(Has(p, Severity::kError, 1, "'auth'")) << line << "\n" << Dump(p.diags);
    EXPECT_FALSE(p.diags.Mentions("no 'auth N' line")) << line;  // no second error
    EXPECT_EQ(p.auth.sign_index, -1) << line;
  }
  EXPECT_TRUE(Has(Parse("auth\n1 sha1 k\n"), Severity::kError, 1,
                  "'auth' needs the index of the key that signs outgoing packets: 'auth N', N "
                  "from 0 to 15"));
  EXPECT_TRUE(
      Has(Parse("auth 16\n"), Severity::kError, 1, "'auth' must name a key index from 0 to 15"));
}

TEST(ParseAuthkeys, TextAfterAuthIndexIsIgnoredWithAWarning) {
  Parsed p = Parse("auth 1 2\n1 sha1 k\n");
  EXPECT_EQ(p.diags.ErrorCount(), 0);
  EXPECT_TRUE(Has(p, Severity::kWarning, 1, "text after 'auth 1' is ignored"));
  EXPECT_EQ(p.auth.sign_index, 1);
}

TEST(ParseAuthkeys, AuthAfterItsKeyIsAcceptedWithAWarning) {
  Parsed p = Parse("1 sha1 k\nauth 1\n");
  EXPECT_EQ(p.diags.ErrorCount(), 0) << Dump(p.diags);
  EXPECT_EQ(p.auth.sign_index, 1);
  EXPECT_TRUE(Has(p, Severity::kWarning, 2, "auth 1 comes after key 1 (line 1)"));
}

TEST(ParseAuthkeys, CrcSigningWarnsButCrcVerifyingDoesNot) {
  Parsed signs = Parse("auth 3\n3 crc\n");
  EXPECT_EQ(signs.diags.ErrorCount(), 0);
  EXPECT_TRUE(Has(signs, Severity::kWarning, 1, "crc gives no security against forged packets"));
  Parsed verifies = Parse("auth 1\n1 sha1 k\n3 crc\n");
  EXPECT_TRUE(verifies.diags.empty()) << Dump(verifies.diags);
}

TEST(ParseAuthkeys, ResetsTheConfigItFills) {
  AuthConfig auth;
  auth.sign_index = 7;
  auth.keys.push_back({7, AuthMethod::kMd5, "stale", {}});
  Diagnostics diags;
  ParseAuthkeys("auth 1\n1 sha1 fresh\n", "authkeys", auth, diags);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(auth.sign_index, 1);
  ASSERT_EQ(auth.keys.size(), 1u);
  EXPECT_EQ(auth.keys[0].secret, "fresh");
}

// ---- Secrets never appear in messages ----

TEST(ParseAuthkeys, NoMessageContainsASecret) {
  const std::string secret = "S3cr3tK3y";
  // Every kind of line that can go wrong around a secret.
  std::string content =
      "auth 9\n"  // names an undefined key
      "auth " +
      secret +
      "\n"  // second auth, and junk
      "1 crc " +
      secret +
      "\n"  // key for crc
      "2 " +
      secret +
      "\n"  // secret where the method belongs
      "3 " +
      secret + " " + secret +
      "\n"  // unknown method
      "4 sha1 " +
      secret + " " + secret +
      "\n"  // trailing text
      "4 md5 " +
      secret +
      "\n"  // duplicate
      "99 sha1 " +
      secret + "\n"           // bad index
      + secret + " sha1 x\n"  // bad index word
      + secret +
      "\n"  // a lone secret
      "5 sha1 #" +
      secret + "\n";  // key starting with '#'
  Parsed p = Parse(content);
  EXPECT_GE(p.diags.ErrorCount(), 8) << Dump(p.diags);
  EXPECT_GE(p.diags.WarningCount(), 2) << Dump(p.diags);
  ExpectNoSecret(p, secret);
  ExpectNoSecret(p, "S3cr3t");
  // The secret was still read where it is a key.
  ASSERT_NE(p.auth.Find(4), nullptr);
  EXPECT_EQ(p.auth.Find(4)->secret, secret);
}

TEST(ParseAuthkeys, NoMessageContainsASecretFromTheAuthLine) {
  Parsed p = Parse("auth hunter2\n1 sha1 k\n");
  EXPECT_TRUE(p.diags.HasErrors());
  ExpectNoSecret(p, "hunter2");
}

// ---- Bad input ----

TEST(ParseAuthkeys, EmptyFile) {
  for (const char* content : {"", "\n", "# all comments\n#auth 1\n"}) {
    Parsed p = Parse(content);
    ASSERT_EQ(p.diags.items().size(), 1u) << content;
    EXPECT_TRUE(Has(p, Severity::kError, 0, "no 'auth N' line")) << content;
    EXPECT_TRUE(p.auth.keys.empty());
    EXPECT_EQ(p.auth.sign_index, -1);
  }
}

TEST(ParseAuthkeys, BinaryJunkGivesErrorsNotACrash) {
  std::string junk;
  uint32_t x = 777;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(x >> 16));
  }
  Parsed p = Parse(junk);
  EXPECT_TRUE(p.diags.HasErrors());
  for (const AuthKey& key : p.auth.keys) {
    EXPECT_GE(key.index, 0);
    EXPECT_LE(key.index, 15);
  }
}

TEST(ParseAuthkeys, NulByteLineIsReported) {
  Parsed p = Parse("auth 1\n1 sha1 a\0b\n"s);
  EXPECT_TRUE(Has(p, Severity::kError, 2, "NUL"));
  EXPECT_TRUE(Has(p, Severity::kError, 1, "auth 1 names key 1, which is not defined"));
  ExpectNoSecret(p, "a\0b"s);
}

TEST(ParseAuthkeys, HugeFile) {
  std::string content = "auth 15\n";
  for (int i = 0; i < 100000; ++i)
    content += "# comment " + std::to_string(i) + "\n";
  for (int i = 0; i < 16; ++i)
    content += std::to_string(i) + " sha1 key" + std::to_string(i) + "\n";
  for (int i = 0; i < 100000; ++i)
    content += std::to_string(i % 16) + " sha1 again\n";
  Parsed p = Parse(content);
  EXPECT_EQ(p.auth.keys.size(), 16u);
  EXPECT_EQ(p.auth.sign_index, 15);
  EXPECT_EQ(p.auth.Find(15)->secret, "key15");
  EXPECT_EQ(p.auth.Find(15)->where.line, 100000 + 1 + 16);
  EXPECT_EQ(p.diags.ErrorCount(), 100000);  // every repeat is a duplicate
  EXPECT_TRUE(Has(p, Severity::kError, 100000 + 1 + 16 + 1, "key 0 is defined twice"));
}

TEST(ParseAuthkeys, OverlongLineIsAnErrorNotACrash) {
  Parsed p = Parse("auth 1\n1 sha1 " + std::string(100000, 'k') + "\n");
  EXPECT_TRUE(Has(p, Severity::kError, 2, "bytes long"));
  EXPECT_TRUE(Has(p, Severity::kError, 1, "auth 1 names key 1, which is not defined"));
  ExpectNoSecret(p, "kkkkkkkk");
}

}  // namespace
}  // namespace hbd::config
