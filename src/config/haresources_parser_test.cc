#include "config/haresources_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hbd::config {
namespace {

using namespace std::string_literals;
using Args = std::vector<std::string>;

struct Parsed {
  std::vector<ResourceGroup> groups;
  Diagnostics diags;
};

Parsed Parse(std::string_view content) {
  Parsed p;
  ParseHaresources(content, "haresources", p.groups, p.diags);
  return p;
}

// The one error a parse must give: its line and a piece of its message.
void ExpectOneError(const Parsed& p, int line, const std::string& text) {
  ASSERT_EQ(p.diags.ErrorCount(), 1) << (p.diags.empty() ? "" : p.diags.items()[0].Format());
  const Diagnostic& d = p.diags.items()[0];
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.file, "haresources");
  EXPECT_EQ(d.line, line);
  EXPECT_NE(d.message.find(text), std::string::npos) << d.message;
}

// ParseResourceToken alone: returns the error message, or "" when the token was accepted.
std::string TokenError(const std::string& token, Resource* out = nullptr) {
  Diagnostics diags;
  Resource r;
  bool ok = ParseResourceToken(token, {"haresources", 9}, r, diags);
  EXPECT_EQ(ok, diags.empty()) << token;
  if (out)
    *out = r;
  if (ok)
    return "";
  EXPECT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].line, 9);
  return diags.items()[0].message;
}

// ---- Debian's sample lines and the manuals' ----

// The example lines of Debian's /usr/share/doc/heartbeat/haresources.gz, uncommented.
constexpr const char* kDebianSample = R"(#
#	Simple case: One service address, default subnet and netmask
just.linux-ha.org	135.9.216.110
just.linux-ha.org	135.9.216.110 http
just.linux-ha.org	135.9.216.110 135.9.215.111 135.9.216.112 httpd
just.linux-ha.org	135.9.216.3/28/eth0/135.9.216.12 httpd
node1  10.0.0.170 Filesystem::/dev/sda1::/data1::ext2
)";

TEST(ParseHaresources, DebianSampleLines) {
  Parsed p = Parse(kDebianSample);
  EXPECT_TRUE(p.diags.empty()) << p.diags.items()[0].Format();
  ASSERT_EQ(p.groups.size(), 5u);

  EXPECT_EQ(p.groups[0].preferred_node, "just.linux-ha.org");
  EXPECT_EQ(p.groups[0].where.line, 3);
  ASSERT_EQ(p.groups[0].resources.size(), 1u);
  EXPECT_EQ(p.groups[0].resources[0].type, "IPaddr");
  EXPECT_EQ(p.groups[0].resources[0].args, Args{"135.9.216.110"});
  EXPECT_EQ(p.groups[0].Key(), "IPaddr::135.9.216.110");

  ASSERT_EQ(p.groups[1].resources.size(), 2u);
  EXPECT_EQ(p.groups[1].resources[1].type, "http");
  EXPECT_TRUE(p.groups[1].resources[1].args.empty());

  ASSERT_EQ(p.groups[2].resources.size(), 4u);
  EXPECT_EQ(p.groups[2].resources[1].args, Args{"135.9.215.111"});
  EXPECT_EQ(p.groups[2].resources[2].args, Args{"135.9.216.112"});
  EXPECT_EQ(p.groups[2].resources[3].type, "httpd");

  ASSERT_EQ(p.groups[3].resources.size(), 2u);
  EXPECT_EQ(p.groups[3].resources[0].type, "IPaddr");
  EXPECT_EQ(p.groups[3].resources[0].args, Args{"135.9.216.3/28/eth0/135.9.216.12"});
  EXPECT_EQ(p.groups[3].where.line, 6);

  EXPECT_EQ(p.groups[4].preferred_node, "node1");
  ASSERT_EQ(p.groups[4].resources.size(), 2u);
  EXPECT_EQ(p.groups[4].resources[0].type, "IPaddr");
  EXPECT_EQ(p.groups[4].resources[0].args, Args{"10.0.0.170"});
  EXPECT_EQ(p.groups[4].resources[1].type, "Filesystem");
  EXPECT_EQ(p.groups[4].resources[1].args, (Args{"/dev/sda1", "/data1", "ext2"}));
  EXPECT_EQ(p.groups[4].resources[1].where.line, 7);
  EXPECT_EQ(p.groups[4].resources[1].where.file, "haresources");
}

