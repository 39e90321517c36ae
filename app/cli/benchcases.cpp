// `threadlab bench`'s cases: the bare references, the lab cases run as `run` runs them, the recorder, the
// process backend's spawn and kill; each row keyed, with its reference measured interleaved in the same run.
#include "benchmark.h"

#include "process/processbench.h"

#include "base/clock.h"
#include "base/measurements.h"
#include "events/eventlog.h"
#include "events/recorderbench.h"
#include "lab/kernelsampler.h"
#include "lab/lab.h"
#include "ledger/labresources.h"
#include "runsession.h"
#include "workloads/stopsourcecontext.h"
#include "workloads/threadcancellation.h"
#include "workloads/workload.h"

#include <QAbstractEventDispatcher>
#include <QPromise>
#include <QScopeGuard>
#include <QThread>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int WarmUpMs = 5; ///< stop-after for the latency cases, counted from `started`
constexpr qint64 ChecksPerBatch = 1'000'000;
constexpr int EventsPerBatch = 1'000;
constexpr std::size_t MaxBlocksPerRun = 1 << 16;

BenchRow rowFrom(
    const QString &key, const QString &caseName, const QString &figure, std::vector<qint64> samples, double scale = 1.0)
{
    return Benchmark::rowFrom(key, caseName, figure, std::move(samples), scale);
}

BenchRow errorRow(const QString &key, const QString &caseName, const QString &error)
{
    return Benchmark::errorRow(key, caseName, error);
}

/// A few hundred ns of dependent integer work: one "step" of the busy loops below.
inline quint64 busyStep(quint64 x) noexcept
{
    for (int k = 0; k < 256; ++k) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        x ^= x >> 29;
    }
    return x;
}

std::atomic<quint64> g_sink { 0 };

/// The thread backend's stop check: the QThread's interruption flag, read through StopContext.
class QThreadFlagContext final : public ThreadStopContextBase
{
public:
    QThreadFlagContext(QThread *thread, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab)
        : ThreadStopContextBase(0, std::move(log), std::move(lab))
        , m_thread(thread)
    {
    }
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()>) override { return nullptr; }

protected:
    bool stopRequested() override { return m_thread->isInterruptionRequested(); }

private:
    QThread *m_thread;
};

/// The concurrent backend's stop check: QPromise::isCanceled(), read through StopContext.
class PromiseContext final : public StopContext
{
public:
    PromiseContext(QPromise<void> *promise, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab)
        : StopContext(0, std::move(log), std::move(lab))
        , m_promise(promise)
    {
    }
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()>) override { return nullptr; }

protected:
    bool stopRequested() override { return m_promise->isCanceled(); }

private:
    QPromise<void> *m_promise;
};

/// Runs f on a fresh QThread and waits for it (the bench owns the main thread; nothing else runs).
void onQThread(const std::function<void()> &f)
{
    std::unique_ptr<QThread> t(QThread::create(f));
    t->start();
    t->wait();
}

/// ns per call of ctx.shouldStop() (as sub-ns units of 1/1000 ns), over `batches` batches.
std::vector<qint64> timeChecks(StopContext &ctx, int batches)
{
    StopContext *volatile opaque = &ctx; // keep the call virtual, as in a workload
    StopContext &c = *opaque;
    std::vector<qint64> samples;
    quint64 hits = 0;
    for (int b = 0; b < batches; ++b) {
        const qint64 t0 = monotonicNowNs();
        for (qint64 i = 0; i < ChecksPerBatch; ++i)
            hits += c.shouldStop() ? 1 : 0;
        const qint64 dt = monotonicNowNs() - t0;
        samples.push_back(dt * 1000 / ChecksPerBatch);
    }
    g_sink += hits;
    return samples;
}

