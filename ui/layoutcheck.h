// Finds clipped and overlapping widgets in a shown window: the geometry check behind the 1024×768 tests.
#pragma once

#include <QStringList>

class QWidget;

namespace threadlab {

/// Walks the visible widgets under root and returns one line per problem (empty: clean):
/// a widget not inside its parent's rect, visible siblings that overlap, a label or button narrower or lower
/// than its text needs, a scroll area that scrolls sideways. Content inside a scroll area may be taller than its
/// viewport (that is what scrolling is for) but not wider. Overlays marked with the dynamic property
/// "threadlabOverlay" are left out.
QStringList layoutProblems(const QWidget *root);
/// "QPushButton \"Run\" in presenterControls": how a problem names a widget.
QString describeWidget(const QWidget *w);

} // namespace threadlab
