// libFuzzer: any bytes into the recording reader (JSON, and gzip through the bounded decompressor).
#include "recording/recordingio.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    QByteArray json = bytes;
    if (threadlab::RecordingIO::isGzip(bytes)) {
        const auto plain = threadlab::RecordingIO::gzipDecompress(bytes, &error);
        if (!plain)
            return 0;
        json = *plain;
    }
    const auto rec = threadlab::RecordingIO::fromJson(json, QStringLiteral("fuzz.threadlab.json"), &error);
    if (!rec && error.isEmpty())
        __builtin_trap(); // a refusal always says why
    if (rec) // what was read can be written again
        (void)threadlab::RecordingIO::toJson(*rec);
    return 0;
}
