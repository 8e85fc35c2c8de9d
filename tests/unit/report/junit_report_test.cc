#include "report/junit_report.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "report/sample_record.h"

namespace eofzero::report {
namespace {

pugi::xml_node Case(const pugi::xml_node& suite, const char* name) {
  return suite.find_child_by_attribute("testcase", "name", name);
}

class Junit : public ::testing::Test {
 protected:
  void SetUp() override {
    xml_ = RenderJunit(testing::SampleRecord());
    auto parsed = doc_.load_string(xml_.c_str());
    ASSERT_TRUE(parsed) << parsed.description() << "\n" << xml_;
    root_ = doc_.child("testsuites");
    ASSERT_TRUE(root_) << xml_;
  }
  std::string xml_;
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

TEST_F(Junit, OneSuitePerConfigurationWithCountsThatAddUp) {
  EXPECT_EQ(root_.attribute("tests").as_int(), 6);
  EXPECT_EQ(root_.attribute("failures").as_int(), 2) << "the new FAIL and the XPASS";
  EXPECT_EQ(root_.attribute("errors").as_int(), 1);
  EXPECT_EQ(root_.attribute("skipped").as_int(), 1);
  int suites = 0;
  for (auto suite : root_.children("testsuite")) {
    ++suites;
    int cases = 0, failures = 0;
    for (auto tc : suite.children("testcase")) {
      ++cases;
      failures += tc.child("failure") ? 1 : 0;
      EXPECT_STREQ(tc.attribute("classname").as_string(),
                   ("eofzero." + std::string(suite.attribute("name").as_string())).c_str());
    }
    EXPECT_EQ(suite.attribute("tests").as_int(), cases);
    EXPECT_EQ(suite.attribute("failures").as_int(), failures);
  }
  EXPECT_EQ(suites, 2);
  auto ext4 = root_.find_child_by_attribute("testsuite", "name", "ext4-4k");
  EXPECT_STREQ(ext4.child("properties")
                   .find_child_by_attribute("property", "name", "mkfs_command")
                   .attribute("value")
                   .as_string(),
               "mkfs.ext4 -F /dev/loop9");
}

std::string PropertyOf(const pugi::xml_node& suite, const char* name) {
  return suite.child("properties")
      .find_child_by_attribute("property", "name", name)
      .attribute("value")
      .as_string();
}

TEST(JunitTool, EverySuiteNamesTheVersionAndCommitWhenKnown) {
  RunRecord record = testing::SampleRecord();
  record.tool = {"1.2.3", "0123456789ab"};
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(RenderJunit(record).c_str()));
  for (auto suite : doc.child("testsuites").children("testsuite")) {
    EXPECT_EQ(PropertyOf(suite, "eofzero_version"), "1.2.3");
    EXPECT_EQ(PropertyOf(suite, "eofzero_commit"), "0123456789ab");
  }
  record.tool = {};
  ASSERT_TRUE(doc.load_string(RenderJunit(record).c_str()));
  EXPECT_FALSE(doc.child("testsuites")
                   .child("testsuite")
                   .child("properties")
                   .find_child_by_attribute("property", "name", "eofzero_version"));
}

TEST_F(Junit, AFailureCarriesTheEvidenceAndOtherOutcomesTheirReason) {
  auto ext4 = root_.find_child_by_attribute("testsuite", "name", "ext4-4k");
  auto failure = Case(ext4, "append_write").child("failure");
  EXPECT_STREQ(failure.attribute("message").as_string(), "append_write summary");
  EXPECT_STREQ(failure.text().as_string(), "    evidence of append_write <&>\n")
      << "escaped and restored by the XML library";
  EXPECT_STREQ(Case(ext4, "reflink_extend").child("skipped").attribute("message").as_string(),
               "the case is for xfs");
  EXPECT_STREQ(Case(ext4, "fallocate").child("error").text().as_string(), "mkfs failed");
  EXPECT_FALSE(Case(ext4, "truncate_up").first_child()) << "a pass is an empty testcase";
}

TEST_F(Junit, ADeclaredFailurePassesAndAnUnexpectedPassFails) {
  auto xfs = root_.find_child_by_attribute("testsuite", "name", "xfs-4k");
  auto xfail = Case(xfs, "append_write");
  EXPECT_FALSE(xfail.child("failure"));
  EXPECT_NE(
      std::string(xfail.child("system-out").text().as_string()).find("expected failure: xfs tail"),
      std::string::npos);
  auto xpass = Case(xfs, "truncate_up").child("failure");
  ASSERT_TRUE(xpass);
  EXPECT_STREQ(xpass.attribute("type").as_string(), "XPASS");
  EXPECT_NE(std::string(xpass.attribute("message").as_string()).find("a stale declaration"),
            std::string::npos);
}

TEST(JunitInterrupted, EverySuiteSaysSoAndEachCaseThatDidNotRunIsAnError) {
  const std::string xml = RenderJunit(testing::InterruptedRecord());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  auto root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), 5);
  EXPECT_EQ(root.attribute("errors").as_int(), 4) << "not green: " << xml;
  int suites = 0;
  for (auto suite : root.children("testsuite")) {
    ++suites;
    EXPECT_STREQ(suite.child("properties")
                     .find_child_by_attribute("property", "name", "interrupted")
                     .attribute("value")
                     .as_string(),
                 "signal 2 (SIGINT)")
        << xml;
  }
  EXPECT_EQ(suites, 2);
  auto ext4 = root.find_child_by_attribute("testsuite", "name", "ext4-4k");
  EXPECT_FALSE(Case(ext4, "truncate_up").first_child()) << "what ran before still passed";
  auto error = Case(ext4, "append_write").child("error");
  ASSERT_TRUE(error) << xml;
  EXPECT_STREQ(error.attribute("type").as_string(), "NOT_RUN");
  EXPECT_STREQ(error.attribute("message").as_string(), "not run: interrupted by signal 2 (SIGINT)");
}

TEST_F(Junit, ARunThatEndedHasNoInterruptedProperty) {
  EXPECT_EQ(xml_.find("\"interrupted\""), std::string::npos) << xml_;
  EXPECT_EQ(xml_.find("NOT_RUN"), std::string::npos) << xml_;
}

}  // namespace
}  // namespace eofzero::report

namespace eofzero::report {
namespace {

TEST(JunitGuest, AGuestsConfigurationNamesTheGuestsKernelAndItsTimes) {
  RunRecord record = testing::SampleRecord();
  record.configs[0].guest =
      GuestInfo{"sid", "linux-image-7.2.13+deb14-amd64 (sid)", "7.2.13+deb14-amd64", 8.04, 5.21};
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(RenderJunit(record).c_str()));
  auto suites = doc.child("testsuites").children("testsuite");
  auto property = [](const pugi::xml_node& suite, const char* name) {
    return std::string(suite.child("properties")
                           .find_child_by_attribute("property", "name", name)
                           .attribute("value")
                           .value());
  };
  auto guest = *suites.begin();
  EXPECT_EQ(property(guest, "kernel"), "7.2.13+deb14-amd64");
  EXPECT_EQ(property(guest, "guest_kernel"), "sid");
  EXPECT_EQ(property(guest, "boot_seconds"), "8.0");
  EXPECT_EQ(property(guest, "run_seconds"), "5.2");
  auto host = *std::next(suites.begin());
  EXPECT_EQ(property(host, "kernel"), record.kernel);
  EXPECT_EQ(property(host, "guest_kernel"), "");
}

}  // namespace
}  // namespace eofzero::report
