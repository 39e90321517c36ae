// A workload: code that behaves like real code (busy loops, sleeps, waits, locks, files, children).
#pragma once

#include "base/params.h"

#include <memory>

namespace threadlab {

class StopContext;

/// Written once against StopContext; runs on every backend. run() returns when the work is done or
/// the workload honoured a stop (after its clean-up). It may be unwound by a force-kill.
class Workload
{
public:
    virtual ~Workload() = default;
    virtual void run(StopContext &ctx) = 0;
};

/// Everything the CLI, GUI and docs show about a workload.
struct WorkloadInfo
{
    QString name;
    QString description; ///< one line
    QString cancellationPoints; ///< where a QThread::terminate() can land, one line
    QList<ParamSpec> params;
    bool processOnly = false; ///< e.g. crash: only in the worker-host process
};

/// The catalogue of workloads.
class WorkloadRegistry
{
public:
    static const QList<WorkloadInfo> &all();
    static const WorkloadInfo *find(const QString &name);
    static QStringList names(bool includeProcessOnly = true);

    /// Resolves user input ("k=v" strings) into full typed Params with defaults. On a bad input returns
    /// false and sets error to one line naming the bad value and what is allowed.
    static bool resolve(const QString &workload, const QStringList &assignments, Params *out, QString *error);
    /// "key=value" assignments as a map of strings (values resolved later); false with error on a malformed one.
    static bool parseAssignments(const QStringList &assignments, QVariantMap *out, QString *error);
    /// Same, from an already-split map (scenario files, the GUI); values may be strings or typed.
    static bool resolve(const QString &workload, const QVariantMap &given, Params *out, QString *error);
    /// Same against a catalogue entry given by the caller (the Python host's workloads have their own).
    static bool resolve(const WorkloadInfo &info, const QVariantMap &given, Params *out, QString *error);

    /// Creates the workload; params must be resolved.
    static std::unique_ptr<Workload> create(const QString &name, const Params &params);
};

} // namespace threadlab
