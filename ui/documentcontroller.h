// What the window shows (the live lab or a recording opened read-only) and its files: open, save, export.
#pragma once

#include "labactions.h"
#include "recording/csvexport.h"
#include "recording/recording.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <memory>

class QWidget;

namespace threadlab {

class Lab;

class DocumentController : public QObject
{
    Q_OBJECT
public:
    /// window parents the file dialogs and the error boxes.
    DocumentController(Lab *lab, QWidget *window);
    Q_DISABLE_COPY_MOVE(DocumentController)

    /// When false, nothing modal is shown: errors go to message() only.
    void setInteractive(bool interactive) { m_interactive = interactive; }

    /// Loads a recording read-only; a newer-version or corrupt file is refused with its one-line message
    /// (error, message(), and a message box when interactive) and what was shown stays.
    bool open(const QString &path, QString *error = nullptr);
    /// Back to the live lab.
    void close();
    bool isShowingRecording() const { return m_recording != nullptr; }
    std::shared_ptr<const Recording> recording() const { return m_recording; }
    QString recordingPath() const { return m_recordingPath; }

    /// What is shown as a Recording: the open recording, or the live lab captured now.
    Recording current() const;
    /// Remembers the lesson of a scenario run of the lab, so a recording saved from the window keeps it.
    void noteLesson(int runId, const threadlab::RecordedLesson &lesson);
    /// The title of what is shown: the lesson's (a scenario run or a recording of one), else the description of
    /// its workers.
    QString title() const;
    /// The fold's measured headline of what is shown: the lines of the workers that measured something, each with
    /// its name ("ignore-terminate: kill did not land; …"), at most maxWorkers of them.
    QString measuredHeadline(int maxWorkers = 3) const;
    /// "4 workers: 2× thread/sleep-steps, 2× concurrent/cpu-spin" of what is shown.
    QString workerSetDescription() const;

    bool save(const QString &path, QString *error = nullptr);
    bool exportTrace(const QString &path, QString *error = nullptr);
    bool exportTable(const QString &path, CsvKind kind, QString *error = nullptr);
    bool exportImage(const QString &path, qreal scale, bool dark, QString *error = nullptr);

    /// The File menu's dialogs, then the operations above.
    void handleOpen();
    void handleSave();
    /// id is one of the Export* actions; dark is the palette of an image export.
    void handleExport(ActionId id, bool dark);
    /// Makes the window open a recording file dropped on it.
    void acceptDrops();

signals:
    void recordingOpened();
    /// A recording was written to path (for the start page's recent recordings).
    void recordingSaved(const QString &path);
    void recordingClosed();
    void message(const QString &text, int timeoutMs);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void reportError(const QString &title, const QString &error);
    bool finish(bool ok, const QString &why, QString *error, const QString &done, const QString &failTitle);
    QString exportDir() const;
    void rememberExportDir(const QString &path) const;

    QPointer<Lab> m_lab;
    QWidget *m_window;
    std::shared_ptr<const Recording> m_recording;
    QString m_recordingPath;
    bool m_interactive = true;
    QMap<int, RecordedLesson> m_lessons; ///< by the lab's run id
};

} // namespace threadlab
