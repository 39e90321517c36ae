// The record file format of file-writer, read back by the leak ledger to prove a half-written file.
#include "recordfile.h"

#include <QDeadlineTimer>
#include <QFile>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace threadlab::RecordFile {

Scan scan(const QString &path)
{
    Scan scan;
    // Whatever a worker named: never follow a link, never block on a FIFO or device, only a regular file.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return scan;
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return scan;
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return scan;
    }
    scan.exists = true;
    scan.sizeBytes = file.size();
    const QDeadlineTimer bound(ScanBoundMs); // a huge file of tiny records stays a short probe
    for (;;) {
        if (bound.hasExpired()) {
            scan.incomplete = true;
            break;
        }
        char header[HeaderBytes];
        const qint64 got = file.read(header, HeaderBytes);
        if (got == 0)
            break;
        if (got < HeaderBytes || std::memcmp(header, HeaderMagic, 4) != 0) {
            scan.halfWritten = true;
            break;
        }
        quint32 index = 0;
        quint32 payload = 0;
        std::memcpy(&index, header + 4, 4);
        std::memcpy(&payload, header + 8, 4);
        if (file.size() - file.pos() < qint64(payload) + TrailerBytes || !file.seek(file.pos() + payload)) {
            scan.halfWritten = true;
            break;
        }
        char trailer[TrailerBytes];
        quint32 trailerIndex = 0;
        if (file.read(trailer, TrailerBytes) != TrailerBytes || std::memcmp(trailer, TrailerMagic, 4) != 0) {
            scan.halfWritten = true;
            break;
        }
        std::memcpy(&trailerIndex, trailer + 4, 4);
        if (trailerIndex != index) {
            scan.halfWritten = true;
            break;
        }
        ++scan.completeRecords;
    }
    return scan;
}

QString describe(const Scan &scan)
{
    if (!scan.exists)
        return QStringLiteral("no file");
    return QStringLiteral("%1 bytes, %2 complete record%3%4")
        .arg(scan.sizeBytes)
        .arg(scan.completeRecords)
        .arg(scan.completeRecords == 1 ? QString() : QStringLiteral("s"))
        .arg(scan.halfWritten ? QStringLiteral(", the last record half-written") : QString());
}

} // namespace threadlab::RecordFile
