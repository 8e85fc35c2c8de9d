#include "os/error.h"

#include <gtest/gtest.h>

namespace eofzero::os {
namespace {

TEST(ErrnoError, TheKindFollowsFromTheErrno) {
  EXPECT_EQ(ErrnoError("x", EOPNOTSUPP).kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ErrnoError("x", ENOTTY).kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ErrnoError("x", EINTR).kind, ErrorKind::kInterrupted);
  EXPECT_EQ(ErrnoError("x", EINVAL).kind, ErrorKind::kSystem);
  EXPECT_EQ(ErrnoError("x", EXDEV).kind, ErrorKind::kSystem);
  EXPECT_EQ(ErrnoError("open f", ENOENT).Message(), "open f: No such file or directory");
}

// A call names the errnos its documentation gives for "not offered": only
// those become kUnsupported (a SKIP); the same errno from another call is an
// error (a misaligned O_DIRECT write's EINVAL is an ERROR, not a SKIP).
TEST(ErrnoError, ACallNamesTheErrnosThatMeanNotOffered) {
  EXPECT_EQ(ErrnoError("copy_file_range", EXDEV, {EXDEV, EOPNOTSUPP}).kind,
            ErrorKind::kUnsupported);
  EXPECT_EQ(ErrnoError("copy_file_range", EIO, {EXDEV, EOPNOTSUPP}).kind, ErrorKind::kSystem);
  EXPECT_EQ(ErrnoError("open (O_DIRECT)", EINVAL, {EINVAL}).kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ErrnoError("O_DIRECT pwrite", EINVAL).kind, ErrorKind::kSystem);
  EXPECT_EQ(ErrnoError("x", EINTR, {EINVAL}).kind, ErrorKind::kInterrupted);
}

}  // namespace
}  // namespace eofzero::os
