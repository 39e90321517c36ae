// Termination signals: self-pipe + socket notifier, every lab's shutdown, exit 128 + signal, escalation to _Exit.
#include "termination.h"

#include "base/clock.h"
#include "lab.h"
#include "ledger/temproot.h"
#include "process/processtree.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSocketNotifier>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int EscalateAfterMs = 5000;
constexpr int TickMs = 50;
/// After every lab has shut down: time for the command to write the outputs asked for, then exit anyway.
constexpr qint64 OutputGraceNs = 1'500'000'000;
constexpr int LabShutdownMs = 2000;

int s_pipe[2] = { -1, -1 };
std::atomic<int> s_first { 0 };
std::atomic<int> s_count { 0 };
QPointer<Termination> s_instance;

extern "C" void onSignal(int signal)
{
    const int savedErrno = errno;
    int expected = 0;
    s_first.compare_exchange_strong(expected, signal);
    // A third signal: the event loop is not answering; end here (async-signal-safe: _exit only).
    if (s_count.fetch_add(1) >= 2)
        ::_exit(128 + signal);
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t n = ::write(s_pipe[1], &byte, 1);
    errno = savedErrno;
}

} // namespace

Termination *Termination::install()
{
    if (s_instance)
        return s_instance;
    if (!QCoreApplication::instance())
        return nullptr;
    if (s_pipe[0] < 0 && ::pipe2(s_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return nullptr;
    s_instance = new Termination(QCoreApplication::instance());
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int signal : { SIGINT, SIGTERM, SIGHUP })
        ::sigaction(signal, &sa, nullptr);
    return s_instance;
}

int Termination::signalReceived()
{
    return s_first.load();
}

int Termination::exitCode(int code)
{
    const int signal = signalReceived();
    return signal != 0 ? 128 + signal : code;
}

void Termination::exitNow(int code)
{
    // Everything the app started goes with it: hosts and their descendants (by pidfd), then the temp root.
    if (QCoreApplication::instance())
        ProcessTree::instance().killEverything();
    TempRoot::removeAll();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

Termination::Termination(QObject *parent)
    : QObject(parent)
{
    m_notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Termination::handleReadable);
    m_escalation.setSingleShot(true);
    connect(&m_escalation, &QTimer::timeout, this, [] { exitNow(exitCode(1)); });
    m_tick.setInterval(TickMs);
    connect(&m_tick, &QTimer::timeout, this, &Termination::handleTick);
}

Termination::~Termination()
{
    // The application object is going: signals from now on take their default action again (the process
    // is ending; the atexit clean-up removes the temp root).
    for (int signal : { SIGINT, SIGTERM, SIGHUP })
        ::signal(signal, SIG_DFL);
}

void Termination::handleReadable()
{
    unsigned char bytes[16];
    int received = 0;
    for (;;) {
        const ssize_t n = ::read(s_pipe[0], bytes, sizeof bytes);
        if (n > 0) {
            received += int(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    if (received == 0)
        return;
    if (m_escalation.isActive() || s_count.load() > 1) {
        exitNow(exitCode(1)); // a second signal: no more waiting
    }
    m_escalation.start(EscalateAfterMs);
    const int signal = signalReceived();
    emit terminationRequested(signal);
    if (!m_shutsDownLabs)
        return;
    for (Lab *lab : Lab::instances())
        lab->beginShutdown(LabShutdownMs);
    m_tick.start();
}

void Termination::handleTick()
{
    for (Lab *lab : Lab::instances())
        if (lab->shutdownPhase() != ShutdownPhase::Done)
            return;
    const qint64 now = monotonicNowNs();
    if (m_labsDoneAtNs == 0)
        m_labsDoneAtNs = now;
    if (now - m_labsDoneAtNs < OutputGraceNs)
        return;
    // The command did not end by itself in time: what is left of ours goes, and the loop ends.
    m_tick.stop();
    ProcessTree::instance().killEverything();
    QCoreApplication::exit(exitCode(1));
}

} // namespace threadlab
