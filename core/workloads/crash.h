// crash (process only): after after_ms dies by SIGSEGV, by abort() (SIGABRT) or by exit(code) without a bye.
#pragma once

#include "workload.h"

namespace threadlab {

class Crash : public Workload
{
public:
    explicit Crash(const Params &params);
    static QString name() { return QStringLiteral("crash"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    QString m_mode;
    qint64 m_afterMs;
    qint64 m_code;
};

} // namespace threadlab
