#include "os/blkid_probe.h"

#include <blkid/blkid.h>
#include <uuid/uuid.h>

#include <memory>

namespace eofzero::os {
namespace {

struct ProbeFree {
  void operator()(blkid_struct_probe* p) const { blkid_free_probe(p); }
};

std::string Lookup(blkid_probe pr, const char* name) {
  const char* value = nullptr;
  if (blkid_probe_lookup_value(pr, name, &value, nullptr) != 0 || value == nullptr) return {};
  return value;
}

}  // namespace

Result<FsIdentity> ProbeFilesystem(const std::string& device) {
  std::unique_ptr<blkid_struct_probe, ProbeFree> pr(blkid_new_probe_from_filename(device.c_str()));
  if (!pr) return FailErrno("blkid_new_probe_from_filename " + device);
  blkid_probe_enable_superblocks(pr.get(), 1);
  blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID);
  int rc = blkid_do_safeprobe(pr.get());
  if (rc < 0) return Fail(ErrorKind::kSystem, "blkid_do_safeprobe " + device + " failed");
  FsIdentity id;
  if (rc == 0) {
    id.type = Lookup(pr.get(), "TYPE");
    id.uuid = Lookup(pr.get(), "UUID");
  }
  return id;
}

std::string NewUuid() {
  uuid_t raw;
  uuid_generate_random(raw);
  char text[37];
  uuid_unparse_lower(raw, text);
  return text;
}

}  // namespace eofzero::os