TEST(ParseHaresources, DebianSampleDocumentedIpaddrForms) {
  // The forms the sample's text describes: IPaddr::ADDR/24, /24/BCAST, /24/IF, /24/IF/BCAST.
  Parsed p = Parse(
      "n IPaddr::135.9.8.7\n"
      "n IPaddr::135.9.8.7/24\n"
      "n IPaddr::135.9.8.7/24/135.9.8.210\n"
      "n IPaddr::135.9.8.7/24/eth0\n"
      "n IPaddr::135.9.8.7/24/eth0/135.9.8.210\n");
  EXPECT_TRUE(p.diags.empty()) << p.diags.items()[0].Format();
  ASSERT_EQ(p.groups.size(), 5u);
  EXPECT_EQ(p.groups[2].resources[0].type, "IPaddr");
  EXPECT_EQ(p.groups[2].resources[0].args, Args{"135.9.8.7/24/135.9.8.210"});
}

TEST(ParseHaresources, MysqlManualLine) {
  Parsed p = Parse("drbd1 drbddisk Filesystem::/dev/drbd0::/drbd::ext3 mysql 10.0.0.1\n");
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 1u);
  const ResourceGroup& g = p.groups[0];
  EXPECT_EQ(g.preferred_node, "drbd1");
  ASSERT_EQ(g.resources.size(), 4u);
  EXPECT_EQ(g.resources[0].type, "drbddisk");
  EXPECT_TRUE(g.resources[0].args.empty());
  EXPECT_EQ(g.resources[1].type, "Filesystem");
  EXPECT_EQ(g.resources[1].args, (Args{"/dev/drbd0", "/drbd", "ext3"}));
  EXPECT_EQ(g.resources[2].type, "mysql");
  EXPECT_EQ(g.resources[3].type, "IPaddr");
  EXPECT_EQ(g.resources[3].args, Args{"10.0.0.1"});
  EXPECT_EQ(g.Key(), "drbddisk");
  EXPECT_EQ(g.resources[1].Spec(), "Filesystem::/dev/drbd0::/drbd::ext3");
}

// ---- Lines ----

TEST(ParseHaresources, NodeIsLowerCasedResourcesKeepTheirCase) {
  Parsed p = Parse("Node-A.Example.ORG IPaddr2::192.0.2.10/24 MySQL\n");
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].preferred_node, "node-a.example.org");
  EXPECT_EQ(p.groups[0].resources[0].type, "IPaddr2");
  EXPECT_EQ(p.groups[0].resources[1].type, "MySQL");
}

TEST(ParseHaresources, CommentsBlankLinesAndWhitespace) {
  Parsed p = Parse(
      "# comment\n"
      "\n"
      "   \t  \n"
      "  node1 \t 192.0.2.1   httpd   # trailing comment\n"
      "node2 192.0.2.2\r\n");
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.groups[0].where.line, 4);
  EXPECT_EQ(p.groups[0].resources.size(), 2u);
  EXPECT_EQ(p.groups[1].where.line, 5);
  EXPECT_EQ(p.groups[1].resources[0].args, Args{"192.0.2.2"});  // no stray '\r'
}

TEST(ParseHaresources, ContinuationJoinsLinesAndKeepsTheFirstLineNumber) {
  Parsed p = Parse(
      "# groups\n"
      "node1 192.0.2.1 \\\n"
      "      Filesystem::/dev/drbd0::/data::ext4 \\\n"
      "      apache\n"
      "node2 192.0.2.2\n");
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.groups[0].where.line, 2);
  ASSERT_EQ(p.groups[0].resources.size(), 3u);
  EXPECT_EQ(p.groups[0].resources[1].where.line, 2);
  EXPECT_EQ(p.groups[0].resources[2].type, "apache");
  EXPECT_EQ(p.groups[1].where.line, 5);
}

