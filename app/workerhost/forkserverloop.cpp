// The fork server's loop: request in, clone(CLONE_PARENT | CLONE_PIDFD), pid and pidfd out, nothing kept.
#include "forkserverloop.h"

#include "hostrunner.h"
#include "process/forkserverwire.h"

#include <linux/sched.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace threadlab {

namespace {

namespace wire = forkserverwire;

constexpr char OwnerKey[] = "THREADLAB_OWNER=";

/// The owner mark in the server's original environment block (what /proc/<pid>/environ shows of a forked
/// child, which never exec's), and its length; the app pads it ("<app pid>:" and a zero-padded host id).
char *s_ownerSlot = nullptr;
std::size_t s_ownerSlotSize = 0;

/// Writes the request's owner mark over the server's in the original block, zero-padding the host id to the
/// same length, so that the app (ProcessTree) reads this host's own mark in /proc/<pid>/environ.
void markOwner(const wire::Request &request)
{
    if (!s_ownerSlot)
        return;
    for (const std::string &e : request.env) {
        if (e.compare(0, sizeof OwnerKey - 1, OwnerKey) != 0)
            continue;
        const std::string value = e.substr(sizeof OwnerKey - 1);
        const std::size_t colon = value.find(':');
        if (colon == std::string::npos || value.size() > s_ownerSlotSize)
            return;
        const std::string padded
            = value.substr(0, colon + 1) + std::string(s_ownerSlotSize - value.size(), '0') + value.substr(colon + 1);
        std::memcpy(s_ownerSlot, padded.data(), padded.size());
        return;
    }
}

void closeAll(const int *fds, int count)
{
    for (int i = 0; i < count; ++i)
        ::close(fds[i]);
}

/// In the new child: becomes the host the request describes; never returns.
[[noreturn]] void becomeHost(wire::Request &request, const int *fds, pid_t appPid)
{
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != appPid) // the app died before the death signal was armed
        ::_exit(127);
    ::close(wire::ServerSocketFd);
    for (int target = 0; target < wire::StdioFds; ++target) {
        if (fds[target] == target)
            continue;
        ::dup2(fds[target], target); // the copy has no FD_CLOEXEC
    }
    for (int i = 0; i < wire::StdioFds; ++i)
        if (fds[i] > 2)
            ::close(fds[i]);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    markOwner(request);
    ::clearenv();
    for (std::string &e : request.env)
        ::putenv(e.data()); // the strings live until exit (the request is never freed in the child)
    std::vector<char *> argv;
    for (std::string &a : request.argv)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::exit(HostRunner::main(int(request.argv.size()), argv.data()));
}

void reply(uint32_t id, pid_t pid, int error, int pidfd)
{
    const wire::Reply r { wire::Magic, id, int32_t(pid), int32_t(error) };
    wire::sendMessage(wire::ServerSocketFd, &r, sizeof r, pidfd >= 0 ? &pidfd : nullptr, pidfd >= 0 ? 1 : 0);
}

} // namespace

int ForkServerLoop::run()
{
    const pid_t appPid = ::getppid();
    // Before any setenv: getenv points into the original block.
    s_ownerSlot = std::getenv("THREADLAB_OWNER");
    s_ownerSlotSize = s_ownerSlot ? std::strlen(s_ownerSlot) : 0;
    std::vector<char> buffer(wire::MaxRequestBytes);
    for (;;) {
        int fds[wire::StdioFds] = { -1, -1, -1 };
        int fdCount = 0;
        const long n
            = wire::receiveMessage(wire::ServerSocketFd, buffer.data(), buffer.size(), fds, wire::StdioFds, &fdCount);
        if (n == 0)
            return 0; // the app closed its end: it is done with us
        if (n < 0) {
            if (errno == EMSGSIZE) {
                reply(0, 0, EMSGSIZE, -1);
                continue;
            }
            return 1;
        }
        wire::Request request;
        if (!wire::decode(buffer.data(), std::size_t(n), &request) || fdCount != wire::StdioFds) {
            closeAll(fds, fdCount);
            reply(request.id, 0, EINVAL, -1);
            continue;
        }
        clone_args args {};
        int pidfd = -1;
        args.flags = CLONE_PARENT | CLONE_PIDFD;
        args.pidfd = uint64_t(reinterpret_cast<uintptr_t>(&pidfd));
        args.exit_signal = 0; // CLONE_PARENT: the kernel takes ours (SIGCHLD), the app's child as any other
        const long pid = ::syscall(SYS_clone3, &args, sizeof args);
        if (pid == 0)
            becomeHost(request, fds, appPid);
        const int error = pid < 0 ? errno : 0;
        closeAll(fds, fdCount);
        reply(request.id, pid > 0 ? pid_t(pid) : 0, error, pidfd);
        if (pidfd >= 0)
            ::close(pidfd);
    }
}

} // namespace threadlab
