// The main window's actions, keyed by ActionId, with their enable rules and the refusal tooltips they show.
#include "labactions.h"

#include "statestyle.h"
#include "workers/worker.h"

#include <QAction>
#include <QWidget>

namespace threadlab {

namespace {

constexpr int UpdateDelayMs = 100;

/// Object names ("action_start") and icon names; the names are what accessibility tools and old tests see.
struct ActionMeta
{
    const char16_t *name;
    const char16_t *icon; ///< nullptr: no icon
};

constexpr std::array<ActionMeta, std::size_t(ActionId::Count)> Meta { {
    { u"openrec", nullptr },
    { u"saverec", nullptr },
    { u"closerec", nullptr },
    { u"exporttrace", nullptr },
    { u"exportcsv", nullptr },
    { u"exportmcsv", nullptr },
    { u"exportmd", nullptr },
    { u"exportimage", nullptr },
    { u"scenarios", nullptr },
    { u"matrix", nullptr },
    { u"compare", nullptr },
    { u"add", u"add" },
    { u"start", u"start" },
    { u"request", u"stop" },
    { u"force", u"kill" },
    { u"escalate", u"escalate" },
    { u"pause", u"pause" },
    { u"resume", u"start" },
    { u"stopall", u"stopall" },
    { u"clear", u"clear" },
    { u"recover", u"recover" },
    { u"yield", nullptr },
    { u"fit", u"fit" },
    { u"zoomstop", u"zoomstop" },
    { u"follow", u"follow" },
    { u"dark", nullptr },
    { u"screenshot", u"shot" },
    { u"copyshot", nullptr },
    { u"quit", nullptr },
} };

const QString ReadOnlyNote = u"\nthis is a recording: read-only"_qs;

} // namespace

LabActions::LabActions(bool dark, QWidget *window)
    : QObject(window)
{
    using K = QKeySequence;
    using A = ActionId;
    make(A::OpenRecording, u"&Open recording…"_qs, K::Open,
        u"Open a saved run (.threadlab.json or .threadlab.json.gz) read-only"_qs);
    make(A::SaveRecording, u"Save &recording…"_qs, K::Save,
        u"Save the run: every event, the measurements, the leaks and the machine"_qs);
    make(A::CloseRecording, u"&Close recording"_qs, K(Qt::CTRL | Qt::Key_W),
        u"Close the recording and return to the live lab"_qs);
    make(A::ExportTrace, u"Export &trace (Chrome/Perfetto)…"_qs, K(),
        u"Chrome Trace Event Format JSON for Perfetto UI and Chrome DevTools"_qs);
    make(A::ExportEventsCsv, u"Export &events as CSV…"_qs, K(), u"One row per event"_qs);
    make(A::ExportMeasurementsCsv, u"Export &measurements as CSV…"_qs, K(),
        u"One row per worker: outcome, latencies, steps, CPU time, leaks"_qs);
    make(A::ExportMarkdown, u"Export measurements as Mark&down…"_qs, K(),
        u"A Markdown table of the measurements, for bug reports and notes"_qs);
    make(A::ExportImage, u"Export &image (PNG/SVG)…"_qs, K(),
        u"The timeline with caption, scale bar and legend as PNG (1× or 2×) or SVG"_qs);
    make(A::Scenarios, u"&Scenarios"_qs, K(Qt::CTRL | Qt::Key_B),
        u"Show the scenario browser: built-in lessons to load, run and step through"_qs)
        ->setCheckable(true);
    make(A::Matrix, u"Stop-method &matrix…"_qs, K(Qt::CTRL | Qt::Key_M),
        u"Measure workloads × backends × stop methods on this machine"_qs);
    make(A::Compare, u"Compare r&uns…"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
        u"Two runs or recordings side by side: lanes aligned at their stop requests, a table of differences"_qs);
    make(A::Add, u"&Add workers…"_qs, K::New, u"Add workers: backend, workload, parameters, how many"_qs);
    make(A::Start, u"&Start"_qs, K(Qt::CTRL | Qt::Key_R), u"Start the selected workers"_qs);
    make(A::Request, u"&Request stop"_qs, K(Qt::CTRL | Qt::Key_Period),
        u"Ask the selected workers to stop (cooperative)"_qs);
    make(A::Force, u"&Force kill"_qs, K(Qt::CTRL | Qt::Key_K),
        u"Force-kill the selected workers (safe terminate / SIGKILL)"_qs);
    make(A::Escalate, u"Stop with &escalation"_qs, K(Qt::CTRL | Qt::Key_E),
        u"Ask, wait the grace period, then force, then wait the kill timeout"_qs);
    make(A::Pause, u"&Pause"_qs, K(Qt::CTRL | Qt::Key_P), u"Pause the selected workers"_qs);
    make(A::Resume, u"Res&ume"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_P), u"Resume the selected paused workers"_qs);
    make(A::StopAll, u"Stop &all"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_Period),
        u"Stop every running worker with escalation"_qs);
    make(A::Clear, u"&Clear finished"_qs, K(Qt::CTRL | Qt::Key_L), u"Forget finished workers whose code has ended"_qs);
    make(A::Recover, u"Re&cover lab"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        u"Recover the lab: a fresh lab mutex, orphaned child threads stopped"_qs);
    make(A::YieldToWindow, u"&Workers yield to the window"_qs, K(),
        u"Workers started from now on run with SCHED_IDLE (Qt's QThread::IdlePriority): the window stays responsive "
        "with hundreds of busy workers, and their latencies change only while the window needs the CPU. Off: they "
        "compete with the window as equals (a pool thread that already ran idle stays idle until ThreadLab restarts)"_qs)
        ->setCheckable(true);
    // Ctrl+0 is "text at 100 %" (the usual zoom-reset key); fitting the timeline is Ctrl+Alt+0 (or F in it).
    make(A::Fit, u"&Fit all"_qs, K(Qt::CTRL | Qt::ALT | Qt::Key_0), u"Show the whole timeline"_qs);
    make(A::ZoomToStop, u"&Zoom to the stop"_qs, K(Qt::CTRL | Qt::Key_J),
        u"Zoom the timeline to the stop of the selected worker"_qs);
    QAction *follow = make(A::Follow, u"Follow &live"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
        u"Keep the latest time in view while workers run"_qs);
    follow->setCheckable(true);
    follow->setChecked(true);
    QAction *darkAction = make(A::Dark, u"&Dark palette"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        u"Switch between the light and the dark palette"_qs);
    darkAction->setCheckable(true);
    darkAction->setChecked(dark);
    make(A::Screenshot, u"&Save timing screenshot…"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        u"Save a PNG of the timeline or the window, with caption, legend and scale bar"_qs);
    make(A::CopyScreenshot, u"&Copy screenshot"_qs, K(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        u"Copy a timing screenshot of the timeline to the clipboard"_qs);
    make(A::Quit, u"&Quit"_qs, K::Quit, u"Stop every worker and quit"_qs);
    setDark(dark);

    m_timer.setSingleShot(true);
    m_timer.setInterval(UpdateDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &LabActions::updateNow);
}

