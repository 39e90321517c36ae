// The worker base: stop methods with their deadlines and escalation, states, outcomes and the leak probe.
#include "worker.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "ledger/leakledger.h"
#include "workloads/stopcontext.h"

#include <QFile>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <unistd.h>

namespace threadlab {

namespace {

constexpr int PollIntervalMs = 10;
constexpr int LockProbeMs = 200;

/// Leak probes may block (a tryLock with a timeout): they run here, never on the owner's thread and never
/// on the global pool. Deliberately never destroyed (~QThreadPool would wait at exit).
QThreadPool *probePool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(2);
        return p;
    }();
    return pool;
}

} // namespace

Worker::Worker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_spec(std::move(spec))
    , m_log(std::move(log))
    , m_lab(std::move(lab))
{
    qRegisterMetaType<threadlab::WorkerState>();
    qRegisterMetaType<threadlab::Outcome>();
    qRegisterMetaType<threadlab::LeakList>();
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &Worker::handleDeadline);
    m_poll.setInterval(PollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &Worker::pollContext);
}

Worker::~Worker() = default;

QString Worker::refusal(StopMethod method) const
{
    if (isInProcess(m_spec.backend) && (method == StopMethod::Sigterm || method == StopMethod::ForceGroup))
        return toString(method) + QStringLiteral(" signals a process; use --backend process");
    if (method == StopMethod::Force || method == StopMethod::Escalate) {
        if (const QString why = forceUnavailable(); !why.isEmpty())
            return method == StopMethod::Force ? why : QStringLiteral("escalate needs force; ") + why;
    }
    if (m_state == WorkerState::Created)
        return QStringLiteral("the worker has not been started");
    if (hasEnded() || (isFinished() && m_outcome != Outcome::Unresponsive))
        return QStringLiteral("the worker has already finished");
    return {};
}

WorkerSnapshot Worker::snapshot() const
{
    WorkerSnapshot s;
    s.id = m_id;
    s.name = m_spec.name;
    s.backend = m_spec.backend;
    s.workload = m_spec.workload;
    s.params = m_spec.params;
    s.stepsDone = stepsDone();
    s.cpuTimeNs = cpuTimeNs();
    s.leaks = m_leaks;
    s.leaksKnown = m_leaksKnown;
    s.stderrTail = stderrTail();
    return s;
}

QString Worker::pauseRefusal() const
{
    return QStringLiteral("pause needs QFuture::suspend(), which only concurrent workers support");
}

void Worker::start()
{
    if (m_state != WorkerState::Created)
        return;
    record(EventKind::StartRequested);
    setState(WorkerState::Starting);
    m_poll.start();
    doStart();
}

bool Worker::stop(StopMethod method, const StopPolicy &policy, QString *reason)
{
    const QString why = refusal(method);
    if (!why.isEmpty()) {
        if (reason)
            *reason = why;
        return false;
    }
    record(EventKind::StopRequested, qint64(method), toString(method));
    m_method = method;
    m_policy = policy;
    m_escalationStep = 0;
    if (!isFinished() && m_state != WorkerState::CleaningUp)
        setState(WorkerState::Stopping);

    switch (method) {
    case StopMethod::Request:
    case StopMethod::Escalate:
        doRequestStop();
        m_deadline.start(qMax(0, policy.graceMs));
        break;
    case StopMethod::Sigterm:
        sendKill(method);
        m_deadline.start(qMax(0, policy.graceMs));
        break;
    case StopMethod::Force:
    case StopMethod::ForceGroup:
        sendKill(method);
        m_deadline.start(qMax(0, policy.killTimeoutMs));
        break;
    }
    return true;
}

void Worker::pause()
{
    if (!pauseRefusal().isEmpty())
        return;
    doPause();
}

void Worker::resume()
{
    if (!pauseRefusal().isEmpty())
        return;
    doResume();
}

