// The lesson panel: explains the selected worker's backend, its stop methods and its workload.
#pragma once

#include "workers/worker.h"

#include <QTextBrowser>

namespace threadlab {

class LessonPanel : public QTextBrowser
{
    Q_OBJECT
public:
    explicit LessonPanel(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LessonPanel)

    /// Shows the lesson for a worker (nullptr: the general introduction).
    void showWorker(const Worker *worker);
    /// The HTML of the lesson for a backend and workload (no widget state).
    static QString lessonHtml(Backend backend, const QString &workload, const Worker *worker);
};

} // namespace threadlab
