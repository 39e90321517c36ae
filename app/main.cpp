// threadlab: the GUI and command-line front door (placeholder until the CLI lands).
#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    return 0;
}
