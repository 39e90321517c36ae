# Bash completion for threadlab: commands, options and names are asked of the binary being completed.
# Nothing is listed here, so a new command, option, backend, workload, stop method or scenario completes
# as soon as the binary knows it. Answers are cached per binary for the life of the shell.

declare -gA _threadlab_cache=()

# _threadlab_ask BINARY ARGS...: sets _threadlab_out to the binary's stdout (stderr dropped, the GUI never
# started). Called directly, never in $(...), so that the cache outlives the call.
_threadlab_ask()
{
    local key
    key="$(printf '%s\037' "$@")"
    if [[ -z ${_threadlab_cache[$key]+set} ]]; then
        _threadlab_cache[$key]="$(DISPLAY= WAYLAND_DISPLAY= QT_QPA_PLATFORM=offscreen "$@" 2>/dev/null)"
    fi
    _threadlab_out="${_threadlab_cache[$key]}"
}

# Each helper below sets _threadlab_words (one word a line).

# _threadlab_names BINARY LIST: the first word of each entry of `threadlab list LIST` (entry lines are
# indented by at most two spaces; headers end in ':'; deeper-indented lines continue an entry).
_threadlab_names()
{
    _threadlab_ask "$1" list "$2"
    _threadlab_words="$(printf '%s\n' "$_threadlab_out" \
        | sed -n -E '/:$/d; s/^ {0,2}([A-Za-z0-9][A-Za-z0-9._-]*)([[:space:]].*)?$/\1/p')"
}

# _threadlab_commands BINARY: the names in the 'Commands:' block of `threadlab help`.
_threadlab_commands()
{
    _threadlab_ask "$1" help
    _threadlab_words="$(printf '%s\n' "$_threadlab_out" \
        | sed -n -E '/^Commands:/,/^[[:space:]]*$/ s/^[[:space:]]+([a-z][a-z0-9-]*)([[:space:]].*)?$/\1/p')"
}

# _threadlab_options BINARY [COMMAND]: every --option in the usage line and the option column of the help.
_threadlab_options()
{
    if [[ -n $2 ]]; then
        _threadlab_ask "$1" help "$2"
    else
        _threadlab_ask "$1" --help
    fi
    _threadlab_words="$({
        printf '%s\n' "$_threadlab_out" | sed -n -E '1s/^Usage:(.*)$/\1/p'
        # The option column: an indented line starting with '-', up to the first gap of two spaces.
        printf '%s\n' "$_threadlab_out" | sed -n -E 's/^[[:space:]]+(-[^[:space:]].*)$/\1/p' | sed -E 's/  .*$//'
    } | grep -o -E -- '--[a-z][a-z0-9-]*' | sort -u)"
}

# _threadlab_list_kinds BINARY: the lists `threadlab list` accepts, from its usage line '[a|b|c]'.
_threadlab_list_kinds()
{
    _threadlab_ask "$1" help list
    _threadlab_words="$(printf '%s\n' "$_threadlab_out" | sed -n -E '1s/.*\[([a-z|]+)\].*/\1/p' | tr '|' '\n')"
}

# _threadlab_value BINARY COMMAND OPTION: sets _threadlab_words to the placeholder the help shows after
# OPTION ('FILE|-', '<ms>', ...; empty when OPTION takes no value), from the usage line or option column.
_threadlab_value()
{
    _threadlab_ask "$1" help "$2"
    local opt="$3"
    _threadlab_words="$(printf '%s\n' "$_threadlab_out" | grep -o -E -- "(^|[[ ,])$opt[ =]([A-Z][A-Za-z|,.-]*|<[^>]*>)" \
        | head -n 1 | sed -E "s/.*$opt[ =]//")"
}

# _threadlab_complete_list WORDS...: completes $cur as a comma-separated list of WORDS.
_threadlab_complete_list()
{
    local prefix="" last="$cur"
    if [[ $cur == *,* ]]; then
        prefix="${cur%,*},"
        last="${cur##*,}"
    fi
    local w
    COMPREPLY=()
    for w in $(compgen -W "$*" -- "$last"); do
        COMPREPLY+=("$prefix$w")
    done
    compopt -o nospace 2>/dev/null
}

_threadlab()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n =: || return
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD - 1]}"
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local bin="${words[0]}"
    bin="${bin/#\~/$HOME}"
    if [[ $bin != */* ]]; then
        bin="$(type -P "$bin")" || return
    fi
    [[ -x $bin ]] || return

    # The command: the first word after the binary that is not an option.
    local command="" i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            command="${words[i]}"
            break
        fi
    done

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            _threadlab_options "$bin"
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
        else
            _threadlab_commands "$bin"
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
        fi
        return
    fi

    case $prev in
        --backend)
            _threadlab_names "$bin" backends
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
            return ;;
        --workload)
            _threadlab_names "$bin" workloads
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
            return ;;
        --stop)
            _threadlab_names "$bin" methods
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
            return ;;
        --backends)
            _threadlab_names "$bin" backends
            _threadlab_complete_list $_threadlab_words
            return ;;
        --workloads)
            _threadlab_names "$bin" workloads
            _threadlab_complete_list $_threadlab_words
            return ;;
        --methods)
            _threadlab_names "$bin" methods
            _threadlab_complete_list $_threadlab_words
            return ;;
        -*)
            # Any other option: files where its placeholder says so, nothing where it wants a typed value.
            _threadlab_value "$bin" "$command" "$prev"
            if [[ ${_threadlab_words,,} == *file* ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
                [[ $_threadlab_words != *'|-'* || $cur != - ]] || COMPREPLY+=(-)
                compopt -o filenames 2>/dev/null
                return
            fi
            [[ -z $_threadlab_words ]] || return ;;
    esac

    if [[ $cur == -* ]]; then
        _threadlab_options "$bin" "$command"
        COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
        return
    fi
    case $command in
        help)
            _threadlab_commands "$bin"
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur")) ;;
        list)
            _threadlab_list_kinds "$bin"
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur")) ;;
        scenario | present)
            _threadlab_names "$bin" scenarios
            COMPREPLY=($(compgen -W "$_threadlab_words" -- "$cur"))
            COMPREPLY+=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null ;;
        export | gui | compare)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null ;;
    esac
}

complete -F _threadlab threadlab
