// file-writer: writes checkable records to "<name>.part" in the lab directory, commits by rename.
#include "filewriter.h"

#include "ledger/labresources.h"
#include "ledger/recordfile.h"
#include "stopcontext.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace threadlab {

namespace {

using RecordFile::HeaderMagic;
using RecordFile::TrailerMagic;

std::atomic<int> s_fileCounter { 0 };

/// Owns an fd; closes it in its destructor (in normal flow cancellation is disabled there).
class FdGuard
{
public:
    explicit FdGuard(int fd)
        : m_fd(fd)
    {
    }
    ~FdGuard() { reset(); }
    Q_DISABLE_COPY_MOVE(FdGuard)
    int get() const { return m_fd; }
    void reset()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd;
};

/// Maps a buffer backed by a memfd named name: it shows up in /proc/self/maps as "/memfd:<name> (deleted)",
/// so the leak ledger can find exactly this mapping (a bare anonymous address may be reused by another).
char *mapNamedBuffer(size_t size, const QByteArray &name)
{
    const int fd = ::memfd_create(name.constData(), MFD_CLOEXEC);
    if (fd < 0) { // no memfd: a plain anonymous mapping (the ledger then probes by address)
        void *p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? nullptr : static_cast<char *>(p);
    }
    void *p = MAP_FAILED;
    if (::ftruncate(fd, off_t(size)) == 0)
        p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd); // the mapping keeps the memory alive
    return p == MAP_FAILED ? nullptr : static_cast<char *>(p);
}

/// Owns a mapping; unmaps it in its destructor.
class MappedBuffer
{
public:
    MappedBuffer(char *data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }
    ~MappedBuffer() { reset(); }
    Q_DISABLE_COPY_MOVE(MappedBuffer)
    char *data() const { return m_data; }
    void reset()
    {
        if (m_data)
            ::munmap(m_data, m_size);
        m_data = nullptr;
    }

private:
    char *m_data = nullptr;
    size_t m_size;
};

QString fdTarget(int fd)
{
    char buf[4096];
    const QByteArray link = "/proc/self/fd/" + QByteArray::number(fd);
    const ssize_t n = ::readlink(link.constData(), buf, sizeof buf);
    return n > 0 ? QString::fromUtf8(buf, n) : QString();
}

bool writeAll(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

void fillRecord(char *buf, quint32 index, quint32 payload)
{
    std::memcpy(buf, HeaderMagic, 4);
    std::memcpy(buf + 4, &index, 4);
    std::memcpy(buf + 8, &payload, 4);
    std::memset(buf + FileWriter::HeaderBytes, 'a' + int(index % 26), payload);
    char *trailer = buf + FileWriter::HeaderBytes + payload;
    std::memcpy(trailer, TrailerMagic, 4);
    std::memcpy(trailer + 4, &index, 4);
}

} // namespace

FileWriter::FileWriter(const Params &params)
    : m_records(params.value(QStringLiteral("records")).toLongLong())
    , m_recordBytes(params.value(QStringLiteral("record_bytes")).toLongLong())
    , m_recordMs(params.value(QStringLiteral("record_ms")).toLongLong())
    , m_raii(params.value(QStringLiteral("raii")).toBool())
    , m_fsync(params.value(QStringLiteral("fsync")).toBool())
{
}

