// Where the main window's actions appear: the menu bar and the lab toolbar (with the stop-policy widget).
#include "mainmenus.h"

#include "labactions.h"

#include <QAction>
#include <QMainWindow>
#include <QMenuBar>
#include <QToolBar>
#include <QToolButton>

namespace threadlab {

using A = ActionId;

void addMainMenus(QMainWindow *window, const LabActions &actions)
{
    QMenu *file = window->menuBar()->addMenu(u"&File"_qs);
    file->addActions(actions.actions({ A::OpenRecording, A::SaveRecording, A::CloseRecording }));
    file->addAction(actions.action(A::Compare));
    file->addSeparator();
    QMenu *exports = file->addMenu(u"&Export"_qs);
    exports->addActions(actions.actions(
        { A::ExportTrace, A::ExportEventsCsv, A::ExportMeasurementsCsv, A::ExportMarkdown, A::ExportImage }));
    file->addSeparator();
    file->addActions(actions.actions({ A::Screenshot, A::CopyScreenshot }));
    file->addSeparator();
    file->addAction(actions.action(A::Quit));
    QMenu *workers = window->menuBar()->addMenu(u"&Workers"_qs);
    workers->addActions(actions.actions({ A::Add, A::Start, A::Request, A::Force, A::Escalate, A::Pause, A::Resume }));
    workers->addSeparator();
    workers->addActions(actions.actions({ A::StopAll, A::Clear, A::Recover }));
    workers->addSeparator();
    workers->addAction(actions.action(A::YieldToWindow));
    QMenu *view = window->menuBar()->addMenu(u"&View"_qs);
    view->addActions(actions.actions({ A::Fit, A::ZoomToStop, A::Follow }));
    view->addSeparator();
    view->addActions(actions.actions({ A::Scenarios, A::Matrix }));
    view->addSeparator();
    view->addAction(actions.action(A::Dark));
}

void addLabToolBar(QMainWindow *window, const LabActions &actions, QWidget *stopPolicy)
{
    QToolBar *tb = window->addToolBar(u"Lab"_qs);
    tb->setObjectName(u"labToolBar"_qs);
    tb->setAccessibleName(u"Lab toolbar"_qs);
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->setIconSize(QSize(18, 18));
    // Short labels on the toolbar (the menus keep the full names): it fits a 1024 px window without "»".
    for (const auto &[id, label] : { std::pair { A::Add, u"Add"_qs }, std::pair { A::Request, u"Request"_qs },
             std::pair { A::Force, u"Force"_qs }, std::pair { A::Escalate, u"Escalate"_qs } })
        actions.action(id)->setIconText(label);
    tb->addAction(actions.action(A::Add));
    tb->addSeparator();
    tb->addActions(actions.actions({ A::Start, A::Request, A::Force, A::Escalate, A::Pause }));
    tb->addSeparator();
    tb->addWidget(stopPolicy);
    tb->addSeparator();
    tb->addActions(actions.actions({ A::StopAll, A::Clear }));
    tb->addSeparator();
    tb->addActions(actions.actions({ A::Fit, A::ZoomToStop, A::Follow }));
    tb->addSeparator();
    tb->addAction(actions.action(A::Screenshot));
    // Icons only for the view and screenshot actions, to keep the toolbar compact.
    for (QAction *a : actions.actions({ A::Fit, A::ZoomToStop, A::Follow, A::Screenshot, A::Clear, A::StopAll }))
        if (auto *button = qobject_cast<QToolButton *>(tb->widgetForAction(a)))
            button->setToolButtonStyle(Qt::ToolButtonIconOnly);
}

} // namespace threadlab
