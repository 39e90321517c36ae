// The newcomer's and the teacher's way in: the start page, the Help menu, presenter mode and the font scale.
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QStackedWidget;

namespace threadlab {

class FontScale;
class MainWindow;
class PresenterWindow;
class StartPage;

/// Puts a start page in front of the lab (the window's central widget becomes a stack: start page, lab),
/// adds View ▸ Start page / Presenter mode / text size and a Help menu, and owns the presenter window.
/// It drives the window only through its public API (scenario browser, documents, lab).
class GuideController : public QObject
{
    Q_OBJECT
public:
    explicit GuideController(MainWindow *window);
    Q_DISABLE_COPY_MOVE(GuideController)

    StartPage *startPage() const { return m_start; }
    bool isStartPageShown() const;
    void showStartPage();
    void showLab();
    FontScale *fontScale() const { return m_fontScale; }
    /// The presenter window (made on first use).
    PresenterWindow *presenter();
    /// Presenter mode on this lesson (empty: the first); fullScreen false shows it as a normal window (tests).
    bool present(const QString &scenario, bool fullScreen = true, QString *error = nullptr);
    bool isPresenting() const;

    QAction *startPageAction() const { return m_startAction; }
    QAction *presentAction() const { return m_presentAction; }
    QAction *largerTextAction() const { return m_larger; }
    QAction *smallerTextAction() const { return m_smaller; }
    QAction *resetTextAction() const { return m_resetText; }

    /// Every shortcut of the window and of presenter mode, "key — what it does", for Help ▸ Keyboard shortcuts.
    QList<QPair<QString, QString>> shortcuts();
    void showShortcuts();
    void showAbout();

    /// THREADLAB_LAYOUT_REPORT=<file>: after the window (or the presenter) has settled, write the layout
    /// problems of every shown window and the start page's lessons to file and quit (the xvfb geometry tests).
    static void scheduleLayoutReport(MainWindow *window, const QString &path, int delayMs);

private:
    void createActions();
    void addMenus();
    void connectStartPage();
    void runLesson(const QString &scenario, bool stepThrough);
    void showScenarioDock();

    MainWindow *m_window;
    FontScale *m_fontScale;
    StartPage *m_start;
    QStackedWidget *m_pages;
    QPointer<PresenterWindow> m_presenter;
    QAction *m_startAction = nullptr;
    QAction *m_presentAction = nullptr;
    QAction *m_larger = nullptr;
    QAction *m_smaller = nullptr;
    QAction *m_resetText = nullptr;
};

} // namespace threadlab
