// threadlab: with no arguments the desktop lab (or, without a display, the headless demo); else the CLI.
#include "base/measurements.h"
#include "cli/benchmark.h"
#include "cli/cli.h"
#include "cli/clihooks.h"
#include "cli/qtoptions.h"
#include "guiapp.h"
#include "guilagprobe.h"
#include "ledger/temproot.h"
#include "process/processtree.h"
#include "recordingimage.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStyleFactory>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

/// The platform Qt will use: -platform, else QT_QPA_PLATFORM, else empty (Qt picks one from the display).
QString chosenPlatform(const QStringList &qtArguments)
{
    for (qsizetype i = 0; i + 1 < qtArguments.size(); ++i)
        if (qtArguments.at(i) == u"-platform" || qtArguments.at(i) == u"--platform")
            return qtArguments.at(i + 1);
    return qEnvironmentVariable("QT_QPA_PLATFORM");
}

/// Whether a window can be shown: xcb and wayland abort without their display, other platforms need none.
bool displayAvailable(const QString &platform)
{
    const bool x11 = !qEnvironmentVariableIsEmpty("DISPLAY");
    const bool wayland = !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    if (platform.isEmpty())
        return x11 || wayland;
    if (platform.startsWith(u"xcb"))
        return x11;
    if (platform.startsWith(u"wayland"))
        return wayland;
    return true;
}

int printError(const QString &line, int code)
{
    const QByteArray bytes = (QStringLiteral("threadlab: ") + line + QLatin1Char('\n')).toUtf8();
    std::fputs(bytes.constData(), stderr);
    std::fflush(stderr);
    return code;
}

/// A headless QApplication wants a private runtime directory; without XDG_RUNTIME_DIR Qt makes one and warns
/// on stderr, which would break the CLI's one-line errors. Make it quietly, as Qt would.
void ensureRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    // The predictable name may be someone else's (another user made it first, or a link to elsewhere): use it
    // only if lstat says it is a real directory of ours with mode 0700, else a private one in our temp root.
    const QString base = threadlab::TempRoot::baseDir();
    if (!base.isEmpty()) {
        const QByteArray dir = QFile::encodeName(base) + "/threadlab-runtime-" + QByteArray::number(getuid());
        ::mkdir(dir.constData(), 0700);
        if (threadlab::TempRoot::isPrivateDir(QFile::decodeName(dir))) {
            qputenv("XDG_RUNTIME_DIR", dir);
            return;
        }
    }
    const QString own = threadlab::TempRoot::makeDir(QStringLiteral("runtime-"));
    if (!own.isEmpty())
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(own));
}

/// Commands that run a lab (and so need the temp root): they check $TMPDIR before anything runs.
bool runsLab(const QString &command)
{
    static const QStringList commands { QStringLiteral("run"), QStringLiteral("scenario"), QStringLiteral("matrix"),
        QStringLiteral("bench"), QStringLiteral("demo"), QStringLiteral("gui") };
    return command.isEmpty() || commands.contains(command);
}

/// What the GUI-free CLI cannot do itself: draw pictures, and measure the desktop lab's event-loop lag.
void registerFrontEnd()
{
    threadlab::CliHooks::setImageRenderer(
        [](const threadlab::Recording &rec, const QString &path, qreal scale, bool dark, QString *error) {
            threadlab::RecordingImageOptions options;
            options.scale = scale;
            options.dark = dark;
            return threadlab::renderRecordingImage(rec, path, options, error);
        });
    threadlab::BenchCase lag;
    lag.name = QStringLiteral("gui lag");
    lag.run = [](threadlab::Lab &, int) -> QList<threadlab::BenchRow> {
        constexpr int Workers = 500;
        const QString key = QStringLiteral("gui.lag.500");
        const QString name = QStringLiteral("gui lag: %1 sleep-steps workers (offscreen)").arg(Workers);
        if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
            return { threadlab::Benchmark::skippedRow(
                key, name, QStringLiteral("gui lag: skipped (no QApplication)")) };
        const threadlab::GuiLag measured = threadlab::measureGuiLag(Workers, 3000);
        if (measured.samples <= 0)
            return { threadlab::Benchmark::skippedRow(
                key, name, QStringLiteral("gui lag: skipped (no timer samples)")) };
        threadlab::BenchRow row;
        row.key = key;
        row.caseName = name;
        row.figure = QStringLiteral("lag");
        row.count = measured.samples;
        row.p50 = measured.p50Ms * 1e6;
        row.p90 = measured.p90Ms * 1e6;
        row.p99 = measured.p99Ms * 1e6;
        row.max = measured.maxMs * 1e6;
        row.note = QStringLiteral("lateness of a 5 ms timer in the MainWindow's event loop for 3 s with %1 live "
                                  "workers %6 (p50 %2, p90 %3, p99 %4 of %5 ticks)")
                       .arg(Workers)
                       .arg(threadlab::formatDuration(qint64(row.p50)), threadlab::formatDuration(qint64(row.p90)),
                           threadlab::formatDuration(qint64(row.p99)))
                       .arg(measured.samples)
                       .arg(measured.workersYield ? QStringLiteral("yielding to the window (SCHED_IDLE, the default)")
                                                  : QStringLiteral("at the window's priority (yield turned off)"));
        return { row };
    };
    threadlab::Benchmark::addCase(lag);
    threadlab::BenchCase paint;
    paint.name = QStringLiteral("timeline paint");
    paint.run = [](threadlab::Lab &, int) -> QList<threadlab::BenchRow> {
        const QString key = QStringLiteral("timeline.paint.100k");
        const QString name = QStringLiteral("timeline frame: 100 lanes, 100k events (offscreen)");
        if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
            return { threadlab::Benchmark::skippedRow(key, name, QStringLiteral("skipped (no QApplication)")) };
        const threadlab::TimelinePaint measured = threadlab::measureTimelinePaint(100'000, 100, 40);
        threadlab::BenchRow row = threadlab::Benchmark::rowFrom(key, name, QStringLiteral("paint"), measured.frameNs);
        row.note = QStringLiteral("TimelineRenderer::render (TimelineView::paintEvent's code) of %1 lanes, %2 events, "
                                  "fitted, into 1400×600")
                       .arg(measured.workers)
                       .arg(measured.events);
        return { row };
    };
    threadlab::Benchmark::addCase(paint);
}

} // namespace

