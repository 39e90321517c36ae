// What the window shows (the live lab or a recording opened read-only) and its files: open, save, export.
#include "documentcontroller.h"

#include "lab/lab.h"
#include "lab/labcapture.h"
#include "recording/chrometrace.h"
#include "recording/recordingio.h"
#include "recordingimage.h"
#include "workers/worker.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMap>
#include <QMessageBox>
#include <QMimeData>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

namespace threadlab {

namespace {
constexpr int MessageMs = 6000;
} // namespace

DocumentController::DocumentController(Lab *lab, QWidget *window)
    : QObject(window)
    , m_lab(lab)
    , m_window(window)
{
}

void DocumentController::reportError(const QString &title, const QString &error)
{
    emit message(error, 0);
    if (m_interactive)
        QMessageBox::warning(m_window, title, error);
}

bool DocumentController::open(const QString &path, QString *error)
{
    QString why;
    std::optional<Recording> rec = RecordingIO::load(path, &why);
    if (!rec) {
        if (why.isEmpty())
            why = QDir::toNativeSeparators(path) + u": cannot be read"_qs;
        if (error)
            *error = why;
        reportError(u"Recording refused"_qs, why);
        return false;
    }
    m_recording = std::make_shared<const Recording>(std::move(*rec));
    m_recordingPath = path;
    emit recordingOpened();
    emit message(u"Opened %1: %2 workers, %3 events (read-only)"_qs.arg(QDir::toNativeSeparators(path))
                     .arg(m_recording->workers.size())
                     .arg(m_recording->events.size()),
        MessageMs);
    return true;
}

void DocumentController::close()
{
    if (!m_recording)
        return;
    m_recording.reset();
    m_recordingPath.clear();
    emit recordingClosed();
    emit message(u"Back to the live lab"_qs, 3000);
}

Recording DocumentController::current() const
{
    if (m_recording || !m_lab)
        return m_recording ? *m_recording : Recording();
    // What the table shows, nothing else: the runs of the workers in the lab, without the workers removed earlier.
    QSet<int> shown;
    for (const Worker *w : m_lab->workers())
        shown.insert(w->id());
    QList<int> runIds;
    for (const RunInfo &run : m_lab->runs())
        if (std::any_of(run.workerIds.cbegin(), run.workerIds.cend(), [&](int id) { return shown.contains(id); }))
            runIds << run.id;
    if (runIds.isEmpty())
        runIds << 0; // no run ids are 0: an empty recording, never every run
    Recording rec = captureLab(*m_lab, workerSetDescription(), runIds);
    const auto removed = [&](int id) { return id != LabWorkerId && !shown.contains(id); };
    rec.workers.removeIf([&](const RecordedWorker &w) { return removed(w.id); });
    rec.events.removeIf([&](const Event &e) { return removed(e.worker); });
    for (RunInfo &run : rec.runs)
        run.workerIds.removeIf(removed);
    for (const RunInfo &run : std::as_const(rec.runs))
        if (const auto it = m_lessons.constFind(run.id); it != m_lessons.cend())
            rec.lessons.insert(run.id, *it);
    if (rec.lessons.size() == 1) {
        rec.title = rec.lessons.first().title();
        rec.scenario = rec.runs.size() == 1 ? rec.runs.constFirst().scenario : QString();
    }
    return rec;
}

void DocumentController::noteLesson(int runId, const RecordedLesson &lesson)
{
    m_lessons.insert(runId, lesson);
}

QString DocumentController::title() const
{
    if (m_recording) {
        if (const RecordedLesson *l = m_recording->lessonOf(-1))
            return l->title();
        if (!m_recording->scenario.isEmpty() && !m_recording->title.isEmpty())
            return m_recording->title;
        return workerSetDescription();
    }
    const RunInfo run = m_lab ? m_lab->currentRun() : RunInfo {};
    if (const auto it = m_lessons.constFind(run.id); run.id > 0 && it != m_lessons.cend())
        return it->title();
    if (!run.scenario.isEmpty() && !run.title.isEmpty())
        return run.title;
    return workerSetDescription();
}

QString DocumentController::measuredHeadline(int maxWorkers) const
{
    // Each worker's headline is its fold's; recordingHeadline() only picks and names them.
    return recordingHeadline(current(), maxWorkers);
}

QString DocumentController::workerSetDescription() const
{
    if (m_recording)
        return recordingWorkerDescription(*m_recording);
    QMap<QString, int> groups;
    const QList<Worker *> all = m_lab ? m_lab->workers() : QList<Worker *>();
    for (Worker *w : all)
        ++groups[toString(w->spec().backend) + u'/' + w->spec().workload];
    QStringList parts;
    for (auto it = groups.begin(); it != groups.end(); ++it)
        parts << u"%1× %2"_qs.arg(it.value()).arg(it.key());
    return u"%1 worker%2: %3"_qs.arg(all.size()).arg(all.size() == 1 ? QString() : u"s"_qs).arg(parts.join(u", "_qs));
}

bool DocumentController::finish(
    bool ok, const QString &why, QString *error, const QString &done, const QString &failTitle)
{
    if (error)
        *error = why;
    if (ok)
        emit message(done, MessageMs);
    else
        reportError(failTitle, why);
    return ok;
}

bool DocumentController::save(const QString &path, QString *error)
{
    QString why;
    const bool ok = RecordingIO::save(current(), path, &why);
    if (ok)
        emit recordingSaved(path);
    return finish(ok, why, error, u"Saved recording %1"_qs.arg(QDir::toNativeSeparators(path)),
        u"Could not save the recording"_qs);
}

bool DocumentController::exportTrace(const QString &path, QString *error)
{
    QString why;
    const bool ok = exportChromeTrace(current(), path, &why);
    return finish(ok, why, error,
        u"Exported trace %1 (open it in ui.perfetto.dev or chrome://tracing)"_qs.arg(QDir::toNativeSeparators(path)),
        u"Export failed"_qs);
}

bool DocumentController::exportTable(const QString &path, CsvKind kind, QString *error)
{
    QString why;
    const bool ok = exportCsv(current(), path, &why, kind);
    return finish(ok, why, error, u"Exported %1"_qs.arg(QDir::toNativeSeparators(path)), u"Export failed"_qs);
}

bool DocumentController::exportImage(const QString &path, qreal scale, bool dark, QString *error)
{
    RecordingImageOptions o;
    o.scale = scale;
    o.dark = dark;
    o.caption = title();
    o.headline = measuredHeadline();
    QString why;
    const bool ok = renderRecordingImage(current(), path, o, &why);
    return finish(ok, why, error, u"Exported %1"_qs.arg(QDir::toNativeSeparators(path)), u"Export failed"_qs);
}

QString DocumentController::exportDir() const
{
    return QSettings()
        .value(u"export/dir"_qs, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .toString();
}

void DocumentController::rememberExportDir(const QString &path) const
{
    QSettings().setValue(u"export/dir"_qs, QFileInfo(path).absolutePath());
}

void DocumentController::handleOpen()
{
    const QString path = QFileDialog::getOpenFileName(m_window, u"Open recording"_qs, exportDir(),
        u"ThreadLab recordings (*.threadlab.json *.threadlab.json.gz *.json *.gz);;All files (*)"_qs);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    open(path);
}

void DocumentController::handleSave()
{
    const QString name
        = u"threadlab-%1.threadlab.json.gz"_qs.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs));
    const QString path = QFileDialog::getSaveFileName(m_window, u"Save recording"_qs, QDir(exportDir()).filePath(name),
        u"Compressed recording (*.threadlab.json.gz);;Recording (*.threadlab.json)"_qs);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    save(path);
}

