#include "guest/qemu.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "guest/elf_modinfo.h"
#include "guest/initramfs_build.h"
#include "temp_dir.h"

namespace eofzero::guest {
namespace {

bool Has(const std::vector<std::string>& argv, const std::string& word) {
  return std::ranges::find(argv, word) != argv.end();
}

TEST(Qemu, TcgNoDisplayPanicEndsTheGuestDisksBySerial) {
  GuestMachine m;
  m.kernel = "/k/vmlinuz";
  m.initramfs = "/c/initramfs.cpio";
  m.console = "/w/console.log";
  m.scratch_image = "/w/scratch.img";
  m.results_image = "/w/results.img";
  m.append = "ext4.debug=1";
  const auto argv = QemuArgv(m);
  EXPECT_EQ(argv[0], "qemu-system-x86_64");
  EXPECT_TRUE(Has(argv, "tcg"));
  for (const auto& a : argv) EXPECT_EQ(a.find("kvm"), std::string::npos) << a;
  EXPECT_TRUE(Has(argv, "-no-reboot"));
  EXPECT_TRUE(Has(argv, "file:/w/console.log"));
  EXPECT_TRUE(Has(argv, "console=ttyS0 panic=-1 rdinit=/init loglevel=4 ext4.debug=1"));
  EXPECT_TRUE(Has(argv, "virtio-blk-pci,drive=scratch,serial=eofzero-scratch"));
  EXPECT_TRUE(Has(argv, "virtio-blk-pci,drive=results,serial=eofzero-results"));
  EXPECT_TRUE(Has(argv, "file=/w/scratch.img,format=raw,if=none,cache=unsafe,id=scratch"));
  EXPECT_TRUE(Has(argv, "max"));
}

TEST(Qemu, KvmTakesTheHostsCpu) {
  GuestMachine m;
  m.accel = Accel::kKvm;
  const auto argv = QemuArgv(m);
  const auto accel = std::ranges::find(argv, "-accel");
  ASSERT_NE(accel, argv.end());
  EXPECT_EQ(*(accel + 1), "kvm");
  EXPECT_EQ(*(std::ranges::find(argv, "-cpu") + 1), "host");
  EXPECT_FALSE(Has(argv, "tcg"));
}

TEST(Qemu, ResultsAreTheDocumentsEachEndedByANul) {
  testing::TempDir dir;
  GuestMachine m;
  m.scratch_image = dir.path() / "scratch.img";
  m.results_image = dir.path() / "results.img";
  ASSERT_TRUE(MakeGuestDisks(m));
  EXPECT_EQ(std::filesystem::file_size(m.scratch_image), kScratchDiskBytes);
  auto empty = ReadResults(m.results_image, 2);
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, (std::vector<std::string>{"", ""}));
  {
    std::fstream f(m.results_image, std::ios::in | std::ios::out | std::ios::binary);
    f << "{\"tool\": \"eofzero\"}\n";
  }
  EXPECT_EQ(*ReadResults(m.results_image, 1), (std::vector<std::string>{"{\"tool\": \"eofzero\"}\n"}));
  {
    // The second run wrote nothing, the third a document longer than a read.
    std::fstream f(m.results_image, std::ios::in | std::ios::out | std::ios::binary);
    f << "one" << '\0' << '\0' << std::string(100000, 'x') << '\0' << "four" << '\0';
  }
  auto three = ReadResults(m.results_image, 3);
  ASSERT_TRUE(three);
  EXPECT_EQ(*three, (std::vector<std::string>{"one", "", std::string(100000, 'x')}));
  EXPECT_EQ(ReadResults(m.results_image, 5)->back(), "");
  EXPECT_FALSE(ReadResults(dir.path() / "none.img", 1));
}

TEST(Qemu, ConsoleTailDropsCarriageReturns) {
  testing::TempDir dir;
  auto console = dir.Write("console.log", "one\r\ntwo\r\n\r\nthree\r\n");
  EXPECT_EQ(ConsoleTail(console, 2), "two\nthree\n");
}

TEST(Initramfs, LddNamesLibrariesAndTheLoader) {
  const std::string ldd =
      "\tlinux-vdso.so.1 (0x00007ffc)\n"
      "\tlibblkid.so.1 => /lib/x86_64-linux-gnu/libblkid.so.1 (0x00007f)\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n";
  EXPECT_EQ(ParseLdd(ldd),
            (std::vector<std::filesystem::path>{"/lib/x86_64-linux-gnu/libblkid.so.1",
                                                "/lib64/ld-linux-x86-64.so.2"}));
}

// A minimal ELF64 with sections: null, .modinfo, .shstrtab.
std::string ElfWithModinfo(const std::string& modinfo) {
  const std::string names = std::string("\0.modinfo\0.shstrtab\0", 20);
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  const std::size_t modinfo_at = sizeof eh, names_at = modinfo_at + modinfo.size();
  eh.e_shoff = names_at + names.size();
  eh.e_shnum = 3;
  eh.e_shstrndx = 2;
  Elf64_Shdr sh[3]{};
  sh[1].sh_name = 1;
  sh[1].sh_offset = modinfo_at;
  sh[1].sh_size = modinfo.size();
  sh[2].sh_name = 10;
  sh[2].sh_offset = names_at;
  sh[2].sh_size = names.size();
  std::string elf(reinterpret_cast<const char*>(&eh), sizeof eh);
  elf += modinfo + names;
  elf.append(reinterpret_cast<const char*>(sh), sizeof sh);
  return elf;
}

TEST(ElfModinfo, FindsTheSection) {
  const std::string modinfo("depends=jbd2,mbcache\0name=ext4\0", 31);
  auto section = ModinfoSection(ElfWithModinfo(modinfo));
  ASSERT_TRUE(section) << section.error();
  EXPECT_EQ(*section, modinfo);
  EXPECT_FALSE(ModinfoSection("not an elf"));
  auto cut = ModinfoSection(ElfWithModinfo(modinfo).substr(0, 80));
  EXPECT_FALSE(cut);
}

// A minimal ELF64 executable with one program header of `type`.
std::string ElfWithProgramHeader(std::uint32_t type) {
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_type = ET_EXEC;
  eh.e_phoff = sizeof eh;
  eh.e_phnum = 1;
  Elf64_Phdr ph{};
  ph.p_type = type;
  return std::string(reinterpret_cast<const char*>(&eh), sizeof eh) +
         std::string(reinterpret_cast<const char*>(&ph), sizeof ph);
}

TEST(ElfModinfo, AProgramWithAnInterpreterIsDynamicallyLinked) {
  EXPECT_EQ(ElfHasInterpreter(ElfWithProgramHeader(PT_INTERP)), true);
  EXPECT_EQ(ElfHasInterpreter(ElfWithProgramHeader(PT_LOAD)), false);
  EXPECT_FALSE(ElfHasInterpreter("#!/bin/sh\n"));
  EXPECT_FALSE(ElfHasInterpreter(ElfWithProgramHeader(PT_INTERP).substr(0, 70)));  // cut short
}

}  // namespace
}  // namespace eofzero::guest