TEST(ParseHaresources, ErrorOnAContinuedLineReportsItsFirstLine) {
  Parsed p = Parse(
      "\n"
      "node1 192.0.2.1 \\\n"
      "   Filesystem::::/x \\\n"
      "   apache\n");
  ExpectOneError(p, 2, "empty argument");
  EXPECT_TRUE(p.groups.empty());
}

TEST(ParseHaresources, NodeContinuedOntoTheNextLine) {
  Parsed p = Parse("node1 \\\n 192.0.2.1\n");
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].resources[0].args, Args{"192.0.2.1"});
}

TEST(ParseHaresources, NodeWithoutResourceIsAnError) {
  Parsed p = Parse("node1 192.0.2.1\n\nnode2\nnode3 192.0.2.3\n");
  ExpectOneError(p, 3, "node 'node2' is followed by no resource");
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.groups[1].preferred_node, "node3");
}

TEST(ParseHaresources, NodeWithoutResourceAfterComment) {
  Parsed p = Parse("node2   # IPaddr::192.0.2.9 commented out\n");
  ExpectOneError(p, 1, "followed by no resource");
}

TEST(ParseHaresources, MissingNodeIsReported) {
  Parsed p = Parse("IPaddr::192.0.2.1 httpd\n");
  ExpectOneError(p, 1, "'IPaddr::192.0.2.1', which is not a node name");
  EXPECT_TRUE(p.groups.empty());
}

TEST(ParseHaresources, EveryBadResourceOfALineIsReportedAndTheGroupLeftOut) {
  Parsed p = Parse("node1 192.0.2.1 ../evil 300.1.1.1 httpd\nnode2 192.0.2.2\n");
  ASSERT_EQ(p.diags.ErrorCount(), 2);
  EXPECT_EQ(p.diags.items()[0].line, 1);
  EXPECT_NE(p.diags.items()[0].message.find("'../evil'"), std::string::npos);
  EXPECT_EQ(p.diags.items()[1].line, 1);
  EXPECT_NE(p.diags.items()[1].message.find("'300.1.1.1'"), std::string::npos);
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].preferred_node, "node2");
}

TEST(ParseHaresources, DuplicateGroupsAreLeftToTheValidator) {
  Parsed p = Parse("node1 192.0.2.1\nnode2 192.0.2.1\n");
  EXPECT_TRUE(p.diags.empty());
  EXPECT_EQ(p.groups.size(), 2u);
}

TEST(ParseHaresources, AppendsToExistingGroups) {
  std::vector<ResourceGroup> groups(1);
  Diagnostics diags;
  ParseHaresources("node1 192.0.2.1\n", "haresources", groups, diags);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].preferred_node, "node1");
}

// ---- Resource tokens ----

TEST(ParseResourceToken, NameAndArguments) {
  Resource r;
  EXPECT_EQ(TokenError("Filesystem::/dev/sda1::/data::ext4", &r), "");
  EXPECT_EQ(r.type, "Filesystem");
  EXPECT_EQ(r.args, (Args{"/dev/sda1", "/data", "ext4"}));
  EXPECT_EQ(r.where.line, 9);
  EXPECT_EQ(r.Spec(), "Filesystem::/dev/sda1::/data::ext4");
  EXPECT_EQ(TokenError("httpd", &r), "");
  EXPECT_EQ(r.type, "httpd");
  EXPECT_TRUE(r.args.empty());
}

TEST(ParseResourceToken, ArgumentsMayHoldPathsColonsAndEquals) {
  Resource r;
  EXPECT_EQ(TokenError("Filesystem::nfs.example:/export::/mnt/x::nfs::ro,noatime", &r), "");
  EXPECT_EQ(r.args, (Args{"nfs.example:/export", "/mnt/x", "nfs", "ro,noatime"}));
  EXPECT_EQ(TokenError("Filesystem::-LDATA::/data", &r), "");
  EXPECT_EQ(r.args[0], "-LDATA");
  EXPECT_EQ(TokenError("MailTo::root@example.org::subject=x", &r), "");
}

