// Measures the process backend against a bare QProcess running /bin/true, in the same run.
#include "processbench.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "processsystem.h"
#include "processworker.h"
#include "workloads/workload.h"

#include <QEventLoop>
#include <QProcess>
#include <QTimer>
#include <algorithm>

namespace threadlab {

namespace {

constexpr int WaitMs = 10000;

/// Pumps the event loop until pred() holds or the deadline passes.
template <typename Pred> bool pumpUntil(QObject *source, Pred pred)
{
    if (pred())
        return true;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll; // the worker's own signals also wake the loop; this only bounds a missed one
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred())
            loop.quit();
    });
    if (auto *w = qobject_cast<Worker *>(source)) {
        QObject::connect(w, &Worker::stateChanged, &loop, [&] {
            if (pred())
                loop.quit();
        });
        QObject::connect(w, &Worker::ended, &loop, &QEventLoop::quit);
    }
    deadline.start(WaitMs);
    poll.start(1);
    while (!pred() && deadline.isActive())
        loop.exec();
    return pred();
}

void finish(ProcessBenchCase &c)
{
    QList<qint64> s = c.samplesNs;
    std::sort(s.begin(), s.end());
    if (s.isEmpty())
        return;
    const auto at = [&](double q) { return s.at(qMin(s.size() - 1, qsizetype(q * double(s.size() - 1) + 0.5))); };
    c.p50Ns = at(0.5);
    c.p90Ns = at(0.9);
    c.maxNs = s.last();
}

} // namespace

QList<ProcessBenchCase> processBenchCases(int repetitions, QString *error)
{
    if (ProcessSystem::hostExecutable(error).isEmpty())
        return {};
    repetitions = qMax(1, repetitions);
    auto log = std::make_shared<EventLog>();
    auto lab = std::make_shared<LabResources>();
    WorkerSpec spec;
    spec.name = QStringLiteral("bench");
    spec.backend = Backend::Process;
    spec.workload = QStringLiteral("sleep-steps");
    WorkloadRegistry::resolve(spec.workload, QVariantMap { { QStringLiteral("step_ms"), 1 } }, &spec.params, nullptr);

    ProcessBenchCase bare { QStringLiteral("bare QProcess /bin/true"),
        QStringLiteral("QProcess start to finished of /bin/true (the reference)"), {}, 0, 0, 0 };
    ProcessBenchCase hello { QStringLiteral("process spawn->hello"),
        QStringLiteral("ProcessWorker::start() to the host's hello handled"), {}, 0, 0, 0 };
    ProcessBenchCase request { QStringLiteral("process request->reaped"),
        QStringLiteral("stdin stop to the host reaped (bye, exit 0)"), {}, 0, 0, 0 };
    ProcessBenchCase force { QStringLiteral("process force->reaped"),
        QStringLiteral("SIGKILL to the host, to the host reaped"), {}, 0, 0, 0 };
    int id = 1;
    for (int i = 0; i < repetitions; ++i) {
        {
            QProcess p;
            qint64 doneNs = 0;
            QObject::connect(&p, &QProcess::finished, &p, [&] { doneNs = monotonicNowNs(); });
            const qint64 t0 = monotonicNowNs();
            p.start(QStringLiteral("/bin/true"), QStringList());
            if (pumpUntil(&p, [&] { return doneNs != 0; }))
                bare.samplesNs << doneNs - t0;
        }
        for (ProcessBenchCase *stopCase : { &request, &force }) {
            ProcessWorker w(id++, spec, log, lab);
            const qint64 t0 = monotonicNowNs();
            w.start();
            if (!pumpUntil(&w, [&] { return w.state() == WorkerState::Running || w.hasEnded(); }))
                continue;
            if (w.helloAtNs() > 0)
                hello.samplesNs << w.helloAtNs() - t0;
            const qint64 t1 = monotonicNowNs();
            w.stop(stopCase == &request ? StopMethod::Request : StopMethod::Force, StopPolicy { 5000, 5000 });
            if (pumpUntil(&w, [&] { return w.hasEnded(); }) && w.reapedAtNs() > 0)
                stopCase->samplesNs << w.reapedAtNs() - t1;
        }
        log->takeNew();
    }
    QList<ProcessBenchCase> out { hello, request, force, bare };
    for (auto &c : out)
        finish(c);
    return out;
}

} // namespace threadlab
