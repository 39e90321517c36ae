// Bench hook: the GUI event loop's lag with N sleep-steps workers running, measured offscreen.
#include "guilagprobe.h"

#include "base/measurements.h"
#include "mainwindow.h"
#include "workloads/workload.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
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
        if (now > qint64(durationMs) * 1'000'000LL)
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
    result.p99Ms = double(p.p99) / 1e6;
    result.maxMs = double(p.max) / 1e6;
    result.samples = int(p.count);
    return result;
}

double measureGuiLagP99Ms(int workers)
{
    return measureGuiLag(workers).p99Ms;
}

} // namespace threadlab
