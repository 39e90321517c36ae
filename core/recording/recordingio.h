// Saving and reopening recordings as versioned `.threadlab.json` files (gzip when the name ends in `.gz`).
#pragma once

#include "recording.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace threadlab {

/// Reads and writes the recording format documented in docs/recording-format.md. Every error is one line
/// that starts with the file's path and says what is wrong (unreadable, corrupt, truncated, newer version).
class RecordingIO
{
public:
    /// The value of the top-level "format" field that marks a ThreadLab recording.
    static QString formatName() { return QStringLiteral("threadlab-recording"); }

    /// Writes the recording atomically (QSaveFile); gzip-compressed when path ends in ".gz".
    static bool save(const Recording &recording, const QString &path, QString *error = nullptr);
    /// Reads a recording (plain or gzip, told apart by the content, not the name).
    static std::optional<Recording> load(const QString &path, QString *error = nullptr);

    /// The JSON text of a recording (UTF-8, one event per line).
    static QByteArray toJson(const Recording &recording);
    /// Parses JSON text; source names the file in error messages.
    static std::optional<Recording> fromJson(const QByteArray &json, const QString &source, QString *error);

    /// A real gzip (RFC 1952) file image of data, readable by gunzip.
    static QByteArray gzipCompress(const QByteArray &data, int level = 6);
    /// Decompresses a gzip (or zlib) image; sets error to "truncated ..." or "corrupt ..." on failure.
    static std::optional<QByteArray> gzipDecompress(const QByteArray &data, QString *error);
    /// True if data starts with the gzip magic bytes.
    static bool isGzip(const QByteArray &data);
};

/// Entry point for the CLI and the GUI: saves a recording; error gets one line on failure.
bool saveRecording(const Recording &recording, const QString &path, QString *error);

} // namespace threadlab
