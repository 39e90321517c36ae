// Input limits of recordings (README, "Limits of input files"): far above 10^7 events, far below what would
// exhaust memory. Shared by the reader and the gzip layer.
#pragma once

#include <QtGlobal>

namespace threadlab::RecordingLimits {

constexpr qint64 MaxCompressedBytes = qint64(64) << 20; ///< a gzip file: 64 MiB
constexpr qint64 MaxDecompressedBytes = qint64(512) << 20; ///< its JSON (or a plain JSON file): 512 MiB
constexpr qint64 MaxRatio = 200; ///< decompressed/compressed: real recordings stay far below, a gzip bomb not

} // namespace threadlab::RecordingLimits
