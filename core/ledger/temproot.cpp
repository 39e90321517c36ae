// The app's temporary root: made once (mkdtemp, 0700, lstat + owner), an owner file, stale-root clean-up, removal.
#include "temproot.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace threadlab {

namespace {

QMutex s_mutex;
QByteArray s_root; ///< made by init(); empty before or after removeAll()
bool s_atexit = false;

/// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or empty if the process is gone.
QByteArray startTimeOf(qint64 pid)
{
    const QByteArray path = "/proc/" + QByteArray::number(pid) + "/stat";
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    char buf[1024];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0)
        return {};
    const QByteArray s(buf, n);
    const qsizetype close = s.lastIndexOf(')');
    const QList<QByteArray> f = s.mid(close + 2).split(' ');
    return close > 0 && f.size() > 19 ? f.at(19) : QByteArray(); // field 3 is f[0]: field 22 is f[19]
}

/// A small regular file, opened without following links and without blocking (a FIFO is refused).
QByteArray readSmallFile(const QByteArray &path, qsizetype limit)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return {};
    struct stat st
    {
    };
    QByteArray out;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= limit) {
        out.resize(qsizetype(st.st_size));
        const ssize_t n = ::read(fd, out.data(), size_t(out.size()));
        out.resize(n > 0 ? qsizetype(n) : 0);
    }
    ::close(fd);
    return out;
}

int removeEntry(const char *path, const struct stat *, int type, FTW *)
{
    return type == FTW_DP ? ::rmdir(path) : ::unlink(path);
}

