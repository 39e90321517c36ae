// Code beside the run: the selected worker's workload code, with the line it executes now highlighted live.
#pragma once

#include "model/runsource.h"
#include "scenarios/codeexcerpt.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;

namespace threadlab {

/// Shows the excerpt of the selected worker's workload for its backend (C++ or Python) and highlights the line
/// marked with the phase the worker published last (RunSource::phase, polled at frame rate while it runs). The
/// kernel's view of its thread (the last kernel-state sample) is shown beneath. Fonts follow the app's font scale.
class CodePanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int PollIntervalMs = 33; ///< about the display's frame rate

    explicit CodePanel(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CodePanel)

    /// Shows workers of this source (nullptr: none); the selection is cleared.
    void setSource(RunSource *source);
    void setWorker(int workerId);
    int workerId() const { return m_workerId; }

    /// The phase shown now, and the excerpt line highlighted for it (-1: none).
    WorkerPhase shownPhase() const { return m_phase; }
    int highlightedLine() const { return m_line; }
    /// The excerpt shown (empty when no worker or no excerpt).
    const std::optional<CodeExcerpt> &excerpt() const { return m_excerpt; }
    QPlainTextEdit *codeView() const { return m_code; }
    /// Re-reads the phase now (the poll timer calls it).
    void poll();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void reload();
    void applyFont();
    void highlight(int line);
    void updatePolling();

    QPointer<RunSource> m_source;
    int m_workerId = -1;
    QString m_loadedKey; ///< workload + language of the excerpt shown
    std::optional<CodeExcerpt> m_excerpt;
    WorkerPhase m_phase = WorkerPhase::None;
    int m_line = -1;
    QLabel *m_title;
    QLabel *m_stopCheck;
    QPlainTextEdit *m_code;
    QLabel *m_now;
    QTimer m_poll;
};

} // namespace threadlab