WorkloadInfo FileWriter::info()
{
    return { name(),
        QStringLiteral("writes records to a .part file in the lab directory and commits it by rename when it "
                       "finishes or is stopped cleanly"),
        QStringLiteral("the writes of a record (a kill between them leaves it half-written) and the pause "
                       "between records; never the commit"),
        {
            { QStringLiteral("records"), ParamType::Integer, QStringLiteral("records to write"), qint64(100), 1,
                10'000'000, {} },
            { QStringLiteral("record_bytes"), ParamType::Integer,
                QStringLiteral("payload bytes per record (plus a 12-byte header and an 8-byte trailer)"), qint64(4096),
                1, 16 * 1024 * 1024, {} },
            { QStringLiteral("record_ms"), ParamType::Integer,
                QStringLiteral("pause after each record, in milliseconds"), qint64(20), 0, 60'000, {} },
            { QStringLiteral("raii"), ParamType::Boolean,
                QStringLiteral("true: fd and buffer owned by RAII objects; false: raw open/close and mmap/munmap "
                               "(a kill leaks them)"),
                true, 0, 0, {} },
            { QStringLiteral("fsync"), ParamType::Boolean, QStringLiteral("fsync the file before the commit"), false, 0,
                0, {} },
        } };
}

void FileWriter::run(StopContext &ctx)
{
    const int serial = s_fileCounter.fetch_add(1) + 1;
    const QString finalPath
        = QDir(ctx.lab().labDir()).filePath(QStringLiteral("file-writer-w%1-%2.dat").arg(ctx.workerId()).arg(serial));
    const QByteArray bufferName
        = "threadlab-buf-" + QByteArray::number(qint64(::getpid())) + '-' + QByteArray::number(serial);
    const QString partPath = finalPath + QStringLiteral(".part");
    const QByteArray partNative = QFile::encodeName(partPath);
    const QByteArray finalNative = QFile::encodeName(finalPath);
    const qint64 recordSize = HeaderBytes + m_recordBytes + TrailerBytes;

    // raii=true: the fd and the buffer die with these guards, even on a forced unwind.
    // raii=false: raw handles, released by hand at the end (a kill skips that: they leak).
    const int rawFd = ::open(partNative.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (rawFd < 0) {
        ctx.mark(EventKind::Note, errno,
            QStringLiteral("cannot create %1: %2").arg(partPath, QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    FdGuard fdGuard(m_raii ? rawFd : -1);
    ctx.acquired(ResourceKind::File, 0, partPath);
    const QString fdWhat = fdTarget(rawFd);
    ctx.acquired(ResourceKind::Fd, rawFd, fdWhat);

    char *buffer = mapNamedBuffer(size_t(recordSize), bufferName);
    MappedBuffer bufferGuard(m_raii ? buffer : nullptr, size_t(recordSize));
    // The ledger finds the mapping by its name ("memfd:<name>"), written after the address.
    const QString memWhat = QStringLiteral("%1 bytes at 0x%2 memfd:%3 (record buffer)")
                                .arg(recordSize)
                                .arg(quintptr(buffer), 0, 16)
                                .arg(QString::fromLatin1(bufferName));
    if (buffer)
        ctx.acquired(ResourceKind::Memory, qint64(quintptr(buffer)), memWhat);

    bool stopped = false;
    bool failed = !buffer;
    for (qint64 i = 0; i < m_records && !failed; ++i) {
        if (ctx.shouldStop()) {
            stopped = true;
            break;
        }
        ctx.pausePoint();
        ctx.setPhase(WorkerPhase::Working);
        fillRecord(buffer, quint32(i), quint32(m_recordBytes));
        // Two writes per record: a kill landing between them leaves a half-written record behind.
        const qint64 half = recordSize / 2;
        failed = !ctx.cancellable(
            [&] { return writeAll(rawFd, buffer, half) && writeAll(rawFd, buffer + half, recordSize - half); });
        if (failed) {
            ctx.mark(EventKind::Note, errno,
                QStringLiteral("write failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
            break;
        }
        ctx.reportStep(i + 1);
        ctx.setPhase(WorkerPhase::Sleeping);
        ctx.sleepNs(m_recordMs * 1'000'000);
    }
    if (stopped) {
        ctx.noticeStop();
        ctx.cleanupBegin();
    }

    // Commit (or, after a failed write, discard) outside any cancellable() scope.
    if (m_fsync && !failed)
        ::fsync(rawFd);
    if (m_raii) {
        fdGuard.reset();
        bufferGuard.reset();
    } else {
        ::close(rawFd);
        if (buffer)
            ::munmap(buffer, size_t(recordSize));
    }
    ctx.released(ResourceKind::Fd, rawFd, fdWhat);
    if (buffer)
        ctx.released(ResourceKind::Memory, qint64(quintptr(buffer)), memWhat);
    if (failed)
        ::unlink(partNative.constData());
    else if (::rename(partNative.constData(), finalNative.constData()) != 0)
        ctx.mark(EventKind::Note, errno, QStringLiteral("rename to %1 failed").arg(finalPath));
    else
        ctx.mark(EventKind::Note, ctx.stepsDone(), QStringLiteral("committed %1").arg(finalPath));
    ctx.released(ResourceKind::File, 0, partPath);
    if (stopped)
        ctx.cleanupEnd();
}

} // namespace threadlab
