// The worker commands of the main window, applied to the selection: add, start, stop, pause, clear, recover.
#include "workercommands.h"

#include "lab/lab.h"

namespace threadlab {

namespace {
constexpr int ShortMessageMs = 3000;
constexpr int MessageMs = 6000;
constexpr int LongMessageMs = 10000;
} // namespace

WorkerCommands::WorkerCommands(Lab *lab, QObject *parent)
    : QObject(parent)
    , m_lab(lab)
{
}

int WorkerCommands::addWorkers(const WorkerSpec &spec, int count, QString *error)
{
    m_lastAdded.clear();
    if (!m_lab || count <= 0)
        return 0;
    // One action, one run of the Lab ("3× thread/cpu-spin"), shown from its own zero.
    if (m_lab->shutdownPhase() == ShutdownPhase::NotStarted)
        m_lab->beginRun(u"%1× %2/%3"_qs.arg(count).arg(toString(spec.backend), spec.workload));
    for (int i = 0; i < count; ++i) {
        WorkerSpec s = spec;
        s.name = u"w%1"_qs.arg(++m_nameCounter);
        QString err;
        Worker *w = m_lab->addWorker(s, &err);
        if (!w) {
            if (error && error->isEmpty())
                *error = err;
            break;
        }
        m_lastAdded << w->id();
    }
    emit workersChanged();
    return int(m_lastAdded.size());
}

void WorkerCommands::start()
{
    int n = 0;
    for (Worker *w : selection()) {
        if (w->state() == WorkerState::Created) {
            w->start();
            ++n;
        }
    }
    emit workersStarted();
    emit message(u"Started %1 worker(s)"_qs.arg(n), ShortMessageMs);
    emit commandApplied();
}

void WorkerCommands::stop(StopMethod method)
{
    int n = 0;
    QStringList refused;
    const StopPolicy p = policy();
    for (Worker *w : selection()) {
        QString reason;
        if (w->stop(method, p, &reason))
            ++n;
        else
            refused << u"%1: %2"_qs.arg(w->spec().name, reason);
    }
    QString text = u"%1: sent to %2 worker(s)"_qs.arg(toString(method)).arg(n);
    if (!refused.isEmpty())
        text += u"; refused for "_qs + refused.join(u"; "_qs);
    emit message(text, MessageMs);
    emit commandApplied();
}

void WorkerCommands::pause(bool pause)
{
    for (Worker *w : selection()) {
        if (pause)
            w->pause();
        else
            w->resume();
    }
    emit commandApplied();
}

void WorkerCommands::stopAll()
{
    if (!m_lab)
        return;
    int n = 0;
    const StopPolicy p = policy();
    for (Worker *w : m_lab->workers()) {
        if (w->isFinished() || w->state() == WorkerState::Created)
            continue;
        if (w->stop(StopMethod::Escalate, p))
            ++n;
    }
    emit message(u"Stopping %1 worker(s) with escalation"_qs.arg(n), MessageMs);
    emit commandApplied();
}

void WorkerCommands::clearFinished()
{
    if (!m_lab)
        return;
    m_lab->clearFinished();
    emit workersChanged();
}

void WorkerCommands::recover()
{
    if (!m_lab)
        return;
    const QStringList lines = m_lab->recover();
    emit message(lines.isEmpty() ? u"Lab recovered: nothing needed repair"_qs : lines.join(u"; "_qs), LongMessageMs);
}

} // namespace threadlab
