// The worker base: stop methods with their deadlines and escalation, states, outcomes and the leak probe.
#include "worker.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "ledger/leakledger.h"
#include "model/workerfold.h"
#include "workloads/stopcontext.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QFutureWatcher>
#include <QMetaObject>
#include <QMutex>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int LockProbeMs = 200;

/// Leak probes may block (a tryLock with a timeout): they run here, never on the owner's thread and never
/// on the global pool. Deliberately never destroyed (~QThreadPool would wait at exit).
QThreadPool *probePool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(2);
        // Idle probe threads leave after a second instead of lingering 30 s (a thread list should settle fast).
        p->setExpiryTimeout(1000);
        return p;
    }();
    return pool;
}

/// A kill that a kill timeout follows; a request or SIGTERM has a grace period instead. The Python host's
/// async exception, settrace flag and interpreter exit are kills too: nothing in the workload asks for them.
bool isKill(StopMethod method)
{
    return method == StopMethod::Force || method == StopMethod::ForceGroup || method == StopMethod::AsyncExc
        || method == StopMethod::Settrace || method == StopMethod::InterpreterExit;
}

} // namespace

/// How the worker's threads (which can outlive it) reach it: a queued call under a mutex that the worker's
/// destructor takes to detach, so nothing is ever posted to a dead worker.
struct Worker::OwnerLink
{
    QMutex mutex;
    Worker *owner = nullptr;

    void post(std::function<void()> f)
    {
        QMutexLocker lock(&mutex);
        // The worker is the context: a call still queued when it dies is dropped with it.
        if (owner)
            QMetaObject::invokeMethod(owner, std::move(f), Qt::QueuedConnection);
    }
};

Worker::Worker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_spec(std::move(spec))
    , m_log(std::move(log))
    , m_lab(std::move(lab))
    , m_link(std::make_shared<OwnerLink>())
{
    qRegisterMetaType<threadlab::WorkerState>();
    qRegisterMetaType<threadlab::Outcome>();
    qRegisterMetaType<threadlab::LeakList>();
    m_link->owner = this;
    m_deadline.setSingleShot(true);
    // A coarse timer may fire up to 5% early: "grace expired after 296 ms" for a 300 ms grace would be a lie.
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, &Worker::handleDeadline);
}

Worker::~Worker()
{
    detachOwnerLink();
}

void Worker::detachOwnerLink()
{
    QMutexLocker lock(&m_link->mutex);
    m_link->owner = nullptr;
}

std::function<void(std::function<void()>)> Worker::poster()
{
    std::shared_ptr<OwnerLink> link = m_link;
    return [link](std::function<void()> f) { link->post(std::move(f)); };
}

std::function<void()> Worker::codeStartedNotifier()
{
    std::shared_ptr<OwnerLink> link = m_link;
    return [link, self = this] { link->post([self] { self->handleCodeStarted(); }); };
}

std::function<void()> Worker::stopNoticedNotifier()
{
    std::shared_ptr<OwnerLink> link = m_link;
    return [link, self = this] { link->post([self] { self->handleStopNoticed(); }); };
}

std::optional<Refusal> Worker::refusalFor(StopMethod method) const
{
    if (auto backend = backendRefusal(m_spec.backend, method))
        return backend;
    if (m_state == WorkerState::Created)
        return Refusal { RefusalReason::NotStarted, m_spec.backend, method };
    if (hasEnded() || (isFinished() && m_outcome != Outcome::Unresponsive))
        return Refusal { RefusalReason::AlreadyEnded, m_spec.backend, method };
    return std::nullopt;
}

std::optional<Refusal> Worker::pauseRefusalFor() const
{
    if (auto backend = threadlab::pauseRefusal(m_spec.backend))
        return backend;
    if (m_state == WorkerState::Created)
        return Refusal { RefusalReason::NotStarted, m_spec.backend, std::nullopt };
    if (hasEnded() || isFinished())
        return Refusal { RefusalReason::AlreadyEnded, m_spec.backend, std::nullopt };
    if (!pauseReady())
        return Refusal { RefusalReason::NotRunning, m_spec.backend, std::nullopt };
    return std::nullopt;
}

QString Worker::refusal(StopMethod method) const
{
    const auto r = refusalFor(method);
    return r ? describe(*r) : QString();
}