bool removeTreeBytes(const QByteArray &path)
{
    struct stat st
    {
    };
    if (::lstat(path.constData(), &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return ::unlink(path.constData()) == 0;
    // Depth first, links removed as links (FTW_PHYS), never into another file system (FTW_MOUNT).
    return ::nftw(path.constData(), removeEntry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) == 0;
}

void removeAtExit()
{
    TempRoot::removeAll();
}

bool makeRootLocked(QString *error)
{
    if (!s_root.isEmpty())
        return true;
    QString why;
    const QString base = TempRoot::baseDir(&why);
    if (base.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    QByteArray templ = QFile::encodeName(base) + "/threadlab-" + QByteArray::number(::getpid()) + "-XXXXXX";
    if (!::mkdtemp(templ.data())) { // mkdtemp makes it 0700
        if (error)
            *error = QStringLiteral("cannot make a temporary directory in %1: %2 (allowed: TMPDIR naming a writable "
                                    "directory)")
                         .arg(base, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (!TempRoot::isPrivateDir(QFile::decodeName(templ))) {
        ::rmdir(templ.constData());
        if (error)
            *error = QStringLiteral("the temporary directory %1 is not private (owner or mode changed under us)")
                         .arg(QFile::decodeName(templ));
        return false;
    }
    // The owner: our pid and start time, so that a later run removes this root only once we are dead.
    const QByteArray owner = QByteArray::number(::getpid()) + ' ' + startTimeOf(::getpid()) + '\n';
    const QByteArray ownerPath = templ + "/owner";
    const int fd = ::open(ownerPath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        [[maybe_unused]] const ssize_t n = ::write(fd, owner.constData(), size_t(owner.size()));
        ::close(fd);
    }
    s_root = templ;
    if (!s_atexit) {
        s_atexit = true;
        std::atexit(removeAtExit);
    }
    return true;
}

} // namespace

QString TempRoot::baseDir(QString *error)
{
    const QString tmp = qEnvironmentVariable("TMPDIR");
    const QString dir = tmp.isEmpty() ? QStringLiteral("/tmp") : tmp;
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("TMPDIR '%1' %2 (allowed: an absolute path to an existing writable directory, "
                                    "or TMPDIR unset for /tmp)")
                         .arg(dir, why);
        return QString();
    };
    if (!dir.startsWith(u'/'))
        return fail(QStringLiteral("is not an absolute path"));
    struct stat st
    {
    };
    const QByteArray bytes = QFile::encodeName(dir);
    if (::stat(bytes.constData(), &st) != 0)
        return fail(QStringLiteral("does not exist"));
    if (!S_ISDIR(st.st_mode))
        return fail(QStringLiteral("is not a directory"));
    if (::access(bytes.constData(), W_OK | X_OK) != 0)
        return fail(QStringLiteral("is not writable"));
    return QDir::cleanPath(dir);
}

bool TempRoot::init(QString *error)
{
    QMutexLocker lock(&s_mutex);
    return makeRootLocked(error);
}

QString TempRoot::path()
{
    QMutexLocker lock(&s_mutex);
    makeRootLocked(nullptr);
    return QFile::decodeName(s_root);
}

QString TempRoot::makeDir(const QString &prefix, QString *error)
{
    QMutexLocker lock(&s_mutex);
    if (!makeRootLocked(error))
        return {};
    QByteArray templ = s_root + '/' + QFile::encodeName(prefix) + "XXXXXX";
    if (!::mkdtemp(templ.data())) {
        if (error)
            *error = QStringLiteral("cannot make a directory in %1: %2")
                         .arg(QFile::decodeName(s_root), QString::fromLocal8Bit(std::strerror(errno)));
        return {};
    }
    return QFile::decodeName(templ);
}

bool TempRoot::isInside(const QString &path, const QString &dir)
{
    if (dir.isEmpty() || !path.startsWith(u'/'))
        return false;
    const QString p = QDir::cleanPath(path);
    const QString d = QDir::cleanPath(dir);
    return p.size() > d.size() + 1 && p.startsWith(d) && p.at(d.size()) == u'/';
}

bool TempRoot::removeDir(const QString &dir)
{
    QByteArray root;
    {
        QMutexLocker lock(&s_mutex);
        root = s_root;
    }
    if (root.isEmpty() || !isInside(dir, QFile::decodeName(root)))
        return false;
    return removeTreeBytes(QFile::encodeName(QDir::cleanPath(dir)));
}

void TempRoot::removeAll()
{
    QByteArray root;
    {
        QMutexLocker lock(&s_mutex);
        root.swap(s_root);
    }
    if (!root.isEmpty())
        removeTreeBytes(root);
}

bool TempRoot::removeTree(const QString &path)
{
    return removeTreeBytes(QFile::encodeName(path));
}

bool TempRoot::isPrivateDir(const QString &path)
{
    struct stat st
    {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid()
        && (st.st_mode & 0777) == 0700;
}

int TempRoot::removeStale()
{
    const QString base = baseDir();
    if (base.isEmpty())
        return 0;
    static const QRegularExpression pattern(QStringLiteral("^threadlab-([1-9][0-9]{0,9})-[A-Za-z0-9]{6}$"));
    QByteArray own;
    {
        QMutexLocker lock(&s_mutex);
        own = s_root;
    }
    int removed = 0;
    const QStringList entries = QDir(base).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    for (const QString &name : entries) {
        const auto m = pattern.match(name);
        if (!m.hasMatch())
            continue;
        const QByteArray dir = QFile::encodeName(base + u'/' + name);
        if (dir == own || !isPrivateDir(QFile::decodeName(dir)))
            continue; // someone else's, a link, or not ours to judge
        const QList<QByteArray> owner = readSmallFile(dir + "/owner", 256).trimmed().split(' ');
        if (owner.size() != 2)
            continue; // no owner written (yet): maybe a run being set up right now
        const qint64 pid = owner.at(0).toLongLong();
        if (pid <= 0 || QByteArray::number(pid) != m.captured(1).toLatin1())
            continue;
        const QByteArray start = startTimeOf(pid);
        if (!start.isEmpty() && start == owner.at(1))
            continue; // its owner still runs
        if (removeTreeBytes(dir))
            ++removed;
    }
    return removed;
}

} // namespace threadlab
