#include "scratch/raw_access.h"

#include <cerrno>

#include "scratch/scratch_target.h"

namespace eofzero::scratch {
namespace {

using os::ErrorKind;
using os::Fail;

os::Status CheckIdentity(const ScratchFs& fs) {
  if (fs.mounted())
    return Fail(ErrorKind::kSafety, "raw access to " + fs.device() + " while it is mounted");
  EOFZERO_ASSIGN_OR_RETURN(os::FsIdentity id, fs.system().Probe(fs.device()));
  const std::string want(fsdriver::FsTypeName(fs.spec().fs));
  if (id.type != want || id.uuid != fs.uuid())
    return Fail(ErrorKind::kSafety, "refusing raw access: " + fs.device() + " holds '" + id.type +
                                        "' UUID '" + id.uuid + "', this run made " + want +
                                        " UUID " + fs.uuid());
  return {};
}

// An exclusive open refused (EBUSY) says who holds the device: a mount of it
// in another mount namespace outlives our unmount (a namespace made while it
// was mounted keeps its copy), and the raw access must not happen then.
template <class R>
R SayWhoHolds(R result, const std::string& device) {
  if (result || result.error().errnum != EBUSY) return result;
  auto error = result.error();
  const std::string who = BusyBecause(device);
  error.context = error.Message() + (who.empty() ? " (no mount or user of it shows)"
                                                  : " (" + who + ")");
  error.errnum = 0;  // said in the context
  return std::unexpected(std::move(error));
}

}  // namespace

os::Status WriteInsideExtent(const ScratchFs& fs, const BlockLocation& where, std::uint64_t offset,
                             ByteView data) {
  EOFZERO_RETURN_IF_ERROR(CheckIdentity(fs));
  EOFZERO_ASSIGN_OR_RETURN(os::BlockGeometry geometry, fs.system().Geometry(fs.device()));
  if (!InsideMappedExtent(where, offset, data.size(), geometry.size))
    return Fail(ErrorKind::kSafety,
                "refusing raw write of " + std::to_string(data.size()) + " bytes at " +
                    std::to_string(offset) + " on " + fs.device() +
                    ": outside the mapped extent [" + std::to_string(where.extent.physical) + ", " +
                    std::to_string(where.extent.physical + where.extent.length) + ")");
  return SayWhoHolds(fs.system().WriteDevice(fs.device(), offset, data), fs.device());
}

os::Result<Bytes> ReadDeviceRange(const ScratchFs& fs, std::uint64_t offset, std::uint64_t length) {
  EOFZERO_RETURN_IF_ERROR(CheckIdentity(fs));
  return SayWhoHolds(fs.system().ReadDevice(fs.device(), offset, length), fs.device());
}

}  // namespace eofzero::scratch
