#include "guest/elf_modinfo.h"

#include <elf.h>

#include <cstring>

namespace eofzero::guest {
namespace {

template <typename T>
bool ReadAt(std::string_view bytes, std::uint64_t offset, T& out) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(&out, bytes.data() + offset, sizeof(T));
  return true;
}

bool ReadHeader(std::string_view elf, Elf64_Ehdr& eh) {
  return ReadAt(elf, 0, eh) && std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
         eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_ident[EI_DATA] == ELFDATA2LSB;
}

}  // namespace

std::expected<bool, std::string> ElfHasInterpreter(std::string_view elf) {
  Elf64_Ehdr eh;
  if (!ReadHeader(elf, eh)) return std::unexpected("not a 64-bit little-endian ELF file");
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (!ReadAt(elf, eh.e_phoff + std::uint64_t{i} * sizeof(Elf64_Phdr), ph))
      return std::unexpected("its program headers are cut short");
    if (ph.p_type == PT_INTERP) return true;
  }
  return false;
}

std::expected<std::string, std::string> ModinfoSection(std::string_view elf) {
  Elf64_Ehdr eh;
  if (!ReadHeader(elf, eh)) return std::unexpected("not a 64-bit little-endian ELF file");
  Elf64_Shdr names;
  if (!ReadAt(elf, eh.e_shoff + std::uint64_t{eh.e_shstrndx} * sizeof(Elf64_Shdr), names))
    return std::unexpected("its section headers are cut short");
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    if (!ReadAt(elf, eh.e_shoff + std::uint64_t{i} * sizeof(Elf64_Shdr), sh))
      return std::unexpected("its section headers are cut short");
    const std::uint64_t name_at = names.sh_offset + sh.sh_name;
    if (name_at >= elf.size()) continue;
    const std::string_view name(elf.data() + name_at,
                                ::strnlen(elf.data() + name_at, elf.size() - name_at));
    if (name != ".modinfo") continue;
    if (sh.sh_offset > elf.size() || elf.size() - sh.sh_offset < sh.sh_size)
      return std::unexpected(".modinfo is cut short");
    return std::string(elf.substr(sh.sh_offset, sh.sh_size));
  }
  return std::unexpected("no .modinfo section");
}

}  // namespace eofzero::guest
