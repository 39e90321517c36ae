// libFuzzer: any bytes from a host through the line splitter and the protocol decoder (as the app reads stdout).
#include "process/protocol.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    threadlab::HostLineSplitter lines;
    QString error;
    // In two pieces, as a pipe may deliver it.
    const qsizetype half = bytes.size() / 2;
    for (const QByteArrayView piece : { bytes.first(half), bytes.sliced(half) }) {
        if (!lines.feed(piece, &error))
            return 0;
        while (auto line = lines.takeLine()) {
            (void)threadlab::HostProtocol::decode(*line, &error);
            (void)threadlab::HostProtocol::decodeCommand(*line, &error);
            (void)threadlab::HostProtocol::quote(*line);
        }
    }
    return 0;
}
