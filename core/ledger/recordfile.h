// The record file format of file-writer ("TLRH" index length payload "TLRT" index), and its scanner.
#pragma once

#include <QString>

namespace threadlab::RecordFile {

constexpr char HeaderMagic[4] = { 'T', 'L', 'R', 'H' };
constexpr char TrailerMagic[4] = { 'T', 'L', 'R', 'T' };
/// Bytes of one record's header ("TLRH", index, payload length) and trailer ("TLRT", index).
constexpr qint64 HeaderBytes = 12;
constexpr qint64 TrailerBytes = 8;
/// How long one scan may take.
constexpr int ScanBoundMs = 500;

/// What a record file on disk holds, read from its record headers.
struct Scan
{
    bool exists = false;
    qint64 sizeBytes = 0;
    qint64 completeRecords = 0;
    bool halfWritten = false; ///< the file ends inside a record, or a record is damaged
    bool incomplete = false; ///< the scan stopped at its time bound (completeRecords is a lower bound)
};

/// Reads the records of a file written by file-writer: a regular file only (O_NOFOLLOW | O_NONBLOCK, fstat),
/// for at most ScanBoundMs.
Scan scan(const QString &path);
/// "8240 bytes, 2 complete records, the last record half-written".
QString describe(const Scan &scan);

} // namespace threadlab::RecordFile
