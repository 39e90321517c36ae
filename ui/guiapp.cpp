// The GUI entry point for app/main.cpp: builds the QApplication and the main window and runs them.
#include "guiapp.h"

#include "comparewindow.h"
#include "guidecontroller.h"
#include "lab/termination.h"
#include "lessonpanel.h"
#include "mainwindow.h"
#include "matrixview.h"
#include "presenterwindow.h"
#include "scenariobrowser.h"
#include "statestyle.h"
#include "timelineview.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

namespace threadlab {

namespace {

/// The scripted demo behind THREADLAB_SCREENSHOT_AND_QUIT: runs a built-in scenario (the demo, 00-demo, unless
/// THREADLAB_SCENARIO names another) with the browser shown, saves the window (<png>, <png>-dark.png), the
/// timeline (<png>-timeline.png, <png>-timeline-dark.png, <png>-stop.png), saves the run as a recording and reopens
/// it (<png>-recording.png), then (THREADLAB_MATRIX=1) runs a small matrix and saves its window and picture
/// (<png>-matrix.png, <png>-matrix-image.png), and quits. Every step is a timer or a signal, never a sleep.
void scheduleScenarioDemo(MainWindow *window, const QString &png, const QString &scenario)
{
    window->setInteractive(false);
    window->scenarioBrowser()->setInteractive(false);
    const auto suffixed = [png](const QString &suffix) { return QString(png).replace(u".png"_qs, suffix); };
    QTimer::singleShot(300, window, [window, scenario] {
        window->action(ActionId::Scenarios)->trigger();
        if (window->scenarioBrowser()->choose(scenario))
            window->scenarioBrowser()->run();
        else
            window->close();
    });
    const auto afterRun = [window, png, suffixed] {
        window->timeline()->fitAll();
        ScreenshotOptions o;
        o.target = ScreenshotOptions::Target::Window;
        window->saveScreenshot(png, o);
        o.dark = true;
        window->saveScreenshot(suffixed(u"-dark.png"_qs), o);
        o.dark = false;
        o.target = ScreenshotOptions::Target::Timeline;
        o.size = QSize(1400, 0);
        window->saveScreenshot(suffixed(u"-timeline.png"_qs), o);
        o.dark = true;
        window->saveScreenshot(suffixed(u"-timeline-dark.png"_qs), o);
        o.dark = false;
        if (const QList<Worker *> all = window->lab().workers(); !all.isEmpty())
            window->selectWorkers({ all.constFirst()->id() });
        window->timeline()->zoomToStop(window->selectedWorkerIds().value(0, -1));
        window->saveScreenshot(suffixed(u"-stop.png"_qs), o);
        const QString rec = suffixed(u".threadlab.json.gz"_qs);
        window->saveRecording(rec);
        window->openRecording(rec);
        QTimer::singleShot(300, window, [window, suffixed] {
            ScreenshotOptions o2;
            o2.target = ScreenshotOptions::Target::Window;
            window->saveScreenshot(suffixed(u"-recording.png"_qs), o2);
            window->exportImage(suffixed(u"-recording-image.png"_qs), 1.0, false);
            window->exportImage(suffixed(u"-recording-image.svg"_qs), 1.0, true);
            if (qEnvironmentVariableIntValue("THREADLAB_MATRIX") == 0) {
                window->close();
                return;
            }
            MatrixView *view = window->matrixView();
            MatrixOptions mo;
            for (const QString &w : { u"sleep-steps"_qs, u"cpu-ignore:run_ms=600"_qs })
                if (auto mw = MatrixOptions::parseWorkload(w, nullptr))
                    mo.workloads << *mw;
            mo.methods = { StopMethod::Request, StopMethod::Force, StopMethod::Escalate };
            mo.backends = { Backend::Thread, Backend::Concurrent, Backend::Process };
            mo.repeat = 1;
            view->setOptions(mo);
            view->show();
            QObject::connect(view, &MatrixView::finished, window, [window, view, suffixed] {
                QTimer::singleShot(200, window, [window, view, suffixed] {
                    view->grab().save(suffixed(u"-matrix.png"_qs));
                    view->exportImage(suffixed(u"-matrix-image.png"_qs), 1.0, false);
                    window->close();
                });
            });
            view->start();
        });
    };
    QObject::connect(window->scenarioBrowser(), &ScenarioBrowser::scenarioFinished, window,
        [window, afterRun] { QTimer::singleShot(300, window, afterRun); });
}

} // namespace

int runGui(int &argc, char **argv, const QString &openRecordingPath, const std::optional<QString> &presentScenario,
    const QString &compareWithPath)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"ThreadLab"_qs);
    QApplication::setOrganizationName(u"ThreadLab"_qs);
    QApplication::setApplicationVersion(QStringLiteral(THREADLAB_VERSION));
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_qs));
    QApplication::setPalette(StateStyle::lightPalette());
    MainWindow window;
    const QString png = qEnvironmentVariable("THREADLAB_SCREENSHOT_AND_QUIT");
    if (!png.isEmpty()) {
        window.setDarkPalette(false);
        window.resize(1500, 920);
        const QString scenario = qEnvironmentVariable("THREADLAB_SCENARIO");
        scheduleScenarioDemo(&window, png, scenario.isEmpty() ? QStringLiteral("00-demo") : scenario);
    }
    // SIGINT, SIGTERM, SIGHUP: the window closes as if the user closed it (the lab shuts down with its progress),
    // and the app exits with 128 + signal; a second signal or 5 s escalate (Termination).
    if (Termination *termination = Termination::install()) {
        termination->setShutsDownLabs(false);
        QObject::connect(termination, &Termination::terminationRequested, &window, [&window] { window.close(); });
    }
    window.show();
    if (presentScenario) {
        // After show(): the presenter is a window of its own, above the main window.
        QString error;
        if (!window.guide()->present(*presentScenario, true, &error))
            window.statusBar()->showMessage(error);
    }
    if (const QString report = qEnvironmentVariable("THREADLAB_LAYOUT_REPORT"); !report.isEmpty()) {
        if (presentScenario && window.guide()->isPresenting())
            window.guide()->presenter()->run(); // check the presenter with a lesson running, lanes and all
        GuideController::scheduleLayoutReport(&window, report, 2500);
    }
    if (!openRecordingPath.isEmpty()) {
        // After show(), so a refusal's message box has its window; the app carries on empty.
        QTimer::singleShot(0, &window, [&window, openRecordingPath, compareWithPath] {
            if (window.openRecording(openRecordingPath) && !compareWithPath.isEmpty())
                CompareWindow::showFor(&window, compareWithPath);
        });
    }
    const int code = Termination::exitCode(app.exec());
    // Threads that could not be stopped were kept alive (never destroyed while running) and named by the
    // shutdown; end the process now, without running global destructors under their feet (but with the
    // clean-up: owned processes killed, the temp root removed).
    if (!window.shutdownLab().stillRunning.isEmpty())
        Termination::exitNow(code);
    return code;
}

} // namespace threadlab
