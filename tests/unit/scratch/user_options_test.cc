#include "scratch/user_options.h"

#include <gtest/gtest.h>

namespace eofzero::scratch {
namespace {

using fsdriver::FsType;

TEST(ParseMkfsOptions, ReadsOptionsAsGetoptDoes) {
  auto o = ParseMkfsOptions(FsType::kExt4, "-qF -b4096 -O ^has_journal -E lazy_itable_init=0");
  ASSERT_TRUE(o) << o.error();
  ASSERT_EQ(o->size(), 5u);
  EXPECT_EQ((*o)[0].letter, 'q');
  EXPECT_EQ((*o)[1].letter, 'F');
  EXPECT_EQ((*o)[2].value, "4096");
  EXPECT_EQ((*o)[3].value, "^has_journal");
  EXPECT_EQ((*o)[4].shown, "-E lazy_itable_init=0");
  o = ParseMkfsOptions(FsType::kXfs, "-m reflink=1,crc=1 -Kf -bsize=1k");
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->size(), 4u);
}

TEST(ParseMkfsOptions, AStrayWordWouldBecomeMkfsDevice) {
  // mkfs takes its first non-option word as the device: ours would become
  // the blocks count, and /dev/sdc would be formatted.
  EXPECT_EQ(ParseMkfsOptions(FsType::kExt4, "-q /dev/sdc").error(),
            "'/dev/sdc' is not an option of mkfs.ext4 (it would take a stray word as its device "
            "or size)");
  EXPECT_FALSE(ParseMkfsOptions(FsType::kXfs, "--help"));
  EXPECT_EQ(ParseMkfsOptions(FsType::kXfs, "-O bigalloc").error(),
            "'-O' is not an option of mkfs.xfs");
  EXPECT_EQ(ParseMkfsOptions(FsType::kExt4, "-O").error(), "'-O' without a value");
}

TEST(CheckMkfsOptions, RefusesEveryOptionThatNamesAFileOrDevice) {
  const std::pair<FsType, const char*> refused[] = {
      {FsType::kXfs, "-l logdev=/dev/vdc,size=64m"},
      {FsType::kXfs, "-lsize=64m,logdev=/dev/vdc"},
      {FsType::kXfs, "-r rtdev=/dev/vdd"},
      {FsType::kXfs, "-d name=/tmp/file"},
      {FsType::kXfs, "-d file,size=1g"},
      {FsType::kXfs, "-p /tmp/proto"},
      {FsType::kXfs, "-c options=/etc/xfs.conf"},
      {FsType::kExt4, "-J device=/dev/vdc"},
      {FsType::kExt4, "-E offset=4096"},
      {FsType::kExt4, "-E lazy_itable_init=0,offset=1m"},
      {FsType::kExt4, "-E android_sparse"},
      {FsType::kExt4, "-d /etc"},
      {FsType::kExt4, "-l /tmp/badblocks"},
      {FsType::kExt4, "-z /tmp/undo"},
  };
  for (const auto& [fs, options] : refused) {
    auto ok = CheckMkfsOptions(fs, options);
    ASSERT_FALSE(ok) << options;
    EXPECT_NE(ok.error().find("options that reach beyond the scratch device are refused"),
              std::string::npos)
        << ok.error();
  }
  EXPECT_EQ(CheckMkfsOptions(FsType::kXfs, "-l logdev=/dev/vdc").error(),
            "'-l logdev=/dev/vdc' names an external log device: options that reach beyond the "
            "scratch device are refused");
}

TEST(CheckMkfsOptions, TakesTheOptionsOfTheShippedMatrix) {
  EXPECT_TRUE(CheckMkfsOptions(FsType::kExt4, "-O bigalloc -C 65536"));
  EXPECT_TRUE(
      CheckMkfsOptions(FsType::kExt4, "-b 1024 -J size=16 -E nodiscard,lazy_itable_init=0"));
  EXPECT_TRUE(CheckMkfsOptions(FsType::kXfs, "-m reflink=0 -l size=32m,internal -d agcount=2"));
  EXPECT_TRUE(CheckMkfsOptions(FsType::kXfs, ""));
}

TEST(CheckMountOptions, RefusesOptionsThatNameADeviceOrSetUpALoop) {
  for (const char* options : {"logdev=/dev/vdc", "noatime,rtdev=/dev/vdd", "journal_path=/dev/x",
                              "journal_dev=2049", "usrjquota=aquota.user,jqfmt=vfsv1", "loop",
                              "offset=4096", "sizelimit=1m", "X-mount.mkdir", "x-systemd.foo"})
    EXPECT_FALSE(CheckMountOptions(options)) << options;
  EXPECT_EQ(CheckMountOptions("noatime,logdev=/dev/vdc").error(),
            "'logdev=/dev/vdc' names a device or file, or sets one up: options that reach beyond "
            "the scratch device are refused");
  EXPECT_EQ(CheckMountOptions("-o noatime").error(),
            "'-o noatime' is not a mount option (give them without -o)");
  EXPECT_TRUE(CheckMountOptions(""));
  EXPECT_TRUE(CheckMountOptions("noatime,data=journal,inode64,context=\"system_u:a,b\""));
}

}  // namespace
}  // namespace eofzero::scratch