/// One run of the bare reference: a std::thread busy loop stopped through an atomic<bool>. Its steps burn
/// 1 µs on the clock between two looks at the flag, as cpu-spin step_us=1 check_every=1 does, so the ratio
/// of a lab case measures what the lab adds, not a different step length.
/// The owner waits for the thread's start as the lab's owner does: asleep until the thread tells it (a futex wake
/// here, an event there), then sleeps the warm-up. That wake-up matters on a scheduler that packs threads onto few
/// CPUs (this VM's): the woken owner lands on the worker's CPU and, waking there to send the stop, takes the CPU
/// from the worker until it sleeps again. `ownerSpins` keeps the owner busy (yield loop) instead, as the reference
/// did before; it is shown as its own row, for comparison only.
/// Returns {stop → observed, stop → joined} in ns.
std::pair<qint64, qint64> bareOnce(bool ownerSpins = false)
{
    constexpr qint64 StepNs = 1000;
    std::atomic<bool> stop { false }, started { false };
    std::atomic<qint64> observedAt { 0 };
    std::thread t([&] {
        started.store(true, std::memory_order_release);
        started.notify_one();
        while (!stop.load(std::memory_order_acquire)) {
            const qint64 end = monotonicNowNs() + StepNs;
            while (monotonicNowNs() < end) { }
        }
        observedAt.store(monotonicNowNs(), std::memory_order_release);
    });
    if (ownerSpins)
        while (!started.load(std::memory_order_acquire))
            std::this_thread::yield();
    else
        started.wait(false, std::memory_order_acquire);
    std::this_thread::sleep_for(std::chrono::milliseconds(WarmUpMs));
    const qint64 t0 = monotonicNowNs();
    stop.store(true, std::memory_order_release);
    t.join();
    const qint64 t1 = monotonicNowNs();
    return { observedAt.load() - t0, t1 - t0 };
}

QList<BenchRow> bareReference(Lab &, int repeat)
{
    const QString name = Benchmark::referenceCaseName();
    std::vector<qint64> observed, joined;
    for (int r = 0; r < repeat; ++r) {
        const auto [o, j] = bareOnce();
        observed.push_back(o);
        joined.push_back(j);
    }
    BenchRow o = rowFrom(u"ref.thread.observed"_qs, name, QStringLiteral("observed"), observed);
    BenchRow j = rowFrom(u"ref.thread.joined"_qs, name, QStringLiteral("joined"), joined);
    o.note = j.note = QStringLiteral("alone; each thread case below also runs it A/B-interleaved and takes its "
                                     "ratio from the interleaved medians");
    std::vector<qint64> spinning;
    for (int r = 0; r < repeat; ++r)
        spinning.push_back(bareOnce(true).first);
    BenchRow s = rowFrom(u"ref.thread.observed.owner-spins"_qs, name + QStringLiteral(", owner spinning"),
        QStringLiteral("observed"), spinning);
    s.note = QStringLiteral("for comparison only: the owner busy-waits (yield loop) for the start instead of sleeping "
                            "until told, so on a scheduler that packs threads it keeps its own CPU");
    return { o, j, s };
}

QList<BenchRow> stopCheckCost(Lab &lab, int repeat)
{
    const int batches = qBound(5, repeat / 10, 50);
    QList<BenchRow> rows;
    auto log = std::make_shared<EventLog>(1000);
    // Aliasing pointer: the lab outlives the bench, its resources are shared by the contexts.
    auto res = std::shared_ptr<LabResources>(lab.logPtr(), &lab.resources());
    onQThread([&] {
        QThreadFlagContext ctx(QThread::currentThread(), log, res);
        rows << rowFrom(u"check.thread"_qs, QStringLiteral("stop check: thread (QThread flag)"),
            QStringLiteral("check"), timeChecks(ctx, batches), 1000.0);
    });
    onQThread([&] {
        std::stop_source source;
        StopSourceContext ctx(0, log, res, source.get_token());
        rows << rowFrom(u"check.jthread"_qs, QStringLiteral("stop check: jthread (stop_token)"),
            QStringLiteral("check"), timeChecks(ctx, batches), 1000.0);
    });
    onQThread([&] {
        QPromise<void> promise;
        PromiseContext ctx(&promise, log, res);
        rows << rowFrom(u"check.concurrent"_qs, QStringLiteral("stop check: concurrent (QPromise)"),
            QStringLiteral("check"), timeChecks(ctx, batches), 1000.0);
    });
    onQThread([&] {
        std::atomic<bool> flag { false };
        std::atomic<bool> *volatile opaque = &flag;
        std::atomic<bool> &f = *opaque;
        std::vector<qint64> samples;
        quint64 hits = 0;
        for (int b = 0; b < batches; ++b) {
            const qint64 t0 = monotonicNowNs();
            for (qint64 i = 0; i < ChecksPerBatch; ++i)
                hits += f.load(std::memory_order_relaxed) ? 1 : 0;
            samples.push_back((monotonicNowNs() - t0) * 1000 / ChecksPerBatch);
        }
        g_sink += hits;
        rows << rowFrom(u"check.atomic"_qs, QStringLiteral("stop check: bare atomic<bool>"), QStringLiteral("check"),
            samples, 1000.0);
    });
    return rows;
}

