// threadlab: with no arguments the desktop lab (or, without a display, the headless demo); else the CLI.
#include "cli/cli.h"
#include "cli/clihooks.h"
#include "guiapp.h"
#include "guilagprobe.h"
#include "recording/recordingio.h"
#include "recordingimage.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("threadlab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(THREADLAB_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("ThreadLab"));
}

void printError(const QString &line)
{
    const QByteArray bytes = (QStringLiteral("threadlab: ") + line + QLatin1Char('\n')).toUtf8();
    std::fputs(bytes.constData(), stderr);
    std::fflush(stderr);
}

/// The sub-command: the first argument that is not an option (empty when there is none).
QString commandOf(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        if (argv[i][0] != '-')
            return QString::fromLocal8Bit(argv[i]);
    return {};
}

bool hasArgument(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0 || std::strncmp(argv[i], name, std::strlen(name)) == 0)
            return true;
    return false;
}

/// `threadlab gui [RECORDING]`: checks the recording first (exit 2 with its one-line error), then the GUI.
int guiCommand(int &argc, char **argv)
{
    QString path;
    for (int i = 2; i < argc; ++i) {
        if (!path.isEmpty()) {
            printError(QStringLiteral("gui: unexpected argument '%1' (one recording at a time)")
                           .arg(QString::fromLocal8Bit(argv[i])));
            return threadlab::ExitUsage;
        }
        path = QString::fromLocal8Bit(argv[i]);
    }
    if (!path.isEmpty()) {
        QString error;
        if (!threadlab::RecordingIO::load(path, &error)) {
            printError(error);
            return threadlab::ExitUsage;
        }
    }
    if (!displayAvailable()) {
        printError(QStringLiteral("gui: no display found (no DISPLAY or WAYLAND_DISPLAY); use threadlab export "
                                  "RECORDING --screenshot FILE to draw it headless"));
        return threadlab::ExitFailure;
    }
    return threadlab::runGui(argc, argv, path);
}

/// A headless QApplication wants a private runtime directory; without XDG_RUNTIME_DIR Qt makes one and warns
/// on stderr, which would break the CLI's one-line errors. Make it quietly, as Qt would.
void ensureRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const QByteArray dir = QFile::encodeName(QDir::tempPath()) + "/threadlab-runtime-" + QByteArray::number(getuid());
    ::mkdir(dir.constData(), 0700);
    struct stat st
    {
    };
    if (::stat(dir.constData(), &st) == 0 && st.st_uid == getuid() && (st.st_mode & 0777) == 0700)
        qputenv("XDG_RUNTIME_DIR", dir);
}

/// The hooks through which the GUI-free CLI draws pictures and measures the GUI's lag.
void registerHooks()
{
    threadlab::CliHooks::setImageRenderer(
        [](const threadlab::Recording &rec, const QString &path, qreal scale, bool dark, QString *error) {
            threadlab::RecordingImageOptions options;
            options.scale = scale;
            options.dark = dark;
            return threadlab::renderRecordingImage(rec, path, options, error);
        });
    threadlab::CliHooks::setGuiLagProbe([](int workers, QString *reason) -> std::optional<threadlab::GuiLagSample> {
        if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
            *reason = QStringLiteral("no QApplication");
            return std::nullopt;
        }
        const threadlab::GuiLag lag = threadlab::measureGuiLag(workers, 3000);
        if (lag.samples <= 0) {
            *reason = QStringLiteral("no timer samples");
            return std::nullopt;
        }
        return threadlab::GuiLagSample { workers, lag.samples, lag.p50Ms, lag.p99Ms, lag.maxMs };
    });
}

} // namespace

int main(int argc, char **argv)
{
    // Before any thread exists: every event dispatcher (the GUI's and each worker thread's) is Qt's own
    // Unix one, not GLib's. A QThread::terminate() unwinding a worker's stack through GLib's dispatcher
    // makes GLib print criticals, and Qt's dispatcher wakes a little faster for joins.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    if (argc <= 1 && displayAvailable())
        return threadlab::runGui(argc, argv);
    const QString command = commandOf(argc, argv);
    if (command == u"gui" && argc >= 2 && QString::fromLocal8Bit(argv[1]) == u"gui" && !hasArgument(argc, argv, "-h")
        && !hasArgument(argc, argv, "--help"))
        return guiCommand(argc, argv);

    // `bench` (GUI lag row) and screenshots need a QApplication; they never show a window, so they run on
    // the offscreen platform unless the user chose one.
    const bool needsGui = command == u"bench" || hasArgument(argc, argv, "--screenshot");
    std::unique_ptr<QCoreApplication> app;
    if (needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        ensureRuntimeDir();
        app = std::make_unique<QApplication>(argc, argv);
        registerHooks();
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    setIdentity();
    if (argc <= 1) {
        std::fputs("threadlab: no display found; running the default demonstration headless instead "
                   "(threadlab demo)\n",
            stdout);
        std::fflush(stdout);
        return threadlab::Cli::demo();
    }
    return threadlab::Cli::exec(QCoreApplication::arguments());
}
