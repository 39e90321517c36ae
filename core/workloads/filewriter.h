// file-writer: writes checkable records to "<name>.part" in the lab directory, commits by rename.
#pragma once

#include "ledger/recordfile.h"
#include "workload.h"

namespace threadlab {

class FileWriter : public Workload
{
public:
    explicit FileWriter(const Params &params);
    static QString name() { return QStringLiteral("file-writer"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

    /// Bytes of one record's header and trailer (the format lives in ledger/recordfile.h).
    static constexpr qint64 HeaderBytes = RecordFile::HeaderBytes;
    static constexpr qint64 TrailerBytes = RecordFile::TrailerBytes;
    using RecordScan = RecordFile::Scan;
    /// Reads the records of a file written by file-writer.
    static RecordScan scanRecords(const QString &path) { return RecordFile::scan(path); }
    /// "8240 bytes, 2 complete records, the last record half-written".
    static QString describe(const RecordScan &scan) { return RecordFile::describe(scan); }

private:
    qint64 m_records;
    qint64 m_recordBytes;
    qint64 m_recordMs;
    bool m_raii;
    bool m_fsync;
};

} // namespace threadlab
