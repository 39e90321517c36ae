// Bench hooks: the GUI event loop's lag with N workers running, and one timeline frame, measured offscreen.
#include "guilagprobe.h"

#include "mainwindow.h"
#include "timelinedata.h"
#include "timelinerenderer.h"

#include "base/clock.h"
#include "base/measurements.h"
#include "recording/recordedsource.h"
#include "workloads/workload.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QPainter>
#include <QTimer>

namespace threadlab {

GuiLag measureGuiLag(int workers, int durationMs)
{
    GuiLag result;
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return result;
    MainWindow window;
    window.setInteractive(false);
    window.resize(1400, 900);
    window.show();
    WorkerSpec spec;
    spec.backend = Backend::Thread;
    spec.workload = u"sleep-steps"_qs;
    QString error;
    WorkloadRegistry::resolve(
        spec.workload, QVariantMap { { u"step_ms"_qs, 2 }, { u"steps"_qs, 100'000'000 } }, &spec.params, &error);
    window.addWorkers(spec, workers, &error);
    QList<int> ids;
    for (Worker *w : window.lab().workers())
        ids << w->id();
    window.selectWorkers(ids);
    window.action(ActionId::Start)->trigger();

    constexpr int TickMs = 5;
    constexpr size_t MinSamples = 100;
    std::vector<qint64> lateness;
    QElapsedTimer clock;
    clock.start();
    qint64 expected = clock.nsecsElapsed() + TickMs * 1'000'000LL;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(TickMs);
    QEventLoop loop;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max<qint64>(0, now - expected));
        expected = now + TickMs * 1'000'000LL;
        // At least MinSamples ticks: a GUI thread starved by a loaded machine is measured for longer (up to ten
        // times the duration), not from a handful of ticks that no p99 can be read from.
        const bool enough = now > qint64(durationMs) * 1'000'000LL && lateness.size() >= MinSamples;
        if (enough || now > qint64(durationMs) * 10'000'000LL)
            loop.quit();
    });
    tick.start();
    loop.exec();
    tick.stop();
    // The benchmark's own loop waits for the lab's signal-driven shutdown (the window never waits on one).
    QEventLoop shutdown;
    QObject::connect(&window.lab(), &Lab::shutdownFinished, &shutdown, &QEventLoop::quit);
    window.shutdownProgress()->begin();
    shutdown.exec();
    window.shutdownLab();

    const Percentiles p = percentiles(lateness);
    result.p50Ms = double(p.p50) / 1e6;
    result.p90Ms = double(p.p90) / 1e6;
    result.p99Ms = double(p.p99) / 1e6;
    result.maxMs = double(p.max) / 1e6;
    result.samples = int(p.count);
    result.workersYield = window.lab().workersYield();
    return result;
}

double measureGuiLagP99Ms(int workers)
{
    return measureGuiLag(workers).p99Ms;
}

TimelinePaint measureTimelinePaint(qsizetype events, int workers, int frames)
{
    TimelinePaint result;
    workers = qMax(1, workers);
    result.workers = workers;
    // A run as the lab records it: each worker's life (start, steps, stop, end) plus a note now and then, its
    // progress events spread over one second; the fold turns them into spans and marks.
    Recording rec = Recording::startNew(QStringLiteral("timeline paint bench"));
    const qint64 base = monotonicNowNs();
    const qsizetype perWorker = qMax<qsizetype>(12, events / workers);
    RunInfo run;
    run.id = 1;
    run.zeroNs = base;
    for (int w = 1; w <= workers; ++w) {
        RecordedWorker rw;
        rw.id = w;
        rw.name = QStringLiteral("w%1").arg(w);
        rw.backend = Backend::Thread;
        rw.workload = QStringLiteral("sleep-steps");
        rec.workers << rw;
        run.workerIds << w;
        const qint64 t0 = base + qint64(w) * 1000;
        const auto add = [&](qint64 dt, EventKind kind, qint64 value = 0, const QString &detail = {}) {
            rec.events.append({ t0 + dt, w, kind, value, detail });
        };
        add(0, EventKind::Created, 0, rw.name);
        add(1000, EventKind::StartRequested);
        add(50'000, EventKind::Started, 1000 + w);
        add(60'000, EventKind::FirstStep);
        const qsizetype steps = perWorker - 10;
        for (qsizetype i = 1; i <= steps; ++i) {
            if (i % 100 == 0)
                add(60'000 + i * 1'000'000'000 / steps, EventKind::Note, i, QStringLiteral("checkpoint %1").arg(i));
            else
                add(60'000 + i * 1'000'000'000 / steps, EventKind::Progress, i);
        }
        add(1'001'000'000, EventKind::StopRequested, qint64(StopMethod::Request), QStringLiteral("request"));
        add(1'001'050'000, EventKind::StopObserved);
        add(1'001'060'000, EventKind::Exited);
        add(1'001'100'000, EventKind::Joined);
        add(1'001'100'010, EventKind::Outcome, qint64(Outcome::Stopped), QStringLiteral("stopped"));
    }
    rec.runs << run;
    rec.refold();
    result.events = rec.events.size();
    const RecordedSource source(rec);
    const TimelineData data = TimelineData::of(source);
    TimelineRenderOptions options;
    options.palette = QGuiApplication::palette();
    const QSize size(1400, 600);
    const TimeMapping mapping
        = TimeMapping::fit(data.viewStartNs(), data.lastNs(), options.labelWidth, size.width() - options.labelWidth);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    for (int f = 0; f < qMax(1, frames); ++f) {
        const qint64 t0 = monotonicNowNs();
        QPainter p(&image);
        TimelineRenderer::render(p, size, data, mapping, options);
        p.end();
        result.frameNs.push_back(monotonicNowNs() - t0);
    }
    return result;
}

} // namespace threadlab