TEST(ParseResourceToken, PlainNameCharacters) {
  for (const char* ok : {"drbddisk", "IPsrcaddr", "my_script", "svc.v2", "c++d", "a-b", "OCF"}) {
    EXPECT_EQ(TokenError(ok), "") << ok;
  }
}

TEST(ParseResourceToken, HeartbeatOcfWrapperForm) {
  Resource r;
  EXPECT_EQ(TokenError("OCF::IPaddr2::web", &r), "");
  EXPECT_EQ(r.type, "OCF");
  EXPECT_EQ(r.args, (Args{"IPaddr2", "web"}));
}

TEST(ParseResourceToken, OcfProviderTypeForm) {
  Resource r;
  EXPECT_EQ(TokenError("ocf:heartbeat:IPaddr2", &r), "");
  EXPECT_EQ(r.type, "ocf:heartbeat:IPaddr2");
  EXPECT_TRUE(r.args.empty());
  EXPECT_EQ(TokenError("ocf:linbit:drbd::r0", &r), "");
  EXPECT_EQ(r.type, "ocf:linbit:drbd");
  EXPECT_EQ(r.args, Args{"r0"});
  EXPECT_EQ(TokenError("OCF:heartbeat:Filesystem"), "");
}

TEST(ParseResourceToken, ColonOutsideTheOcfFormIsAnError) {
  for (const char* bad : {"foo:bar", "ocf:heartbeat", "ocf:a:b:c", "lsb:apache2",
                          "ocf:heartbeat::IPaddr2", "systemd:nginx"}) {
    EXPECT_NE(TokenError(bad).find("only in the OCF form ocf:PROVIDER:TYPE"), std::string::npos)
        << bad;
  }
  EXPECT_NE(TokenError("ocf:..:x").find("OCF provider: '.' and '..' are not allowed"),
            std::string::npos);
  EXPECT_NE(TokenError("ocf:heartbeat:").find("OCF type: it is empty"), std::string::npos);
  EXPECT_NE(TokenError("ocf:a/b:x").find("OCF provider: '/' is not allowed"), std::string::npos);
}

TEST(ParseResourceToken, NamesThatCouldEscapeTheScriptDirectoryAreErrors) {
  EXPECT_EQ(TokenError("../../bin/sh"),
            "resource name '../../bin/sh' is not usable: '.' and '..' are not allowed (the name "
            "is looked up as a file)");
  EXPECT_EQ(TokenError("/bin/sh"),
            "resource name '/bin/sh' is not usable: '/' is not allowed (the name is looked up in "
            "the script directories)");
  EXPECT_NE(TokenError("a..b").find("'..'"), std::string::npos);
  EXPECT_NE(TokenError(".").find("'.' and '..'"), std::string::npos);
  EXPECT_NE(TokenError("..::x").find("'.' and '..'"), std::string::npos);
  EXPECT_NE(TokenError("sub/script::x").find("'/' is not allowed"), std::string::npos);
}

TEST(ParseResourceToken, OtherCharactersInNamesAreErrors) {
  EXPECT_EQ(TokenError("rm$x"),
            "resource name 'rm$x' is not usable: '$' is not allowed (use letters, digits, '_', "
            "'.', '+', '-')");
  for (const char* bad : {"a;b", "a=b", "a*b", "a`b`", "a\"b", "a'b", "a|b", "a@b"}) {
    EXPECT_NE(TokenError(bad).find("is not allowed"), std::string::npos) << bad;
  }
}

TEST(ParseResourceToken, EmptyNameAndEmptyArgumentsAreErrors) {
  EXPECT_EQ(TokenError(""), "empty resource");
  EXPECT_EQ(TokenError("::x"), "resource '::x' has no name before '::'");
  EXPECT_EQ(TokenError("Filesystem::::/x"),
            "resource 'Filesystem::::/x' has an empty argument (argument 1); '::' separates "
            "arguments, so none can be empty");
  EXPECT_NE(TokenError("Filesystem::/dev/sda1::").find("(argument 2)"), std::string::npos);
  EXPECT_NE(TokenError("drbddisk::").find("(argument 1)"), std::string::npos);
  EXPECT_NE(TokenError("a::b::::c").find("(argument 2)"), std::string::npos);
}

