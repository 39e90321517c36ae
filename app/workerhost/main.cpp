// threadlab-worker: the process worker host (QtCore only); started by threadlab, speaks docs/protocol.md.
#include "hostrunner.h"

int main(int argc, char **argv)
{
    return threadlab::HostRunner::main(argc, argv);
}