/// Rows `recorder.event` (steady-state cost per event) and `recorder.worst-1m` (slowest single append of 1M
/// events from 2 threads); the measuring lives with the recorder in core/events/recorderbench.
QList<BenchRow> recorderCost(Lab &, int repeat)
{
    const RecorderCost cost = measureRecorderCost(repeat, EventsPerBatch);
    BenchRow event
        = rowFrom(u"recorder.event"_qs, QStringLiteral("recorder"), QStringLiteral("event"), cost.perEventPs, 1000.0);
    event.note = QStringLiteral("EventLog::record, %1 batches of %2 events, chunks touched beforehand")
                     .arg(repeat)
                     .arg(cost.batchEvents);
    const RecorderWorstCase worst = measureRecorderWorstCase(1'000'000, 2);
    // The figure is the recorder's own worst: appends during which the thread lost its CPU (preempted by the OS,
    // or stopped by the hypervisor with no switch at all) are left out of it and counted in the detail, with the
    // raw max; appends that blocked (on a lock, in the allocator) stay in.
    BenchRow worstRow
        = rowFrom(u"recorder.worst-1m"_qs, QStringLiteral("recorder"), QStringLiteral("worst-1m"), worst.ownNs);
    worstRow.note = QStringLiteral("single appends, %1 of %2 events from %3 threads (stored %4, dropped %5): all but "
                                   "those that lost their CPU (wall and thread CPU clock read around each append, "
                                   "getrusage per append); raw max %6 (%7 raw over 100 µs); %8 appends preempted by "
                                   "the OS (threads preempted %9×); %10 appends stopped with no switch (hypervisor "
                                   "steal), up to %11 lost; %12 appends blocked (counted), slowest %13")
                        .arg(worst.ownNs.size())
                        .arg(worst.events)
                        .arg(worst.threads)
                        .arg(worst.stored)
                        .arg(worst.dropped)
                        .arg(formatDuration(worst.rawMaxNs))
                        .arg(worst.over100us)
                        .arg(worst.preemptedAppends)
                        .arg(worst.involuntarySwitches)
                        .arg(worst.stolenAppends)
                        .arg(formatDuration(worst.stolenMaxNs))
                        .arg(worst.blockedAppends)
                        .arg(formatDuration(worst.blockedMaxNs));
    return { event, worstRow };
}

/// Row `kernel.sweep-500`: one sweep of the lab's kernel-state sampler over 500 threads (a read of each one's
/// /proc/self/task/<tid>/stat), what it does 20 times a second with 500 workers running.
QList<BenchRow> kernelSweep(Lab &, int repeat)
{
    constexpr int Threads = 500;
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::vector<std::atomic<qint64>> tids(Threads);
    std::vector<std::thread> threads;
    threads.reserve(Threads);
    for (int i = 0; i < Threads; ++i)
        threads.emplace_back([&, i] {
            tids[size_t(i)].store(::gettid());
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait(lock, [&] { return done; });
        });
    for (auto &t : tids)
        while (t.load() == 0)
            std::this_thread::yield();
    std::vector<qint64> samples;
    int sleeping = 0;
    for (int r = 0; r < std::max(5, repeat); ++r) {
        const qint64 t0 = monotonicNowNs();
        sleeping = 0;
        for (const auto &t : tids)
            sleeping += KernelSampler::readState(::getpid(), t.load()) == KernelState::Sleeping;
        samples.push_back(monotonicNowNs() - t0);
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
    }
    cv.notify_all();
    for (std::thread &t : threads)
        t.join();
    BenchRow row = rowFrom(u"kernel.sweep-500"_qs, QStringLiteral("kernel strip"), QStringLiteral("sweep"), samples);
    row.note = QStringLiteral(
        "%1 threads of this process read from /proc/self/task/<tid>/stat per sweep (%2 seen "
        "sleeping in the last); the lab sweeps up to 20 times a second on a thread of its own (at most 5 % of a core)")
                   .arg(Threads)
                   .arg(sleeping);
    return { row };
}