TEST(ParseResourceToken, ControlCharactersAreErrorsAndShownEscaped) {
  EXPECT_EQ(TokenError("Filesystem::/dev/sda1\x01::/x"),
            "resource 'Filesystem::/dev/sda1\\x01::/x' contains a control character");
  EXPECT_NE(TokenError("a\x7f").find("\\x7f"), std::string::npos);
  EXPECT_NE(TokenError("ab\x1b[31m").find("'ab\\x1b[31m'"), std::string::npos);
  std::string with_nul = "Filesystem::/a\0b::/x"s;
  EXPECT_NE(TokenError(with_nul).find("\\x00"), std::string::npos);
}

TEST(ParseResourceToken, LongTokensAreCutShortInMessages) {
  std::string token = "bad$" + std::string(10000, 'x');
  std::string message = TokenError(token);
  EXPECT_NE(message.find("...'"), std::string::npos);
  EXPECT_LT(message.size(), 300u);
}

// ---- IPv4 shorthand ----

TEST(ParseResourceToken, IpShorthandForms) {
  Resource r;
  for (const char* ok :
       {"10.0.0.1", "0.0.0.0", "255.255.255.255", "192.0.2.10/24", "192.0.2.10/32", "192.0.2.10/1",
        "192.0.2.10/24/eth0", "192.0.2.10/24/192.0.2.255", "192.0.2.10/24/eth0/192.0.2.255",
        "192.0.2.10/24/eth0:1", "192.0.2.10/24/bond0.100/192.0.2.255"}) {
    EXPECT_EQ(TokenError(ok, &r), "") << ok;
    EXPECT_EQ(r.type, "IPaddr") << ok;
    EXPECT_EQ(r.args, Args{ok});
  }
}

TEST(ParseResourceToken, DebianShorthandWithInterfaceAndBroadcast) {
  Resource r;
  EXPECT_EQ(TokenError("135.9.216.3/28/eth0/135.9.216.12", &r), "");
  EXPECT_EQ(r.type, "IPaddr");
  EXPECT_EQ(r.args, Args{"135.9.216.3/28/eth0/135.9.216.12"});
  EXPECT_EQ(r.Spec(), "IPaddr::135.9.216.3/28/eth0/135.9.216.12");
}

TEST(ParseResourceToken, BadAddressesNameTheToken) {
  EXPECT_EQ(TokenError("300.1.1.1"),
            "resource '300.1.1.1' starts with a digit, so it is read as an IPv4 address "
            "ADDR[/CIDR[/IFACE[/BROADCAST]]], but address '300.1.1.1' is not valid: each part "
            "must be a number from 0 to 255");
  EXPECT_NE(TokenError("10.0.0").find("four dot-separated numbers"), std::string::npos);
  EXPECT_NE(TokenError("10.0.0.1.5").find("four dot-separated numbers"), std::string::npos);
  EXPECT_NE(TokenError("10..0.1").find("0 to 255"), std::string::npos);
  EXPECT_NE(TokenError("10.0.0.1a").find("0 to 255"), std::string::npos);
  EXPECT_NE(TokenError("10.0.0.-1").find("0 to 255"), std::string::npos);
  EXPECT_NE(TokenError("1000.0.0.1").find("0 to 255"), std::string::npos);
  EXPECT_NE(TokenError("010.0.0.1").find("leading zero"), std::string::npos);
  EXPECT_NE(TokenError("10.0.0.1::x").find("'10.0.0.1::x' starts with a digit"), std::string::npos);
}

TEST(ParseResourceToken, TokensStartingWithDigitsThatAreNotAddressesAreErrors) {
  for (const char* bad : {"3ware", "1", "2fs::x", "9"}) {
    EXPECT_NE(TokenError(bad).find(std::string("resource '") + bad +
                                   "' starts with a digit, so it is read as an IPv4 address"),
              std::string::npos)
        << bad;
  }
}