void Worker::sendKill(StopMethod method)
{
    if (StopContext *ctx = stopContext())
        ctx->setKillPending();
    record(EventKind::KillSent, qint64(method), toString(method));
    m_forceSent = true;
    doForceKill(method);
}

void Worker::handleDeadline()
{
    if (hasEnded() || isFinished())
        return;
    if (m_method == StopMethod::Escalate) {
        const QList<StopMethod> steps = escalationSteps();
        if (m_escalationStep < steps.size()) {
            const StopMethod step = steps.at(m_escalationStep++);
            sendKill(step);
            const bool last = m_escalationStep == steps.size();
            m_deadline.start(qMax(0, last ? m_policy.killTimeoutMs : m_policy.graceMs));
            return;
        }
    }
    record(EventKind::KillTimeout, 0, toString(m_method));
    m_unresponsiveAtNs = monotonicNowNs();
    m_outcome = Outcome::Unresponsive;
    record(EventKind::Outcome, qint64(m_outcome), toString(m_outcome));
    setState(WorkerState::Finished);
    emit finished(m_id, m_outcome);
}

void Worker::pollContext()
{
    StopContext *ctx = stopContext();
    if (!ctx || hasEnded())
        return;
    if (m_state == WorkerState::Starting && ctx->threadId() != 0)
        setState(WorkerState::Running);
    if (m_state == WorkerState::Stopping && ctx->stopNoticed())
        setState(WorkerState::CleaningUp);
}

void Worker::record(EventKind kind, qint64 value, const QString &detail)
{
    m_log->record(m_id, kind, value, detail);
}

void Worker::setState(WorkerState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(m_id, state);
}

void Worker::handleEnded(Outcome outcome)
{
    m_deadline.stop();
    m_poll.stop();
    record(EventKind::Joined);
    if (m_outcome == Outcome::Unresponsive) {
        const qint64 lateMs = (monotonicNowNs() - m_unresponsiveAtNs) / 1'000'000;
        record(EventKind::Note, lateMs,
            QStringLiteral("ended after being unresponsive (%1 ms late): %2").arg(lateMs).arg(toString(outcome)));
    } else {
        m_outcome = outcome;
        record(EventKind::Outcome, qint64(outcome), toString(outcome));
        setState(WorkerState::Finished);
        emit finished(m_id, outcome);
    }
    emit ended(m_id);
    probeLeaks();
}

void Worker::probeLeaks()
{
    const EventList events = m_log->forWorker(m_id);
    std::shared_ptr<LabResources> lab = m_lab;
    auto *watcher = new QFutureWatcher<LeakList>(this);
    connect(watcher, &QFutureWatcher<LeakList>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_leaks = watcher->future().result();
        for (const Leak &leak : std::as_const(m_leaks))
            record(EventKind::Leak, 0, leak.kind + QStringLiteral(": ") + leak.detail);
        m_leaksKnown = true;
        emit leaksProbed(m_id, m_leaks);
    });
    watcher->setFuture(
        QtConcurrent::run(probePool(), [events, lab] { return LeakLedger::probe(events, *lab, LockProbeMs); }));
}

qint64 Worker::readThreadCpuNs(qint64 tid)
{
    if (tid <= 0)
        return -1;
    // schedstat's first field is the time spent on the CPU in ns.
    QFile sched(QStringLiteral("/proc/self/task/%1/schedstat").arg(tid));
    if (sched.open(QIODevice::ReadOnly)) {
        const QByteArray line = sched.readLine();
        bool ok = false;
        const qint64 ns = line.split(' ').value(0).trimmed().toLongLong(&ok);
        if (ok)
            return ns;
    }
    // Fallback: utime + stime (fields 14 and 15, in clock ticks) after the ')' that ends the name.
    QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // After ")": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
    if (fields.size() < 13)
        return -1;
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    const long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? ticks * (1'000'000'000 / hz) : -1;
}

} // namespace threadlab