QList<BenchRow> instrumentationOverhead(Lab &lab, int repeat)
{
    constexpr int Steps = 20'000;
    const int trials = qBound(5, repeat / 10, 40);
    std::vector<qint64> bare, instrumented;
    auto log = std::make_shared<EventLog>(qsizetype(trials) * 4 + 16);
    auto res = std::shared_ptr<LabResources>(lab.logPtr(), &lab.resources());
    onQThread([&] {
        std::atomic<bool> flag { false };
        QThreadFlagContext ctx(QThread::currentThread(), log, res);
        StopContext *volatile opaque = &ctx;
        StopContext &c = *opaque;
        for (int t = 0; t < trials; ++t) {
            quint64 x = quint64(t) + 1;
            qint64 t0 = monotonicNowNs();
            for (int i = 0; i < Steps; ++i) {
                x = busyStep(x);
                if (flag.load(std::memory_order_relaxed))
                    break;
            }
            bare.push_back(monotonicNowNs() - t0);
            t0 = monotonicNowNs();
            for (int i = 0; i < Steps; ++i) {
                x = busyStep(x);
                c.reportStep(i + 1);
                if (c.shouldStop()) {
                    c.noticeStop();
                    break;
                }
            }
            instrumented.push_back(monotonicNowNs() - t0);
            g_sink += x;
        }
    });
    const Percentiles b = percentiles(bare);
    const Percentiles i = percentiles(instrumented);
    BenchRow row;
    row.key = QStringLiteral("overhead.cpu-spin");
    row.caseName = QStringLiteral("cpu-spin loop: instrumented vs bare");
    row.figure = QStringLiteral("overhead");
    row.unit = QStringLiteral("%");
    row.count = trials;
    row.p50 = b.p50 > 0 ? 100.0 * double(i.p50 - b.p50) / double(b.p50) : 0.0;
    row.p90 = row.p99 = row.max = row.p50;
    row.note = QStringLiteral("step %1 (bare loop p50 %2, instrumented %3; StopContext check + reportStep per step)")
                   .arg(formatDuration(b.p50 / Steps), formatDuration(b.p50), formatDuration(i.p50));
    return { row };
}

/// One figure of a lab case: where it comes from (observed, joined, kill or outcome) and its key.
struct LabFigure
{
    QString key;
    QString figure;
};

/// What a lab case is compared with: one run of the reference, interleaved with each lab run, giving a
/// sample per figure (ns); and the reference's name.
struct LabReference
{
    QString name;
    std::function<std::map<QString, qint64>()> once;
};

LabReference bareThreadReference()
{
    return { Benchmark::referenceCaseName(), [] {
                const auto [observed, joined] = bareOnce();
                return std::map<QString, qint64> { { QStringLiteral("observed"), observed },
                    { QStringLiteral("joined"), joined } };
            } };
}

