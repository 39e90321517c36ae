// cpu-ignore: the same busy work as cpu-spin, never checking for a stop (the bug to recognise).
#pragma once

#include "workload.h"

namespace threadlab {

class CpuIgnore : public Workload
{
public:
    explicit CpuIgnore(const Params &params);
    static QString name() { return QStringLiteral("cpu-ignore"); }
    static WorkloadInfo info();
    void run(StopContext &ctx) override;

private:
    qint64 m_stepUs;
    qint64 m_runMs;
};

} // namespace threadlab
