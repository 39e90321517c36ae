#!/usr/bin/env python3
"""Writes threadlab.1 from what the built binary prints (help, help COMMAND, list ...), so it cannot drift.

Usage: gen-manpage.py --binary PATH/threadlab --date YYYY-MM-DD --host PATH/threadlab-worker --output threadlab.1

Nothing here repeats the CLI's words: commands, options, exit codes, backends, workloads, stop methods and
scenario names all come from the binary. It fails (exit 1, one line) when the binary's output lacks what a
man page needs (no commands, no exit codes), so a CLI change that breaks it breaks the build, not the page.
"""
import argparse
import os
import re
import subprocess
import sys


def fail(message):
    print(f"gen-manpage: {message}", file=sys.stderr)
    sys.exit(1)


def run(binary, *args):
    env = dict(os.environ)
    # The help texts never need a display; keep a developer's DISPLAY from mattering.
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail(f"cannot run '{binary} {' '.join(args)}': {e}")
    if done.returncode != 0:
        fail(f"'{os.path.basename(binary)} {' '.join(args)}' exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def esc(text):
    """Roff-escapes one line of text (backslashes, minus signs, a leading control character)."""
    # \: lets a long choice list such as (a|b|c) break after a bar.
    text = text.replace("\\", "\\e").replace("-", "\\-").replace("|", "|\\:")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


# An option or argument line: indented, a first column (an option, or a positional argument's name), then
# its description after a gap of two or more spaces (or nothing, for an option alone on its line).
def listing(text):
    """`threadlab list X` as tagged paragraphs: an entry starts on a line indented by at most two spaces
    (its name, then its description); deeper-indented lines continue it; header lines end with ':'."""
    out = []
    for line in text.rstrip("\n").split("\n"):
        if not line.strip() or line.rstrip().endswith(":") and not line.startswith(" "):
            continue
        m = re.match(r"^ {0,2}(\S+)\s+(.*)$", line)
        if m:
            out += [".TP", "\\fB" + esc(m.group(1)) + "\\fR", esc(m.group(2).strip())]
        elif out:
            # a wrapped entry: one paragraph (a long choice list broke after a bar: no space there)
            out[-1] += ("" if out[-1].endswith("|") else " ") + esc(line.strip())
        else:
            out += [".PP", esc(line.strip())]
    return out


OPTION_LINE = re.compile(r"^\s{1,8}(-\S.*?|[A-Za-z]\S*)(?:\s{2,}(.*))?$")


def help_body(text):
    """Turns a QCommandLineParser-style help text (after its Usage line) into roff: option lines become
    tagged paragraphs, section headers italic, anything else a paragraph."""
    out = []
    in_tp = False
    for raw in text.rstrip("\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            in_tp = False
            continue
        m = OPTION_LINE.match(line)
        if m and (m.group(1).startswith("-") or m.group(2)):
            out += [".TP", "\\fB" + esc(m.group(1).strip()) + "\\fR"]
            if m.group(2):
                out.append(esc(m.group(2).strip()))
            in_tp = True
        elif not line.startswith(" ") and line.endswith(":"):
            out += [".PP", "\\fI" + esc(line) + "\\fR"]
            in_tp = False
        elif in_tp and line.startswith(" "):
            out.append(esc(line.strip()))  # continuation of an option's description
        else:
            out += [".PP", esc(line.strip())]
            in_tp = False
    return out


def split_usage(text):
    """('run --backend B ...', rest of the text) from a help text whose first line is 'Usage: threadlab ...'."""
    first, _, rest = text.partition("\n")
    m = re.match(r"^Usage:\s*threadlab\s*(.*)$", first.strip())
    if not m:
        fail(f"help text does not start with 'Usage: threadlab': {first.strip()!r}")
    return m.group(1), rest


def section(text, header):
    """The indented lines under a line 'Header:' up to the next blank line or unindented line."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == header + ":":
            body = []
            for follow in lines[i + 1 :]:
                if not follow.strip() or not follow.startswith(" "):
                    break
                body.append(follow)
            return body
    return []


def exit_codes(main_help):
    """[(code, meaning)] from 'Exit codes: 0 success, 1 ...' or an 'Exit codes:' block of '  N meaning' lines."""
    codes = []
    block = section(main_help, "Exit codes")
    if block:
        for line in block:
            m = re.match(r"^\s*(\d+)\s*[:=-]?\s+(.*)$", line)
            if m:
                codes.append((m.group(1), m.group(2).strip()))
    else:
        m = re.search(r"^Exit codes?:\s*(.+)$", main_help, re.M)
        if m:
            for item in re.split(r",\s*", m.group(1).strip().rstrip(".")):
                im = re.match(r"^(\d+)\s+(.*)$", item.strip())
                if im:
                    codes.append((im.group(1), im.group(2)))
    return codes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--date", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--host", required=True, help="where the package installs threadlab-worker")
    args = ap.parse_args()

    version = run(args.binary, "--version").strip()
    version = version.split()[-1] if version else ""
    main_help = run(args.binary, "help")
    commands = []
    for line in section(main_help, "Commands"):
        m = re.match(r"^\s+([a-z][a-z0-9-]*)\s+(.*)$", line)
        if m:
            commands.append((m.group(1), m.group(2).strip()))
    if not commands:
        fail("'threadlab help' lists no commands (expected a 'Commands:' block of '  NAME summary' lines)")
    codes = exit_codes(main_help)
    if not codes:
        fail("'threadlab help' names no exit codes (expected an 'Exit codes:' line or block)")

    main_usage, main_rest = split_usage(main_help)
    lead = []  # the paragraphs of the main help before its Options/Commands blocks
    for line in main_rest.split("\n"):
        if line.strip().endswith(":") and not line.startswith(" "):
            break
        if line.strip():
            lead.append(line.strip())

    page = [
        f'.TH THREADLAB 1 "{args.date}" "threadlab {version}" "User Commands"',
        ".nh",  # options and paths must not be hyphenated
        ".ad l",
        ".SH NAME",
        "threadlab \\- a laboratory for stopping threads and processes",
        ".SH SYNOPSIS",
        "\\fBthreadlab\\fR " + esc(main_usage),
    ]
    for name, _ in commands:
        usage, _ = split_usage(run(args.binary, "help", name))
        page += [".br", "\\fBthreadlab\\fR " + esc(usage)]
    page += [".SH DESCRIPTION"]
    for paragraph in lead:
        page += [".PP", esc(paragraph)]
    page += [".SH OPTIONS"]
    page += help_body("\n".join(section(main_help, "Options")))
    page += [".SH COMMANDS"]
    for name, summary in commands:
        usage, rest = split_usage(run(args.binary, "help", name))
        page += [".SS " + esc(name), "\\fBthreadlab\\fR " + esc(usage)]
        if summary not in rest:  # QCommandLineParser help repeats the summary under the usage line
            page += [".PP", esc(summary)]
        page += help_body(rest)
    for title, what in (("BACKENDS", "backends"), ("WORKLOADS", "workloads"), ("STOP METHODS", "methods"),
                        ("SCENARIOS", "scenarios")):
        page += [f'.SH "{title}"', ".PP", f"As printed by \\fBthreadlab list {what}\\fR:"]
        page += listing(run(args.binary, "list", what))
    page += [".SH \"EXIT STATUS\""]
    for code, meaning in codes:
        page += [".TP", f"\\fB{code}\\fR", esc(meaning)]
    page += [
        ".SH FILES",
        ".TP",
        "\\fI" + esc(args.host) + "\\fR",
        "The process backend's worker host. threadlab starts only the one installed with it, never one "
        "found through PATH.",
        ".SH \"SEE ALSO\"",
        "\\fBkill\\fR(1), \\fBsignal\\fR(7), \\fBpthreads\\fR(7)",
    ]
    text = "\n".join(page) + "\n"
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