/// A case run through the real lab, exactly as `threadlab run` runs it: RunSession with one worker per
/// repetition, stopped `stopAfterMs` after its `started`; the figures are read from the worker's fold.
BenchCase labCase(Backend backend, const QString &workload, const QStringList &params, StopMethod method,
    QList<LabFigure> figures, std::optional<LabReference> reference, int fixedRepeat = 0, int killTimeoutMs = 1000)
{
    QString name = QStringLiteral("%1 %2").arg(toString(backend), workload);
    for (const QString &p : params)
        if (!p.startsWith(u"steps=") && !p.startsWith(u"run_ms="))
            name += QLatin1Char(' ') + p;
    name += QLatin1Char(' ') + toString(method);
    BenchCase c;
    c.name = name;
    c.run = [=](Lab &lab, int repeat) -> QList<BenchRow> {
        RunOptions o;
        o.backend = backend;
        o.workload = workload;
        o.method = method;
        o.stopAfterMs = WarmUpMs;
        o.policy.graceMs = 1000;
        o.policy.killTimeoutMs = killTimeoutMs;
        const int repetitions = fixedRepeat > 0 ? fixedRepeat : repeat;
        o.repeat = 1;
        QString error;
        if (!WorkloadRegistry::resolve(workload, params, &o.params, &error))
            return { errorRow(figures.value(0).key, name, error) };
        // A/B interleaved with the reference, so machine noise hits both alike.
        std::map<QString, std::vector<qint64>> referenceSamples;
        std::map<QString, std::vector<qint64>> samples;
        QList<RunResult> records;
        for (int rep = 0; rep < repetitions; ++rep) {
            if (reference)
                for (const auto &[fig, ns] : reference->once())
                    if (ns > 0)
                        referenceSamples[fig].push_back(ns);
            RunSession session(&lab, o);
            if (session.exec(&error) != 0)
                return { errorRow(figures.value(0).key, name, error) };
            records << session.records();
        }
        // owner-busy: when the owner's event loop next goes to sleep after each stop request, i.e. what the owner
        // still does on its CPU after the request went out (a worker sharing that CPU waits for it). Runs of their
        // own, a quarter as many: the watch is a slot on that path, and the figures above are measured without it.
        const bool watchOwner = std::any_of(
            figures.cbegin(), figures.cend(), [](const LabFigure &f) { return f.figure == u"owner-busy"; });
        if (watchOwner) {
            std::vector<qint64> blocks;
            blocks.reserve(MaxBlocksPerRun);
            const QMetaObject::Connection blockWatch = QObject::connect(
                QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, [&blocks] {
                    if (blocks.size() < MaxBlocksPerRun)
                        blocks.push_back(monotonicNowNs());
                });
            const auto disconnect = qScopeGuard([&blockWatch] { QObject::disconnect(blockWatch); });
            for (int rep = 0; rep < qMax(1, repetitions / 4); ++rep) {
                blocks.clear();
                RunSession session(&lab, o);
                if (session.exec(&error) != 0)
                    return { errorRow(figures.value(0).key, name, error) };
                for (const RunResult &r : session.records())
                    if (const qint64 t = r.fold.times().stopRequested; t >= 0)
                        if (const auto b = std::lower_bound(blocks.begin(), blocks.end(), t); b != blocks.end())
                            samples[u"owner-busy"_qs].push_back(*b - t);
            }
        }
        std::map<QString, int> outcomes;
        for (const RunResult &r : std::as_const(records)) {
            ++outcomes[toString(r.outcome())];
            const Latencies lat = r.latencies();
            const std::pair<QString, std::optional<qint64>> figs[] = {
                { QStringLiteral("observed"), lat.observed },
                { QStringLiteral("joined"), lat.joined },
                { QStringLiteral("kill"), lat.kill },
            };
            for (const auto &[fig, v] : figs)
                if (v)
                    samples[fig].push_back(*v);
        }
        QStringList counted;
        for (const auto &[outcome, n] : outcomes)
            counted << QStringLiteral("%1 %2/%3").arg(outcome).arg(n).arg(records.size());
        const QString note = counted.join(QStringLiteral(", "));
        QList<BenchRow> rows;
        for (const LabFigure &f : figures) {
            if (f.figure == u"outcome") {
                BenchRow row;
                row.key = f.key;
                row.caseName = name;
                row.figure = f.figure;
                row.unit.clear();
                row.count = records.size();
                row.note = note + QStringLiteral("; the process stayed healthy");
                rows << row;
                continue;
            }
            BenchRow row = rowFrom(f.key, name, f.figure, samples[f.figure]);
            row.note = note;
            if (reference)
                if (const auto it = referenceSamples.find(f.figure); it != referenceSamples.end())
                    Benchmark::setReference(row, reference->name, it->second);
            rows << row;
        }
        return rows;
    };
    return c;
}

