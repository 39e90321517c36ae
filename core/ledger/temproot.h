// The app's one temporary root ($TMPDIR/threadlab-<pid>-XXXXXX, 0700): lab and host directories live inside it.
#pragma once

#include <QString>

namespace threadlab {

/// One root per app run, made on first use (or by init()): checked with lstat + owner + mode, with a file
/// "owner" holding the pid and its start time (/proc/<pid>/stat field 22) so that a later run can tell a stale
/// root (owner dead) from a live one. Removed on every exit path: atexit, and removeAll() before an _Exit.
/// Nothing here follows a symbolic link. Safe on any thread.
class TempRoot
{
public:
    /// $TMPDIR (or /tmp) if usable: absolute, an existing directory we may write to; else empty with error set.
    static QString baseDir(QString *error = nullptr);
    /// Makes the root now (if not yet). False with a one-line error if $TMPDIR is unusable.
    static bool init(QString *error = nullptr);
    /// The root (made on first use); empty if it cannot be made.
    static QString path();
    /// A fresh 0700 directory inside the root: <root>/<prefix>XXXXXX; empty with error set on failure.
    static QString makeDir(const QString &prefix, QString *error = nullptr);
    /// Removes a directory made by makeDir() (recursively, never following links); refuses any other path.
    static bool removeDir(const QString &dir);
    /// True if path is lexically inside dir (after cleaning; dir itself excluded).
    static bool isInside(const QString &path, const QString &dir);
    /// Removes the whole root (idempotent). Also registered with atexit.
    static void removeAll();
    /// Removes roots of ThreadLab runs whose owner process is dead (same user; never following links); returns
    /// how many were removed.
    static int removeStale();
    /// Checks that an existing path is a directory (not a link) owned by us with mode 0700 (lstat).
    static bool isPrivateDir(const QString &path);
    /// Removes a tree without following symbolic links or crossing into other file systems.
    static bool removeTree(const QString &path);
};

} // namespace threadlab