TEST(ParseResourceToken, BadNetmaskBits) {
  for (const char* bad : {"192.0.2.1/0", "192.0.2.1/33", "192.0.2.1/x", "192.0.2.1/255.255.255.0",
                          "192.0.2.1/-1", "192.0.2.1/100"}) {
    EXPECT_NE(TokenError(bad).find("must be a number from 1 to 32"), std::string::npos) << bad;
  }
  EXPECT_NE(TokenError("192.0.2.1/33").find("netmask bits '33'"), std::string::npos);
}

TEST(ParseResourceToken, BadBroadcastAndInterface) {
  EXPECT_NE(TokenError("192.0.2.1/24/eth0/192.0.2").find("broadcast '192.0.2' is not valid"),
            std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/999.0.0.1").find("broadcast '999.0.0.1' is not valid"),
            std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/eth0/broadcast").find("broadcast 'broadcast'"),
            std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/averyveryverylongifname").find("1 to 15 characters"),
            std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/:0").find("1 to 15 characters"), std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/et$h0").find("interface name 'et$h0' contains '$'"),
            std::string::npos);
}

TEST(ParseResourceToken, BadShorthandShape) {
  EXPECT_NE(TokenError("192.0.2.1/24/eth0/192.0.2.255/x").find("more than the four parts"),
            std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/").find("part 2 is empty"), std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1//eth0").find("part 2 is empty"), std::string::npos);
  EXPECT_NE(TokenError("192.0.2.1/24/").find("part 3 is empty"), std::string::npos);
}

TEST(ParseResourceToken, ExplicitIpaddrArgumentsGetTheSameChecks) {
  Resource r;
  EXPECT_EQ(TokenError("IPaddr::192.0.2.1/24/eth0", &r), "");
  EXPECT_EQ(r.type, "IPaddr");
  EXPECT_EQ(r.args, Args{"192.0.2.1/24/eth0"});
  EXPECT_EQ(TokenError("IPaddr2::192.0.2.1/24/eth0:web", &r), "");
  EXPECT_EQ(TokenError("IPaddr::192.0.2.300"),
            "resource 'IPaddr::192.0.2.300' has an unusable address argument: address "
            "'192.0.2.300' is not valid: each part must be a number from 0 to 255");
  EXPECT_NE(TokenError("IPaddr2::web.example.org").find("unusable address"), std::string::npos);
  EXPECT_EQ(TokenError("IPaddr"),
            "resource 'IPaddr' needs an address: IPaddr::ADDR[/CIDR[/IFACE[/BROADCAST]]]");
  EXPECT_NE(TokenError("IPaddr2").find("needs an address: IPaddr2::"), std::string::npos);
  // Other scripts' arguments are theirs to judge.
  EXPECT_EQ(TokenError("IPsrcaddr::192.0.2.999"), "");
}

// ---- Bad input as a whole ----

TEST(ParseHaresources, EmptyFilesGiveNoGroupAndNoError) {
  for (const char* content : {"", "\n\n", "# only comments\n   # and more\n", "   \t\n"}) {
    Parsed p = Parse(content);
    EXPECT_TRUE(p.groups.empty()) << content;
    EXPECT_TRUE(p.diags.empty()) << content;
  }
}

TEST(ParseHaresources, UnterminatedContinuationIsAnError) {
  Parsed p = Parse("node1 192.0.2.1\nnode2 192.0.2.2 \\\n");
  EXPECT_EQ(p.diags.ErrorCount(), 1);
  EXPECT_EQ(p.diags.items()[0].line, 2);
  EXPECT_TRUE(p.diags.Mentions("file ends"));
}

TEST(ParseHaresources, LoneBackslashAtEndOfFile) {
  Parsed p = Parse("\\");
  EXPECT_TRUE(p.diags.HasErrors());
  EXPECT_TRUE(p.groups.empty());
}

TEST(ParseHaresources, BinaryJunkGivesErrorsNotACrash) {
  std::string junk;
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(x >> 16));
  }
  Parsed p = Parse(junk);
  EXPECT_TRUE(p.diags.HasErrors());
  for (const ResourceGroup& g : p.groups) {
    EXPECT_FALSE(g.resources.empty());
    for (const Resource& r : g.resources) {
      EXPECT_FALSE(r.type.empty());
      for (char c : r.type + r.Spec()) {
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f);
      }
    }
  }
  for (const Diagnostic& d : p.diags.items())
    EXPECT_GE(d.line, 1);
}