QString Worker::pauseRefusal() const
{
    const auto r = pauseRefusalFor();
    return r ? describe(*r) : QString();
}

WorkerPhase Worker::phase() const
{
    const StopContext *ctx = stopContext();
    return ctx ? ctx->phase() : WorkerPhase::None;
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
    s.phase = phase();
    s.leaks = m_leaks;
    s.leaksKnown = m_leaksKnown;
    s.stderrTail = stderrTail();
    return s;
}

void Worker::start()
{
    if (m_state != WorkerState::Created)
        return;
    record(EventKind::StartRequested);
    setState(WorkerState::Starting);
    doStart();
}

bool Worker::stop(StopMethod method, const StopPolicy &policy, QString *reason)
{
    sendPendingRequest(); // a request still waiting goes first: the events keep the order of the calls
    if (const auto refused = refusalFor(method)) {
        if (reason)
            *reason = describe(*refused);
        return false;
    }
    const bool request = method == StopMethod::Request || method == StopMethod::Escalate;
    if (!request)
        record(EventKind::StopRequested, qint64(method), toString(method));
    m_stopRequested = true;
    m_method = method;
    m_lastSent = method;
    m_policy = policy;
    m_escalationStep = 0;

    switch (method) {
    case StopMethod::Request:
    case StopMethod::Escalate:
        // The grace counts from the request's going out (sendPendingRequest()): "grace expired after 300 ms"
        // is measured from the recorded request, and the worker gets all of it.
        m_lastSent = StopMethod::Request;
        m_deadline.stop();
        m_requestPending = true; // before the views' slots: a stop() from one of them sends this one first
        break;
    case StopMethod::Sigterm:
        sendKill(method);
        m_deadline.start(qMax(0, policy.graceMs));
        break;
    case StopMethod::Force:
    case StopMethod::ForceGroup:
    case StopMethod::AsyncExc:
    case StopMethod::Settrace:
    case StopMethod::InterpreterExit:
        sendKill(method);
        m_deadline.start(qMax(0, policy.killTimeoutMs));
        break;
    }
    stateFromStop();
    if (m_requestPending)
        sendRequestWhenIdle();
    return true;
}

void Worker::sendRequestWhenIdle()
{
    // The owner's own work after a request (recording, the views' slots, its way back to the loop) is done
    // before the request goes out, as a bare owner sets its flag and goes to sleep in join(): a worker the
    // scheduler put on the owner's CPU would otherwise wait for all of it, and "observed" would measure
    // ThreadLab, not the method. A low-priority posted event runs after everything already queued, just
    // before the loop waits. With no loop running (a destructor after exec() returned, a plain call in a
    // test) nothing would deliver it: it goes now.
    if (QThread::currentThread()->loopLevel() == 0) {
        sendPendingRequest();
        return;
    }
    QCoreApplication::postEvent(this, new QEvent(requestDueEvent()), Qt::LowEventPriority);
}

void Worker::sendPendingRequest()
{
    if (!m_requestPending)
        return;
    m_requestPending = false;
    record(EventKind::StopRequested, qint64(m_method), toString(m_method));
    if (hasEnded())
        return;
    doRequestStop();
    if (!hasEnded()) // a process still queued for its start ends at the request
        m_deadline.start(qMax(0, m_policy.graceMs));
}

void Worker::customEvent(QEvent *event)
{
    if (event->type() == requestDueEvent())
        sendPendingRequest();
    else
        QObject::customEvent(event);
}

QEvent::Type Worker::requestDueEvent()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

void Worker::stateFromStop()
{
    // The same moves as the fold: a stop matters until the stop is noticed or a deadline passed.
    if (m_state == WorkerState::Created || m_state == WorkerState::Starting || m_state == WorkerState::Running
        || m_state == WorkerState::Paused)
        setState(WorkerState::Stopping);
}

void Worker::pause()
{
    if (pauseRefusalFor())
        return;
    doPause();
}

void Worker::resume()
{
    if (pauseRefusalFor())
        return;
    doResume();
}

void Worker::sendKill(StopMethod method)
{
    if (StopContext *ctx = stopContext())
        ctx->setKillPending();
    record(EventKind::KillSent, qint64(method), toString(method));
    m_forceSent = true;
    m_lastSent = method;
    doForceKill(method);
}

