// The start page shown on launch: the lessons as a gallery (Run, Step through, Present) and recent recordings.
#pragma once

#include <QStringList>
#include <QWidget>

class QGridLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;

namespace threadlab {

/// Built from the scenario catalogue (every built-in lesson, in catalogue order) and the recent recordings kept
/// in QSettings; it only asks, through its signals, and the window does the work.
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StartPage)

    /// The scenario names shown as cards, in order (every built-in one).
    QStringList lessonNames() const { return m_names; }
    /// Re-reads the recent recordings list (after a recording was opened or saved).
    void refreshRecent();

    /// The recent recordings (newest first, at most MaxRecent, missing files dropped).
    static QStringList recentRecordings();
    /// Puts path first in the recent recordings list.
    static void addRecentRecording(const QString &path);
    static constexpr int MaxRecent = 8;

signals:
    void runRequested(const QString &scenario);
    void stepRequested(const QString &scenario);
    void presentRequested(const QString &scenario);
    void openRecordingRequested(const QString &path); ///< empty: ask for a file
    void emptyLabRequested();
    void scenariosRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *makeCard(const QString &name);
    void reflow();

    QStringList m_names;
    QList<QWidget *> m_cards;
    QScrollArea *m_scroll;
    QWidget *m_gallery;
    QGridLayout *m_grid;
    QListWidget *m_recent;
    QLabel *m_recentEmpty;
    int m_columns = 0;
};

} // namespace threadlab
