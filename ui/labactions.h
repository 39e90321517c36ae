// The main window's actions, keyed by ActionId, with their enable rules and the refusal tooltips they show.
#pragma once

#include <QList>
#include <QObject>
#include <QTimer>
#include <array>
#include <functional>
#include <initializer_list>

class QAction;
class QKeySequence;
class QWidget;

namespace threadlab {

class Worker;

/// Every action of the main window (menus, toolbar, the table's context menu).
enum class ActionId {
    OpenRecording,
    SaveRecording,
    CloseRecording,
    ExportTrace,
    ExportEventsCsv,
    ExportMeasurementsCsv,
    ExportMarkdown,
    ExportImage,
    Scenarios,
    Matrix,
    Compare,
    Add,
    Start,
    Request,
    Force,
    Escalate,
    Pause,
    Resume,
    StopAll,
    Clear,
    Recover,
    YieldToWindow,
    Fit,
    ZoomToStop,
    Follow,
    Dark,
    Screenshot,
    CopyScreenshot,
    Quit,
    Count
};

/// What the enable rules look at; gathered by the owner when an update is due.
struct ActionInputs
{
    QList<Worker *> selected; ///< the selected live workers (empty for a recording)
    QList<Worker *> all; ///< every live worker (empty once shut down)
    bool readOnly = false; ///< a recording is shown
    bool shutDown = false; ///< the lab refuses new work
    bool canZoomToStop = false; ///< the first selected worker has been asked to stop
};

class LabActions : public QObject
{
    Q_OBJECT
public:
    /// Makes every action as a child of window (so window shortcuts work) with its icon for the palette.
    explicit LabActions(bool dark, QWidget *window);
    Q_DISABLE_COPY_MOVE(LabActions)

    QAction *action(ActionId id) const { return m_actions.at(std::size_t(id)); }
    QList<QAction *> actions(std::initializer_list<ActionId> ids) const;
    /// The icons follow the palette.
    void setDark(bool dark);

    /// Where the enable rules read their inputs; called on each update.
    void setInputs(std::function<ActionInputs()> inputs) { m_inputs = std::move(inputs); }
    /// Coalesces bursts of changes (state changes, model updates) into one update 100 ms later.
    void scheduleUpdate();
    /// Applies the enable rules now.
    void updateNow();

signals:
    /// An update was applied; liveLabUsable is false for a recording or a shut-down lab.
    void updated(bool liveLabUsable);

private:
    QAction *make(ActionId id, const QString &text, const QKeySequence &shortcut, const QString &tip);
    void applySelectionRule(ActionId id, const ActionInputs &in, const std::function<QString(Worker *)> &refusal);
    void setTip(ActionId id, const QString &extra);

    std::array<QAction *, std::size_t(ActionId::Count)> m_actions {};
    std::array<QString, std::size_t(ActionId::Count)> m_baseTips;
    std::function<ActionInputs()> m_inputs;
    QTimer m_timer;
};

} // namespace threadlab