TEST(ParseResourceToken, RandomTokensRoundTripOrFail) {
  // Tokens from an alphabet dense in the grammar's separators: an accepted token always reads
  // back as itself (Spec), and a rejected one always says why.
  const std::string alphabet = "0123456789..//::::abcOCFocf-_+$\x01";
  const std::string ip_alphabet = "0123456789/eth.:";
  uint32_t x = 42;
  int accepted = 0, accepted_ip = 0;
  for (int i = 0; i < 20000; ++i) {
    bool ip_like = i % 2 == 0;
    const std::string& letters = ip_like ? ip_alphabet : alphabet;
    std::string token = ip_like ? "192.0.2." : "";
    x = x * 1103515245u + 12345u;
    int length = (ip_like ? 0 : 1) + static_cast<int>((x >> 16) % (ip_like ? 12 : 24));
    for (int j = 0; j < length; ++j) {
      x = x * 1103515245u + 12345u;
      token.push_back(letters[(x >> 16) % letters.size()]);
    }
    Diagnostics diags;
    Resource r;
    if (ParseResourceToken(token, {"haresources", 1}, r, diags)) {
      EXPECT_TRUE(diags.empty()) << token;
      ++accepted;
      if (token[0] >= '0' && token[0] <= '9') {
        ++accepted_ip;
        EXPECT_EQ(r.type, "IPaddr") << token;
        EXPECT_EQ(r.args, Args{token});
      } else {
        EXPECT_EQ(r.Spec(), token);
        for (const std::string& arg : r.args)
          EXPECT_FALSE(arg.empty()) << token;
      }
      EXPECT_EQ(r.type.find('/'), std::string::npos) << token;
      EXPECT_EQ(r.type.find(".."), std::string::npos) << token;
      EXPECT_EQ(token.find('\x01'), std::string::npos) << token;
    } else {
      ASSERT_EQ(diags.ErrorCount(), 1) << token;
      EXPECT_FALSE(diags.items()[0].message.empty());
    }
  }
  EXPECT_GT(accepted, 1000);  // both outcomes are exercised
  EXPECT_LT(accepted, 19000);
  EXPECT_GT(accepted_ip, 100);
}

TEST(ParseHaresources, ControlBytesWithoutNulAreRejected) {
  Parsed p = Parse("node1 htt\x01pd\n");
  ExpectOneError(p, 1, "contains a control character");
  EXPECT_TRUE(p.groups.empty());
}

TEST(ParseHaresources, NulByteLineIsReported) {
  Parsed p = Parse("node1 192.0.2.1\nnode2 a\0b\nnode3 192.0.2.3\n"s);
  ExpectOneError(p, 2, "NUL");
  EXPECT_EQ(p.groups.size(), 2u);
}

TEST(ParseHaresources, HundredThousandLines) {
  std::string content;
  for (int i = 0; i < 100000; ++i) {
    content += "node" + std::to_string(i % 7) + " 10." + std::to_string(i / 65536) + "." +
               std::to_string((i / 256) % 256) + "." + std::to_string(i % 256) +
               " Filesystem::/dev/sd" + std::to_string(i) + "::/d" + std::to_string(i) + "::ext4\n";
  }
  Parsed p = Parse(content);
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 100000u);
  EXPECT_EQ(p.groups.back().where.line, 100000);
  EXPECT_EQ(p.groups.back().resources[0].args, Args{"10.1.134.159"});
}

TEST(ParseHaresources, HundredThousandContinuationLines) {
  std::string content = "node1 \\\n";
  for (int i = 0; i < 100000; ++i)
    content += "svc" + std::to_string(i) + " \\\n";
  content += "last\n";
  Parsed p = Parse(content);
  EXPECT_TRUE(p.diags.empty());
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].resources.size(), 100001u);
  EXPECT_EQ(p.groups[0].where.line, 1);
}

}  // namespace
}  // namespace hbd::config