int main(int argc, char **argv)
{
    // Before anything is started: every descendant that loses its parent comes back to us (see ProcessTree).
    threadlab::ProcessTree::becomeSubreaper();
    // Before any thread exists: every event dispatcher (the GUI's and each worker thread's) is Qt's own
    // Unix one, not GLib's. A QThread::terminate() unwinding a worker's stack through GLib's dispatcher
    // makes GLib print criticals, and Qt's dispatcher wakes a little faster for joins.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // Qt's own options are checked before any application object: Qt aborts on a platform it cannot load.
    threadlab::QtOptions split;
    QString error;
    if (!threadlab::QtOptions::split(arguments, QStyleFactory::keys(), &split, &error))
        return printError(error, threadlab::ExitUsage);
    const QStringList rest = split.rest.mid(1);
    const QString command = rest.value(0);
    const QString platform = chosenPlatform(split.qtArguments);

    // One temp root per run, checked before anything runs; stale roots of dead runs go first. Never the working
    // directory: an unusable $TMPDIR is a usage error.
    if (runsLab(command) && !rest.contains(QStringLiteral("--help")) && !rest.contains(QStringLiteral("-h"))) {
        if (!threadlab::TempRoot::init(&error))
            return printError(error, threadlab::ExitUsage);
        threadlab::TempRoot::removeStale();
    }

    QString recording;
    QString compareWith;
    std::optional<QString> present;
    bool gui = rest.isEmpty() && displayAvailable(platform);
    if (command == u"present") {
        QString scenario;
        if (const int code = threadlab::Cli::preparePresent(rest.mid(1), &scenario); code >= 0)
            return code;
        if (!displayAvailable(platform))
            return printError(QStringLiteral("present: no display found (no DISPLAY or WAYLAND_DISPLAY); presenter "
                                             "mode needs a screen (threadlab demo runs a lesson headless)"),
                threadlab::ExitFailure);
        present = scenario;
        gui = true;
    }
    if (command == u"gui") {
        if (const int code = threadlab::Cli::prepareGui(rest.mid(1), &recording, &compareWith); code >= 0)
            return code;
        if (!displayAvailable(platform))
            return printError(QStringLiteral("gui: no display found (no DISPLAY or WAYLAND_DISPLAY); use threadlab "
                                             "export RECORDING --screenshot FILE to draw it headless"),
                threadlab::ExitFailure);
        gui = true;
    }
    // `bench` (the GUI lag row) and screenshots need a QApplication; they never show a window, so they run on
    // the offscreen platform unless the user chose one.
    const bool needsGui = gui || command == u"bench" || std::any_of(rest.cbegin(), rest.cend(), [](const QString &a) {
        return a.startsWith(u"--screenshot") || a.startsWith(u"-screenshot");
    });
    if (needsGui && !threadlab::QtOptions::checkPlatformEnvironment(&error))
        return printError(error, threadlab::ExitUsage);

    // The QApplication sees the program and Qt's options only; it keeps argc/argv for its whole life.
    static std::vector<QByteArray> qtArgs { QByteArray(argv[0]) };
    for (const QString &a : std::as_const(split.qtArguments))
        qtArgs.push_back(a.toLocal8Bit());
    static std::vector<char *> qtArgv;
    for (QByteArray &a : qtArgs)
        qtArgv.push_back(a.data());
    qtArgv.push_back(nullptr);
    int qtArgc = int(qtArgs.size());
    if (gui)
        return threadlab::runGui(qtArgc, qtArgv.data(), recording, present, compareWith);

    std::unique_ptr<QCoreApplication> app;
    if (needsGui) {
        if (platform.isEmpty())
            qputenv("QT_QPA_PLATFORM", "offscreen");
        ensureRuntimeDir();
        app = std::make_unique<QApplication>(qtArgc, qtArgv.data());
        registerFrontEnd();
    } else {
        app = std::make_unique<QCoreApplication>(qtArgc, qtArgv.data());
    }
    QCoreApplication::setApplicationName(QStringLiteral("threadlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(THREADLAB_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("ThreadLab"));
    if (rest.isEmpty()) {
        std::fputs("threadlab: no display found; running the default demonstration headless instead "
                   "(threadlab demo)\n",
            stdout);
        std::fflush(stdout);
        return threadlab::Cli::demo();
    }
    return threadlab::Cli::exec(split.rest);
}
