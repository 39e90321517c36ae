// Opening input files safely: only regular files, never blocking on a FIFO, with a size limit.
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace threadlab {

/// Reads the whole of path if it is a regular file of at most maxBytes. A FIFO, device, socket or directory is
/// refused without blocking (opened with O_NONBLOCK, then fstat). On failure returns nothing and sets error to
/// one line without the path (e.g. "is a FIFO (allowed: a regular file)").
std::optional<QByteArray> readRegularFile(const QString &path, qint64 maxBytes, QString *error);

} // namespace threadlab
