/* threadlab-benchref: the bench's reference for a process spawn: a minimal C program that writes one line, exits. */
#include <unistd.h>

int main(void)
{
    /* The same first act as a worker host (one line on stdout), without any library to load or relocate. */
    static const char line[] = "hello\n";
    return write(STDOUT_FILENO, line, sizeof line - 1) == (ssize_t)(sizeof line - 1) ? 0 : 1;
}