void DocumentController::handleExport(ActionId id, bool dark)
{
    const QString stamp = QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs);
    QString name, filter, title;
    switch (id) {
    case ActionId::ExportTrace:
        title = u"Export trace"_qs;
        name = u"threadlab-%1.trace.json"_qs.arg(stamp);
        filter = u"Chrome trace (*.json)"_qs;
        break;
    case ActionId::ExportEventsCsv:
        title = u"Export events as CSV"_qs;
        name = u"threadlab-%1-events.csv"_qs.arg(stamp);
        filter = u"CSV (*.csv)"_qs;
        break;
    case ActionId::ExportMeasurementsCsv:
        title = u"Export measurements as CSV"_qs;
        name = u"threadlab-%1-measurements.csv"_qs.arg(stamp);
        filter = u"CSV (*.csv)"_qs;
        break;
    case ActionId::ExportMarkdown:
        title = u"Export measurements as Markdown"_qs;
        name = u"threadlab-%1-measurements.md"_qs.arg(stamp);
        filter = u"Markdown (*.md)"_qs;
        break;
    default:
        title = u"Export image"_qs;
        name = u"threadlab-%1.png"_qs.arg(stamp);
        filter = u"PNG image (*.png);;PNG image at 2× (*.png);;SVG image (*.svg)"_qs;
        break;
    }
    QString selected;
    const QString path
        = QFileDialog::getSaveFileName(m_window, title, QDir(exportDir()).filePath(name), filter, &selected);
    if (path.isEmpty())
        return;
    rememberExportDir(path);
    switch (id) {
    case ActionId::ExportTrace:
        exportTrace(path);
        break;
    case ActionId::ExportEventsCsv:
        exportTable(path, CsvKind::Events);
        break;
    case ActionId::ExportMeasurementsCsv:
        exportTable(path, CsvKind::Measurements);
        break;
    case ActionId::ExportMarkdown:
        exportTable(path, CsvKind::MarkdownMeasurements);
        break;
    default:
        exportImage(path, selected.contains(u"2×"_qs) ? 2.0 : 1.0, dark);
        break;
    }
}

void DocumentController::acceptDrops()
{
    m_window->setAcceptDrops(true);
    m_window->installEventFilter(this);
}

bool DocumentController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || (event->type() != QEvent::DragEnter && event->type() != QEvent::Drop))
        return QObject::eventFilter(watched, event);
    auto *drop = static_cast<QDropEvent *>(event); // QDragEnterEvent is a QDropEvent
    const QList<QUrl> urls = drop->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return false;
    drop->acceptProposedAction();
    if (event->type() == QEvent::Drop) {
        const QString path = urls.first().toLocalFile();
        // Open after the drop returns, so a message box does not run inside the drag-and-drop loop.
        QTimer::singleShot(0, this, [this, path] { open(path); });
    }
    return true;
}

} // namespace threadlab
