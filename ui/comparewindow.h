// Compare two runs (Tracy's compare): pick two runs or recordings, lanes aligned at their stop requests, a table.
#pragma once

#include "model/runcompare.h"

#include <QPointer>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QSplitter;
class QTableWidget;

namespace threadlab {

class AlignedSource;
class MainWindow;
class RunSource;
class TimelineView;

/// A window of its own: side A and side B are each a run of the live lab or a recording file; the timeline shows
/// the matched workers' lanes in pairs (A over B), each re-zeroed at its own stop request, and the table lists
/// each matched worker's figures (A, B, B−A, B/A) as RunComparison reads them from the folds.
class CompareWindow : public QWidget
{
    Q_OBJECT
public:
    explicit CompareWindow(RunSource *live, QWidget *parent = nullptr);
    ~CompareWindow() override;
    Q_DISABLE_COPY_MOVE(CompareWindow)

    /// The compare window of a main window (made on first use), its choices refreshed, shown and raised: the live
    /// lab's runs, the recording the window shows (if any) as A, and compareWith (if given) as B.
    static CompareWindow *showFor(MainWindow *window, const QString &compareWith = {});

    /// Re-reads the live lab's runs (kept: the recordings opened so far and the choice of each side, if any).
    void refreshChoices();
    /// Adds a recording as a choice of both sides and picks it for side (0: A, 1: B, -1: neither). False with
    /// the file's one-line error.
    bool addRecording(const QString &path, int side, QString *error = nullptr);
    /// Picks choice index for a side (0: A, 1: B).
    void choose(int side, int index);
    int choiceCount() const;

    const RunComparison &comparison() const { return m_comparison; }
    TimelineView *timeline() const { return m_timeline; }
    QTableWidget *table() const { return m_table; }
    QComboBox *picker(int side) const { return side == 0 ? m_pickA : m_pickB; }
    /// When false, nothing modal is shown (tests, scripted screenshots).
    void setInteractive(bool interactive) { m_interactive = interactive; }

    QSize sizeHint() const override { return { 1000, 700 }; }

private:
    struct Choice
    {
        QString label;
        QString details;
        std::shared_ptr<RunSource> owned; ///< a recording's source (empty for a live run)
        std::optional<RunInfo> run; ///< the live run (nullopt: every worker of the recording)
    };

    void rebuildPickers();
    void handleOpen(int side);
    void recompute();
    void fillTable();
    CompareSide sideOf(int index) const;

    QPointer<RunSource> m_live;
    QList<Choice> m_choices;
    RunComparison m_comparison;
    std::unique_ptr<AlignedSource> m_aligned;
    QComboBox *m_pickA;
    QComboBox *m_pickB;
    QLabel *m_summary;
    QSplitter *m_split;
    TimelineView *m_timeline;
    QTableWidget *m_table;
    bool m_interactive = true;
    bool m_filling = false;
};

} // namespace threadlab
