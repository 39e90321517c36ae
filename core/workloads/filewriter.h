// file-writer: writes checkable records to "<name>.part" in the lab directory, commits by rename.
#pragma once

#include "workload.h"

namespace threadlab {

class FileWriter : public Workload
{
public:
    explicit FileWriter(const Params &params);
    static QString name() { return QStringLiteral("file-writer"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

    /// Bytes of one record's header ("TLRH", index, payload length) and trailer ("TLRT", index).
    static constexpr qint64 HeaderBytes = 12;
    static constexpr qint64 TrailerBytes = 8;

    /// What a record file on disk holds, read from its record headers.
    struct RecordScan
    {
        bool exists = false;
        qint64 sizeBytes = 0;
        qint64 completeRecords = 0;
        bool halfWritten = false; ///< the file ends inside a record, or a record is damaged
    };
    /// Reads the records of a file written by file-writer.
    static RecordScan scanRecords(const QString &path);
    /// "8240 bytes, 2 complete records, the last record half-written".
    static QString describe(const RecordScan &scan);

private:
    qint64 m_records;
    qint64 m_recordBytes;
    qint64 m_recordMs;
    bool m_raii;
    bool m_fsync;
};

} // namespace threadlab
