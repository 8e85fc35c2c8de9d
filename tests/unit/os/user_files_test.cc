#include "os/user_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "temp_dir.h"

namespace eofzero::os {
namespace {

namespace fs = std::filesystem;

std::string Contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Why(const Status& st) { return st ? "" : st.error().Message(); }
template <class T>
std::string Why(const Result<T>& r) {
  return r ? "" : r.error().Message();
}

// What a user may name as an output: a new file in a folder, or a regular
// file with one name. A symbolic link, a hard link, a FIFO, a device or a
// directory is refused by the check and by the open alike, and what they
// lead to is not touched.
TEST(OutputFile, OnlyANewFileOrARegularFileWithOneName) {
  testing::TempDir dir;
  const fs::path victim = dir.Write("victim", "precious");
  fs::create_symlink(victim, dir.path() / "link");
  fs::create_hard_link(victim, dir.path() / "hard");
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  const fs::path existing = dir.Write("existing", "old report");

  EXPECT_EQ(Why(CheckOutputFile(dir.path() / "new")), "");
  EXPECT_EQ(Why(CheckOutputFile(existing)), "");
  EXPECT_EQ(Why(CheckOutputFile(dir.path() / "no" / "new")),
            (dir.path() / "no").string() + " is not a directory");
  const std::pair<fs::path, std::string> refused[] = {
      {dir.path() / "link", " is a symbolic link (eofzero never writes through one)"},
      {dir.path() / "hard",
       " has 2 names (hard links): eofzero writes only into a file with one name"},
      {victim, " has 2 names (hard links): eofzero writes only into a file with one name"},
      {dir.path() / "fifo", " is a FIFO, not a regular file"},
      {"/dev/null", " is a character device, not a regular file"},
      {dir.path(), " is a directory, not a regular file"},
  };
  for (const auto& [path, why] : refused) {
    EXPECT_EQ(Why(CheckOutputFile(path)), path.string() + why);
    auto opened = OpenOutputFile(path);
    ASSERT_FALSE(opened) << path;
    EXPECT_EQ(opened.error().kind, ErrorKind::kInvalid);
    EXPECT_EQ(opened.error().Message(), path.string() + why);
  }
  EXPECT_EQ(Contents(victim), "precious");

  auto fresh = OpenOutputFile(dir.path() / "new");
  ASSERT_TRUE(fresh) << Why(fresh);
  auto old = OpenOutputFile(existing);
  ASSERT_TRUE(old) << Why(old);
  EXPECT_EQ(Contents(existing), "old report") << "the open itself truncates nothing";
  ASSERT_TRUE(WriteOutputFile(existing, "new"));
  EXPECT_EQ(Contents(existing), "new");
}

// A FIFO with no reader never blocks the open (it used to block forever,
// with SIGINT and SIGTERM ignored). Run in a child that an alarm ends, so
// a hang fails the test instead of stalling the suite.
TEST(OutputFile, AFifoIsRefusedWithoutBlocking) {
  testing::TempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EXIT(
      {
        ::alarm(10);
        const bool refused =
            !OpenOutputFile(fifo) && !WriteOutputFile(fifo, "x") && !OpenInputFile(fifo);
        std::exit(refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(InputFile, ARegularFileOrALinkToOneNeverAFifoADeviceOrAFolder) {
  testing::TempDir dir;
  const fs::path file = dir.Write("log", "bytes");
  fs::create_symlink(file, dir.path() / "link");
  EXPECT_TRUE(OpenInputFile(file));
  EXPECT_TRUE(OpenInputFile(dir.path() / "link"));
  EXPECT_EQ(Why(OpenInputFile("/dev/null")), "/dev/null is a character device, not a regular file");
  EXPECT_EQ(Why(OpenInputFile(dir.path())),
            dir.path().string() + " is a directory, not a regular file");
  EXPECT_NE(Why(OpenInputFile(dir.path() / "missing")).find("No such file"), std::string::npos);
}

// A pending file has no name until Commit, which never replaces a file;
// one never committed leaves nothing behind.
TEST(PendingFile, AppearsOnlyWhenCommittedAndNeverOverAFile) {
  testing::TempDir dir;
  const fs::path out = dir.path() / "s.img";
  {
    auto file = PendingFile::Create(out);
    ASSERT_TRUE(file) << Why(file);
    ASSERT_EQ(::write(file->fd(), "abc", 3), 3);
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_TRUE(fs::is_empty(dir.path())) << "an uncommitted file was left";
  {
    auto file = PendingFile::Create(out);
    ASSERT_TRUE(file);
    ASSERT_EQ(::write(file->fd(), "abc", 3), 3);
    ASSERT_TRUE(file->Commit());
  }
  EXPECT_EQ(Contents(out), "abc");
  auto late = PendingFile::Create(out);
  ASSERT_TRUE(late);
  ASSERT_EQ(::write(late->fd(), "xyz", 3), 3);
  EXPECT_EQ(Why(late->Commit()), out.string() + " exists (never overwritten)");
  EXPECT_EQ(Contents(out), "abc");
}

TEST(MakeDirectory, MakesAFolderOrTakesOneThatIsThere) {
  testing::TempDir dir;
  EXPECT_TRUE(MakeDirectory(dir.path() / "logs"));
  EXPECT_TRUE(fs::is_directory(dir.path() / "logs"));
  EXPECT_TRUE(MakeDirectory(dir.path() / "logs"));
  const fs::path file = dir.Write("file", "");
  EXPECT_EQ(Why(MakeDirectory(file)), file.string() + " is not a directory");
  EXPECT_FALSE(MakeDirectory(dir.path() / "a" / "b"));
}

}  // namespace
}  // namespace eofzero::os
