// Where the main window's actions appear: the menu bar and the lab toolbar (with the stop-policy widget).
#pragma once

class QMainWindow;
class QWidget;

namespace threadlab {

class LabActions;

/// File, Workers and View menus.
void addMainMenus(QMainWindow *window, const LabActions &actions);
/// The "Lab" toolbar: worker commands, the stop policy, view and screenshot actions (icons only for those).
void addLabToolBar(QMainWindow *window, const LabActions &actions, QWidget *stopPolicy);

} // namespace threadlab
