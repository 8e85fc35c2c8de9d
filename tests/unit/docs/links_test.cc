// The README is the front page and docs/ the reference: every relative link
// in them reaches a file of this tree and, with #anchor, a heading of it
// (GitHub's anchors), every document in docs/ is reachable from the README,
// and the README keeps what a new user needs.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "recorded_output.h"

namespace eofzero::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = EOFZERO_SOURCE_DIR;

std::vector<std::string> Documents() {
  std::vector<std::string> out = {"README.md"};
  for (const auto& entry : fs::directory_iterator(kSource / "docs"))
    if (entry.path().extension() == ".md") out.push_back("docs/" + entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The text outside ``` fences.
std::string Prose(const std::string& text) {
  std::string out;
  bool fenced = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("```")) {
      fenced = !fenced;
    } else if (!fenced) {
      out += line + "\n";
    }
  }
  return out;
}

// GitHub's anchor of a heading: lower case, punctuation but - and _ dropped,
// spaces to hyphens.
std::string Anchor(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      out += static_cast<char>(std::tolower(c));
    } else if (c == ' ') {
      out += '-';
    }
  }
  return out;
}

std::set<std::string> Anchors(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(Prose(text));
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("#")) out.insert(Anchor(line.substr(line.find_first_not_of("# "))));
  return out;
}

TEST(Docs, EveryRelativeLinkReachesAFileAndAHeading) {
  const std::regex link(R"(\]\(([^)#\s]*)(#[^)\s]*)?\))");
  for (const auto& doc : Documents()) {
    const std::string prose = Prose(ReadSourceFile(doc));
    for (auto it = std::sregex_iterator(prose.begin(), prose.end(), link);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1], anchor = (*it)[2];
      if (target.starts_with("http")) continue;
      const fs::path file =
          target.empty() ? kSource / doc : (kSource / doc).parent_path() / target;
      ASSERT_TRUE(fs::exists(file)) << doc << ": " << it->str() << ": no " << file;
      if (!anchor.empty())
        EXPECT_TRUE(Anchors(ReadSourceFile(fs::relative(file, kSource).string()))
                        .contains(anchor.substr(1)))
            << doc << ": " << it->str() << ": no such heading";
    }
  }
}

TEST(Docs, TheReadmeLinksEveryDocumentAndKeepsWhatANewUserNeeds) {
  const std::string readme = ReadSourceFile("README.md");
  for (const auto& doc : Documents())
    if (doc != "README.md")
      EXPECT_NE(readme.find("](" + doc + ")"), std::string::npos) << doc << " is not linked";
  for (const char* heading : {"## The two commands", "## Build times", "## Reading the results",
                              "## Adding a case", "## Installing", "## Where the rest lives"})
    EXPECT_NE(readme.find(std::string("\n") + heading + "\n"), std::string::npos) << heading;
  for (const char* must : {"scripts/run", "scripts/test", "docs/cases.md", "man eofzero"})
    EXPECT_NE(readme.find(must), std::string::npos) << must;
}

// The anchors GitHub makes, as the links above rely on them.
TEST(Docs, AnchorsAreGitHubs) {
  EXPECT_EQ(Anchor("Crash states: `--crash-states`"), "crash-states---crash-states");
  EXPECT_EQ(Anchor("Leftovers: kill -9 and `eofzero cleanup`"),
            "leftovers-kill--9-and-eofzero-cleanup");
}

}  // namespace
}  // namespace eofzero::testing
