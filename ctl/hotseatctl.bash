# bash completion for hotseatctl (installed as share/bash-completion/completions/hotseatctl)

# VM names from the running daemon: the "name" of each VM in `status --json` (a VM object's
# "name" is followed by more keys, a keyboard's is its last).
_hotseatctl_vms() {
    hotseatctl status --json 2>/dev/null | sed -n 's/^ *"name": "\(.*\)",$/\1/p'
}

_hotseatctl() {
    local cur prev words cword
    _init_completion || return

    local commands="status start stop toggle force-stop postpone monitor check-config reload doctor"
    local command="" i
    for ((i = 1; i < cword; i++)); do
        case "${words[i]}" in
            -*) ;;
            *) command="${words[i]}"; break ;;
        esac
    done

    case "$command" in
        "")
            COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur")) ;;
        status | monitor)
            COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
        start | stop | toggle | force-stop)
            if [[ "$prev" == --timeout ]]; then
                COMPREPLY=($(compgen -W "30 60 120 300" -- "$cur"))
            elif [[ "$cur" == -* && "$command" == stop ]]; then
                COMPREPLY=($(compgen -W "--wait --timeout --hibernate --help" -- "$cur"))
            elif [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--wait --timeout --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$(_hotseatctl_vms)" -- "$cur"))
            fi ;;
        postpone)
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--help" -- "$cur"))
            elif [[ "$prev" == postpone ]]; then
                COMPREPLY=($(compgen -W "$(_hotseatctl_vms)" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "0 300 600 1800 3600" -- "$cur"))
            fi ;;
        check-config)
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
            else
                _filedir toml
            fi ;;
        reload)
            COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
        doctor)
            case "$prev" in
                --config|--hook|--modules-dep|--domain-capabilities) _filedir ;;
                --root) _filedir -d ;;
                --qemu-version) ;;
                *) COMPREPLY=($(compgen -W "--config --hook --modules-dep --root --qemu-version --domain-capabilities --json --help" -- "$cur")) ;;
            esac ;;
    esac
}

complete -F _hotseatctl hotseatctl
