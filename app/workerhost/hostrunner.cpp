// The worker host's main program: protocol output, the workload thread, the stdin/signalfd/eventfd poll loop.
#include "hostrunner.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "forkserverloop.h"
#include "hostspawner.h"
#include "hoststopcontext.h"
#include "ledger/labresources.h"
#include "model/workerfold.h"
#include "process/protocol.h"
#include "workloads/workload.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <thread>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int FlushIntervalMs = 25;

void sleepMs(int ms)
{
    timespec ts { ms / 1000, long(ms % 1000) * 1'000'000 };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) { }
}

QByteArray selfExecutable()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? QByteArray(buf, n) : QByteArray();
}

void writeStderr(const QByteArray &s)
{
    const QByteArray line = s + '\n';
    [[maybe_unused]] const ssize_t n = ::write(2, line.constData(), size_t(line.size()));
}

} // namespace

void HostRunner::writeLine(const QByteArray &line)
{
    std::lock_guard lock(m_writeMutex);
    if (!m_stdoutOpen)
        return;
    const char *p = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(1, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            m_stdoutOpen = false; // the app went away; PDEATHSIG or a stop will end us
            return;
        }
        p += n;
        left -= n;
    }
}

int HostRunner::main(int argc, char **argv)
{
    ::signal(SIGPIPE, SIG_IGN);
    if (argc == 2 && std::strcmp(argv[1], "--fork-server") == 0)
        return ForkServerLoop::run();
    if (argc >= 2 && std::strcmp(argv[1], "--child") == 0)
        return runChild(argc >= 3 ? std::atoi(argv[2]) : 120'000);

    int workerId = 0;
    QString workload;
    QByteArray params = "{}";
    for (int i = 1; i + 1 < argc; i += 2) {
        const QByteArray key = argv[i];
        if (key == "--worker-id")
            workerId = std::atoi(argv[i + 1]);
        else if (key == "--workload")
            workload = QString::fromUtf8(argv[i + 1]);
        else if (key == "--params")
            params = argv[i + 1];
    }
    HostRunner runner;
    const QByteArray mode = qgetenv("THREADLAB_HOST_MISBEHAVE");
    if (!mode.isEmpty())
        return runner.misbehave(mode);
    if (workload.isEmpty()) {
        writeStderr("usage: threadlab-worker --worker-id N --workload NAME [--params JSON] (started by threadlab)");
        return 2;
    }
    return runner.runHost(workerId, workload, params);
}

int HostRunner::runChild(int lifetimeMs)
{
    // A spawner's child: idles in the host's process group until signalled (SIGTERM/SIGKILL) or its
    // lifetime runs out, so that a forgotten orphan never lives for ever.
    const qint64 end = monotonicNowNs() + qint64(lifetimeMs) * 1'000'000;
    while (monotonicNowNs() < end)
        sleepMs(100);
    return 0;
}

int HostRunner::misbehave(const QByteArray &mode)
{
    const qint64 pid = ::getpid();
    const qint64 pgid = ::getpgrp();
    // Said first: the app kills the host as soon as it reads the bad line, and tests look for this line.
    writeStderr("threadlab-worker: misbehaving on purpose: " + mode);
    if (mode == "malformed") {
        writeLine("{\"type\": \"hello\", this is not JSON\n");
    } else if (mode == "oversized") {
        writeLine(HostProtocol::encodeHello(pid, pgid, monotonicNowNs()));
        writeLine(QByteArray(HostMaxLineBytes + 1000, 'x') + '\n');
    } else if (mode == "early-close") {
        writeLine(HostProtocol::encodeHello(pid, pgid, monotonicNowNs()));
        ::close(1);
    } else if (mode == "wrong-version") {
        writeLine(HostProtocol::encodeHello(pid, pgid, monotonicNowNs(), HostProtocolVersion + 98));
    } else if (mode == "unknown-type") {
        writeLine(HostProtocol::encodeHello(pid, pgid, monotonicNowNs()));
        writeLine("{\"type\":\"telemetry\",\"t_ns\":1}\n");
    } // "no-hello": say nothing
    sleepMs(60'000); // the app must kill us
    return 0;
}

int HostRunner::runHost(int workerId, const QString &workloadName, const QByteArray &paramsJson)
{
    // SIGTERM becomes a graceful stop: block it in every thread (threads inherit the mask) and read it
    // from a signalfd in the poll loop. SIGINT likewise.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    const int sigFd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    const int doneFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    writeLine(HostProtocol::encodeHello(::getpid(), ::getpgrp(), monotonicNowNs()));

    auto log = std::make_shared<EventLog>(200'000);
    auto lab = std::make_shared<LabResources>();
    HostStopContext ctx(workerId, log, lab);

    const auto fail = [&](const QString &why) {
        writeLine(HostProtocol::encodeEvent(monotonicNowNs(), EventKind::Note, 0, why));
        writeLine(HostProtocol::encodeBye(monotonicNowNs(), Outcome::Failed));
        writeStderr("threadlab-worker: " + why.toUtf8());
        return 3;
    };

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(paramsJson, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("bad --params: %1").arg(pe.errorString()));
    Params params;
    QString error;
    if (!WorkloadRegistry::resolve(workloadName, doc.object().toVariantMap(), &params, &error))
        return fail(error);

    std::unique_ptr<Workload> workload;
    if (workloadName == u"spawner") {
        workload = std::make_unique<HostSpawner>(params, selfExecutable(), [this](bool acquired, qint64 pid) {
            writeLine(HostProtocol::encodeResource(
                monotonicNowNs(), acquired, toString(ResourceKind::Process), pid, QStringLiteral("child process")));
        });
    } else {
        workload = WorkloadRegistry::create(workloadName, params);
    }
    if (!workload)
        return fail(QStringLiteral("cannot create workload \"%1\"").arg(workloadName));

    std::atomic<bool> threw { false };
    std::thread thread([&] {
        ctx.attachToCurrentThread();
        log->record(workerId, EventKind::Started, ctx.threadId()); // the tid the app's kernel sampler reads
        try {
            workload->run(ctx);
        } catch (const std::exception &e) {
            threw = true;
            writeStderr(QByteArray("threadlab-worker: workload threw: ") + e.what());
        }
        ctx.setPhase(WorkerPhase::Finished);
        log->record(workerId, EventKind::Exited);
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(doneFd, &one, sizeof one);
    });

    HostLineSplitter commands;
    qint64 lastSteps = -1;
    WorkerPhase lastPhase = WorkerPhase::None;
    bool stdinOpen = true;
    bool done = false;
    const auto flush = [&] {
        const EventList events = log->takeNew();
        for (const Event &e : events)
            writeLine(HostProtocol::encodeEvent(e.tNs, e.kind, e.value, e.detail));
        const qint64 steps = ctx.stepsDone();
        if (steps != lastSteps) {
            lastSteps = steps;
            writeLine(HostProtocol::encodeProgress(monotonicNowNs(), steps));
        }
        // The phase is sampled like the steps: one line when it changed since the last flush.
        const WorkerPhase phase = ctx.phase();
        if (phase != lastPhase) {
            lastPhase = phase;
            writeLine(HostProtocol::encodePhase(monotonicNowNs(), phase));
        }
    };
    const auto stop = [&](const QString &why) {
        if (ctx.requestStop())
            log->record(workerId, EventKind::Note, 0, why);
    };

    while (!done) {
        pollfd fds[3] = { { doneFd, POLLIN, 0 }, { sigFd, POLLIN, 0 }, { stdinOpen ? 0 : -1, POLLIN, 0 } };
        const int n = ::poll(fds, 3, FlushIntervalMs);
        if (n < 0 && errno != EINTR)
            break;
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si;
            while (::read(sigFd, &si, sizeof si) == ssize_t(sizeof si)) {
                stop(si.ssi_signo == SIGTERM ? QStringLiteral("SIGTERM received: graceful stop")
                                             : QStringLiteral("SIGINT received: graceful stop"));
            }
        }
        if (stdinOpen && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buf[4096];
            const ssize_t r = ::read(0, buf, sizeof buf);
            if (r <= 0 && !(r < 0 && errno == EINTR)) {
                stdinOpen = false;
                stop(QStringLiteral("stdin closed: graceful stop"));
            } else if (r > 0) {
                QString err;
                if (!commands.feed(QByteArrayView(buf, r), &err)) {
                    stdinOpen = false;
                    stop(QStringLiteral("bad command stream: %1").arg(err));
                }
                while (auto line = commands.takeLine()) {
                    const auto cmd = HostProtocol::decodeCommand(*line, &err);
                    if (!cmd)
                        log->record(workerId, EventKind::Note, 0, QStringLiteral("ignored command: %1").arg(err));
                    else if (cmd->type == HostCommand::Type::Stop)
                        stop(QStringLiteral("stop command received"));
                }
            }
        }
        if (fds[0].revents & POLLIN)
            done = true;
        flush();
    }
    thread.join();
    flush();
    // Stopped only if the workload itself observed the stop: the host reading a stdin "stop" or SIGTERM is
    // a request, not an observation. The same rule as the app's workers and the fold.
    const Outcome outcome
        = threw ? Outcome::Failed : settleOutcome(Outcome::Completed, ctx.isStopRequested(), ctx.stopNoticed());
    writeLine(HostProtocol::encodeBye(monotonicNowNs(), outcome));
    ::close(sigFd);
    ::close(doneFd);
    return 0;
}

} // namespace threadlab
