// Opening input files safely: only regular files, never blocking on a FIFO, with a size limit.
#include "safefile.h"

#include <QFile>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace threadlab {

namespace {

QString kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("a device");
    return QStringLiteral("not a regular file");
}

} // namespace

std::optional<QByteArray> readRegularFile(const QString &path, qint64 maxBytes, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<QByteArray> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (path.startsWith(u':')) {
        // A Qt resource (the built-in scenarios): compiled in, never a FIFO or a device.
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot open: %1").arg(file.errorString()));
        if (file.size() > maxBytes)
            return fail(QStringLiteral("is too large (allowed: at most %1 bytes)").arg(maxBytes));
        return file.readAll();
    }
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one; the type is checked on the open file.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return fail(QStringLiteral("cannot open: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const QString kind = kindOf(st.st_mode);
        ::close(fd);
        return fail(QStringLiteral("is %1 (allowed: a regular file)").arg(kind));
    }
    if (st.st_size > maxBytes) {
        ::close(fd);
        return fail(QStringLiteral("is too large (%1 bytes; allowed: at most %2 bytes)").arg(st.st_size).arg(maxBytes));
    }
    QByteArray data;
    data.resize(qsizetype(st.st_size));
    qsizetype got = 0;
    for (;;) {
        if (got == data.size()) {
            // The file may have grown since fstat: read on, within the limit.
            if (data.size() > maxBytes)
                break;
            data.resize(qsizetype(qMin<qint64>(qint64(data.size()) * 2 + 4096, maxBytes + 1)));
        }
        const ssize_t n = ::read(fd, data.data() + got, size_t(data.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            return fail(QStringLiteral("cannot read: %1").arg(why));
        }
        if (n == 0)
            break;
        got += n;
    }
    ::close(fd);
    data.resize(got);
    if (got > maxBytes)
        return fail(QStringLiteral("is too large (allowed: at most %1 bytes)").arg(maxBytes));
    return data;
}

} // namespace threadlab
