// Presenter mode: one lesson at a time, full screen, its text beside the live timeline, for a projector.
#pragma once

#include "scenarios/scenarioresult.h"

#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QSplitter;
class QTextBrowser;

namespace threadlab {

class FontScale;
class RunSource;
class ScenarioBrowser;
class TimelineView;

/// Draws a ring around the mouse pointer so an audience can follow it; it takes no input and is drawn above
/// the presenter's widgets (the layout check leaves it out: it overlaps them on purpose).
class PointerOverlay : public QWidget
{
    Q_OBJECT
public:
    explicit PointerOverlay(QWidget *parent);
    Q_DISABLE_COPY_MOVE(PointerOverlay)
    void setActive(bool active);
    bool isActive() const { return m_active; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void follow();
    QTimer m_poll;
    QPoint m_pos { -1000, -1000 };
    bool m_active = false;
};

/// Runs lessons through the main window's scenario browser (so the lab, its table and its recordings are the
/// same ones) and shows them with a timeline of its own on the same source. Next/previous walk the built-in
/// lessons; Ctrl+= / Ctrl+- / Ctrl+0 scale every text (the timeline too) through the shared FontScale.
class PresenterWindow : public QWidget
{
    Q_OBJECT
public:
    PresenterWindow(ScenarioBrowser *browser, RunSource *source, FontScale *fontScale, QWidget *parent = nullptr);
    ~PresenterWindow() override;
    Q_DISABLE_COPY_MOVE(PresenterWindow)

    /// Shows this lesson (a built-in name; empty: the first one) and loads it into the lab.
    bool showLesson(const QString &name, QString *error = nullptr);
    QString lesson() const { return m_names.value(m_index); }
    int lessonIndex() const { return m_index; }
    QStringList lessons() const { return m_names; }
    void next();
    void previous();
    void run();
    void step();
    void reset();

    TimelineView *timeline() const { return m_timeline; }
    QTextBrowser *lessonText() const { return m_text; }
    PointerOverlay *pointer() const { return m_pointer; }
    /// Shows or hides the pointer highlight (the L key, the Pointer button).
    void setPointerHighlight(bool on);
    QAction *exitAction() const { return m_exit; }

signals:
    /// The presenter was left (Esc, F5 or the Exit button); the window hides itself.
    void exited();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QPushButton *addButton(const QString &text, const QString &tip, const QList<QKeySequence> &keys);
    void stopLeftovers();
    void handleLoaded(const QString &title, const QString &summary, const QString &lessonHtml, const QList<int> &ids);
    /// The lesson text with its placeholders filled from this run's folds (LessonText::render: a figure not measured
    /// yet reads "(not measured yet)").
    void composeText();
    void handleFinished(const ScenarioResult &result);
    void updateHeader();
    void updateSplit();

    QPointer<ScenarioBrowser> m_browser;
    FontScale *m_fontScale;
    QStringList m_names;
    int m_index = 0;
    QLabel *m_title;
    QLabel *m_counter;
    QLabel *m_status;
    QLabel *m_scaleLabel;
    QTextBrowser *m_text;
    TimelineView *m_timeline;
    QSplitter *m_split;
    PointerOverlay *m_pointer;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QPushButton *m_pointerButton = nullptr;
    QAction *m_exit = nullptr;
    QString m_lessonHtml; ///< the lesson's template: its {{placeholders}} are filled by composeText()
    QString m_resultHtml;
    RunSource *m_source = nullptr;
    QList<int> m_workerIds;
    QTimer *m_refresh = nullptr;
    QString m_shownHtml; ///< what composeText() last set (setHtml only on a change: no flicker, no scroll jump)
};

} // namespace threadlab
