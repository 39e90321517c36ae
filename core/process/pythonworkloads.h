// The workloads of the Python worker host (threadlab-pyhost.py): their names, documented parameters, validation.
#pragma once

#include "workloads/workload.h"

namespace threadlab {

/// The Python host runs the C++ workloads' namesakes written in pure Python, with the parameters that make
/// sense there plus the Python ones (daemon, trace, repeat_ms, sigterm_handler). The host trusts what the
/// app resolved here: bad input is refused in the app, with one line, before any process starts.
class PythonWorkloads
{
public:
    static const QList<WorkloadInfo> &all();
    static const WorkloadInfo *find(const QString &name);
    static QStringList names();
    /// Resolves given values (strings or typed) into full typed Params; false with one line on bad input.
    static bool resolve(const QString &workload, const QVariantMap &given, Params *out, QString *error);
};

} // namespace threadlab