QAction *LabActions::make(ActionId id, const QString &text, const QKeySequence &shortcut, const QString &tip)
{
    auto *a = new QAction(text, parent());
    a->setObjectName(u"action_"_qs + QString::fromUtf16(Meta.at(std::size_t(id)).name));
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    a->setToolTip(
        tip + (shortcut.isEmpty() ? QString() : u" (%1)"_qs.arg(shortcut.toString(QKeySequence::NativeText))));
    a->setStatusTip(tip);
    a->setShortcutContext(Qt::WindowShortcut);
    m_actions.at(std::size_t(id)) = a;
    m_baseTips.at(std::size_t(id)) = a->toolTip();
    return a;
}

QList<QAction *> LabActions::actions(std::initializer_list<ActionId> ids) const
{
    QList<QAction *> out;
    for (ActionId id : ids)
        out << action(id);
    return out;
}

void LabActions::setDark(bool dark)
{
    for (std::size_t i = 0; i < Meta.size(); ++i)
        if (Meta.at(i).icon)
            m_actions.at(i)->setIcon(StateStyle::actionIcon(QString::fromUtf16(Meta.at(i).icon), dark));
}

void LabActions::scheduleUpdate()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void LabActions::setTip(ActionId id, const QString &extra)
{
    action(id)->setToolTip(m_baseTips.at(std::size_t(id)) + extra);
}

