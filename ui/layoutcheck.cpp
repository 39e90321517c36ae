// Finds clipped and overlapping widgets in a shown window: the geometry check behind the 1024×768 tests.
#include "layoutcheck.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QLabel>
#include <QRubberBand>
#include <QScrollBar>
#include <QWidget>

namespace threadlab {

namespace {

QString rectText(const QRect &r)
{
    return u"%1x%2+%3+%4"_qs.arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

bool skipped(const QWidget *w)
{
    return !w->isVisible() || w->isWindow() || w->property("threadlabOverlay").toBool()
        || qobject_cast<const QRubberBand *>(w);
}

/// Inside a scroll area's viewport the content may be taller (it scrolls) but is checked for width only.
bool isScrolledContent(const QWidget *w)
{
    const QWidget *viewport = w->parentWidget();
    const auto *area = viewport ? qobject_cast<const QAbstractScrollArea *>(viewport->parentWidget()) : nullptr;
    return area && area->viewport() == viewport;
}

void checkText(const QWidget *w, QStringList &out)
{
    if (const auto *label = qobject_cast<const QLabel *>(w); label && !label->text().isEmpty()) {
        if (label->wordWrap()) {
            const int need = label->heightForWidth(label->width());
            if (need > label->height() + 1)
                out << u"%1: text needs %2 px height, has %3"_qs.arg(describeWidget(w)).arg(need).arg(label->height());
        } else if (label->sizeHint().width() > label->width() + 1 || label->sizeHint().height() > label->height() + 1) {
            out << u"%1: clipped (needs %2x%3, has %4x%5)"_qs.arg(describeWidget(w))
                       .arg(label->sizeHint().width())
                       .arg(label->sizeHint().height())
                       .arg(label->width())
                       .arg(label->height());
        }
    } else if (const auto *button = qobject_cast<const QAbstractButton *>(w); button && !button->text().isEmpty()) {
        const QSize hint = button->sizeHint();
        if (hint.width() > button->width() + 1)
            out << u"%1: clipped (needs %2 px width, has %3)"_qs.arg(describeWidget(w))
                       .arg(hint.width())
                       .arg(button->width());
    }
}

void walk(const QWidget *parent, QStringList &out)
{
    if (const auto *area = qobject_cast<const QAbstractScrollArea *>(parent)) {
        if (area->horizontalScrollBar()->isVisible())
            out << u"%1: scrolls sideways"_qs.arg(describeWidget(parent));
    }
    QList<const QWidget *> children;
    for (const QObject *o : parent->children())
        if (const auto *w = qobject_cast<const QWidget *>(o); w && !skipped(w))
            children << w;
    const QRect inside = parent->rect();
    for (const QWidget *w : std::as_const(children)) {
        const QRect g = w->geometry();
        const bool fits
            = isScrolledContent(w) ? g.left() >= inside.left() && g.right() <= inside.right() : inside.contains(g);
        if (!fits && !g.isEmpty())
            out << u"%1: %2 outside its parent %3 (%4)"_qs.arg(
                describeWidget(w), rectText(g), describeWidget(parent), rectText(inside));
        checkText(w, out);
    }
    // Siblings: a stacked widget shows one page, so only visible widgets are compared.
    for (int i = 0; i < children.size(); ++i)
        for (int j = i + 1; j < children.size(); ++j) {
            const QRect a = children.at(i)->geometry(), b = children.at(j)->geometry();
            if (!a.isEmpty() && !b.isEmpty() && a.intersects(b))
                out << u"%1 %2 overlaps %3 %4"_qs.arg(
                    describeWidget(children.at(i)), rectText(a), describeWidget(children.at(j)), rectText(b));
        }
    for (const QWidget *w : std::as_const(children))
        walk(w, out);
}

} // namespace

QString describeWidget(const QWidget *w)
{
    QString text;
    if (const auto *label = qobject_cast<const QLabel *>(w))
        text = label->text();
    else if (const auto *button = qobject_cast<const QAbstractButton *>(w))
        text = button->text();
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += u" #"_qs + w->objectName();
    if (!text.isEmpty())
        name += u" \""_qs + text.left(40) + u'"';
    if (const QWidget *p = w->parentWidget(); p && !p->objectName().isEmpty())
        name += u" in "_qs + p->objectName();
    return name;
}

QStringList layoutProblems(const QWidget *root)
{
    QStringList out;
    if (root && root->isVisible())
        walk(root, out);
    return out;
}

} // namespace threadlab