/// The process backend's spawn: a ProcessWorker's start → hello against exec of a minimal static C program
/// (and QProcess /bin/true), interleaved.
QList<BenchRow> processSpawn(Lab &, int repeat)
{
    QString error;
    const QList<ProcessBenchCase> cases = processBenchCases(repeat, &error);
    if (cases.isEmpty())
        return { Benchmark::skippedRow(QStringLiteral("process.spawn.hello"), QStringLiteral("process spawn->hello"),
            QStringLiteral("skipped (%1)").arg(error.isEmpty() ? QStringLiteral("no worker host") : error)) };
    std::map<QString, ProcessBenchCase> byKey;
    for (const ProcessBenchCase &c : cases)
        byKey[c.key] = c;
    const auto samplesOf
        = [](const ProcessBenchCase &c) { return std::vector<qint64>(c.samplesNs.cbegin(), c.samplesNs.cend()); };
    QList<BenchRow> rows;
    for (const ProcessBenchCase &c : cases) {
        BenchRow row = rowFrom(c.key, c.name, c.key.startsWith(u"ref.") ? u"exec"_qs : u"hello"_qs, samplesOf(c));
        row.note = c.description;
        if (c.key.startsWith(u"process.spawn.hello")) {
            const ProcessBenchCase &exec = byKey[QStringLiteral("ref.process.exec-static")];
            if (!exec.samplesNs.isEmpty())
                Benchmark::setReference(row, exec.name, samplesOf(exec));
            else
                row.note += QStringLiteral("; %1").arg(exec.description);
        }
        rows << row;
    }
    return rows;
}

/// `process.force.joined`: the bare QProcess kill → finished of the same host at the same age.
LabReference bareHostKillReference()
{
    return { QStringLiteral("bare QProcess kill→finished of the host"), [] {
                const qint64 ns = bareHostKillOnce(WarmUpMs);
                return std::map<QString, qint64> { { QStringLiteral("kill"), ns } };
            } };
}

} // namespace

QString Benchmark::referenceCaseName()
{
    return QStringLiteral("bare std::thread + atomic<bool> (1 µs steps)");
}

QList<BenchCase> Benchmark::defaultCases()
{
    QList<BenchCase> cases;
    cases << BenchCase { referenceCaseName(), &bareReference };
    const QList<Backend> backends { Backend::Thread, Backend::EventLoop, Backend::Concurrent, Backend::JThread };
    const auto latency = [](Backend b, const QString &workload) {
        const QString prefix = QStringLiteral("%1.%2.").arg(toString(b), workload);
        return QList<LabFigure> { { prefix + u"observed"_qs, u"observed"_qs }, { prefix + u"joined"_qs, u"joined"_qs },
            { prefix + u"owner-busy"_qs, u"owner-busy"_qs } };
    };
    for (Backend b : backends) {
        cases << labCase(b, QStringLiteral("cpu-spin"), { u"step_us=1"_qs, u"check_every=1"_qs }, StopMethod::Request,
            latency(b, u"cpu-spin"_qs), bareThreadReference());
        cases << labCase(b, QStringLiteral("sleep-steps"), { u"step_ms=1"_qs }, StopMethod::Request,
            latency(b, u"sleep-steps"_qs), bareThreadReference());
        cases << labCase(b, QStringLiteral("blocking-wait"), { u"wake=notify"_qs }, StopMethod::Request,
            latency(b, u"blocking-wait"_qs), bareThreadReference());
    }
    cases << BenchCase { QStringLiteral("stop check"), &stopCheckCost };
    cases << BenchCase { QStringLiteral("recorder"), &recorderCost };
    cases << BenchCase { QStringLiteral("kernel strip"), &kernelSweep };
    cases << BenchCase { QStringLiteral("instrumentation overhead"), &instrumentationOverhead };
    cases << labCase(Backend::Thread, QStringLiteral("sleep-steps"), { u"step_ms=1"_qs }, StopMethod::Force,
        { { u"thread.sleep-steps.force.kill"_qs, u"kill"_qs } }, std::nullopt);
    cases << BenchCase { QStringLiteral("process spawn"), &processSpawn };
    cases << labCase(Backend::Process, QStringLiteral("sleep-steps"), { u"step_ms=1"_qs }, StopMethod::Request,
        { { u"process.request.joined"_qs, u"joined"_qs } }, std::nullopt);
    cases << labCase(Backend::Process, QStringLiteral("sleep-steps"), { u"step_ms=1"_qs }, StopMethod::Force,
        { { u"process.force.joined"_qs, u"kill"_qs } }, bareHostKillReference());
    cases << addedCases();
    // Last: each unresponsive worker keeps burning a core until run_ms is over.
    cases << labCase(Backend::Thread, QStringLiteral("cpu-ignore"), { u"run_ms=1500"_qs }, StopMethod::Force,
        { { u"thread.cpu-ignore.force.outcome"_qs, u"outcome"_qs } }, std::nullopt, 1, 300);
    return cases;
}

} // namespace threadlab