void LabActions::applySelectionRule(
    ActionId id, const ActionInputs &in, const std::function<QString(Worker *)> &refusal)
{
    QAction *a = action(id);
    if (in.readOnly) {
        a->setEnabled(false);
        setTip(id, ReadOnlyNote);
        return;
    }
    if (in.selected.isEmpty()) {
        a->setEnabled(false);
        setTip(id, u"\nSelect one or more workers first."_qs);
        return;
    }
    int ok = 0;
    QStringList why;
    for (Worker *w : in.selected) {
        const QString r = refusal(w);
        if (r.isEmpty())
            ++ok;
        else if (why.size() < 4)
            why << u"%1: %2"_qs.arg(w->spec().name, r);
    }
    a->setEnabled(ok > 0);
    QString tip = m_baseTips.at(std::size_t(id));
    if (ok == 0)
        tip += u"\nNot available: "_qs + (in.selected.size() == 1 ? refusal(in.selected.first()) : why.join(u"; "_qs));
    else if (ok < in.selected.size())
        tip += u"\nApplies to %1 of the %2 selected; skipped: %3"_qs.arg(ok)
                   .arg(in.selected.size())
                   .arg(why.join(u"; "_qs));
    a->setToolTip(tip);
    a->setStatusTip(tip);
}

void LabActions::updateNow()
{
    m_timer.stop();
    ActionInputs in = m_inputs ? m_inputs() : ActionInputs();
    if (in.shutDown) {
        in.selected.clear();
        in.all.clear();
    }
    using A = ActionId;
    applySelectionRule(A::Start, in, [](Worker *w) {
        return w->state() == WorkerState::Created ? QString() : u"already started (a worker starts once)"_qs;
    });
    applySelectionRule(A::Request, in, [](Worker *w) { return w->refusal(StopMethod::Request); });
    applySelectionRule(A::Force, in, [](Worker *w) { return w->refusal(StopMethod::Force); });
    applySelectionRule(A::Escalate, in, [](Worker *w) { return w->refusal(StopMethod::Escalate); });
    applySelectionRule(A::Pause, in, [](Worker *w) {
        const QString r = w->pauseRefusal();
        if (!r.isEmpty())
            return r;
        return w->state() == WorkerState::Running ? QString() : u"only a running worker can pause"_qs;
    });
    applySelectionRule(A::Resume, in, [](Worker *w) {
        const QString r = w->pauseRefusal();
        if (!r.isEmpty())
            return r;
        return w->state() == WorkerState::Paused ? QString() : u"the worker is not paused"_qs;
    });
    bool anyLive = false, anyEnded = false;
    for (Worker *w : std::as_const(in.all)) {
        anyLive |= !w->isFinished();
        anyEnded |= w->isFinished() && w->hasEnded();
    }
    action(A::StopAll)->setEnabled(anyLive && !in.readOnly);
    action(A::Clear)->setEnabled(anyEnded && !in.readOnly);
    action(A::Recover)->setEnabled(!in.shutDown && !in.readOnly);
    action(A::Add)->setEnabled(!in.shutDown && !in.readOnly);
    for (ActionId id : { A::StopAll, A::Clear, A::Recover, A::Add })
        setTip(id, in.readOnly ? ReadOnlyNote : QString());
    action(A::CloseRecording)->setEnabled(in.readOnly);
    action(A::SaveRecording)->setEnabled(!in.shutDown || in.readOnly);
    action(A::ZoomToStop)->setEnabled(in.canZoomToStop);
    setTip(A::ZoomToStop, in.canZoomToStop ? QString() : u"\nSelect a worker that has been asked to stop."_qs);
    emit updated(!in.readOnly && !in.shutDown);
}

} // namespace threadlab
