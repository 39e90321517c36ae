// `threadlab-worker --fork-server`: the resident, single-threaded, pre-loaded host that forks new hosts.
#pragma once

namespace threadlab {

/// Reads start requests from the socket at fd 3 (forkserverwire), one at a time. For each it forks an
/// intermediate that forks the host, pidfd_open()s it (its unreaped child: provably that process), sends pid and
/// pidfd to the app and exits; the host is re-parented to the app (a subreaper), which reaps it with
/// waitid(P_PIDFD). The host leads its own process group, arms PR_SET_PDEATHSIG once it is the app's child, takes
/// the request's stdio fds and environment and runs the normal host main. The server never creates a
/// QCoreApplication or a thread, and keeps nothing. Ends when the app closes the socket (or dies: PDEATHSIG).
/// A spare request is forked the same way, but the host then waits on the control socket the request carried for
/// the start request of a worker (see forkserverwire::Request), so that a start costs no fork.
class ForkServerLoop
{
public:
    static int run();
};

} // namespace threadlab
