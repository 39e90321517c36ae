// The workloads of the Python worker host: the C++ workloads' parameters adapted, plus the Python ones.
#include "pythonworkloads.h"

namespace threadlab {

namespace {

ParamSpec boolParam(const char *name, const char *description)
{
    return { QString::fromLatin1(name), ParamType::Boolean, QString::fromUtf8(description), false, 0, 0, {} };
}

/// The parameters every Python workload takes (each says which backend reads it).
QList<ParamSpec> pythonParams()
{
    return {
        boolParam("daemon",
            "run the thread (python) or the multiprocessing child (python-process) as a daemon: interpreter exit "
            "abandons it without running its finally"),
        boolParam("trace",
            "python: run as the KThread, a sys.settrace trace function on every line (settrace needs it; it slows "
            "pure-Python code)"),
        { QStringLiteral("repeat_ms"), ParamType::Integer,
            QStringLiteral("python, async-exc: re-raise SystemExit every repeat_ms until the thread is gone (the "
                           "seed's loop); 0 raises once"),
            qint64(0), 0, 10'000, {} },
        boolParam("sigterm_handler",
            "python-process: the child installs a SIGTERM handler raising SystemExit, so terminate() runs its "
            "finally"),
    };
}

WorkloadInfo adapted(const QString &name, const QString &description, const QString &landing)
{
    const WorkloadInfo *cpp = WorkloadRegistry::find(name);
    WorkloadInfo info { name, description, landing, cpp ? cpp->params : QList<ParamSpec>(), false };
    info.params << pythonParams();
    return info;
}

} // namespace

const QList<WorkloadInfo> &PythonWorkloads::all()
{
    static const QList<WorkloadInfo> list = [] {
        const QString betweenBytecodes
            = QStringLiteral("an async exception or a settrace kill lands between bytecodes of the pure-Python loop");
        QList<WorkloadInfo> l;
        l << adapted(QStringLiteral("cpu-spin"),
            QStringLiteral("a pure-Python busy loop in steps of about step_us (calibrated untraced), checking the "
                           "Event every check_every steps"),
            betweenBytecodes);
        l << adapted(QStringLiteral("cpu-ignore"),
            QStringLiteral("the same pure-Python busy loop for run_ms, never checking for a stop"), betweenBytecodes);
        l << adapted(QStringLiteral("sleep-steps"),
            QStringLiteral("time.sleep(step_ms) per step, checking the Event between steps"),
            QStringLiteral("only after the current time.sleep returns"));
        WorkloadInfo wait = adapted(QStringLiteral("blocking-wait"),
            QStringLiteral("blocks on something that never comes (time.sleep, Event.wait, queue.get, socket recv); "
                           "wake=none waits it out, poll waits in slices, notify wakes the wait on the stop"),
            QStringLiteral("only when the blocking call returns (a slice ends, the timeout, or a notify)"));
        for (ParamSpec &p : wait.params)
            if (p.name == u"wait") {
                p.description = QStringLiteral("what it blocks on: time.sleep, Event.wait, queue.get or a socket recv");
                p.defaultValue = QStringLiteral("event");
                p.choices = QStringList { QStringLiteral("sleep"), QStringLiteral("event"), QStringLiteral("queue"),
                    QStringLiteral("recv") };
            }
        l << wait;
        l << adapted(QStringLiteral("lock-holder"),
            QStringLiteral("each step takes the host's lab lock (raii=true: with lock:, false: acquire()/release()) "
                           "and sleeps hold_ms inside it"),
            QStringLiteral("after the sleep inside the lock: with releases it, a raw acquire() stays held"));
        l << adapted(QStringLiteral("file-writer"),
            QStringLiteral("writes records to a .part file in the lab directory (two writes each) and commits it by "
                           "rename; raii=true: with open() and a clean-up, false: os.open and no clean-up"),
            QStringLiteral("between the writes and after each record's sleep"));
        WorkloadInfo spawner = adapted(QStringLiteral("spawner"),
            QStringLiteral("python: starts child threads; python-process: the child forks grandchild processes in "
                           "the host's group; propagate=true stops and joins them, false leaves them running"),
            QStringLiteral("its sleeps between steps; nothing reaches the children"));
        spawner.params.removeIf([](const ParamSpec &p) { return p.name == u"child_workload"; });
        for (ParamSpec &p : spawner.params)
            if (p.name == u"setsid")
                p.description = QStringLiteral("python-process: each grandchild calls os.setsid(), leaving the host's "
                                               "group: a kill of the group misses it");
        l << spawner;
        l << adapted(QStringLiteral("slow-cleanup"),
            QStringLiteral("time.sleep(step_ms) steps whose finally takes cleanup_ms in 10 ms steps, each written to "
                           "a file it removes at the end: an exception inside the finally leaves the file"),
            QStringLiteral("only after the current time.sleep returns, in the loop and in the finally alike"));
        WorkloadInfo loop = adapted(QStringLiteral("timer-loop"),
            QStringLiteral("an asyncio event loop ticking every step_ms (one step per tick): Event.set() is read "
                           "only by a tick with check=true; stop_loop=true stops the loop from outside"),
            QStringLiteral("between the loop's callbacks, when its select() returns at the next tick"));
        loop.params << boolParam("stop_loop",
            "python: the stop also calls loop.call_soon_threadsafe(loop.stop), asyncio's counterpart of "
            "QThread::quit()");
        l << loop;
        return l;
    }();
    return list;
}

const WorkloadInfo *PythonWorkloads::find(const QString &name)
{
    for (const WorkloadInfo &info : all())
        if (info.name == name)
            return &info;
    return nullptr;
}

QStringList PythonWorkloads::names()
{
    QStringList out;
    for (const WorkloadInfo &info : all())
        out << info.name;
    return out;
}

bool PythonWorkloads::resolve(const QString &workload, const QVariantMap &given, Params *out, QString *error)
{
    const WorkloadInfo *info = find(workload);
    if (!info) {
        if (error)
            *error = QStringLiteral("unknown workload '%1' for the python backends (allowed: %2)")
                         .arg(workload, names().join(QStringLiteral(", ")));
        return false;
    }
    return WorkloadRegistry::resolve(*info, given, out, error);
}

} // namespace threadlab