void Worker::handleDeadline()
{
    sendPendingRequest();
    if (hasEnded())
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
    // A request's (or SIGTERM's) grace ran out with no kill sent: grace-expired; after a kill: kill-timeout.
    record(isKill(m_lastSent) ? EventKind::KillTimeout : EventKind::GraceExpired, qint64(m_lastSent),
        toString(m_lastSent));
    setState(WorkerState::Unresponsive);
    if (isFinished())
        return; // already unresponsive (a second stop timed out too): the outcome stands
    m_unresponsiveAtNs = monotonicNowNs();
    m_outcome = Outcome::Unresponsive;
    record(EventKind::Outcome, qint64(m_outcome), toString(m_outcome));
    emit finished(m_id, m_outcome);
}

bool Worker::stopObserved() const
{
    const StopContext *ctx = stopContext();
    return ctx && ctx->stopNoticed();
}

void Worker::handleCodeStarted()
{
    if (m_state == WorkerState::Starting)
        setState(WorkerState::Running);
}

void Worker::handleStopNoticed()
{
    if (m_state == WorkerState::Stopping || m_state == WorkerState::Running || m_state == WorkerState::Paused
        || m_state == WorkerState::Starting)
        setState(WorkerState::CleaningUp);
}

void Worker::record(EventKind kind, qint64 value, const QString &detail)
{
    m_log->record(m_id, kind, value, detail);
}

void Worker::setState(WorkerState state)
{
    if (m_state == state || m_state == WorkerState::Finished)
        return;
    m_state = state;
    emit stateChanged(m_id, state);
}

void Worker::handleEnded(Outcome raw)
{
    sendPendingRequest(); // asked before the end: recorded before it, as the request was made
    m_deadline.stop();
    record(EventKind::Joined);
    const Outcome settled = settleOutcome(raw, m_stopRequested, stopObserved());
    const bool wasUnresponsive = m_outcome == Outcome::Unresponsive;
    if (wasUnresponsive) {
        const qint64 lateMs = (monotonicNowNs() - m_unresponsiveAtNs) / 1'000'000;
        record(EventKind::Note, lateMs,
            QStringLiteral("ended after being unresponsive (%1 ms late): %2").arg(lateMs).arg(toString(settled)));
    }
    // A second outcome event after an unresponsive one: the fold takes the last, and so do we.
    m_outcome = settled;
    record(EventKind::Outcome, qint64(settled), toString(settled));
    setState(WorkerState::Finished);
    if (!wasUnresponsive)
        emit finished(m_id, settled);
    emit ended(m_id, settled);
    probeLeaks();
}

QString Worker::resourceDir() const
{
    return m_lab->labDir();
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
    watcher->setFuture(QtConcurrent::run(
        probePool(), [events, lab, dir = resourceDir()] { return LeakLedger::probe(events, *lab, LockProbeMs, dir); }));
}

namespace {
/// Linux's encoding of a thread's CPU clock id: (~tid << 3) | CPUCLOCK_PERTHREAD_MASK (4) | CPUCLOCK_SCHED (2),
/// as glibc's MAKE_THREAD_CPUCLOCK (kernel ABI, include/linux/posix-timers.h).
constexpr clockid_t CpuClockPerThreadSched = 4 | 2;
} // namespace

qint64 Worker::readThreadCpuNs(qint64 tid)
{
    if (tid <= 0)
        return -1;
    // The kernel's CPU clock of that thread (what pthread_getcpuclockid() returns for it; valid for threads of
    // this process): one clock_gettime. The live view samples every running worker four times a second on the
    // GUI thread; a /proc read (a path walk and three syscalls) took ~38 µs against ~2 µs for the clock on a
    // loaded 2-core machine, so 500 workers held the GUI thread ~20 ms per sample, preemptible at each syscall.
    const clockid_t threadClock = clockid_t((~clockid_t(tid)) * 8 | CpuClockPerThreadSched);
    if (timespec ts {}; clock_gettime(threadClock, &ts) == 0)
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    // schedstat's first field is the time spent on the CPU in ns (the same figure, through /proc).
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%lld/schedstat", static_cast<long long>(tid));
    if (const int fd = ::open(path, O_RDONLY | O_CLOEXEC); fd >= 0) {
        char buf[128];
        const ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n > 0) {
            buf[n] = '\0';
            char *end = nullptr;
            const long long ns = std::strtoll(buf, &end, 10);
            if (end != buf)
                return ns;
        }
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
